/**
 * Writes the demo utility's customer data on first start. A database that
 * already holds customer data is left as it is (the operator, or a larger
 * `cds-server seed`, may have put it there).
 */
import { sql } from "drizzle-orm";
import type { Db } from "../../db/index.js";
import { customerDataObjects } from "../../db/schema.js";
import { storeCustomerData } from "../../customer-data/database-source.js";
import { defaultDemoSize, generateDemoUtility, type DemoUtilitySize } from "./generator.js";
import { DAY_MS, DAY_START_HOUR_UTC } from "./profiles.js";

/**
 * The default size, ending at the start of the current demo day instead of
 * the fixed `defaultDemoSize.until`: what a server started with demo data
 * writes, so that a customer's consent given today, whose durations count
 * back from the approval (CDS-WG3-01 §7.3, e.g. a year of usage), covers the
 * demo's bills and usage. The same day gives the same data.
 */
export function currentDemoSize(now = Date.now()): DemoUtilitySize {
  const offset = DAY_START_HOUR_UTC * 3_600_000;
  const dayStart = Math.floor((now - offset) / DAY_MS) * DAY_MS + offset;
  return { ...defaultDemoSize, until: new Date(dayStart).toISOString() };
}

export async function seedDemoCustomerData(db: Db, size: DemoUtilitySize = defaultDemoSize): Promise<boolean> {
  const [row] = await db.select({ any: sql<number>`1` }).from(customerDataObjects).limit(1);
  if (row) return false;
  const utility = generateDemoUtility(size);
  await storeCustomerData(db, utility.objects, utility.numbers);
  return true;
}
