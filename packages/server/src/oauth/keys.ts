/**
 * Keys oidc-provider needs (a signing key set, cookie keys), kept in the
 * database: created by the first instance to start, read by every other, so
 * all instances sign and verify alike.
 */
import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { JWK } from "oidc-provider";
import type { Db } from "../db/index.js";
import { serverKeys } from "../db/schema.js";

export interface ProviderKeys {
  jwks: { keys: JWK[] };
  cookieKeys: string[];
}

export async function loadOrCreateKeys(db: Db): Promise<ProviderKeys> {
  const jwks = await loadOrCreate(db, "oidc-jwks", () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    return { keys: [{ ...privateKey.export({ format: "jwk" }), kid: randomUUID(), alg: "RS256", use: "sig" }] };
  });
  const cookieKeys = await loadOrCreate(db, "oidc-cookie-keys", () => [randomBytes(32).toString("base64url"), randomBytes(32).toString("base64url")]);
  return { jwks: jwks as ProviderKeys["jwks"], cookieKeys: cookieKeys as string[] };
}

async function loadOrCreate(db: Db, id: string, create: () => unknown): Promise<unknown> {
  const read = async () => (await db.select().from(serverKeys).where(eq(serverKeys.id, id)))[0]?.value;
  const existing = await read();
  if (existing !== undefined) return existing;
  // Insert-if-absent, then read: when two instances race, both read the winner's value.
  await db.insert(serverKeys).values({ id, value: create() }).onConflictDoNothing();
  return read();
}
