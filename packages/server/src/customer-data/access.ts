/**
 * Who may read what through a Customer Data API, decided again on every
 * request (./visibility.ts does the per-Grant reading):
 *
 * - a customer's consent (CDS-WG3-01 §6.1): an access token from the
 *   authorization-code flow, whose CDS Grant is the one recorded for the
 *   token's oidc-provider grant and whose customer is the token's;
 * - Direct Access (§6.2): a client_credentials token, and the Client's
 *   Server-made Grants (CDS-WG1-02 §8) of the scope, each for one customer;
 * - a Grant Admin token (CDS-WG1-02 §3.3.2; CDS-WG3-01 §13.4.4): a
 *   client_credentials token whose authorization details name one Grant of
 *   the registration; it reads what that Grant's enabled scopes give the
 *   Grant's own Client Object, and nothing else. The Grant Admin rule is
 *   applied again on every request (cds/grant-admin.ts).
 *
 * Only Grants in force count, and only for scopes both the token and the
 * Grant's `enabled_scope` hold, so closing or narrowing a Grant takes effect
 * at the next request for tokens already issued. The token lookup is the one
 * the CDS-WG1-02 APIs use (../oauth/bearer-token.ts).
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/index.js";
import { grants } from "../db/schema.js";
import { authorizeGrantAdmin, GrantAdminRefusal, isGrantAdminScope, type GrantAdminDetail } from "../cds/grant-admin.js";
import { authenticateBearer, bearerChallenge, type BearerLookup } from "../oauth/bearer-token.js";
import type { CustomerDataKind, CustomerDataSource, CustomerResourceGraph } from "./data-source.js";
import { grantInForce, grantViews, type GrantView } from "./visibility.js";

export interface ListingAccess {
  clientId: string;
  /** One view per Grant scope that opens the listing; the listing shows their union. */
  views: GrantView[];
}

/**
 * The access of the request's token to `kind`'s listing, which `directScope`
 * opens for Direct Access; null after answering 401/403.
 */
export async function listingAccess(
  lookup: BearerLookup,
  source: CustomerDataSource,
  request: FastifyRequest,
  reply: FastifyReply,
  kind: CustomerDataKind,
  directScope: string,
  listingFilters: readonly string[],
): Promise<ListingAccess | null> {
  const { db } = lookup;
  const token = await authenticateBearer(lookup, request, reply, `with the ${directScope} scope or a customer's consent`, ["AccessToken", "ClientCredentials"]);
  if (!token) return null;
  let candidates: (typeof grants.$inferSelect)[];
  /** The scopes a Grant's views may use: the token's, or for a Grant Admin token the administered Grant's own. */
  let scopesOf = (_grant: (typeof grants.$inferSelect)) => token.scopes;
  const administered = token.kind === "ClientCredentials" ? (token.rar as GrantAdminDetail[]).filter((d) => d && typeof d.type === "string" && isGrantAdminScope(d.type) && token.scopes.includes(d.type)) : [];
  if (administered.length) {
    candidates = [];
    try {
      for (const entry of administered) candidates.push(await authorizeGrantAdmin(db, token.client, entry));
    } catch (error) {
      if (!(error instanceof GrantAdminRefusal)) throw error;
      await bearerChallenge(reply, 401, "invalid_token", "The Grant this token was issued for no longer gives access.");
      return null;
    }
    if (!candidates.some((g) => grantInForce(g))) {
      await bearerChallenge(reply, 401, "invalid_token", "The Grant this token was issued for no longer gives access.");
      return null;
    }
    scopesOf = (grant) => grant.enabledScope.split(" ").filter(Boolean);
  } else if (token.kind === "AccessToken") {
    // The CDS Grant the customer's approval made (oauth/interactions/routes.ts records the pairing).
    candidates = token.oidcGrantId ? await db.select().from(grants).where(and(eq(grants.oidcGrantId, token.oidcGrantId), eq(grants.clientId, token.clientId))) : [];
    candidates = candidates.filter((g) => g.accountId === token.accountId);
    if (!candidates.some((g) => grantInForce(g))) {
      await bearerChallenge(reply, 401, "invalid_token", "The Grant this token was issued for no longer gives access.");
      return null;
    }
  } else {
    candidates = await db.select().from(grants).where(and(eq(grants.clientId, token.clientId), eq(grants.status, "active")));
  }
  const live = candidates.filter((g) => grantInForce(g));
  const graphs = new Map<string, CustomerResourceGraph>();
  const views: GrantView[] = [];
  for (const grant of live) {
    const scopes = scopesOf(grant);
    if (!grant.enabledScope.split(" ").some((s) => scopes.includes(s))) continue;
    const customer = grant.accountId!;
    if (!graphs.has(customer)) graphs.set(customer, await source.resourceGraph(customer));
    views.push(...grantViews(grant, kind, graphs.get(customer)!, listingFilters, scopes));
  }
  if (!views.length) {
    // Nothing to show, and saying so plainly; the detail names no customer, Grant or object.
    const detail = token.kind === "AccessToken" || administered.length ? "The Grant of this token does not include this data." : `The Client holds no active Grant of the ${directScope} scope.`;
    await bearerChallenge(reply, 403, "insufficient_scope", detail);
    return null;
  }
  return { clientId: token.clientId, views };
}
