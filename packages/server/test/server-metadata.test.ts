/**
 * CDS-WG1-01 endpoints: the metadata document (§3) and the coverage listing
 * (§4): ordering, the `ids` filter, pagination, conditional requests, and
 * every body checked with the generated strict validators.
 */
import { validateCoverageListing, validateProblem, validateOAuthServerMetadata } from "@cds-toolkit/validators";
import type { CoverageListing } from "@cds-toolkit/types";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { coverageEntries, serverMetadata } from "../src/db/schema.ts";
import { demoCoverage } from "../src/demo/demo-utility.ts";
import { seedDemoData } from "../src/demo/seed.ts";
import { decodeCursor, encodeCursor } from "../src/server-metadata/cursor.ts";
import { describeEachDatabase } from "./helpers/databases.ts";
import { testServer } from "./helpers/servers.ts";
import type { LogCapture } from "./helpers/servers.ts";
import type { CdsServer } from "../src/server.ts";

/** Demo entries newest `updated` first, as §4.1 orders them. */
const demoOrder = [...demoCoverage].sort((a, b) => b.updated!.getTime() - a.updated!.getTime()).map((e) => e.id);

describeEachDatabase("CDS-WG1-01 endpoints", (under) => {
  let server: CdsServer & { logs: LogCapture };

  // One server per suite: it keeps no state between requests, so emptied tables are a fresh start.
  beforeAll(async () => {
    server = await testServer({ database: under.database });
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(async () => {
    await seedDemoData(under.database.db, null);
    server.documents.invalidate();
    server.logs.lines.length = 0;
  });

  const get = (url: string, headers: Record<string, string> = {}) => server.app.inject({ method: "GET", url, headers });

  /** GETs a listing page (absolute `next`/`previous` links included) and checks it against the contract. */
  async function listing(url: string): Promise<CoverageListing> {
    const res = await get(url.replace(server.url, ""));
    expect(res.statusCode, res.body).toBe(200);
    const result = validateCoverageListing(res.json(), "strict");
    if (!result.ok) expect.fail(result.errors.map((e) => e.message).join("\n"));
    return result.value;
  }

  async function expectProblem(url: string, status: number) {
    const res = await get(url);
    expect(res.statusCode).toBe(status);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    const result = validateProblem(res.json(), "strict");
    if (!result.ok) expect.fail(result.errors.map((e) => e.message).join("\n"));
    expect(res.body).not.toMatch(/\bat .*\.(ts|js):\d+/); // no stack trace
    return result.value;
  }

  describe("metadata document (§3)", () => {
    it("serves the demo utility's metadata with the CDS-WG1-02 §3.1 extension, valid in strict mode, with URLs from the issuer", async () => {
      const res = await get("/.well-known/cds-server-metadata.json");
      expect(res.statusCode).toBe(200);
      expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
      const result = validateOAuthServerMetadata(res.json(), "strict");
      if (!result.ok) expect.fail(result.errors.map((e) => e.message).join("\n"));
      expect(result.value).toMatchObject({
        cds_metadata_version: "v1",
        cds_metadata_url: `${server.url}/.well-known/cds-server-metadata.json`,
        name: "Demo Gas & Electric",
        capabilities: ["coverage", "oauth"],
        coverage: `${server.url}/cds-coverage.json`,
        oauth_metadata: `${server.url}/.well-known/oauth-authorization-server`,
      });
    });

    it("ignores a forged Host header when building URLs", async () => {
      const res = await get("/.well-known/cds-server-metadata.json", { host: "attacker.example" });
      expect(res.json().coverage).toBe(`${server.url}/cds-coverage.json`);
    });

    it("answers 304 to a matching If-None-Match, weak or strong, and 200 otherwise", async () => {
      const first = await get("/.well-known/cds-server-metadata.json");
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^"[\w-]+"$/);
      for (const header of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
        const res = await get("/.well-known/cds-server-metadata.json", { "if-none-match": header });
        expect(res.statusCode, header).toBe(304);
        expect(res.body).toBe("");
        expect(res.headers.etag).toBe(etag);
      }
      expect((await get("/.well-known/cds-server-metadata.json", { "if-none-match": '"stale"' })).statusCode).toBe(200);
    });

    it("changes its ETag when the document changes", async () => {
      const before = (await get("/.well-known/cds-server-metadata.json")).headers.etag;
      await under.database.db.update(serverMetadata).set({ name: "Demo Gas & Electric Co.", updated: new Date() });
      // The server keeps these documents in memory; this write bypassed it.
      server.documents.invalidate();
      const res = await get("/.well-known/cds-server-metadata.json", { "if-none-match": before as string });
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).not.toBe(before);
    });

    it("serves a change written through another instance on the same database within a second, on every instance", async () => {
      const other = await testServer({ database: under.database });
      try {
        const before = (await get("/.well-known/cds-server-metadata.json")).headers.etag;
        expect((await other.app.inject({ method: "GET", url: "/.well-known/cds-server-metadata.json" })).json().name).not.toBe("Renamed Utility");
        // Written as another instance would: neither server is told.
        await under.database.db.update(serverMetadata).set({ name: "Renamed Utility", updated: new Date() });
        const changedAt = performance.now();
        for (const instance of [server, other]) {
          await vi.waitFor(
            async () => {
              const res = await instance.app.inject({ method: "GET", url: "/.well-known/cds-server-metadata.json" });
              expect(res.json().name).toBe("Renamed Utility");
              expect(res.headers.etag).not.toBe(before);
            },
            { timeout: 3000, interval: 50 },
          );
        }
        // The freshness bound (document-cache.ts), with slack for a loaded machine.
        expect(performance.now() - changedAt).toBeLessThan(2500);
      } finally {
        await other.close();
      }
    });

    it("answers 503 problem+json when no metadata is configured", async () => {
      await under.database.db.delete(serverMetadata);
      // The server keeps these documents in memory; this write bypassed it.
      server.documents.invalidate();
      const body = await expectProblem("/.well-known/cds-server-metadata.json", 503);
      expect(body.detail).toMatch(/no metadata/);
    });

    it("answers 500 problem+json, and logs the broken rule, when its data breaks the contract", async () => {
      await under.database.db.update(coverageEntries).set({ country: "usa" });
      // The server keeps these documents in memory; this write bypassed it.
      server.documents.invalidate();
      const body = await expectProblem("/cds-coverage.json", 500);
      expect(body.detail).toMatch(/bug in the server/);
      const logged = server.logs.records().find((r) => r.msg === "response body fails the contract; answering 500 instead");
      expect(logged).toMatchObject({ model: "CoverageListing" });
      expect(JSON.stringify(logged)).toContain("/coverage_entries/0/country");
      // Pointers and rules only: never the values.
      expect(JSON.stringify(logged)).not.toContain("usa");
    });
  });

  describe("coverage listing (§4)", () => {
    it("lists every entry newest `updated` first, on one page, with null links", async () => {
      const page = await listing("/cds-coverage.json");
      expect(page.coverage_entries.map((e) => e.id)).toEqual(demoOrder);
      expect(page.next).toBeNull();
      expect(page.previous).toBeNull();
      const kinds = new Set(page.coverage_entries.map((e) => e.type));
      expect(kinds).toEqual(new Set(["geographic", "logical"]));
    });

    it.each([
      ["one id", "dge_gas", ["dge_gas"]],
      ["several ids, in any order", "dge_large_commercial dge_elec_north", ["dge_elec_north", "dge_large_commercial"]],
      ["unknown ids ignored", "dge_gas nope", ["dge_gas"]],
      ["only unknown ids", "nope", []],
      ["extra spaces", "  dge_gas   dge_elec_south ", ["dge_gas", "dge_elec_south"]],
      ["an empty value (no filter)", "", demoOrder],
    ])("filters by `ids` (§4.2): %s", async (_name, ids, expected) => {
      const page = await listing(`/cds-coverage.json?ids=${encodeURIComponent(ids)}`);
      expect(page.coverage_entries.map((e) => e.id)).toEqual(expected);
    });

    it.each([1, 2, 3])("walks every page forwards and back with page_size=%i", async (size) => {
      const forward: string[] = [];
      const pages: CoverageListing[] = [];
      let url: string | null = `/cds-coverage.json?page_size=${size}`;
      while (url) {
        const page = await listing(url);
        pages.push(page);
        forward.push(...page.coverage_entries.map((e) => e.id));
        expect(page.coverage_entries.length).toBeLessThanOrEqual(size);
        url = page.next;
      }
      expect(forward).toEqual(demoOrder);
      expect(pages[0]!.previous).toBeNull();
      expect(pages.length).toBe(Math.ceil(demoOrder.length / size));

      // Back from the last page, following `previous`, visits the same pages in reverse.
      const backward: string[][] = [];
      let back: string | null = pages.at(-1)!.previous;
      while (back) {
        const page = await listing(back);
        backward.push(page.coverage_entries.map((e) => e.id));
        back = page.previous;
      }
      expect(backward.reverse()).toEqual(pages.slice(0, -1).map((p) => p.coverage_entries.map((e) => e.id)));
    });

    it("keeps the `ids` filter and page size in its links", async () => {
      const page = await listing("/cds-coverage.json?ids=dge_gas%20dge_elec_north%20dge_elec_south&page_size=2");
      expect(page.coverage_entries.map((e) => e.id)).toEqual(["dge_elec_north", "dge_gas"]);
      const next = new URL(page.next!);
      expect(next.origin + next.pathname).toBe(`${server.url}/cds-coverage.json`);
      expect(next.searchParams.get("ids")).toBe("dge_gas dge_elec_north dge_elec_south");
      expect(next.searchParams.get("page_size")).toBe("2");
      const second = await listing(page.next!);
      expect(second.coverage_entries.map((e) => e.id)).toEqual(["dge_elec_south"]);
      expect(second.next).toBeNull();
    });

    it("orders entries updated at the same instant by id, so pages never overlap", async () => {
      const same = new Date("2025-06-01T00:00:00.000Z");
      await under.database.db.update(coverageEntries).set({ updated: same });
      // The server keeps these documents in memory; this write bypassed it.
      server.documents.invalidate();
      const ids: string[] = [];
      let url: string | null = "/cds-coverage.json?page_size=1";
      while (url) {
        const page = await listing(url);
        ids.push(...page.coverage_entries.map((e) => e.id));
        url = page.next;
      }
      expect(ids).toEqual([...demoOrder].sort().reverse());
    });

    it("answers 304 to a matching If-None-Match", async () => {
      const first = await get("/cds-coverage.json?page_size=2");
      const res = await get("/cds-coverage.json?page_size=2", { "if-none-match": first.headers.etag as string });
      expect(res.statusCode).toBe(304);
    });

    it.each([
      ["page_size=0", "query:page_size"],
      ["page_size=101", "query:page_size"],
      ["page_size=two", "query:page_size"],
      ["cursor=not-a-cursor", "query:cursor"],
      ["ids=dge_gas&ids=dge_elec_north", "query:ids"],
      [`cursor=${Buffer.from('["a","yesterday","x"]').toString("base64url")}`, "query:cursor"],
    ])("rejects %s with 400 problem+json naming the parameter", async (query, pointer) => {
      const body = await expectProblem(`/cds-coverage.json?${query}`, 400);
      expect(body.errors?.map((e) => e.pointer)).toEqual([pointer]);
    });
  });

  describe("errors and limits", () => {
    it("answers unknown paths with 404 problem+json", async () => {
      await expectProblem("/nothing-here", 404);
    });

    it("sends rate-limit headers, and 429 problem+json with Retry-After past the limit", async () => {
      const limited = await testServer({ database: under.database, settings: { rateLimitPerMinute: "2" } });
      try {
        const statuses: number[] = [];
        let last;
        for (let i = 0; i < 3; i++) {
          last = await limited.app.inject({ method: "GET", url: "/.well-known/cds-server-metadata.json" });
          statuses.push(last.statusCode);
          expect(last.headers["ratelimit-limit"]).toBe("2");
        }
        expect(statuses).toEqual([200, 200, 429]);
        expect(last!.headers["ratelimit-remaining"]).toBe("0");
        expect(Number(last!.headers["retry-after"])).toBeGreaterThan(0);
        expect(last!.headers["content-type"]).toMatch(/^application\/problem\+json/);
        expect(validateProblem(last!.json(), "strict").ok).toBe(true);
      } finally {
        await limited.close();
      }
    });

    it("counts requests in each instance's memory: the budget is per instance (http/rate-limit.ts)", async () => {
      const a = await testServer({ database: under.database, settings: { rateLimitPerMinute: "2" } });
      const b = await testServer({ database: under.database, settings: { rateLimitPerMinute: "2" } });
      try {
        const url = "/.well-known/cds-server-metadata.json";
        const statuses = async (server: typeof a, n: number) => {
          const out: number[] = [];
          for (let i = 0; i < n; i++) out.push((await server.app.inject({ url })).statusCode);
          return out;
        };
        expect(await statuses(a, 3)).toEqual([200, 200, 429]);
        // Another instance on the same database has its own, untouched budget.
        expect(await statuses(b, 3)).toEqual([200, 200, 429]);
        const refused = await a.app.inject({ url });
        expect(refused.statusCode).toBe(429);
        expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
      } finally {
        await a.close();
        await b.close();
      }
    });
  });
});

describe("coverage cursors", () => {
  it("round-trip and reject anything else", () => {
    const cursor = { direction: "after" as const, updated: new Date("2025-01-10T08:00:00.000Z"), id: "dge_gas" };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    for (const bad of ["", "!!", Buffer.from("{}").toString("base64url"), Buffer.from('["x","2025-01-10T08:00:00.000Z","a"]').toString("base64url")]) {
      expect(decodeCursor(bad), bad).toBeNull();
    }
  });
});
