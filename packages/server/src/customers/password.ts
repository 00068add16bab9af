/**
 * Customer password hashing with argon2id (`@node-rs/argon2`). A hash is
 * stored as one self-describing PHC string,
 * `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<key>` (salt and key in unpadded
 * base64), so verification reads the cost from the hash itself.
 *
 * Cost: OWASP's Password Storage Cheat Sheet lists argon2id with m = 19 MiB,
 * t = 2, p = 1 as its first configuration, of the same defensive strength as
 * its scrypt one (N = 2^17, r = 8, p = 1), which this server used before. On
 * a small machine one check takes tens of milliseconds instead of about a
 * second and a half, which is what keeps other customers' logins fast while
 * one address guesses (issue 18, defect 3).
 *
 * Hashes from before (`$scrypt$ln=17,r=8,p=1$...`) still verify; `needsRehash`
 * tells the login to store a fresh argon2id hash once the password is known
 * to be right (customers/store.ts).
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { hash, verify, type Algorithm, type Options } from "@node-rs/argon2";

/** `Algorithm.Argon2id`: the library's enum is a `const enum`, which `verbatimModuleSyntax` cannot import as a value. */
const ARGON2ID_ALGORITHM = 2 as Algorithm;

const CURRENT: Readonly<Options> = { algorithm: ARGON2ID_ALGORITHM, memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 };
/** What every hash at the current cost begins with; anything else is rehashed after a successful login. */
const CURRENT_PREFIX = `$argon2id$v=19$m=${CURRENT.memoryCost},t=${CURRENT.timeCost},p=${CURRENT.parallelism}$`;
const SALT_BYTES = 16;

/**
 * Bounds on costs read back from the database: a damaged or hostile row must
 * not make one login allocate gigabytes or spin for minutes.
 */
const MAX_ARGON2_MEMORY_KIB = 256 * 1024;
const MAX_ARGON2_TIME = 10;
const MAX_ARGON2_LANES = 16;

export async function hashPassword(password: string): Promise<string> {
  return hash(normalized(password), { ...CURRENT, salt: randomBytes(SALT_BYTES) });
}

/**
 * Whether `password` is the one `stored` was made from; the library and the
 * scrypt path both compare the derived keys in constant time. A `stored` that
 * is not a hash of ours never matches.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (isBoundedArgon2id(stored)) {
    try {
      return await verify(stored, normalized(password));
    } catch {
      // A string the library cannot read (bad base64, wrong lengths): not a hash of ours.
      return false;
    }
  }
  const legacy = parseScrypt(stored);
  if (legacy) return verifyScrypt(password, legacy);
  // As costly as a real check, so a bad row does not stand out by timing.
  await burnOneHash(password);
  return false;
}

/** Whether a hash that just verified should be replaced by one at the current cost. */
export function needsRehash(stored: string): boolean {
  return !stored.startsWith(CURRENT_PREFIX);
}

/**
 * One hash at the current cost, whose result is thrown away: what a login
 * for an unknown username does, so response times do not tell which
 * usernames exist.
 */
export async function burnOneHash(password: string): Promise<void> {
  await hash(normalized(password), { ...CURRENT, salt: Buffer.alloc(SALT_BYTES) });
}

/** NFKC (NIST SP 800-63B §5.1.1.2): the same password typed on another keyboard hashes the same. */
function normalized(password: string): Buffer {
  return Buffer.from(password.normalize("NFKC"), "utf8");
}

const ARGON2ID = /^\$argon2id\$v=19\$m=(\d{1,7}),t=(\d{1,2}),p=(\d{1,2})\$[A-Za-z0-9+/]{11,}\$[A-Za-z0-9+/]{22,}$/;

function isBoundedArgon2id(stored: string): boolean {
  const match = ARGON2ID.exec(stored);
  if (!match) return false;
  const [m, t, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return m >= 8 * p && m <= MAX_ARGON2_MEMORY_KIB && t >= 1 && t <= MAX_ARGON2_TIME && p >= 1 && p <= MAX_ARGON2_LANES;
}

// The scrypt hashes stored before argon2id: verified only, never made any more.

interface ScryptCost {
  /** log2 of N, the CPU/memory cost. */
  ln: number;
  r: number;
  p: number;
}

const MAX_SCRYPT_LN = 20;
const MAX_SCRYPT_R = 32;
const MAX_SCRYPT_P = 16;
const MAX_SCRYPT_MEMORY = 1024 * 1024 * 1024;

const SCRYPT = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{22,})\$([A-Za-z0-9+/]{43,})$/;

function parseScrypt(stored: string): { cost: ScryptCost; salt: Buffer; key: Buffer } | null {
  const match = SCRYPT.exec(stored);
  if (!match) return null;
  const [ln, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (ln < 1 || ln > MAX_SCRYPT_LN || r < 1 || r > MAX_SCRYPT_R || p < 1 || p > MAX_SCRYPT_P || scryptMemory({ ln, r, p }) > MAX_SCRYPT_MEMORY) return null;
  return { cost: { ln, r, p }, salt: Buffer.from(match[4]!, "base64"), key: Buffer.from(match[5]!, "base64") };
}

/** What OpenSSL's scrypt allocates (its `maxmem` check): 128·r·(N + 2) plus 128·r·p. */
function scryptMemory({ ln, r, p }: ScryptCost): number {
  return 128 * r * (2 ** ln + 2) + 128 * r * p;
}

async function verifyScrypt(password: string, { cost, salt, key }: { cost: ScryptCost; salt: Buffer; key: Buffer }): Promise<boolean> {
  // Node's default maxmem (32 MiB) is below the cost used; allow exactly what this cost needs.
  const options: ScryptOptions = { N: 2 ** cost.ln, r: cost.r, p: cost.p, maxmem: scryptMemory(cost) + 1024 * 1024 };
  const actual = await new Promise<Buffer>((resolve, reject) => scrypt(normalized(password), salt, key.length, options, (err, derived) => (err ? reject(err) : resolve(derived))));
  return timingSafeEqual(actual, key);
}
