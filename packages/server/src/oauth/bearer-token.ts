/**
 * The one place a Bearer access token (RFC 6750 §2.1) is read off a request
 * and looked up: the CDS-WG1-02 management and Grant data APIs
 * (http/bearer-auth.ts) and the CDS-WG3-01 Customer Data APIs
 * (customer-data/access.ts) both call it, so expiry, revocation, the
 * adapter's Credential checks and a disabled Client Object end access the
 * same way everywhere.
 *
 * Two kinds of token exist: `ClientCredentials` (RFC 6749 §4.4, Direct
 * Access and admin scopes) and `AccessToken` (issued through the
 * authorization-code flow, RFC 6749 §4.1: a customer's consent, CDS-WG3-01
 * §6.1). A caller names the kinds it accepts.
 *
 * A token found valid is kept in memory (`BearerTokenCache`) until it
 * expires, so an authorized request costs no database query for its token
 * (on PostgreSQL, one shared round trip that waits for announcements in
 * transit, see db/change-feed.ts). Every change that can end its access is announced by the database
 * (migration 0009, db/change-feed.ts) and drops the entry before the next
 * request: the token row updated or deleted (revocation, a Grant closed or
 * revoked from its receipt, a Credential expired or a Client Object disabled
 * all delete tokens), its Client Object or Credential changed. The cache
 * holds nothing while the announcements cannot be trusted (PostgreSQL
 * listener connection down), and never holds a token bound to a login
 * session (oidc-provider's `expiresWithSession`), whose life depends on a
 * row the announcements do not cover.
 */
import { createHash } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { and, eq } from "drizzle-orm";
import type Provider from "oidc-provider";
import type { ChangeFeed } from "../db/change-feed.js";
import type { Db } from "../db/index.js";
import { clientSecrets, oauthClients, oidcArtifacts } from "../db/schema.js";
import { problem, PROBLEM_CONTENT_TYPE } from "../http/problem.js";
import { requestSync } from "../http/request-sync.js";

export type BearerTokenKind = "ClientCredentials" | "AccessToken";

export interface BearerToken {
  /** The token as sent; never logged. */
  value: string;
  kind: BearerTokenKind;
  clientId: string;
  scopes: string[];
  /** The customer who authorized it (AccessToken only). */
  accountId: string | null;
  /** oidc-provider's grant the token belongs to (AccessToken only; the CDS Grant records it as `oidc_grant_id`). */
  oidcGrantId: string | null;
  /** RFC 9396 authorization details the token carries. */
  rar: unknown[];
  /** The Credential that obtained it (CDS-WG1-02 §7), when one did: what per-Credential rate limits count. */
  credentialId: string | null;
  client: { registrationId: string | null; scopes: string[] };
}

/** What a lookup needs: the provider (token formats and checks), the database, and this instance's cache. */
export interface BearerLookup {
  provider: Provider;
  db: Db;
  cache: BearerTokenCache;
}

interface CachedToken {
  token: BearerToken;
  /** oidc-provider's `exp` (seconds): valid while the current second is before it. */
  exp: number;
  /** The Credential's expiry (ms), checked on every hit: expiry by the clock changes no row. */
  credentialExpiresAt: number | null;
  /** The change notices (db/change-feed.ts) that end this entry. */
  notices: string[];
}

/**
 * Valid bearer tokens of one server instance, by value, until they expire or
 * a change notice names them. A lookup that overlaps any notice is not
 * stored (its reads may predate the change), so a stale entry can only exist
 * between a commit and its notice's delivery.
 */
export class BearerTokenCache {
  readonly #entries = new Map<string, CachedToken>();
  /** Notice → the token values it ends. */
  readonly #byNotice = new Map<string, Set<string>>();
  readonly #changes: ChangeFeed | null;
  readonly #maxEntries: number;
  /** The feed this cache listens to, for a request's shared sync (http/request-sync.ts). */
  get changes(): ChangeFeed | null {
    return this.#changes;
  }
  readonly #unsubscribe: () => void;
  /** Bumped by every notice: a lookup started under an older generation is not stored. */
  #generation = 0;

  /** `changes` null: cache nothing (every request looks its token up). */
  constructor(changes: ChangeFeed | null, maxEntries = 100_000) {
    this.#changes = changes;
    this.#maxEntries = maxEntries;
    this.#unsubscribe = changes ? changes.subscribe((notice) => this.#onNotice(notice)) : () => {};
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Whether a live entry for `value` is held (tests and diagnostics). */
  has(value: string): boolean {
    return this.get(value) !== null;
  }

  get generation(): number {
    return this.#generation;
  }

  /**
   * The live entry for `value`, if one is held, once every change committed
   * before this call has been announced (ChangeFeed.sync: nothing to wait for
   * on PGlite, one shared round trip on PostgreSQL's listening connection).
   * `sync` replaces the feed's own: the request's (http/request-sync.ts).
   */
  async find(value: string, sync?: () => Promise<boolean>): Promise<BearerToken | null> {
    if (!this.#entries.has(value) || !this.#changes) return null;
    if (!(await (sync ? sync() : this.#changes.sync()))) return null;
    return this.get(value);
  }

  /** The entry for `value` as held now, without waiting for announcements in transit. */
  get(value: string, now = Date.now()): BearerToken | null {
    const entry = this.#entries.get(value);
    if (!entry) return null;
    if (!this.#changes?.live || Math.floor(now / 1000) >= entry.exp || (entry.credentialExpiresAt !== null && entry.credentialExpiresAt <= now)) {
      this.#drop(value);
      return null;
    }
    return entry.token;
  }

  /** Stores a token found valid by a lookup that began at `generation`, unless a notice came since. */
  set(token: BearerToken, entry: Omit<CachedToken, "token" | "notices">, generation: number): void {
    if (generation !== this.#generation || !this.#changes?.live) return;
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#drop(oldest.value);
    }
    const notices = [`a:${createHash("md5").update(token.value).digest("hex")}`, `c:${token.clientId}`];
    if (token.credentialId) notices.push(`k:${token.credentialId}`);
    this.#entries.set(token.value, { ...entry, token, notices });
    for (const notice of notices) {
      let values = this.#byNotice.get(notice);
      if (!values) this.#byNotice.set(notice, (values = new Set()));
      values.add(token.value);
    }
  }

  /** Stops listening (the server is closing). */
  close(): void {
    this.#unsubscribe();
    this.#clear();
  }

  #onNotice(notice: string): void {
    this.#generation++;
    if (notice === "*") return this.#clear();
    const values = this.#byNotice.get(notice);
    if (values) for (const value of [...values]) this.#drop(value);
  }

  #drop(value: string): void {
    const entry = this.#entries.get(value);
    if (!entry) return;
    this.#entries.delete(value);
    for (const notice of entry.notices) {
      const values = this.#byNotice.get(notice);
      values?.delete(value);
      if (values?.size === 0) this.#byNotice.delete(notice);
    }
  }

  #clear(): void {
    this.#entries.clear();
    this.#byNotice.clear();
  }
}

/** RFC 6750 §3: the challenge, with an error code when a token was sent. */
export function bearerChallenge(reply: FastifyReply, status: 401 | 403, error: string | null, detail: string) {
  const header = error ? `Bearer error="${error}", error_description="${detail}"` : "Bearer";
  return reply
    .code(status)
    .header("www-authenticate", header)
    .header("cache-control", "no-store")
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(problem(status, detail)));
}

/**
 * The live token of one of `kinds` in the Authorization header, with its
 * enabled Client Object; null after answering 401. `needed` completes the
 * sentence "A Bearer access token … is required." of the bare challenge.
 */
export async function authenticateBearer(lookup: BearerLookup, request: FastifyRequest, reply: FastifyReply, needed: string, kinds: readonly BearerTokenKind[]): Promise<BearerToken | null> {
  const header = request.headers.authorization;
  // RFC 6750 §2.1 token68; the scheme name is case-insensitive (RFC 9110 §11.1).
  const match = header ? /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(header) : null;
  if (!match) {
    await bearerChallenge(reply, 401, header ? "invalid_request" : null, `A Bearer access token ${needed} is required.`);
    return null;
  }
  const value = match[1]!;
  const cached = await lookup.cache.find(value, requestSync(request, lookup.cache.changes));
  if (cached && kinds.includes(cached.kind)) return cached;
  const token = await findBearerToken(lookup, value, kinds);
  if (!token) {
    await bearerChallenge(reply, 401, "invalid_token", "The access token is not valid.");
    return null;
  }
  return token;
}

/** The database lookup behind the cache: the token through oidc-provider (expiry, the adapter's Credential checks), then its Client Object and Credential in one query. */
async function findBearerToken({ provider, db, cache }: BearerLookup, value: string, kinds: readonly BearerTokenKind[]): Promise<BearerToken | null> {
  const generation = cache.generation;
  let found: { kind: BearerTokenKind; token: InstanceType<Provider["ClientCredentials"]> | InstanceType<Provider["AccessToken"]> } | null = null;
  for (const kind of kinds) {
    const token = kind === "AccessToken" ? await provider.AccessToken.find(value) : await provider.ClientCredentials.find(value);
    if (token) {
      found = { kind, token };
      break;
    }
  }
  if (!found || found.token.isExpired || !found.token.clientId) return null;
  const { kind, token } = found;
  const [row] = await db
    .select({
      registrationId: oauthClients.registrationId,
      metadata: oauthClients.metadata,
      status: oauthClients.status,
      credentialId: oidcArtifacts.credentialId,
      credentialExpiresAt: clientSecrets.expiresAt,
    })
    .from(oidcArtifacts)
    .innerJoin(oauthClients, eq(oauthClients.clientId, token.clientId!))
    .leftJoin(clientSecrets, eq(clientSecrets.id, oidcArtifacts.credentialId))
    .where(and(eq(oidcArtifacts.model, kind), eq(oidcArtifacts.id, value)));
  if (!row || row.status === "disabled") return null;
  const access = kind === "AccessToken" ? (token as InstanceType<Provider["AccessToken"]>) : null;
  const bearer: BearerToken = {
    value,
    kind,
    clientId: token.clientId!,
    scopes: String(token.scope ?? "").split(" ").filter(Boolean),
    accountId: access?.accountId ?? null,
    oidcGrantId: access?.grantId ?? null,
    rar: ((token as { rar?: unknown[] }).rar ?? []) as unknown[],
    credentialId: row.credentialId,
    client: { registrationId: row.registrationId, scopes: String(row.metadata.scope ?? "").split(" ") },
  };
  // A token bound to a login session ends with the session, a row no notice covers: looked up every time.
  if (!access?.expiresWithSession && typeof token.exp === "number") {
    cache.set(bearer, { exp: token.exp, credentialExpiresAt: row.credentialExpiresAt?.getTime() ?? null }, generation);
  }
  return bearer;
}
