/**
 * CDS-WG3-01 §10 filters, read with the Direct Access token: for every
 * listing, each filter parameter its section defines keeps exactly the
 * objects the full listing (read once, filtered here) says match; two filters
 * together keep their intersection; `before`/`after` bound the section's
 * fields; `q` is a case-insensitive "contains" over the section's fields;
 * a malformed bound is a 400 naming the parameter. Values are sampled (two
 * per filter, one pivot per bound, one term per `q`) to keep the run short.
 */
import type { Json, ScenarioContext } from "../../context.js";
import { describe } from "../../http.js";
import type { Scenario } from "../../scenario.js";
import { enabledFlags, readGrants, scopeTypes } from "./grant-flags.js";
import { listings, type ListFilter, type Listing, type Numbers } from "./listings.js";
import { expectSameSet, listAll, numbersFrom, readListings, withParams } from "./read.js";

/** A value no Server holds: asked alongside real ones, it must not widen or break the filter. */
const NO_SUCH = "cds-conformance-no-such-value";

/**
 * Up to two values to filter by, chosen so that together they match some
 * objects but not all (when the listing allows): a filter that is ignored
 * then shows, as does one that keeps only the first value's matches.
 */
function sample(full: readonly Json[], valuesOf: (o: Json) => string[]): string[] {
  const matches = new Map<string, number>();
  for (const o of full) for (const v of new Set(valuesOf(o))) matches.set(v, (matches.get(v) ?? 0) + 1);
  const distinct = [...matches.keys()];
  const partial = distinct.filter((v) => matches.get(v)! < full.length);
  if (partial.length === 0) return distinct.slice(0, 1);
  const first = partial[0]!;
  const both = (v: string) => full.filter((o) => valuesOf(o).some((x) => x === first || x === v)).length;
  const second = partial.slice(1).reverse().find((v) => both(v) < full.length);
  return second ? [first, second] : [first];
}

/** A case-swapped inner piece (3–6 characters) of `value`, so matching must ignore case and need not be a prefix. */
function searchTerm(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed.length < 3) return undefined;
  const start = trimmed.length > 4 ? 1 : 0;
  const term = trimmed.slice(start, start + Math.min(6, trimmed.length - start)).trim();
  if (term.length < 2) return undefined;
  return [...term].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join("");
}

/** A filter on a value the Grant hides: refused with a 400 naming it (spec/ERRATA.md E-WG3-01-255). */
async function checkHiddenFilter(ctx: ScenarioContext, listing: Listing, url: string, token: string, param: string, value: string): Promise<void> {
  const res = await ctx.request(withParams(url, { [param]: value }), { bearer: token });
  ctx.expectStatus(res, 400, "7.2", `${listing.title} ${param}=… on a value the Grant hides (spec/ERRATA.md E-WG3-01-255)`);
  ctx.check(res.text.includes(param), "7.2", `the 400 for ${listing.title} ${param} does not name \`${param}\` (${describe(res)})`);
}

/** Whether `filter` may be used: its value shown by the Grant (`shown` null: not known, so both answers are accepted). */
async function usable(ctx: ScenarioContext, listing: Listing, url: string, token: string, filter: ListFilter, shown: ReadonlySet<string> | null): Promise<boolean> {
  if (!filter.shownBy) return true;
  if (shown && !shown.has(filter.shownBy)) {
    await checkHiddenFilter(ctx, listing, url, token, filter.param, NO_SUCH);
    return false;
  }
  if (shown) return true;
  const probe = await ctx.request(withParams(url, { [filter.param]: NO_SUCH }), { bearer: token });
  return !(probe.status === 400 && probe.text.includes(filter.param));
}

async function checkFilters(ctx: ScenarioContext, listing: Listing, url: string, token: string, full: Json[], n: Numbers, shown: ReadonlySet<string> | null): Promise<void> {
  const section = listing.section;
  const filters: ListFilter[] = [];
  for (const filter of listing.filters) if (await usable(ctx, listing, url, token, filter, shown)) filters.push(filter);
  for (const filter of filters) {
    const picked = sample(full, (o) => filter.values(o, n));
    const asked = [...picked, NO_SUCH];
    const expected = full.filter((o) => filter.values(o, n).some((v) => picked.includes(v)));
    const got = await listAll(ctx, listing, url, token, { [filter.param]: asked.join(" ") });
    expectSameSet(ctx, listing, `${filter.param}=${asked.join(" ")}`, got, expected, section);
  }

  // Two filters at once: the id filter over three objects, and another filter holding a value of the first of them.
  const [idFilter, ...others] = filters;
  const other = others.find((f) => full.length > 0 && f.values(full[0]!, n).length > 0 && full.some((o) => !f.values(o, n).some((v) => f.values(full[0]!, n).includes(v))));
  if (idFilter && other && full.length >= 2) {
    const value = other.values(full[0]!, n)[0]!;
    const ids = [full[0]!, ...full.filter((o) => !other.values(o, n).includes(value)).slice(0, 2)].flatMap((o) => idFilter.values(o, n));
    const expected = full.filter((o) => idFilter.values(o, n).some((v) => ids.includes(v)) && other.values(o, n).includes(value));
    const got = await listAll(ctx, listing, url, token, { [idFilter.param]: ids.join(" "), [other.param]: value });
    expectSameSet(ctx, listing, `${idFilter.param}=${ids.join(" ")} with ${other.param}=${value} (the intersection)`, got, expected, section);
  }

  if (listing.bound && full.length > 0) {
    const { before, after, type } = listing.bound;
    const at = (o: Json, field: string) => (type === "date" ? String(o[field]) : Date.parse(String(o[field])));
    const pivotObject = full[Math.floor(full.length / 2)]!;
    const pivotBefore = String(pivotObject[before]);
    const pivotAfter = String(pivotObject[after]);
    const b = type === "date" ? pivotBefore : Date.parse(pivotBefore);
    const a = type === "date" ? pivotAfter : Date.parse(pivotAfter);
    expectSameSet(ctx, listing, `before=${pivotBefore} (${before} on or before)`, await listAll(ctx, listing, url, token, { before: pivotBefore }), full.filter((o) => at(o, before) <= b), section);
    expectSameSet(ctx, listing, `after=${pivotAfter} (${after} on or after)`, await listAll(ctx, listing, url, token, { after: pivotAfter }), full.filter((o) => at(o, after) >= a), section);
    for (const name of ["before", "after"] as const) {
      const bad = await ctx.request(withParams(url, { [name]: "not-a-date" }), { bearer: token });
      ctx.expectStatus(bad, 400, section, `${listing.title} ${name}=not-a-date`);
      ctx.check(bad.text.includes(name), section, `the 400 for ${listing.title} ${name}=not-a-date does not name \`${name}\` (${describe(bad)})`);
    }
  }

  if (listing.q) {
    const q = listing.q;
    // A term from the middle object's last searchable field, so it is not always the id.
    const source = full[Math.floor(full.length / 2)];
    const term = source ? q.values(source).map(searchTerm).filter((t): t is string => t !== undefined).at(-1) : undefined;
    if (term) {
      const expected = full.filter((o) => q.values(o).some((v) => v.toLowerCase().includes(term.toLowerCase())));
      expectSameSet(ctx, listing, `q=${term} (case-insensitive, over ${q.fields.join(", ")})`, await listAll(ctx, listing, url, token, { q: term }), expected, section);
    }
  }
}

export const customerDataFilters: Scenario = {
  id: "wg3-01/listing-filters",
  spec: "CDS-WG3-01",
  title: "Every filter of the nine Customer Data listings keeps exactly its matches, alone and intersected; bounds and q as the sections define",
  sections: listings.map((l) => l.section),
  musts: listings.flatMap((l) => [l.intersection, ...l.filters.map((f) => f.must), ...(l.bound?.musts ?? []), ...(l.q ? [l.q.must] : [])]).concat([
    // The "any of its values" sentences of multi-valued filters, and the null customer number.
    "WG3-01-10.1.10-6",
    "WG3-01-10.2.7-9",
    "WG3-01-10.2.7-11",
    "WG3-01-10.7.8-7",
  ]),
  async run(ctx: ScenarioContext) {
    const { token, grantIds } = await ctx.directAccess();
    // Which number fields each listing's Grant entries show (without a Client admin to read the Grants: unknown).
    const grants = ctx.options.credentials?.clientAdmin ? await readGrants(ctx, grantIds) : null;
    const types = await scopeTypes(ctx);
    const { readable } = await readListings(ctx, token);
    if (readable.length === 0) ctx.skip("the Direct Access token reads none of the Customer Data listings");
    const n = numbersFrom(readable);
    let checked = 0;
    for (const { listing, url, objects } of readable) {
      if (objects.length === 0) continue; // nothing to tell a filter's matches from its misses
      const shown = grants ? enabledFlags(grants, types, (t) => t === listing.queryType) : null;
      await checkFilters(ctx, listing, url, token, objects, n, shown);
      checked++;
    }
    ctx.check(checked > 0, "10", "the Direct Access token lists no object in any Customer Data listing, so no filter can be checked");
  },
};
