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
 *
 * The Grant rows and resource graphs may come from memory (./listing-cache.ts):
 * a change to either is announced and drops them before the next request is
 * answered, on every instance, so what is read here is what the database holds.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { and, eq } from "drizzle-orm";
import { grants } from "../db/schema.js";
import { requestSync } from "../http/request-sync.js";
import { authorizeGrantAdmin, GrantAdminRefusal, isGrantAdminScope, type GrantAdminDetail } from "../cds/grant-admin.js";
import { authenticateBearer, bearerChallenge, type BearerLookup } from "../oauth/bearer-token.js";
import type { CustomerDataKind, CustomerDataSource, CustomerResourceGraph } from "./data-source.js";
import { grantFingerprint, grantNotice, memoizedViews, type ListingCaches } from "./listing-cache.js";
import { grantInForce, grantViews, type GrantView } from "./visibility.js";

type GrantRow = typeof grants.$inferSelect;

export interface ListingAccess {
  clientId: string;
  /** One view per Grant scope that opens the listing; the listing shows their union. */
  views: GrantView[];
  /** Everything the views were worked out from (each Grant used, field for field, with the scopes used), for a page cache key. */
  basis: string;
  /** The notices that end anything built from the views; null when the data source announces no changes (nothing is cached). */
  notices: string[] | null;
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
  caches: ListingCaches | null = null,
): Promise<ListingAccess | null> {
  const { db } = lookup;
  const sync = requestSync(request, lookup.cache.changes);
  /** The Grant rows `read` finds, from memory until a Grant of `clientId` changes. */
  const grantRows = async (key: string, clientId: string, read: () => Promise<GrantRow[]>): Promise<readonly GrantRow[]> => {
    if (!caches) return read();
    const held = await caches.grants.find(key, sync);
    if (held) return held;
    const generation = caches.grants.generation;
    const rows = await read();
    caches.grants.set(key, rows, [grantNotice(clientId)], generation);
    return rows;
  };
  const graphOf = async (customer: string): Promise<CustomerResourceGraph> => {
    const notice = source.customerNotice?.(customer);
    if (!caches || notice === undefined) return source.resourceGraph(customer);
    const held = await caches.graphs.find(customer, sync);
    if (held) return held;
    const generation = caches.graphs.generation;
    const graph = await source.resourceGraph(customer);
    caches.graphs.set(customer, graph, [notice], generation);
    return graph;
  };
  const token = await authenticateBearer(lookup, request, reply, `with the ${directScope} scope or a customer's consent`, ["AccessToken", "ClientCredentials"]);
  if (!token) return null;
  let candidates: readonly GrantRow[];
  /** The scopes a Grant's views may use: the token's, or for a Grant Admin token the administered Grant's own. */
  let scopesOf = (_grant: GrantRow) => token.scopes;
  const administered = token.kind === "ClientCredentials" ? (token.rar as GrantAdminDetail[]).filter((d) => d && typeof d.type === "string" && isGrantAdminScope(d.type) && token.scopes.includes(d.type)) : [];
  if (administered.length) {
    // The Grant Admin rule reads more than the Grant (the requester's Client Object): always from the database.
    const found: GrantRow[] = [];
    candidates = found;
    try {
      for (const entry of administered) found.push(await authorizeGrantAdmin(db, token.client, entry));
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
    const oidcGrantId = token.oidcGrantId;
    candidates = oidcGrantId
      ? await grantRows(JSON.stringify(["consent", token.clientId, oidcGrantId]), token.clientId, () => db.select().from(grants).where(and(eq(grants.oidcGrantId, oidcGrantId), eq(grants.clientId, token.clientId))))
      : [];
    candidates = candidates.filter((g) => g.accountId === token.accountId);
    if (!candidates.some((g) => grantInForce(g))) {
      await bearerChallenge(reply, 401, "invalid_token", "The Grant this token was issued for no longer gives access.");
      return null;
    }
  } else {
    candidates = await grantRows(JSON.stringify(["direct", token.clientId]), token.clientId, () => db.select().from(grants).where(and(eq(grants.clientId, token.clientId), eq(grants.status, "active"))));
  }
  // In force is decided here, every time, against the clock: `not_after` passing changes no row.
  const live = candidates.filter((g) => grantInForce(g));
  const graphs = new Map<string, CustomerResourceGraph>();
  const views: GrantView[] = [];
  const basis: [string, string[]][] = [];
  const notices = new Set([grantNotice(token.clientId)]);
  let announced = true;
  for (const grant of live) {
    const scopes = scopesOf(grant);
    if (!grant.enabledScope.split(" ").some((s) => scopes.includes(s))) continue;
    const customer = grant.accountId!;
    if (!graphs.has(customer)) graphs.set(customer, await graphOf(customer));
    const used = grant.enabledScope.split(" ").filter((s) => scopes.includes(s));
    const graph = graphs.get(customer)!;
    // Rows and graphs from the caches are the same objects from one request to the next: their views are worked out once.
    const made = caches ? memoizedViews(grant, graph, JSON.stringify([kind, used, listingFilters]), () => grantViews(grant, kind, graph, listingFilters, scopes)) : grantViews(grant, kind, graph, listingFilters, scopes);
    if (!made.length) continue;
    views.push(...made);
    basis.push([grantFingerprint(grant), used]);
    notices.add(grantNotice(grant.clientId));
    const notice = source.customerNotice?.(customer);
    if (notice === undefined) announced = false;
    else notices.add(notice);
  }
  if (!views.length) {
    // Nothing to show, and saying so plainly; the detail names no customer, Grant or object.
    const detail = token.kind === "AccessToken" || administered.length ? "The Grant of this token does not include this data." : `The Client holds no active Grant of the ${directScope} scope.`;
    await bearerChallenge(reply, 403, "insufficient_scope", detail);
    return null;
  }
  return { clientId: token.clientId, views, basis: JSON.stringify(basis), notices: announced ? [...notices] : null };
}
