/**
 * `cds_grant_ids` in token responses: CDS-WG3-01's §13 token responses name
 * the Grants a token reaches, so a Client can read them in the Grants API
 * (`grant_ids` filter) without searching. CDS-WG3-01 cites the rule from a
 * CDS-WG1-02 revision that is not published yet; what each kind of token lists
 * is this server's choice (spec/ERRATA.md E-WG3-01-2, E-WG3-01-410).
 *
 * Added to oidc-provider's reply after the grant action built it, because
 * oidc-provider has no hook for extra token response members.
 */
import { and, eq } from "drizzle-orm";
import type { KoaContextWithOIDC } from "oidc-provider";
import type { Db } from "../db/index.js";
import { grants } from "../db/schema.js";
import { isGrantAdminScope } from "../cds/grant-admin.js";
import { CLIENT_ADMIN_SCOPE } from "../cds/scopes.js";
import { grantInForce } from "../customer-data/visibility.js";

type Middleware = (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>;

interface IssuedToken {
  clientId?: string;
  scope?: string;
  rar?: unknown;
}

const scopesOf = (scope: unknown) => String(scope ?? "").split(" ").filter(Boolean);

/**
 * The Grant ids a freshly issued token reaches, by how it was issued:
 * - authorization_code / refresh_token: the Grant the customer's approval made
 *   or updated (recorded against oidc-provider's grant at approval);
 * - client_credentials with a Grant Admin entry: the one Grant it administers
 *   (the token endpoint already checked the Grant Admin rule);
 * - other client_credentials tokens: the Client's Grants in force whose enabled
 *   scopes the token carries, as they stand now (direct access, CDS-WG3-01 §6.2;
 *   customer-data/access.ts reads the same Grants per request);
 * - a token of no Grant (`cds_client_admin`): none, an empty list.
 */
export async function grantIdsOfIssuedToken(db: Db, ctx: KoaContextWithOIDC): Promise<string[]> {
  const entities = ctx.oidc.entities as { Grant?: { jti: string; accountId?: string }; ClientCredentials?: IssuedToken };
  const clientId = ctx.oidc.client?.clientId;
  if (!clientId) return [];
  if (entities.Grant) {
    const rows = await db
      .select({ id: grants.id, accountId: grants.accountId })
      .from(grants)
      .where(and(eq(grants.oidcGrantId, entities.Grant.jti), eq(grants.clientId, clientId)));
    return rows.filter((g) => g.accountId === entities.Grant!.accountId).map((g) => g.id).sort();
  }
  const token = entities.ClientCredentials;
  if (!token) return [];
  const scopes = scopesOf(token.scope);
  const administered = (Array.isArray(token.rar) ? (token.rar as { type?: unknown; grant_id?: unknown }[]) : [])
    .filter((d) => typeof d?.type === "string" && isGrantAdminScope(d.type) && typeof d.grant_id === "string")
    .map((d) => d.grant_id as string);
  if (administered.length) return [...new Set(administered)].sort();
  // A Client Admin token reaches no Grant (ERRATA E-WG3-01-410): no query, the token endpoint's busiest case (issue 10).
  if (!scopes.some((s) => s !== CLIENT_ADMIN_SCOPE)) return [];
  const rows = await db.select().from(grants).where(and(eq(grants.clientId, clientId), eq(grants.status, "active")));
  return rows
    .filter((g) => grantInForce(g) && scopesOf(g.enabledScope).some((s) => scopes.includes(s)))
    .map((g) => g.id)
    .sort();
}

/** Adds `cds_grant_ids` to every successful reply of the token endpoint at `tokenPath`. */
export function grantIdsInTokenResponses(db: Db, tokenPath: string): Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.path !== tokenPath || ctx.status !== 200) return;
    const body = ctx.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== "object" || typeof body.access_token !== "string") return;
    ctx.body = { ...body, cds_grant_ids: await grantIdsOfIssuedToken(db, ctx) };
  };
}
