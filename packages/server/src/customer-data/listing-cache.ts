/**
 * What the §10 listings keep in memory between requests (issues 10 and 16),
 * each piece only until the database announces a change that concerns it
 * (migration 0015 on the feed of db/change-feed.ts; db/feed-cache.ts holds
 * the rules: values read while a notice arrived are not stored, nothing is
 * trusted while the feed is down, and on PostgreSQL a hit waits for the
 * request's shared sync):
 *
 * - the Grants a token may use, per Client (and oidc-provider grant), until
 *   `g:<client_id>`: any Grant of the Client added, changed or removed.
 *   Whether each is in force (status, `not_before`, `not_after`) is still
 *   decided on every request, against the clock (./access.ts);
 * - each customer's resource graph, until `d:<customer>`;
 * - whole listing pages as the bytes sent, keyed by everything that decides
 *   them (`pageKey`), until either notice. A page is only ever looked up
 *   after the request's token and Grants were checked as on an uncached
 *   request, so a refused request never reaches it.
 *
 * Only a data source that names the notices for its customers'
 * data (`CustomerDataSource.customerNotice`) gets graphs and pages cached:
 * any other could change without the database saying so.
 */
import type { FastifyInstance } from "fastify";
import type { ServerContext } from "../context.js";
import { FeedCache } from "../db/feed-cache.js";
import type { grants } from "../db/schema.js";
import type { CustomerResourceGraph } from "./data-source.js";
import type { GrantView } from "./visibility.js";

type GrantRow = typeof grants.$inferSelect;

/** The notice (migration 0015) that announces a change to any Grant of `clientId`. */
export const grantNotice = (clientId: string) => `g:${clientId}`;

/** Distinct Grant lookups and resource graphs kept per instance; the oldest goes first. */
const MAX_GRANT_LOOKUPS = 10_000;
const MAX_GRAPHS = 1_000;
/** Listing pages kept per instance, and their bytes in all (a year-of-usage page is ~0.4 MB). */
const MAX_PAGES = 10_000;
const MAX_PAGE_BYTES = 64 * 1024 * 1024;

export interface ListingCaches {
  grants: FeedCache<string, readonly GrantRow[]>;
  graphs: FeedCache<string, CustomerResourceGraph>;
  pages: FeedCache<string, Buffer>;
}

const perContext = new WeakMap<ServerContext, ListingCaches>();

/** The listing caches of one server instance: made on the first listing registered, closed with the app. */
export function listingCaches(app: FastifyInstance, ctx: ServerContext): ListingCaches {
  let caches = perContext.get(ctx);
  if (caches) return caches;
  const changes = ctx.changes ?? null;
  const made: ListingCaches = {
    grants: new FeedCache(changes, MAX_GRANT_LOOKUPS),
    graphs: new FeedCache(changes, MAX_GRAPHS),
    pages: new FeedCache(changes, MAX_PAGES, { weigh: (bytes) => bytes.length, maxWeight: MAX_PAGE_BYTES }),
  };
  caches = made;
  perContext.set(ctx, made);
  app.addHook("onClose", async () => {
    made.grants.close();
    made.graphs.close();
    made.pages.close();
  });
  return made;
}

const fingerprints = new WeakMap<GrantRow, string>();
/** Each distinct fingerprint's short name, so page keys stay short (a key is hashed on every lookup). */
const fingerprintNames = new Map<string, string>();
const MAX_FINGERPRINT_NAMES = 100_000;

/**
 * Every field of a Grant that its views read (./visibility.ts), named by a
 * short string that stands for exactly those values (two rows with the same
 * fields share it; a row differing in any of them gets another). Notices
 * already drop whatever was built from a changed Grant; the key holds the
 * fingerprint too, so an entry can only ever be found by a request whose
 * Grant is, field for field, the one it was built from.
 */
export function grantFingerprint(grant: GrantRow): string {
  let name = fingerprints.get(grant);
  if (name === undefined) {
    const print = JSON.stringify([
      grant.id,
      grant.clientId,
      grant.accountId,
      grant.status,
      grant.enabledScope,
      grant.enabledAuthorizationDetails,
      grant.customerSelection,
      grant.createdAt.toISOString(),
      grant.notBefore?.toISOString() ?? null,
      grant.notAfter?.toISOString() ?? null,
    ]);
    name = fingerprintNames.get(print);
    if (name === undefined) {
      // Forgetting the names (rarely: a hundred thousand Grant versions) must not let two prints share one:
      // the new generation's names never repeat an old one's.
      if (fingerprintNames.size >= MAX_FINGERPRINT_NAMES) {
        fingerprintNames.clear();
        nameGeneration++;
      }
      name = `${nameGeneration}.${fingerprintNames.size}`;
      fingerprintNames.set(print, name);
    }
    fingerprints.set(grant, name);
  }
  return name;
}
let nameGeneration = 0;

const viewsMemo = new WeakMap<GrantRow, WeakMap<CustomerResourceGraph, Map<string, readonly GrantView[]>>>();

/**
 * `grantViews` of one Grant row on one resource graph, worked out once per
 * pair of objects: both are immutable once read (a change to either is a new
 * object, read after its notice), so the views are too.
 */
export function memoizedViews(grant: GrantRow, graph: CustomerResourceGraph, key: string, make: () => GrantView[]): readonly GrantView[] {
  let byGraph = viewsMemo.get(grant);
  if (!byGraph) viewsMemo.set(grant, (byGraph = new WeakMap()));
  let byKey = byGraph.get(graph);
  if (!byKey) byGraph.set(graph, (byKey = new Map()));
  let views = byKey.get(key);
  if (!views) byKey.set(key, (views = make()));
  return views;
}
