/**
 * CDS-WG1-02 §5 Client Objects: stored as `oauth_clients` rows (RFC 7591
 * metadata in `metadata`, the Server-set fields in columns), shown in the
 * contract's `Client` shape, and only ever to their own registration.
 */
import type { Client, CustomerDataClient } from "@cds-toolkit/types";
import { and, eq, inArray, type SQL } from "drizzle-orm";
import type { Db } from "../db/index.js";
import { oauthClients } from "../db/schema.js";
import type { Cursor } from "../server-metadata/cursor.js";
import { clientMetadataUrls, clientObjectUrl, type PublicUrls } from "../urls.js";
import { keysetPage, type KeysetPage } from "./keyset-page.js";

export type ClientRow = typeof oauthClients.$inferSelect;
export type ClientMetadataJson = ClientRow["metadata"];

/** Optional RFC 7591 fields shown only when set. */
const optionalFields = ["client_uri", "logo_uri", "tos_uri", "policy_uri", "jwks_uri", "jwks", "software_id", "software_version"] as const;

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

export const clientUri = clientObjectUrl;

export function toClient(row: ClientRow, urls: PublicUrls): CustomerDataClient {
  const m = row.metadata as Record<string, unknown>;
  const responseTypes = (m.response_types as string[] | undefined) ?? [];
  const client: Client = {
    client_id: row.clientId,
    client_id_issued_at: seconds(row.createdAt),
    scope: (m.scope as string | undefined) ?? "",
    redirect_uris: (m.redirect_uris as string[] | undefined) ?? [],
    token_endpoint_auth_method: (m.token_endpoint_auth_method as string | null | undefined) ?? null,
    grant_types: (m.grant_types as string[] | undefined) ?? [],
    response_types: responseTypes,
    client_name: (m.client_name as string | undefined) ?? row.clientId,
    contacts: (m.contacts as string[] | undefined) ?? [],
    authorization_details_types: (m.authorization_details_types as string[] | undefined) ?? [],
    cds_created: row.createdAt.toISOString(),
    cds_modified: row.modifiedAt.toISOString(),
    cds_client_uri: clientUri(urls, row.clientId),
    cds_status: row.status,
    cds_status_options: row.statusOptions,
    // Its own documents, not the public ones: they list only the scopes this Client Object holds (§5.1).
    cds_server_metadata: clientMetadataUrls(urls, row.clientId).serverMetadata,
  };
  for (const field of optionalFields) {
    if (m[field] !== undefined && m[field] !== null) (client as unknown as Record<string, unknown>)[field] = m[field];
  }
  if (responseTypes.length) {
    client.cds_default_scope = (m.cds_default_scope as string | undefined) ?? client.scope;
    client.cds_default_redirect_uri = (m.cds_default_redirect_uri as string | undefined) ?? client.redirect_uris[0]!;
    client.cds_default_authorization_details = (m.cds_default_authorization_details as Client["cds_default_authorization_details"]) ?? [];
    // CDS-WG3-01 §8.1.
    if (m.cds_purposes) (client as CustomerDataClient).cds_purposes = m.cds_purposes as CustomerDataClient["cds_purposes"];
  }
  return client;
}

/** The Client Object, if it belongs to the registration; otherwise null (callers answer 404, never 403). */
export async function findClientRow(db: Db, registrationId: string, clientId: string): Promise<ClientRow | null> {
  const [row] = await db
    .select()
    .from(oauthClients)
    .where(and(eq(oauthClients.registrationId, registrationId), eq(oauthClients.clientId, clientId)));
  return row ?? null;
}

/**
 * `findClientRow` inside a transaction, with the row locked until it ends:
 * whoever changes a Client Object (a PUT, an approved review) reads it this
 * way, so neither overwrites the other's change with a stale copy.
 */
export async function lockClientRow(tx: Db, registrationId: string, clientId: string): Promise<ClientRow | null> {
  const [row] = await tx
    .select()
    .from(oauthClients)
    .where(and(eq(oauthClients.registrationId, registrationId), eq(oauthClients.clientId, clientId)))
    .for("update");
  return row ?? null;
}

export interface ClientListQuery {
  registrationId: string;
  clientIds?: readonly string[];
  pageSize: number;
  cursor?: Cursor;
}

export async function listClientRows(db: Db, q: ClientListQuery): Promise<KeysetPage<ClientRow>> {
  const t = oauthClients;
  const filter: SQL | undefined = and(eq(t.registrationId, q.registrationId), q.clientIds ? inArray(t.clientId, [...q.clientIds]) : undefined);
  return keysetPage<ClientRow>({
    columns: { modified: t.modifiedAt, id: t.clientId },
    filter,
    pageSize: q.pageSize,
    cursor: q.cursor,
    select: (where, orderBy, limit) =>
      db
        .select()
        .from(t)
        .where(where)
        .orderBy(...orderBy)
        .limit(limit),
    positionOf: (row) => ({ modified: row.modifiedAt, id: row.clientId }),
  });
}
