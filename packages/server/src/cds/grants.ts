/**
 * CDS-WG1-02 §8 Grants: stored in `grants`, shown in the contract's `Grant`
 * shape, visible only to the registration of their Client Object.
 *
 * Grants are made by the Server (authorization, or arbitrarily, §3.3.2); the
 * Client may only close them or reduce what they cover (§8.6).
 */
import { isDeepStrictEqual } from "node:util";
import type { AuthorizationDetail, Grant, GrantModificationRequest, GrantStatus } from "@cds-toolkit/types";
import { and, eq, getTableColumns, gte, inArray, lte, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/index.js";
import { grants, oauthClients, oidcArtifacts } from "../db/schema.js";
import { fieldError } from "../http/request-body.js";
import type { Cursor } from "../server-metadata/cursor.js";
import type { PublicUrls } from "../urls.js";
import { keysetPage, type KeysetPage } from "./keyset-page.js";

export type GrantRow = typeof grants.$inferSelect & { children: string[] };

export function grantUri(urls: PublicUrls, grantId: string): string {
  return `${urls.grantsApi}/${encodeURIComponent(grantId)}`;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toGrant(row: GrantRow, urls: PublicUrls): Grant {
  return {
    grant_id: row.id,
    uri: grantUri(urls, row.id),
    replacing: row.replacing.map((id) => grantUri(urls, id)),
    replaced_by: row.replacedBy.map((id) => grantUri(urls, id)),
    parent: row.parent,
    children: row.children,
    created: row.createdAt.toISOString(),
    modified: row.modifiedAt.toISOString(),
    not_before: iso(row.notBefore),
    not_after: iso(row.notAfter),
    eta: iso(row.eta),
    expires: iso(row.expires),
    status: row.status,
    client_id: row.clientId,
    scope: row.scope,
    authorization_details: row.authorizationDetails,
    receipt_confirmations: row.receiptConfirmations,
    enabled_scope: row.enabledScope,
    enabled_authorization_details: row.enabledAuthorizationDetails,
  };
}

const child = sql`coalesce((select array_agg(c.id order by c.id) from ${grants} c where c.parent = ${grants.id}), '{}')`;

function selectGrants(db: Db) {
  return db
    .select({ ...getTableColumns(grants), children: sql<string[]>`${child}`.as("children") })
    .from(grants)
    .innerJoin(oauthClients, eq(oauthClients.clientId, grants.clientId));
}

export async function findGrantRow(db: Db, registrationId: string, grantId: string): Promise<GrantRow | null> {
  const [row] = await selectGrants(db).where(and(eq(oauthClients.registrationId, registrationId), eq(grants.id, grantId)));
  return row ?? null;
}

/** Deletes an oidc-provider grant and every token issued under it. */
export async function deleteOidcGrant(db: Db, oidcGrantId: string): Promise<void> {
  await db.delete(oidcArtifacts).where(or(eq(oidcArtifacts.grantId, oidcGrantId), and(eq(oidcArtifacts.model, "Grant"), eq(oidcArtifacts.id, oidcGrantId))));
}

/** Any Grant, whoever's: for the Server's own tools (operator.ts), never for a Client's request. */
export async function findGrantRowById(db: Db, grantId: string): Promise<GrantRow | null> {
  const [row] = await selectGrants(db).where(eq(grants.id, grantId));
  return row ?? null;
}

export interface GrantListQuery {
  registrationId: string;
  grantIds?: readonly string[];
  parents?: readonly string[];
  statuses?: readonly string[];
  clientIds?: readonly string[];
  /** Values in the Grant's `scope`, or `type`s of its `authorization_details` (§8.4). */
  scopes?: readonly string[];
  receiptConfirmations?: readonly string[];
  after?: Date;
  before?: Date;
  pageSize: number;
  cursor?: Cursor;
}

const textArray = (values: readonly string[]) => sql`ARRAY[${sql.join(values.map((v) => sql`${v}`), sql`, `)}]::text[]`;

export async function listGrantRows(db: Db, q: GrantListQuery): Promise<KeysetPage<GrantRow>> {
  const filter = and(
    eq(oauthClients.registrationId, q.registrationId),
    q.grantIds ? inArray(grants.id, [...q.grantIds]) : undefined,
    q.parents ? inArray(grants.parent, [...q.parents]) : undefined,
    q.statuses ? inArray(grants.status, [...q.statuses] as GrantStatus[]) : undefined,
    q.clientIds ? inArray(grants.clientId, [...q.clientIds]) : undefined,
    q.scopes
      ? sql`(string_to_array(${grants.scope}, ' ') && ${textArray(q.scopes)}
          or exists (select 1 from jsonb_array_elements(${grants.authorizationDetails}) d where d->>'type' = any(${textArray(q.scopes)})))`
      : undefined,
    q.receiptConfirmations ? sql`${grants.receiptConfirmations} && ${textArray(q.receiptConfirmations)}` : undefined,
    q.after ? gte(grants.createdAt, q.after) : undefined,
    q.before ? lte(grants.createdAt, q.before) : undefined,
  );
  return keysetPage<GrantRow>({
    columns: { modified: grants.modifiedAt, id: grants.id },
    filter,
    pageSize: q.pageSize,
    cursor: q.cursor,
    select: (where: SQL | undefined, orderBy: SQL[], limit: number) =>
      selectGrants(db)
        .where(where)
        .orderBy(...orderBy)
        .limit(limit),
    positionOf: (row) => ({ modified: row.modifiedAt, id: row.id }),
  });
}

export interface GrantChange {
  status?: GrantStatus;
  scope?: string;
  authorizationDetails?: AuthorizationDetail[];
  enabledScope?: string;
  enabledAuthorizationDetails?: AuthorizationDetail[];
}

/** Statuses in which the Grant gives no access (§8.2): nothing is left to reduce or close. */
const ended: readonly GrantStatus[] = ["disabled", "revoked", "closed", "expired"];

export async function grantClientOf(db: Db, clientId: string): Promise<GrantClient> {
  const [client] = await db.select({ metadata: oauthClients.metadata }).from(oauthClients).where(eq(oauthClients.clientId, clientId));
  const m = (client?.metadata ?? {}) as { response_types?: string[]; scope?: string; authorization_details_types?: string[] };
  return {
    userAuthorizable: (m.response_types ?? []).includes("code"),
    scopes: String(m.scope ?? "").split(" ").filter(Boolean),
    authorizationDetailsTypes: m.authorization_details_types ?? [],
  };
}

/** What the Grant's Client Object may be authorized for, which bounds what a PATCH may add (§8.6). */
export interface GrantClient {
  /** The Client Object uses the authorization endpoint, so a customer can authorize an addition. */
  userAuthorizable: boolean;
  scopes: readonly string[];
  authorizationDetailsTypes: readonly string[];
}

/**
 * §8.6: `status` may only become `closed`. A reduction of `scope` or
 * `authorization_details` applies at once (enabled access shrinks with it).
 * An addition needs a new customer authorization: the Grant becomes
 * `needs_authorization` with its enabled access unchanged, and the Client
 * asks the customer with `cds_grant_id` (§8.3). Only Grants of Client Objects
 * that use the authorization endpoint can be extended, and only within what
 * the Client Object may ask for.
 */
/**
 * The values of a refused scope for an error message: a scope of the Client
 * Object by name, any other value by its position in the list, never
 * echoed (it may be anything, a secret pasted in the wrong field included;
 * found by the contract fuzzer, test/fuzz/).
 */
function nameScopes(values: readonly string[], requested: readonly string[], clientScopes: readonly string[]): string {
  return values.map((v) => (clientScopes.includes(v) ? v : `value ${requested.indexOf(v) + 1} (not a scope of the Client Object, not shown)`)).join(", ");
}

export function planGrantChange(row: GrantRow, body: GrantModificationRequest, client: GrantClient): GrantChange {
  const change: GrantChange = {};
  if (body.status !== undefined && body.status !== row.status) {
    if (body.status !== "closed") throw fieldError("/status", "const", "status may only be set to closed");
    if (ended.includes(row.status)) throw fieldError("/status", "grant-status", `a ${row.status} Grant cannot be closed`);
    Object.assign(change, { status: "closed", enabledScope: "", enabledAuthorizationDetails: [] });
    return change;
  }
  let added = false;
  if (body.scope !== undefined && body.scope !== row.scope) {
    const current = new Set(row.scope.split(" ").filter(Boolean));
    const requested = [...new Set(body.scope.split(" ").filter(Boolean))];
    const extra = requested.filter((s) => !current.has(s));
    if (extra.length && !client.userAuthorizable) {
      throw fieldError("/scope", "scope-reduction", `only a reduction of scope is accepted for this Grant (no customer can authorize more); not in this Grant: ${nameScopes(extra, requested, client.scopes)}`);
    }
    const foreign = extra.filter((s) => !client.scopes.includes(s));
    if (foreign.length) throw fieldError("/scope", "client-scope", `not a scope of the Grant's Client Object: ${nameScopes(foreign, requested, client.scopes)}`);
    added ||= extra.length > 0;
    change.scope = requested.join(" ");
    change.enabledScope = row.enabledScope
      .split(" ")
      .filter((s) => requested.includes(s))
      .join(" ");
  }
  if (body.authorization_details !== undefined && !isDeepStrictEqual(body.authorization_details, row.authorizationDetails)) {
    const kept = body.authorization_details;
    const index = kept.findIndex((d) => !row.authorizationDetails.some((c) => isDeepStrictEqual(c, d)));
    if (index !== -1) {
      if (!client.userAuthorizable) {
        throw fieldError(`/authorization_details/${index}`, "authorization-details-reduction", "only a reduction of authorization_details is accepted for this Grant; this entry is not in it");
      }
      const unknown = kept.findIndex((d) => !client.authorizationDetailsTypes.includes(d.type));
      if (unknown !== -1) throw fieldError(`/authorization_details/${unknown}/type`, "client-authorization-details-type", "not an authorization details type of the Grant's Client Object");
      added = true;
    }
    change.authorizationDetails = kept;
    change.enabledAuthorizationDetails = row.enabledAuthorizationDetails.filter((e) => kept.some((d) => isDeepStrictEqual(d, e)));
  }
  if ((change.scope !== undefined || change.authorizationDetails !== undefined) && ended.includes(row.status)) {
    throw fieldError(change.scope !== undefined ? "/scope" : "/authorization_details", "grant-status", `a ${row.status} Grant cannot change`);
  }
  if (added) change.status = "needs_authorization";
  return change;
}

/**
 * Saves the change. Closing also deletes the tokens of the customer
 * authorization behind the Grant (access and refresh tokens, the
 * oidc-provider grant) in the same transaction: a closed Grant gives no
 * access (§8.2), so nothing may be refreshed from it either.
 */
export async function saveGrantChange(db: Db, row: GrantRow, change: GrantChange): Promise<void> {
  if (Object.keys(change).length === 0) return;
  await db.transaction(async (tx) => {
    await tx
      .update(grants)
      .set({ ...change, modifiedAt: sql`now()` })
      .where(eq(grants.id, row.id));
    if (change.status === "closed" && row.oidcGrantId) {
      await deleteOidcGrant(tx as unknown as Db, row.oidcGrantId);
    }
  });
}
