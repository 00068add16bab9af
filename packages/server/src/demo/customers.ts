/**
 * The demo utility's customers: fictional sandbox test accounts, seeded into
 * the `customers` table with the demo data. Their passwords are published in
 * the server README, so they protect nothing; the hashes are written out here
 * so seeding costs no scrypt at startup.
 */
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/index.js";
import { customers } from "../db/schema.js";

/** Passwords, for the README: alex.demo / sandbox-alex-2024, sam.demo / sandbox-sam-2024. */
export const demoCustomers = [
  {
    accountId: "dge-customer-1001",
    username: "alex.demo",
    displayName: "Alex Demo",
    email: "alex.demo@example.org",
    passwordHash: "$scrypt$ln=17,r=8,p=1$RlcI5+y8VOAb6Ef1byQM+A$MiUDYS3QIba5RJnCAtQkJpcpFPE3R7FpcQFtkhsdSzA",
  },
  {
    accountId: "dge-customer-1002",
    username: "sam.demo",
    displayName: "Sam Demo",
    email: "sam.demo@example.org",
    passwordHash: "$scrypt$ln=17,r=8,p=1$lSDlqbSpcJMrFmLmgXFBRQ$iwsBzUHVyye0Pg8cCj3bT2SyFfmZmog+4TiY+DbxvJM",
  },
] as const;

/** Leaves a demo customer the operator changed as it is. */
export async function seedDemoCustomers(db: Db): Promise<void> {
  await db.insert(customers).values([...demoCustomers]).onConflictDoNothing();
  // Data directories from before customers had an email address (receipts, CDS-WG3-01 §9.4).
  for (const c of demoCustomers) await db.update(customers).set({ email: c.email }).where(and(eq(customers.accountId, c.accountId), isNull(customers.email)));
}
