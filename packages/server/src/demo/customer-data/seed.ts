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

export async function seedDemoCustomerData(db: Db, size: DemoUtilitySize = defaultDemoSize): Promise<boolean> {
  const [row] = await db.select({ any: sql<number>`1` }).from(customerDataObjects).limit(1);
  if (row) return false;
  const utility = generateDemoUtility(size);
  await storeCustomerData(db, utility.objects, utility.numbers);
  return true;
}
