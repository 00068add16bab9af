/**
 * The customers who sign in on the authorization-code login page
 * (`customers` table). Nothing read from here carries the password hash
 * except the one query login needs, so a hash cannot leak into a page, a log
 * line or an operator's answer by accident.
 */
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/index.js";
import { customers } from "../db/schema.js";
import { burnOneHash, hashPassword, needsRehash, verifyPassword } from "./password.js";
import { CustomerInputError, type Customer, type NewCustomer } from "./customer.js";

export { CustomerInputError, type Customer, type NewCustomer };

const USERNAME = /^[a-z0-9._-]{3,64}$/;
const MIN_PASSWORD_LENGTH = 12;
const MAX_TEXT_LENGTH = 200;

const publicColumns = {
  accountId: customers.accountId,
  username: customers.username,
  displayName: customers.displayName,
  created: customers.createdAt,
  modified: customers.modifiedAt,
};

export async function addCustomer(db: Db, input: NewCustomer): Promise<Customer> {
  validate(input);
  const accountId = input.accountId ?? `customer-${randomUUID()}`;
  const [added] = await db
    .insert(customers)
    .values({ accountId, username: input.username, displayName: input.displayName.trim(), passwordHash: await hashPassword(input.password) })
    .onConflictDoNothing()
    .returning(publicColumns);
  if (added) return added;
  // Either unique key may have clashed; say which, without leaking anything else about the existing customer.
  if (await findCustomerByUsername(db, input.username)) throw new CustomerInputError("username", `"${input.username}" is taken`);
  throw new CustomerInputError("accountId", `"${accountId}" is taken`);
}

export async function findCustomerByAccountId(db: Db, accountId: string): Promise<Customer | undefined> {
  const [row] = await db.select(publicColumns).from(customers).where(eq(customers.accountId, accountId));
  return row;
}

async function findCustomerByUsername(db: Db, username: string): Promise<Customer | undefined> {
  const [row] = await db.select(publicColumns).from(customers).where(eq(customers.username, username));
  return row;
}

/**
 * The customer whose username and password these are, or null. An unknown
 * username costs one hash too, so response times do not tell which
 * usernames exist.
 *
 * A right password whose stored hash is not at the current cost (an older
 * scrypt hash, password.ts) is hashed again and stored, in one atomic
 * statement that replaces only the exact hash just checked, so a password
 * changed in the meantime is never overwritten with the old one. The only
 * other write of a login is the interaction result oidc-provider saves
 * through its own adapter afterwards, outside any transaction held here;
 * the new hash is right whether or not that step completes, so the two need
 * none. `modified` stays: the customer changed nothing.
 */
export async function authenticateCustomer(db: Db, username: string, password: string): Promise<Customer | null> {
  const [row] = USERNAME.test(username) ? await db.select({ ...publicColumns, passwordHash: customers.passwordHash }).from(customers).where(eq(customers.username, username)) : [];
  if (!row) {
    await burnOneHash(password);
    return null;
  }
  const { passwordHash, ...customer } = row;
  if (!(await verifyPassword(password, passwordHash))) return null;
  if (needsRehash(passwordHash)) {
    await db
      .update(customers)
      .set({ passwordHash: await hashPassword(password) })
      .where(and(eq(customers.accountId, customer.accountId), eq(customers.passwordHash, passwordHash)));
  }
  return customer;
}

function validate(input: NewCustomer): void {
  if (typeof input.username !== "string" || !USERNAME.test(input.username)) {
    throw new CustomerInputError("username", "must be 3 to 64 characters of a-z, 0-9, '.', '_' and '-'");
  }
  if (typeof input.displayName !== "string" || !input.displayName.trim() || [...input.displayName].length > MAX_TEXT_LENGTH) {
    throw new CustomerInputError("displayName", `must be 1 to ${MAX_TEXT_LENGTH} characters, not only spaces`);
  }
  // Counted in code points, so a password of emoji is as long as it looks.
  if (typeof input.password !== "string" || [...input.password].length < MIN_PASSWORD_LENGTH) {
    throw new CustomerInputError("password", `must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (input.accountId !== undefined && (typeof input.accountId !== "string" || !input.accountId.trim() || input.accountId.length > MAX_TEXT_LENGTH)) {
    throw new CustomerInputError("accountId", `must be 1 to ${MAX_TEXT_LENGTH} characters, not only spaces`);
  }
}
