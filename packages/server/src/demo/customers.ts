/**
 * The demo utility's customers: fictional sandbox test accounts, seeded into
 * the `customers` table with the demo data. Their passwords are published in
 * the server README, so they protect nothing; the argon2id hashes are written
 * out here so seeding costs no hashing at startup. A data directory seeded
 * before argon2id keeps its scrypt hashes until each demo customer next signs
 * in (customers/store.ts rehashes them then).
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
    passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$fe1DL0eyS0AGl+lXgdv7Yg$8+kljw1dy4VL4/OZhIQp9Y7pP3IYak4ZjIHtakEVW5k",
  },
  {
    accountId: "dge-customer-1002",
    username: "sam.demo",
    displayName: "Sam Demo",
    email: "sam.demo@example.org",
    passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$xBlGo3qhgaqqde52HpbdhQ$GvteXgXbV/5q2Fxurjr0nNPQLk2OtZHpG2/59emuaZk",
  },
] as const;

/** Leaves a demo customer the operator changed as it is. */
export async function seedDemoCustomers(db: Db): Promise<void> {
  await db.insert(customers).values([...demoCustomers]).onConflictDoNothing();
  // Data directories from before customers had an email address (receipts, CDS-WG3-01 §9.4).
  for (const c of demoCustomers) await db.update(customers).set({ email: c.email }).where(and(eq(customers.accountId, c.accountId), isNull(customers.email)));
}
