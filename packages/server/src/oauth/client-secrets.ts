/**
 * Client secrets: generated with 256 bits of randomness, stored only as
 * SHA-256 hashes, compared in constant time. A client may hold several
 * (CDS-WG1-02 §7 Credentials); any unexpired one authenticates it.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { and, eq, gt, inArray, isNull, or } from "drizzle-orm";
import type { Db } from "../db/index.js";
import { clientSecrets, oidcArtifacts } from "../db/schema.js";

export function generateClientSecret(): string {
  return randomBytes(32).toString("base64url");
}

export function hashClientSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("base64url");
}

export async function addClientSecret(db: Db, clientId: string, secret: string, expiresAt: Date | null = null): Promise<string> {
  const id = randomUUID();
  await db.insert(clientSecrets).values({ id, clientId, secretSha256: hashClientSecret(secret), expiresAt });
  return id;
}

/**
 * Makes `secret` the client's only one (the demo clients' configured secret),
 * in one transaction. The tokens the replaced secrets obtained go with them:
 * left behind, they were rows naming a Credential that no longer exists
 * (found by issue 16's crash test).
 */
export async function replaceClientSecrets(db: Db, clientId: string, secret: string): Promise<string> {
  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const replaced = (await t.select({ id: clientSecrets.id }).from(clientSecrets).where(eq(clientSecrets.clientId, clientId))).map((r) => r.id);
    if (replaced.length) await t.delete(oidcArtifacts).where(inArray(oidcArtifacts.credentialId, replaced));
    await t.delete(clientSecrets).where(eq(clientSecrets.clientId, clientId));
    return addClientSecret(t, clientId, secret);
  });
}

/** The id of the unexpired secret of `clientId` that equals `presented`, or null. */
export async function matchClientSecret(db: Db, clientId: string, presented: string): Promise<string | null> {
  return (await findClientSecret(db, clientId, presented))?.id ?? null;
}

/** The unexpired secret of `clientId` that equals `presented` (its id and expiry), or null. */
export async function findClientSecret(db: Db, clientId: string, presented: string): Promise<{ id: string; expiresAt: Date | null } | null> {
  const candidates = await db
    .select({ id: clientSecrets.id, hash: clientSecrets.secretSha256, expiresAt: clientSecrets.expiresAt })
    .from(clientSecrets)
    .where(and(eq(clientSecrets.clientId, clientId), or(isNull(clientSecrets.expiresAt), gt(clientSecrets.expiresAt, new Date()))));
  const presentedHash = Buffer.from(hashClientSecret(presented));
  let matched: { id: string; expiresAt: Date | null } | null = null;
  // Compare against every candidate, so timing reveals neither which one matched nor how many there are.
  for (const c of candidates) {
    const stored = Buffer.from(c.hash);
    if (stored.length === presentedHash.length && timingSafeEqual(stored, presentedHash)) matched = { id: c.id, expiresAt: c.expiresAt };
  }
  return matched;
}
