/**
 * Customer password hashing with scrypt (node:crypto). A hash is stored as
 * one self-describing string, `$scrypt$ln=17,r=8,p=1$<salt>$<key>` (the PHC
 * string format; salt and key in unpadded base64), so verification reads the
 * cost from the hash itself: raising the cost later leaves existing hashes
 * valid.
 *
 * Cost: OWASP's Password Storage Cheat Sheet asks for scrypt with N = 2^17,
 * r = 8, p = 1 (128 MiB, about half a second on one core of a small
 * machine) as its first configuration; this is that one.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

interface ScryptCost {
  /** log2 of N, the CPU/memory cost. */
  ln: number;
  r: number;
  p: number;
}

const CURRENT: ScryptCost = { ln: 17, r: 8, p: 1 };
const SALT_BYTES = 16;
const KEY_BYTES = 32;

/**
 * Bounds on costs read back from the database: a damaged or hostile row must
 * not make one login allocate gigabytes.
 */
const MAX_LN = 20;
const MAX_R = 32;
const MAX_P = 16;
const MAX_MEMORY = 1024 * 1024 * 1024;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, CURRENT, KEY_BYTES);
  return format(CURRENT, salt, key);
}

/**
 * Whether `password` is the one `stored` was made from, compared in constant
 * time. A `stored` that is not a hash of ours never matches.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) {
    // As costly as a real check, so a bad row does not stand out by timing.
    await burnOneHash(password);
    return false;
  }
  const actual = await derive(password, parsed.salt, parsed.cost, parsed.key.length);
  return timingSafeEqual(actual, parsed.key);
}

/**
 * One scrypt at the current cost, whose result is thrown away: what a login
 * for an unknown username does, so response times do not tell which
 * usernames exist.
 */
export async function burnOneHash(password: string): Promise<void> {
  await derive(password, Buffer.alloc(SALT_BYTES), CURRENT, KEY_BYTES);
}

function format(cost: ScryptCost, salt: Buffer, key: Buffer): string {
  const b64 = (bytes: Buffer) => bytes.toString("base64").replace(/=+$/, "");
  return `$scrypt$ln=${cost.ln},r=${cost.r},p=${cost.p}$${b64(salt)}$${b64(key)}`;
}

const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{22,})\$([A-Za-z0-9+/]{43,})$/;

function parse(stored: string): { cost: ScryptCost; salt: Buffer; key: Buffer } | null {
  const match = PHC.exec(stored);
  if (!match) return null;
  const [ln, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (ln < 1 || ln > MAX_LN || r < 1 || r > MAX_R || p < 1 || p > MAX_P || memoryOf({ ln, r, p }) > MAX_MEMORY) return null;
  return { cost: { ln, r, p }, salt: Buffer.from(match[4]!, "base64"), key: Buffer.from(match[5]!, "base64") };
}

/** What OpenSSL's scrypt allocates (its `maxmem` check): 128·r·(N + 2) plus 128·r·p. */
function memoryOf({ ln, r, p }: ScryptCost): number {
  return 128 * r * (2 ** ln + 2) + 128 * r * p;
}

function derive(password: string, salt: Buffer, cost: ScryptCost, length: number): Promise<Buffer> {
  // NFKC (NIST SP 800-63B §5.1.1.2): the same password typed on another keyboard hashes the same.
  // Node's default maxmem (32 MiB) is below OWASP's cost; allow exactly what this cost needs.
  const options: ScryptOptions = { N: 2 ** cost.ln, r: cost.r, p: cost.p, maxmem: memoryOf(cost) + 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(password.normalize("NFKC"), salt, length, options, (err, key) => (err ? reject(err) : resolve(key))));
}
