/**
 * oidc-provider's storage adapter on the server's database: every artifact
 * (tokens, grants, sessions, pushed requests) is a row of `oidc_artifacts`,
 * so every instance sees the same state. Clients are read from
 * `oauth_clients`, which the server owns (CDS registration writes it).
 */
import { and, eq, gt, isNull, lt, or } from "drizzle-orm";
import type { Adapter, AdapterPayload } from "oidc-provider";
import type { Db } from "../db/index.js";
import { oauthClients, oidcArtifacts } from "../db/schema.js";
import { CLIENT_SECRET_PLACEHOLDER } from "./provider-internals.js";

const t = oidcArtifacts;
const notExpired = () => or(isNull(t.expiresAt), gt(t.expiresAt, new Date()));

export class ArtifactAdapter implements Adapter {
  private readonly db: Db;
  private readonly model: string;
  constructor(db: Db, model: string) {
    this.db = db;
    this.model = model;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    const row = {
      model: this.model,
      id,
      payload: payload as Record<string, unknown>,
      grantId: payload.grantId ?? null,
      userCode: payload.userCode ?? null,
      uid: payload.uid ?? null,
      expiresAt: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
      consumedAt: null,
    };
    await this.db
      .insert(t)
      .values(row)
      .onConflictDoUpdate({ target: [t.model, t.id], set: { ...row, model: undefined, id: undefined } });
    // Expired rows are already invisible to find(); a rare sweep keeps the table small without a scheduler.
    if (Math.random() < 0.01) await this.db.delete(t).where(lt(t.expiresAt, new Date(Date.now() - 3600_000)));
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
      .where(and(eq(t.model, this.model), condition, notExpired()))
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
  constructor(db: Db) {
    this.db = db;
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const [row] = await this.db.select().from(oauthClients).where(eq(oauthClients.clientId, id));
    if (!row) return undefined;
    const needsSecret = String(row.metadata.token_endpoint_auth_method ?? "client_secret_basic").startsWith("client_secret");
    return {
      ...row.metadata,
      client_id: row.clientId,
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

export function adapterFactory(db: Db): (model: string) => Adapter {
  return (model) => (model === "Client" ? new ClientAdapter(db) : new ArtifactAdapter(db, model));
}
