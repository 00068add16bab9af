/**
 * CDS-WG1-02 §7 Credentials: the `client_secrets` rows. A secret is stored
 * only as a hash, so the real value is shown once, when it is created; every
 * other answer leaves `client_secret` out (spec/ERRATA.md E-WG1-02-20).
 */
import type { Credential } from "@cds-toolkit/types";
import { and, eq, gte, inArray, lte, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/index.js";
import { clientSecrets, oauthClients, oidcArtifacts } from "../db/schema.js";
import { addClientSecret, generateClientSecret } from "../oauth/client-secrets.js";
import type { Cursor } from "../server-metadata/cursor.js";
import type { PublicUrls } from "../urls.js";
import { keysetPage, type KeysetPage } from "./keyset-page.js";

export interface CredentialRow {
  id: string;
  clientId: string;
  createdAt: Date;
  modifiedAt: Date;
  expiresAt: Date | null;
  clientStatus: string;
  clientDisabledAt: Date | null;
}

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

export function credentialUri(urls: PublicUrls, credentialId: string): string {
  return `${urls.credentialsApi}/${encodeURIComponent(credentialId)}`;
}

/** A Credential as the API shows it; `secret` only when it was just created (it is kept as a hash). */
export function toCredential(row: CredentialRow, urls: PublicUrls, secret?: string): Credential {
  // §7.1: a disabled Client Object's Credentials expire when it was disabled.
  const expiresAt = row.clientStatus === "disabled" && row.clientDisabledAt ? row.clientDisabledAt : row.expiresAt;
  return {
    credential_id: row.id,
    uri: credentialUri(urls, row.id),
    client_id: row.clientId,
    created: row.createdAt.toISOString(),
    modified: row.modifiedAt.toISOString(),
    type: "client_secret",
    ...(secret === undefined ? {} : { client_secret: secret }),
    client_secret_expires_at: expiresAt ? seconds(expiresAt) : 0,
  };
}

const columns = {
  id: clientSecrets.id,
  clientId: clientSecrets.clientId,
  createdAt: clientSecrets.createdAt,
  modifiedAt: clientSecrets.modifiedAt,
  expiresAt: clientSecrets.expiresAt,
  clientStatus: oauthClients.status,
  clientDisabledAt: oauthClients.disabledAt,
};

function selectCredentials(db: Db) {
  return db.select(columns).from(clientSecrets).innerJoin(oauthClients, eq(oauthClients.clientId, clientSecrets.clientId));
}

/** The Credential, if its Client Object belongs to the registration; otherwise null (404, never 403). */
export async function findCredentialRow(db: Db, registrationId: string, credentialId: string): Promise<CredentialRow | null> {
  const [row] = await selectCredentials(db).where(and(eq(oauthClients.registrationId, registrationId), eq(clientSecrets.id, credentialId)));
  return row ?? null;
}

export interface CredentialListQuery {
  registrationId: string;
  credentialIds?: readonly string[];
  clientIds?: readonly string[];
  /** Created at or after (§7.3). */
  after?: Date;
  /** Created at or before (§7.3). */
  before?: Date;
  pageSize: number;
  cursor?: Cursor;
}

export async function listCredentialRows(db: Db, q: CredentialListQuery): Promise<KeysetPage<CredentialRow>> {
  const filter = and(
    eq(oauthClients.registrationId, q.registrationId),
    q.credentialIds ? inArray(clientSecrets.id, [...q.credentialIds]) : undefined,
    q.clientIds ? inArray(clientSecrets.clientId, [...q.clientIds]) : undefined,
    q.after ? gte(clientSecrets.createdAt, q.after) : undefined,
    q.before ? lte(clientSecrets.createdAt, q.before) : undefined,
  );
  return keysetPage<CredentialRow>({
    columns: { modified: clientSecrets.modifiedAt, id: clientSecrets.id },
    filter,
    pageSize: q.pageSize,
    cursor: q.cursor,
    select: (where: SQL | undefined, orderBy: SQL[], limit: number) =>
      selectCredentials(db)
        .where(where)
        .orderBy(...orderBy)
        .limit(limit),
    positionOf: (row) => ({ modified: row.modifiedAt, id: row.id }),
  });
}

/** A new Credential with a fresh 256-bit secret; the secret is returned here and never again. */
export async function createCredential(db: Db, clientId: string): Promise<{ id: string; secret: string }> {
  const secret = generateClientSecret();
  const id = await addClientSecret(db, clientId, secret);
  return { id, secret };
}

/**
 * Sets the expiry. An expiry at or before now means the Credential is
 * compromised (§7.6): every token it obtained is deleted in the same
 * transaction, so no instance accepts them afterwards (the adapter also
 * refuses them on read). `alongside` (the changelog Message) joins the transaction.
 */
export async function setCredentialExpiry(db: Db, credentialId: string, expiresAt: Date | null, alongside: (tx: Db) => Promise<void> = async () => {}): Promise<void> {
  await db.transaction(async (tx) => {
    await alongside(tx as unknown as Db);
    await tx.update(clientSecrets).set({ expiresAt, modifiedAt: sql`now()` }).where(eq(clientSecrets.id, credentialId));
    if (expiresAt && expiresAt.getTime() <= Date.now()) {
      await tx.delete(oidcArtifacts).where(eq(oidcArtifacts.credentialId, credentialId));
    }
  });
}
