/** CDS-WG1-01 Server Metadata: the metadata document, the coverage listing, conditional requests, migration. */
import type { ScenarioContext } from "../../context.js";
import { isObject } from "../../context.js";
import { describe } from "../../http.js";
import type { Scenario } from "../../scenario.js";
import { range } from "../musts-ids.js";
import { coverageUrl, fetchPage, walkForward } from "./listing-walk.js";

const spec = "CDS-WG1-01" as const;
const wellKnown = "/.well-known/cds-server-metadata.json";

const metadataFields: Scenario = {
  id: "wg1-01/metadata-fields",
  spec,
  title: "The well-known metadata is public, strictly valid and self-consistent",
  sections: ["3", "3.1", "3.2", "3.4", "8.1"],
  musts: ["WG1-01-3-2", "WG1-01-3.1-1", ...range("WG1-01-3.2-", 1, 12), "WG1-01-3.4-1", "WG1-01-4-1", "WG1-01-8.1-2"],
  async run(ctx: ScenarioContext) {
    // No credentials of any kind: the well-known URL must answer anyone (§8.1).
    const res = await ctx.request(ctx.url(wellKnown));
    ctx.expectStatus(res, 200, "3.1", `GET ${wellKnown} without authentication`);
    ctx.check(/application\/json/.test(res.headers.get("content-type") ?? ""), "3", "the metadata is not served as application/json");
    ctx.check(isObject(res.json), "3", "the metadata body is not a JSON object");
    const metadata = res.json;
    ctx.conforms("ServerMetadata", metadata, "3.2", "the metadata object");
    ctx.check(metadata.cds_metadata_version === "v1", "3.2", `cds_metadata_version is ${JSON.stringify(metadata.cds_metadata_version)}, not "v1"`);
    const caps = metadata.capabilities as unknown[];
    if (caps.includes("coverage")) ctx.check(typeof metadata.coverage === "string", "3.4", "`coverage` is listed as a capability but the `coverage` URL is missing");
    // Related metadata documents share the format (§3.3).
    for (const related of Array.isArray(metadata.related_metadata) ? metadata.related_metadata : []) {
      const r = await ctx.request(String(related));
      ctx.expectStatus(r, 200, "3.3", `related metadata ${String(related)}`);
      ctx.conforms("ServerMetadata", r.json, "3.2", `the related metadata at ${String(related)}`);
    }
  },
};

const conditionalRequests: Scenario = {
  id: "wg1-01/conditional-requests",
  spec,
  title: "Conditional requests: a cached copy is confirmed with 304 or refreshed with 200, never an error",
  sections: ["3", "4"],
  musts: ["WG1-01-3-2", "WG1-01-4-2"],
  async run(ctx: ScenarioContext) {
    const targets = [ctx.url(wellKnown)];
    const metadata = await ctx.serverMetadata();
    if (typeof metadata.coverage === "string") targets.push(metadata.coverage);
    for (const [i, url] of targets.entries()) {
      const section = i === 0 ? "3" : "4";
      const first = await ctx.request(url);
      ctx.expectStatus(first, 200, section, `GET ${new URL(url).pathname}`);
      const etag = first.headers.get("etag");
      const lastModified = first.headers.get("last-modified");
      if (!etag && !lastModified) continue; // §3 makes cache validators optional; nothing to revalidate.
      const again = await ctx.request(url, { headers: etag ? { "if-none-match": etag } : { "if-modified-since": lastModified! } });
      ctx.expectStatus(again, [200, 304], section, `GET ${new URL(url).pathname} revalidating an unchanged copy`);
      if (again.status === 304) ctx.check(again.text === "", section, "a 304 answer carries a body");
      if (again.status === 200) ctx.check(again.text === first.text, section, "a revalidated unchanged document came back different");
      // A validator that does not match must never produce a 304.
      const stale = await ctx.request(url, { headers: { "if-none-match": '"cds-conformance-stale"' } });
      ctx.expectStatus(stale, 200, section, `GET ${new URL(url).pathname} with a stale If-None-Match`);
      ctx.check(stale.text === first.text, section, "the document answered to a stale If-None-Match differs from the current one");
    }
  },
};

const errorStatuses: Scenario = {
  id: "wg1-01/error-statuses",
  spec,
  title: "Bad requests to metadata and coverage get an error status, not a success",
  sections: ["3", "4"],
  musts: ["WG1-01-3-3", "WG1-01-4-3"],
  async run(ctx: ScenarioContext) {
    const post = await ctx.request(ctx.url(wellKnown), { method: "POST", body: {} });
    ctx.check(post.status >= 400 && post.status < 500, "3", `POST to the metadata URL answered ${describe(post)}, not a 4xx`);
    const metadata = await ctx.serverMetadata();
    if (typeof metadata.coverage !== "string") return;
    const bad = new URL(metadata.coverage);
    bad.searchParams.set("cursor", "\u0000not-a-cursor");
    const res = await ctx.request(bad);
    ctx.check(res.status >= 400 && res.status < 500, "4", `a coverage request with a forged cursor answered ${describe(res)}, not a 4xx`);
  },
};

const coverageEntries: Scenario = {
  id: "wg1-01/coverage-entries",
  spec,
  title: "Every coverage page and entry is strictly valid, and the metadata lists their capabilities",
  sections: ["3.2", "4", "4.1", "4.3"],
  musts: ["WG1-01-3.2-11", "WG1-01-4-2", ...range("WG1-01-4.1-", 1, 3), ...range("WG1-01-4.3-", 1, 15, [7]), "WG1-01-4.3-18", "WG1-01-8.1-3"],
  async run(ctx: ScenarioContext) {
    const pages = await walkForward(ctx, await coverageUrl(ctx));
    const caps = new Set((await ctx.serverMetadata()).capabilities as string[]);
    for (const page of pages) {
      ctx.conforms("CoverageListing", page.body, "4.1", `the coverage page ${new URL(page.url).search || "(first)"}`);
      for (const entry of page.entries) {
        const id = String(entry.id);
        const entryCaps = entry.capabilities as string[];
        ctx.check(!entryCaps.includes("coverage"), "4.3", `coverage entry ${id} lists the \`coverage\` capability`);
        for (const c of entryCaps) ctx.check(caps.has(c), "3.2", `coverage entry ${id} offers \`${c}\`, which the metadata's capabilities do not list`);
        if (entry.map_resource !== undefined) ctx.check(typeof entry.map_content_type === "string", "4.3", `coverage entry ${id} has a map_resource without map_content_type`);
        if (entry.type === "geographic") ctx.check(entry.map_resource !== undefined || entry.geojson_resource !== undefined, "4.3", `geographic coverage entry ${id} links neither a map nor GeoJSON`);
        // Linked resources need no more authentication than the listing itself (§8.1). Only the
        // Server's own links are probed: a map hosted elsewhere is another host's business.
        for (const link of [entry.map_resource, entry.geojson_resource]) {
          if (typeof link !== "string" || new URL(link).origin !== new URL(ctx.serverUrl).origin) continue;
          const r = await ctx.request(link);
          ctx.check(r.status !== 401 && r.status !== 403, "8.1", `coverage entry ${id} links ${link}, which asks for authentication (${r.status})`);
        }
      }
    }
  },
};

const coverageOrdering: Scenario = {
  id: "wg1-01/coverage-ordering",
  spec,
  title: "Coverage entries come most recently updated first, within and across pages",
  sections: ["4.1"],
  musts: ["WG1-01-4.1-4"],
  async run(ctx: ScenarioContext) {
    const entries = (await walkForward(ctx, await coverageUrl(ctx))).flatMap((p) => p.entries);
    for (let i = 1; i < entries.length; i++) {
      const [a, b] = [entries[i - 1]!, entries[i]!];
      ctx.check(Date.parse(String(a.updated)) >= Date.parse(String(b.updated)), "4.1", `coverage entry ${String(a.id)} (updated ${String(a.updated)}) is listed before ${String(b.id)} (updated ${String(b.updated)}): not newest first`);
    }
  },
};

const coveragePagination: Scenario = {
  id: "wg1-01/coverage-pagination",
  spec,
  title: "Coverage pages have no duplicates or gaps, and `previous` walks back over the same pages",
  sections: ["4.1"],
  musts: ["WG1-01-4.1-2", "WG1-01-4.1-3"],
  async run(ctx: ScenarioContext) {
    const first = await coverageUrl(ctx);
    const pages = await walkForward(ctx, first);
    ctx.check(pages[0]!.body.previous === null, "4.1", "the first coverage page has a `previous` link");
    const ids = pages.flatMap((p) => p.entries.map((e) => String(e.id)));
    const dup = ids.find((id, i) => ids.indexOf(id) !== i);
    ctx.check(dup === undefined, "4.1", `coverage entry ${dup} appears on more than one page`);
    // Walking back from the last page must meet the same entries, page by page.
    let url: unknown = pages.at(-1)!.body.previous;
    for (let i = pages.length - 2; i >= 0; i--) {
      ctx.check(typeof url === "string", "4.1", `page ${i + 2} of ${pages.length} has no \`previous\` link`);
      const back = await fetchPage(ctx, url as string, "4.1");
      const want = pages[i]!.entries.map((e) => String(e.id)).join(",");
      const got = back.entries.map((e) => String(e.id)).join(",");
      ctx.check(want === got, "4.1", `walking back by \`previous\`, page ${i + 1} lists [${got}] where walking forward listed [${want}]`);
      url = back.body.previous;
    }
    ctx.check(url === null, "4.1", "walking back by `previous` does not end at a page whose `previous` is null");
  },
};

const coverageFilters: Scenario = {
  id: "wg1-01/coverage-filters",
  spec,
  title: "The `ids` filter returns exactly the entries named",
  sections: ["4.2"],
  musts: ["WG1-01-4.2-1", "WG1-01-4.2-2"],
  async run(ctx: ScenarioContext) {
    const first = await coverageUrl(ctx);
    const all = (await walkForward(ctx, first)).flatMap((p) => p.entries.map((e) => String(e.id)));
    if (all.length === 0) ctx.skip("the coverage listing is empty: nothing to filter");
    const wanted = all.length > 2 ? [all[0]!, all.at(-1)!] : [all[0]!];
    const cases: [string[], string[]][] = [
      [wanted, wanted],
      [[...wanted, "cds-conformance-no-such-entry"], wanted],
      [["cds-conformance-no-such-entry"], []],
    ];
    for (const [ids, expected] of cases) {
      const url = new URL(first);
      url.searchParams.set("ids", ids.join(" "));
      const got = (await walkForward(ctx, url.toString())).flatMap((p) => p.entries.map((e) => String(e.id)));
      const exact = got.length === expected.length && expected.every((id) => got.includes(id));
      ctx.check(exact, "4.2", `ids=${ids.join(" ")} listed [${got.join(", ")}], not exactly [${expected.join(", ")}]`);
    }
  },
};

const movedMetadata: Scenario = {
  id: "wg1-01/moved-metadata",
  spec,
  title: "A moved Server redirects its old well-known URL to the new metadata",
  sections: ["5"],
  musts: ["WG1-01-5-4"],
  async run(ctx: ScenarioContext) {
    const previous = ctx.options.previousMetadataUrl;
    if (!previous) ctx.skip("§5 applies to a Server that moved: give its old metadata URL (previousMetadataUrl / --previous-metadata-url)");
    const res = await ctx.request(previous);
    ctx.expectStatus(res, [301, 302], "5", `GET the old metadata URL ${previous}`);
    const location = res.headers.get("location");
    ctx.check(location, "5", "the redirect from the old metadata URL has no Location header");
    const target = new URL(location, previous).toString();
    ctx.check(target === ctx.url(wellKnown), "5", `the old metadata URL redirects to ${target}, not to ${ctx.url(wellKnown)}`);
  },
};

export const wg101Scenarios: Scenario[] = [metadataFields, conditionalRequests, errorStatuses, coverageEntries, coverageOrdering, coveragePagination, coverageFilters, movedMetadata];
