/**
 * The demo utility's Customers: fictional sandbox test accounts for the
 * authorization-code login page. They are defined in code, identical in every
 * instance and read-only, so logging in needs no process state and no table.
 * Their passwords are published in the server README: they protect nothing.
 * Only scrypt hashes are kept here, so the login path is the one a real
 * customer store would use.
 */
import { scrypt, timingSafeEqual, type BinaryLike, type ScryptOptions } from "node:crypto";

export interface DemoCustomer {
  /** The account id: the `sub` of tokens issued for this customer. */
  accountId: string;
  username: string;
  displayName: string;
  /** scrypt(password, salt), both base64url. */
  password: { salt: string; hash: string };
}

/** scrypt's cost settings (Node's defaults, written out so stored hashes stay valid if they change). */
const SCRYPT: ScryptOptions = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 32;

/** Passwords, for the README: alex.demo / sandbox-alex-2024, sam.demo / sandbox-sam-2024. */
export const demoCustomers: readonly DemoCustomer[] = [
  {
    accountId: "dge-customer-1001",
    username: "alex.demo",
    displayName: "Alex Demo",
    password: { salt: "nKssDSbK8BtVI-Alp_1XdA", hash: "dHnHBSxRct0EBLAjABnFkGSQ-vTxksvsiM0QWyVVd7k" },
  },
  {
    accountId: "dge-customer-1002",
    username: "sam.demo",
    displayName: "Sam Demo",
    password: { salt: "16kYsyu15aFFvAa3gT-YIg", hash: "5u11IZbeC7VHJVAO6GKlvhik2COlI97MGcqGYU6nJjs" },
  },
];

export function findCustomerByAccountId(accountId: string): DemoCustomer | undefined {
  return demoCustomers.find((c) => c.accountId === accountId);
}

/**
 * The customer whose username and password these are, or null. An unknown
 * username costs one scrypt too, so response times do not tell which
 * usernames exist.
 */
export async function authenticateCustomer(username: string, password: string): Promise<DemoCustomer | null> {
  const customer = demoCustomers.find((c) => c.username === username);
  const stored = customer?.password ?? UNKNOWN_USER_PASSWORD;
  const expected = Buffer.from(stored.hash, "base64url");
  const actual = await scryptAsync(password, Buffer.from(stored.salt, "base64url"));
  const matches = actual.length === expected.length && timingSafeEqual(actual, expected);
  return customer && matches ? customer : null;
}

/** Compared against when the username is unknown; no password hashes to it. */
const UNKNOWN_USER_PASSWORD = { salt: "AAAAAAAAAAAAAAAAAAAAAA", hash: "A".repeat(43) };

function scryptAsync(password: BinaryLike, salt: BinaryLike): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, KEY_LENGTH, SCRYPT, (err, key) => (err ? reject(err) : resolve(key))));
}
