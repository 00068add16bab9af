/** Walks a paginated Coverage Listing (CDS-WG1-01 §4.1) by its `next` links, and back by `previous`. */
import type { ScenarioContext, Json } from "../../context.js";
import { isObject } from "../../context.js";
import { describe } from "../../http.js";

export interface Page {
  url: string;
  body: Json;
  entries: Json[];
}

const MAX_PAGES = 1000;

export async function fetchPage(ctx: ScenarioContext, url: string, section: string): Promise<Page> {
  const res = await ctx.request(url);
  if (res.status !== 200 || !isObject(res.json)) ctx.fail(section, `GET ${new URL(url).pathname}${new URL(url).search} answered ${describe(res)}`);
  const entries = res.json.coverage_entries;
  if (!Array.isArray(entries)) ctx.fail("4.1", "a coverage page has no `coverage_entries` list");
  return { url, body: res.json, entries: entries.filter(isObject) };
}

/** Every page from `first` on, following `next` until it is null. */
export async function walkForward(ctx: ScenarioContext, first: string): Promise<Page[]> {
  const pages: Page[] = [];
  const seen = new Set<string>();
  let url: unknown = first;
  while (typeof url === "string") {
    if (seen.has(url) || pages.length >= MAX_PAGES) ctx.fail("4.1", "the `next` links loop back to a page already visited");
    seen.add(url);
    const page = await fetchPage(ctx, url, "4");
    pages.push(page);
    url = page.body.next;
  }
  if (url !== null) ctx.fail("4.1", "`next` is neither a URL nor null");
  return pages;
}

/** The coverage URL the metadata names; skips when the Server offers no coverage. */
export async function coverageUrl(ctx: ScenarioContext): Promise<string> {
  const metadata = await ctx.serverMetadata();
  const caps = Array.isArray(metadata.capabilities) ? metadata.capabilities : [];
  if (!caps.includes("coverage")) ctx.skip("the Server does not list the `coverage` capability (CDS-WG1-01 §3.4)");
  if (typeof metadata.coverage !== "string") ctx.fail("4", "the `coverage` capability is listed but the metadata has no `coverage` URL");
  return metadata.coverage;
}
