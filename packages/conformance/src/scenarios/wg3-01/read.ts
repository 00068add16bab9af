/**
 * Reading the §10 listings: every page by `next` (with a `page_size`, the
 * reference server's extension of spec/ERRATA.md E-WG3-01-251; a Server that
 * ignores it still pages by `next`), each page strictly valid, and the
 * related objects' numbers the filters and orderings name.
 */
import { isObject, type Json, type ScenarioContext } from "../../context.js";
import { describe } from "../../http.js";
import { listings, type Listing, type Numbers } from "./listings.js";

/** Pages a walk may take: far above what the bounded samples need, so a `next` loop ends the scenario. */
const MAX_PAGES = 60;

export interface Page {
  url: string;
  body: Json;
  objects: Json[];
}

export function withParams(url: string, params: Record<string, string>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

const shortUrl = (url: string) => {
  const u = new URL(url);
  u.searchParams.delete("cursor");
  return `${u.pathname}${u.search}`;
};

/** One page, strictly a `listing.model`. */
export async function fetchPage(ctx: ScenarioContext, listing: Listing, url: string, token: string): Promise<Page> {
  const res = await ctx.request(url, { bearer: token });
  if (res.status !== 200 || !isObject(res.json)) ctx.fail(listing.section, `GET ${shortUrl(url)} answered ${describe(res)}`);
  ctx.conforms(listing.model, res.json, listing.section, `the ${listing.title} page of ${shortUrl(url)}`);
  return { url, body: res.json, objects: (res.json[listing.items] as unknown[]).filter(isObject) };
}

/** Every page from `url` on, by `next`. */
export async function walk(ctx: ScenarioContext, listing: Listing, url: string, token: string): Promise<Page[]> {
  const pages: Page[] = [];
  const seen = new Set<string>();
  let next: unknown = url;
  while (typeof next === "string") {
    ctx.check(!seen.has(next) && pages.length < MAX_PAGES, listing.section, `the ${listing.title} \`next\` links do not end (${shortUrl(url)})`);
    seen.add(next);
    const page = await fetchPage(ctx, listing, next, token);
    pages.push(page);
    next = page.body.next;
  }
  ctx.check(next === null, listing.section, `a ${listing.title} page's \`next\` is neither a URL nor null`);
  return pages;
}

/**
 * The page size the scenarios ask for when they want big pages. §10 leaves the
 * largest `page_size` to the Server; the reference server allows up to 100,
 * and a Server refusing 100 would be unusual enough to be worth a failure.
 */
export const LARGEST_PAGE = 100;

/** All objects `url` lists (with `params`), in listing order. */
export async function listAll(ctx: ScenarioContext, listing: Listing, url: string, token: string, params: Record<string, string> = {}): Promise<Json[]> {
  return (await walk(ctx, listing, withParams(url, { page_size: String(LARGEST_PAGE), ...params }), token)).flatMap((p) => p.objects);
}

export const idsOf = (listing: Listing, objects: readonly Json[]) => objects.map((o) => String(o[listing.id]));

export interface Readable {
  listing: Listing;
  url: string;
  objects: Json[];
}

/**
 * The listings the Server advertises (§5) that `token` reads, each in full,
 * and those it is refused (401/403). A listing answering anything else fails.
 */
export async function readListings(ctx: ScenarioContext, token: string): Promise<{ readable: Readable[]; refused: Listing[]; notOffered: Listing[] }> {
  const as = await ctx.asMetadata();
  const readable: Readable[] = [];
  const refused: Listing[] = [];
  const notOffered: Listing[] = [];
  for (const listing of listings) {
    const url = as[listing.field];
    if (typeof url !== "string") {
      notOffered.push(listing);
      continue;
    }
    const probe = await ctx.request(withParams(url, { page_size: String(LARGEST_PAGE) }), { bearer: token });
    if (probe.status === 401 || probe.status === 403) {
      refused.push(listing);
      continue;
    }
    readable.push({ listing, url, objects: await listAll(ctx, listing, url, token) });
  }
  return { readable, refused, notOffered };
}

/** The numbers of the Accounts, Service Contracts, Service Points, Meter Devices and Aggregations read. */
export function numbersFrom(readable: readonly Readable[]): Numbers {
  const map = (kind: string, id: string, number: string) => {
    const objects = readable.find((r) => r.listing.kind === kind)?.objects ?? [];
    return new Map(objects.filter((o) => typeof o[number] === "string").map((o) => [String(o[id]), String(o[number])]));
  };
  return {
    account: map("accounts", "cds_account_id", "account_number"),
    contract: map("service_contracts", "cds_servicecontract_id", "contract_number"),
    servicePoint: map("service_points", "cds_servicepoint_id", "servicepoint_number"),
    meter: map("meter_devices", "cds_meterdevice_id", "meter_number"),
    aggregation: map("aggregations", "cds_aggregation_id", "aggregation_number"),
  };
}

/** "a, b, c" of at most `n` ids, for messages. */
export const some = (ids: readonly string[], n = 5) => (ids.length > n ? `${ids.slice(0, n).join(", ")} … (${ids.length})` : ids.join(", ") || "none");

/** Fails unless `got` lists exactly the objects of `expected` (as sets), naming what is missing and what is extra. */
export function expectSameSet(ctx: ScenarioContext, listing: Listing, what: string, got: readonly Json[], expected: readonly Json[], section = listing.section): void {
  const g = idsOf(listing, got);
  const e = new Set(idsOf(listing, expected));
  const extra = g.filter((id) => !e.has(id));
  const missing = [...e].filter((id) => !g.includes(id));
  const dupes = g.filter((id, i) => g.indexOf(id) !== i);
  ctx.check(!extra.length && !missing.length && !dupes.length, section, `${listing.title} ${what}: listed ${g.length}, expected ${e.size}; extra [${some(extra)}], missing [${some(missing)}]${dupes.length ? `, twice [${some(dupes)}]` : ""}`);
}
