/**
 * The Grants a test made, told apart from those the demo data seeds
 * (src/demo: the consent Grant `demo-grant-1`, one Direct Access Grant per
 * demo customer, the Server-provided files Grant). The ids come from the
 * demo modules themselves, so a test never spells them out.
 */
import { asc, eq } from "drizzle-orm";
import type { Db } from "../../src/db/index.ts";
import { grants } from "../../src/db/schema.ts";
import { demoApp } from "../../src/demo/demo-app.ts";
import { demoGrant } from "../../src/demo/demo-consent-grant.ts";
import { demoCustomers } from "../../src/demo/customers.ts";
import { demoDirectAccess } from "../../src/demo/demo-direct-access.ts";
import { demoFiles } from "../../src/demo/demo-files.ts";

export type GrantRow = typeof grants.$inferSelect;

/** Every Grant id `seedDemoData` writes. */
export const seededGrantIds: ReadonlySet<string> = new Set([demoGrant.id, demoFiles.grantId, ...demoCustomers.map((c) => demoDirectAccess.grantId(c.accountId))]);

export const isSeededGrant = (grantId: string): boolean => seededGrantIds.has(grantId);

/** The client's Grants made since seeding (by approvals, the Grants API, the test itself), oldest first. */
export async function grantsMadeSinceSeeding(db: Db, clientId: string = demoApp.clientId): Promise<GrantRow[]> {
  const rows = await db.select().from(grants).where(eq(grants.clientId, clientId)).orderBy(asc(grants.createdAt), asc(grants.id));
  return rows.filter((g) => !isSeededGrant(g.id));
}
