/**
 * oidc-provider's storage adapter on the server's database: every artifact
 * (tokens, grants, sessions, pushed requests) is a row of `oidc_artifacts`,
 * so every instance sees the same state. Clients are read from
 * `oauth_clients`, which the server owns (CDS registration writes it).
 */
import { and, eq, gt, isNull, ne, or, sql } from "drizzle-orm";
import { sweepExpiredArtifacts, upsertArtifact } from "./artifact-write.js";
import { authorizationDetailsTypes } from "./detail-types.js";
import type { Adapter, AdapterPayload } from "oidc-provider";
import type { Db } from "../db/index.js";
import { clientSecrets, oauthClients, oidcArtifacts } from "../db/schema.js";
import { authenticatingCredential } from "./credential-context.js";
import { codeRedirectUriOmitted } from "./redirect-uri-binding.js";
import { CLIENT_SECRET_PLACEHOLDER } from "./provider-internals.js";
import { clientNotice, clientPayload, type ClientCaches } from "./client-cache.js";

const t = oidcArtifacts;
const notExpired = () => or(isNull(t.expiresAt), gt(t.expiresAt, new Date()));
/**
 * An artifact made with a Credential lives only while that Credential does:
 * unexpired (CDS-WG1-02 §7.6) and of a Client Object that is not disabled
 * (§5.2). Checked on every read, so it holds on every instance at once.
 */
const credentialAlive = () =>
  or(
    isNull(t.credentialId),
    sql`exists (select 1 from ${clientSecrets} join ${oauthClients} on ${oauthClients.clientId} = ${clientSecrets.clientId}
      where ${clientSecrets.id} = ${t.credentialId}
      and (${clientSecrets.expiresAt} is null or ${clientSecrets.expiresAt} > now())
      and ${oauthClients.status} <> 'disabled')`,
  );

export class ArtifactAdapter implements Adapter {
  private readonly db: Db;
  private readonly model: string;
  constructor(db: Db, model: string) {
    this.db = db;
    this.model = model;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    // RFC 6749 §4.1.3: whether the code's authorization request left redirect_uri out (redirect-uri-binding.ts).
    if (this.model === "AuthorizationCode" && codeRedirectUriOmitted()) payload = { ...payload, redirectUriOmitted: true };
    await upsertArtifact(this.db, {
      model: this.model,
      id,
      payload: payload as Record<string, unknown>,
      grantId: payload.grantId ?? null,
      userCode: payload.userCode ?? null,
      uid: payload.uid ?? null,
      expiresAt: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
      credentialId: authenticatingCredential(),
    });
    // Expired rows are already invisible to find(); a rare sweep keeps the table small without a scheduler.
    if (Math.random() < 0.01) await sweepExpiredArtifacts(this.db, new Date(Date.now() - 3600_000));
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.findWhere(eq(t.id, id));
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.findWhere(eq(t.uid, uid));
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.findWhere(eq(t.userCode, userCode));
  }

  async consume(id: string): Promise<void> {
    await this.db
      .update(t)
      .set({ consumedAt: new Date() })
      .where(and(eq(t.model, this.model), eq(t.id, id)));
  }

  async destroy(id: string): Promise<void> {
    await this.db.delete(t).where(and(eq(t.model, this.model), eq(t.id, id)));
  }

  /** Revoking a grant revokes everything issued under it, whatever the model. */
  async revokeByGrantId(grantId: string): Promise<void> {
    await this.db.delete(t).where(eq(t.grantId, grantId));
  }

  private async findWhere(condition: ReturnType<typeof eq>): Promise<AdapterPayload | undefined> {
    const [row] = await this.db
      .select({ payload: t.payload, consumedAt: t.consumedAt })
      .from(t)
      .where(and(eq(t.model, this.model), condition, notExpired(), credentialAlive()))
      .limit(1);
    if (!row) return undefined;
    return {
      ...(row.payload as AdapterPayload),
      ...(row.consumedAt ? { consumed: Math.floor(row.consumedAt.getTime() / 1000) } : {}),
    };
  }
}

/**
 * Clients for oidc-provider, from `oauth_clients`. Read-only: registration is
 * the server's own endpoint, not oidc-provider's.
 */
export class ClientAdapter implements Adapter {
  private readonly db: Db;
  private readonly caches: ClientCaches | null;
  /** `caches`: Client Objects held in memory until a change is announced (client-cache.ts); null reads every time. */
  constructor(db: Db, caches: ClientCaches | null = null) {
    this.db = db;
    this.caches = caches;
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    if (!this.caches) return this.load(id);
    const hit = await this.caches.clients.find(id, this.caches.sync);
    if (hit !== undefined) return clientPayload(hit);
    const generation = this.caches.clients.generation;
    const payload = await this.load(id);
    if (payload) this.caches.clients.set(id, JSON.stringify(payload), [clientNotice(id)], generation);
    return payload;
  }

  private async load(id: string): Promise<AdapterPayload | undefined> {
    // A disabled Client Object does not exist for the protocol: it cannot authenticate (CDS-WG1-02 §5.2).
    const [row] = await this.db
      .select()
      .from(oauthClients)
      .where(and(eq(oauthClients.clientId, id), ne(oauthClients.status, "disabled")));
    if (!row) return undefined;
    const m = row.metadata;
    // A Client Object without an authentication method has no use at the token endpoint.
    if (m.token_endpoint_auth_method === null) return undefined;
    const needsSecret = String(m.token_endpoint_auth_method ?? "client_secret_basic").startsWith("client_secret");
    // Only what oidc-provider understands: CDS fields (cds_default_*, contacts, ...) stay out of its validation.
    return {
      client_id: row.clientId,
      ...(m.client_name === undefined ? {} : { client_name: m.client_name }),
      grant_types: m.grant_types,
      response_types: m.response_types,
      redirect_uris: m.redirect_uris,
      token_endpoint_auth_method: m.token_endpoint_auth_method,
      scope: m.scope,
      // RAR types oidc-provider is configured with; others (such as a Grant
      // Admin type, whose token rules are not served yet) would make it reject
      // the whole client.
      authorization_details_types: ((m.authorization_details_types as string[] | undefined) ?? []).filter((t) => Object.hasOwn(authorizationDetailsTypes, t)),
      ...(needsSecret ? { client_secret: CLIENT_SECRET_PLACEHOLDER } : {}),
    } as AdapterPayload;
  }

  async upsert(): Promise<void> {
    throw new Error("clients are managed by the server, not by oidc-provider");
  }
  async findByUid(): Promise<undefined> {
    return undefined;
  }
  async findByUserCode(): Promise<undefined> {
    return undefined;
  }
  async consume(): Promise<void> {}
  async destroy(): Promise<void> {
    throw new Error("clients are managed by the server, not by oidc-provider");
  }
  async revokeByGrantId(): Promise<void> {}
}

export function adapterFactory(db: Db, clientCaches: ClientCaches | null = null): (model: string) => Adapter {
  return (model) => (model === "Client" ? new ClientAdapter(db, clientCaches) : new ArtifactAdapter(db, model));
}
