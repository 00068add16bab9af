/**
 * The one route every §10 listing is: authenticate and scope the request
 * (./access.ts), read the filters the contract declares for the operation,
 * ask the data source for a keyset page, and answer the listing model,
 * strictly validated. Each API folder only names its kind, scope and model.
 *
 * A page's bytes are kept (./listing-cache.ts) under everything that decides
 * them: the listing, each Grant the views came from (field for field) with
 * the scopes used, and the query as sent (its links copy it). They are only
 * looked up once the token and its Grants were checked for this request, and
 * dropped when a Grant of the Client or the data of a customer shown changes.
 */
import { openapiDocuments } from "@cds-toolkit/schemas";
import { validate } from "@cds-toolkit/validators";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ServerContext } from "../context.js";
import { ProblemError } from "../http/problem.js";
import { sendModel } from "../http/contract-response.js";
import { requestSync } from "../http/request-sync.js";
import { paths } from "../urls.js";
import { listingAccess } from "./access.js";
import { listingCaches } from "./listing-cache.js";
import type { CustomerDataKind, CustomerDataObject, CustomerDataSource, ListedObject, ListPosition, ListRequest, SegmentJson } from "./data-source.js";
import { hiddenFilter, searchableFields, shownObject } from "./field-rules.js";
import { shownSegmentParts, type SegmentHead } from "./segment-json.js";
import { segmentWindow, storedIdOf, trimSegment, trimSegmentParts } from "./segment-trim.js";
import type { GrantView } from "./visibility.js";

/** A stored segment as `view` shows it: with no Value Sets (what gets validated: its cells were when stored) and as its whole JSON. */
function shownSegment(view: GrantView, json: SegmentJson, head?: SegmentHead): { object: unknown; json: string } {
  const parts = shownSegmentParts(view, json, head);
  return { object: parts.head, json: parts.json };
}

/**
 * An item as `view` shows it; null when the view's §7.3.6/§7.3.7 window
 * leaves none of it (./segment-trim.ts: a segment straddling the window is
 * shown trimmed, never whole).
 */
function shownItem<K extends CustomerDataKind>(view: GrantView, item: ListedObject<K>): { object: unknown; json: string | undefined } | null {
  const window = segmentWindow(view);
  if (item.segmentJson) {
    if (!window) return shownSegment(view, item.segmentJson);
    const parts = trimSegmentParts(item.segmentJson, window);
    return parts ? shownSegment(view, parts.json, parts.head) : null;
  }
  const object = window ? trimSegment(item.object as CustomerDataObject<"usage_segments">, window) : item.object;
  return object ? { object: shownObject(view, object as CustomerDataObject<K>) as unknown, json: undefined } : null;
}

export interface ListingApi<K extends CustomerDataKind> {
  kind: K;
  /** The Direct Access scope that opens it (§6.2). */
  scope: string;
  /** The response model and its list member (§10.x "Listing …"). */
  model: string;
  listKey: string;
  /** What `before`/`after` hold: dates (§10.5.4, §10.6.9) or datetimes (§10.8.8, §10.9). */
  bounds?: "date" | "datetime";
  /** The `q` fields, when the listing has `q`. */
  searchFields?: readonly string[];
}

const datePattern = /^\d{4}-\d{2}-\d{2}$/;
const datetimePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function badParameter(name: string, rule: string, message: string): never {
  throw new ProblemError(400, `${name}: ${message}`, [{ pointer: `query:${name}`, rule, message: `query:${name}: ${message}` }]);
}

/** The list parameters the contract declares for the listing's GET. */
function contractFilters(path: string): string[] {
  const operation = (openapiDocuments["customer-data"] as unknown as { paths: Record<string, { get: { parameters?: { name: string; in: string }[] } }> }).paths[path]!.get;
  return (operation.parameters ?? []).filter((p) => p.in === "query" && !["q", "before", "after"].includes(p.name)).map((p) => p.name);
}

const encodeCursor = (c: ListPosition & { direction: "next" | "previous" }) => Buffer.from(JSON.stringify([c.direction, c.key, c.id])).toString("base64url");
function decodeCursor(value: string): ListPosition & { direction: "next" | "previous" } {
  try {
    const [direction, key, id] = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as unknown[];
    if ((direction === "next" || direction === "previous") && typeof key === "string" && typeof id === "string") return { direction, key, id };
  } catch {
    // falls through to the 400
  }
  return badParameter("cursor", "format", "is not a cursor this server issued; follow the next and previous links as given");
}

/** Pages hold 1–100 objects, 100 unless `page_size` asks for fewer (spec/ERRATA.md E-WG3-01-251). */
export const MAX_PAGE_SIZE = 100;

function pageSize(value: string | undefined): number {
  if (value === undefined) return MAX_PAGE_SIZE;
  const n = /^\d{1,3}$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= 1 && n <= MAX_PAGE_SIZE)) badParameter("page_size", "range", `must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
  return n;
}

const later = (a: string | undefined, b: string | undefined) => (a === undefined ? b : b === undefined ? a : a > b ? a : b);
const earlier = (a: string | undefined, b: string | undefined) => (a === undefined ? b : b === undefined ? a : a < b ? a : b);
const compare = (a: ListPosition, b: ListPosition) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * One page of the union of several Grants' views: each view is asked for a
 * page from the same position and the pages are merged in the listing's
 * order, so the keyset links of the union stay exact. Each object keeps
 * every view that returned it, in the views' order: the first that shows
 * anything of it is the one it is shown by (E-WG3-01-532).
 */
async function unionPage<K extends CustomerDataKind>(source: CustomerDataSource, kind: K, requests: readonly { view: GrantView; request: ListRequest<K> }[], limit: number, backwards: boolean) {
  const pages = await Promise.all(requests.map(async (r) => ({ view: r.view, page: await source.list(kind, r.request) })));
  const seen = new Map<string, { views: GrantView[]; item: ListedObject<K> }>();
  for (const { view, page } of pages) {
    for (const item of page.items) {
      const held = seen.get(item.position.id);
      if (held) held.views.push(view);
      else seen.set(item.position.id, { views: [view], item });
    }
  }
  const all = [...seen.values()].sort((a, b) => compare(a.item.position, b.item.position));
  const more = all.length > limit;
  const items = backwards ? all.slice(-limit) : all.slice(0, limit);
  return {
    items,
    hasNext: (!backwards && more) || pages.some((p) => p.page.hasNext),
    hasPrevious: (backwards && more) || pages.some((p) => p.page.hasPrevious),
  };
}

export function registerListingRoute<K extends CustomerDataKind>(app: FastifyInstance, ctx: ServerContext, api: ListingApi<K>): void {
  const path = paths.customerData[api.kind];
  const filters = contractFilters(path);
  const known = new Set([...filters, "cursor", "page_size", ...(api.bounds ? ["before", "after"] : []), ...(api.searchFields ? ["q"] : [])]);
  const caches = listingCaches(app, ctx);

  app.get(path, async (request: FastifyRequest, reply: FastifyReply) => {
    // Before anything is read: a page built from reads that a notice may have overtaken is not kept.
    const generation = caches.pages.generation;
    const query = request.query as Record<string, string | string[] | undefined>;
    const one = (name: string) => {
      const value = query[name];
      if (Array.isArray(value)) badParameter(name, "maxItems", "is given more than once");
      return value;
    };
    const access = await listingAccess(ctx.bearer, ctx.customerData, request, reply, api.kind, api.scope, filters, caches);
    if (!access) return reply;
    for (const name of Object.keys(query)) if (!known.has(name)) badParameter(name, "additionalProperties", "is not a parameter of this listing");

    const limit = pageSize(one("page_size"));
    const chosen: Record<string, readonly string[]> = {};
    for (const name of filters) {
      const value = one(name);
      if (value === undefined) continue;
      const values = [...new Set(value.split(" ").filter(Boolean))];
      if (!values.length) badParameter(name, "minLength", "must list at least one value, space-separated");
      // A filter on a field no Grant shows would tell which hidden value an object has (§7.2).
      if (access.views.every((v) => hiddenFilter(v, name))) badParameter(name, "grant", `filters on a field the Grant does not include (${hiddenFilter(access.views[0]!, name)})`);
      chosen[name] = values;
    }
    // A trimmed segment's id (./segment-trim.ts) is found through the stored segment it was cut from.
    const idFilter = api.kind === "usage_segments" ? chosen.cds_usagesegment_ids : undefined;
    const readIds = idFilter ? { cds_usagesegment_ids: [...new Set(idFilter.flatMap((id) => [id, storedIdOf(id) ?? id]))] } : {};
    const bounds: { after?: string; before?: string } = {};
    if (api.bounds) {
      for (const name of ["after", "before"] as const) {
        const value = one(name);
        if (value === undefined) continue;
        const ok = api.bounds === "date" ? datePattern.test(value) && !Number.isNaN(Date.parse(value)) : datetimePattern.test(value) && !Number.isNaN(Date.parse(value));
        if (!ok) badParameter(name, "format", api.bounds === "date" ? "must be a date (YYYY-MM-DD)" : "must be an RFC 3339 datetime");
        bounds[name] = api.bounds === "date" ? value : new Date(value).toISOString();
      }
    }
    const q = api.searchFields ? one("q") : undefined;
    if (q !== undefined && !q.length) badParameter("q", "minLength", "must not be empty");
    const cursorValue = one("cursor");
    const cursor = cursorValue === undefined ? undefined : decodeCursor(cursorValue);

    // Every parameter was checked above (an unknown or repeated one is a 400), so the query is all strings, in order.
    const key = access.notices ? JSON.stringify([api.kind, access.basis, Object.entries(query)]) : null;
    if (key !== null) {
      const held = await caches.pages.find(key, requestSync(request, ctx.changes));
      if (held) return sendPage(reply, held);
    }

    // Each view narrows the request: its customer, ids, filters (intersected), durations (tightened).
    const requests = access.views.map((view) => {
      const list: ListRequest<K> = { owners: [view.customer], limit, filters: {} };
      const merged: Record<string, readonly string[]> = {};
      for (const [name, values] of Object.entries({ ...chosen, ...readIds })) if (!hiddenFilter(view, name)) merged[name] = values;
      // A filter this view may not use matches nothing of it.
      const blocked = Object.keys(chosen).some((name) => hiddenFilter(view, name));
      for (const [name, values] of Object.entries(view.filters)) merged[name] = merged[name] ? merged[name].filter((v) => values.includes(v)) : values;
      list.filters = merged as ListRequest<K>["filters"];
      if (view.visibleIds || blocked) list.visibleIds = blocked ? [] : view.visibleIds!;
      const after = later(bounds.after, view.after);
      const before = earlier(bounds.before, view.before);
      if (after !== undefined) list.after = after;
      if (before !== undefined) list.before = before;
      if (view.createdUntil !== undefined) list.createdUntil = view.createdUntil;
      if (q !== undefined) list.search = { term: q, fields: searchableFields(view, api.searchFields!) };
      if (cursor) list.cursor = cursor;
      return { view, request: list };
    });
    const page = await unionPage(ctx.customerData, api.kind, requests, limit, cursor?.direction === "previous");
    const link = (c: (ListPosition & { direction: "next" | "previous" }) | null) => {
      if (!c) return null;
      const search = new URLSearchParams();
      for (const [name, value] of Object.entries(query)) if (name !== "cursor" && typeof value === "string") search.set(name, value);
      search.set("cursor", encodeCursor(c));
      return `${ctx.urls.customerData[api.kind]}?${search.toString()}`;
    };
    const first = page.items[0]?.item.position;
    const last = page.items.at(-1)?.item.position;
    // Usage Segments stored as checked JSON (./segment-json.ts) are copied, not rebuilt: the body
    // validated holds their heads as shown with no Value Sets, the payload their whole JSON.
    // The links follow the page as read (dropped objects included), so paging never skips or repeats.
    const wantedIds = api.kind === "usage_segments" ? chosen.cds_usagesegment_ids : undefined;
    const shown = page.items.flatMap(({ views, item }) => {
      for (const view of views) {
        const s = shownItem(view, item);
        if (!s) continue;
        // E-WG3-01-533: an id filter names segments as shown, trimmed ones by their own id.
        if (wantedIds && !wantedIds.includes((s.object as { cds_usagesegment_id: string }).cds_usagesegment_id)) return [];
        return [s];
      }
      return [];
    });
    const next = page.hasNext && last ? link({ ...last, direction: "next" }) : null;
    const previous = page.hasPrevious && first ? link({ ...first, direction: "previous" }) : null;
    const body = { [api.listKey]: shown.map((s) => s.object), next, previous };
    const payload = shown.some((s) => s.json !== undefined)
      ? `{${JSON.stringify(api.listKey)}:[${shown.map((s) => s.json ?? JSON.stringify(s.object)).join(",")}],"next":${JSON.stringify(next)},"previous":${JSON.stringify(previous)}}`
      : undefined;
    const validator = (v: unknown) => validate(api.model as Parameters<typeof validate>[0], v, "strict");
    // A body that breaks the contract goes to sendModel, which logs it and answers 500.
    if (!validator(body).ok) return sendModel(request, reply, api.model, validator, body, { noStore: true });
    const bytes = Buffer.from(payload ?? JSON.stringify(body), "utf8");
    if (key !== null) caches.pages.set(key, bytes, access.notices!, generation);
    return sendPage(reply, bytes);
  });
}

/** A private listing page (sendModel's `noStore` answer), the same headers whether built now or kept. */
const pageHeaders = Object.freeze({ "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
function sendPage(reply: FastifyReply, bytes: Buffer): FastifyReply {
  return reply.code(200).headers(pageHeaders).send(bytes);
}
