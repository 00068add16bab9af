/**
 * The early answer of the public documents (http/public-document-fast-path.ts)
 * is an optimisation only: for any request, a server with it answers exactly
 * as a server without it (status, headers in order, body bytes, log lines),
 * including past the rate limit, for HEAD, conditional requests and query
 * strings the route refuses or ignores.
 */
import fc from "fast-check";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, beforeEach, expect, it, vi } from "vitest";
import { seedDemoData } from "../src/demo/seed.ts";
import type { CdsServer } from "../src/server.ts";
import { describeEachDatabase } from "./helpers/databases.ts";
import { testServer, type LogCapture } from "./helpers/servers.ts";

type TestServer = CdsServer & { logs: LogCapture };

interface Request {
  method: "GET" | "HEAD" | "POST" | "OPTIONS" | "DELETE";
  url: string;
  headers: Record<string, string>;
}

const METADATA = "/.well-known/cds-server-metadata.json";
const COVERAGE = "/cds-coverage.json";
const OAUTH_METADATA = "/.well-known/oauth-authorization-server";

/** What a client and an operator can see of one answer; `Date` aside, and the limiter's seconds when `looseReset`. */
async function observe(server: TestServer, request: Request, looseReset = false) {
  const before = server.logs.lines.length;
  const res: LightMyRequestResponse = await server.app.inject(request);
  const headers = Object.entries(res.headers).filter(([name]) => name !== "date");
  const seconds = (name: string) => Number(res.headers[name]);
  const logs = server.logs
    .records()
    .slice(before)
    .map((r) => [r.level, r.msg, (r.res as { statusCode?: number } | undefined)?.statusCode]);
  return {
    status: res.statusCode,
    headers: looseReset ? headers.filter(([name]) => name !== "ratelimit-reset" && name !== "retry-after") : headers,
    body: res.rawPayload.toString("base64"),
    logs,
    reset: looseReset ? [seconds("ratelimit-reset"), seconds("retry-after")] : [],
  };
}

/** Requests around the two documents: methods, query strings the route reads, ignores or refuses, conditional headers. */
function requests(tags: string[]): fc.Arbitrary<Request> {
  const name = fc.constantFrom("ids", "page_size", "cursor", "foo", "IDS", "ids+", "%69ds", "x%41", "", "a#b", "b;c", "page_size[]");
  const value = fc.constantFrom("", "1", "20", "100", "101", "0", "1e1", "+5", "abc", "dge_gas", "dge_gas+dge_electric", "%00", "%ZZ", "%20", "a;b", "#");
  const query = fc.option(fc.array(fc.tuple(name, fc.option(value)), { maxLength: 3 }).map((pairs) => pairs.map(([n, v]) => (v === null ? n : `${n}=${v}`)).join("&")));
  const path = fc.constantFrom(METADATA, COVERAGE, OAUTH_METADATA, METADATA, COVERAGE, OAUTH_METADATA, `${COVERAGE}/`, "/.well-known/CDS-server-metadata.json", `${METADATA}%00`, `${OAUTH_METADATA}%20`);
  const ifNoneMatch = fc.option(fc.constantFrom(...tags, ...tags.map((t) => `W/${t}`), "*", '"nope"', `"nope", ${tags[0]}`, "", "garbage"));
  return fc.record({
    method: fc.constantFrom("GET", "HEAD", "GET", "HEAD", "POST", "OPTIONS", "DELETE"),
    url: fc.tuple(path, query).map(([p, q]) => (q === null ? p : `${p}?${q}`)),
    headers: fc
      .tuple(
        ifNoneMatch,
        fc.option(fc.constantFrom("203.0.113.9", "garbage")),
        fc.option(fc.constantFrom("application/json", "*/*", "text/html")),
        // CORS: oidc-provider answers the RFC 8414 document to an Origin with that origin.
        fc.option(fc.constantFrom("https://client.example", "null", "")),
      )
      .map(([inm, forwarded, accept, origin]) => ({
        ...(inm === null ? {} : { "if-none-match": inm }),
        ...(forwarded === null ? {} : { "x-forwarded-for": forwarded }),
        ...(accept === null ? {} : { accept }),
        ...(origin === null ? {} : { origin }),
      })),
  }) as fc.Arbitrary<Request>;
}

describeEachDatabase("public documents' early answer", (under) => {
  let fast: TestServer;
  let normal: TestServer;
  let fastLimited: TestServer;
  let normalLimited: TestServer;

  beforeAll(async () => {
    // One issuer for all four: the documents' URLs (and so their bytes and tags) come from it.
    const settings = { issuerUrl: "https://cds.example" };
    const limited = { ...settings, rateLimitPerMinute: "3" };
    fast = await testServer({ database: under.database, settings });
    normal = await testServer({ database: under.database, settings, publicDocumentFastPath: false });
    fastLimited = await testServer({ database: under.database, settings: limited });
    normalLimited = await testServer({ database: under.database, settings: limited, publicDocumentFastPath: false });
  });
  afterAll(async () => {
    for (const server of [fast, normal, fastLimited, normalLimited]) await server?.close();
  });
  const all = () => [fast, normal, fastLimited, normalLimited];
  beforeEach(async () => {
    await seedDemoData(under.database.db, null);
    for (const server of all()) {
      server.documents.invalidate();
      server.resetRateLimits();
    }
  });

  /** The documents' current tags, for If-None-Match values that match. */
  async function currentTags(): Promise<string[]> {
    const tags = [];
    for (const url of [METADATA, COVERAGE, OAUTH_METADATA]) tags.push((await normal.app.inject({ url })).headers.etag as string);
    expect(tags.every((t) => /^"[\w-]+"$/.test(t))).toBe(true);
    return tags;
  }

  it("answers a plain GET of each document without the route's handler once the document is loaded", async () => {
    for (const [url, load] of [
      [METADATA, "metadata"],
      [COVERAGE, "coveragePage"],
      // oidc-provider asks for the CDS fields on every answer of its own.
      [OAUTH_METADATA, "cdsFields"],
    ] as const) {
      await fast.app.inject({ url });
      const handlerLoads = vi.spyOn(fast.documents, load);
      try {
        const statuses = [];
        for (let i = 0; i < 10; i++) statuses.push((await fast.app.inject({ url })).statusCode);
        expect(statuses).toEqual(Array(10).fill(200));
        // A reload once the document is a second old goes through the route; ten in a row never all are.
        expect(handlerLoads.mock.calls.length).toBeLessThan(10);
      } finally {
        handlerLoads.mockRestore();
      }
    }
  });

  it("answers every request as the whole hook chain does", async () => {
    const tags = await currentTags();
    await fc.assert(
      fc.asyncProperty(requests(tags), async (request) => {
        // A fresh budget each time: both windows start with this request, so even the limiter's seconds agree.
        fast.resetRateLimits();
        normal.resetRateLimits();
        // Warm both (the early answer needs the document in memory), then compare.
        await normal.app.inject(request);
        await fast.app.inject(request);
        expect(await observe(fast, request)).toEqual(await observe(normal, request));
      }),
      {
        numRuns: 150,
        // Found by the limiter property: Fastify's HEAD route gives an empty answer `Content-Length: 0`, Koa's 304 has none.
        examples: [[{ method: "HEAD", url: OAUTH_METADATA, headers: { "if-none-match": "*" } }]],
      },
    );
  });

  it("counts and refuses as the limiter does: the same answers, in the same order, past the limit", async () => {
    const tags = await currentTags();
    await fc.assert(
      fc.asyncProperty(fc.array(requests(tags), { minLength: 1, maxLength: 6 }), async (sequence) => {
        fastLimited.resetRateLimits();
        normalLimited.resetRateLimits();
        for (const request of sequence) {
          const [a, b] = [await observe(fastLimited, request, true), await observe(normalLimited, request, true)];
          // The two windows started a few milliseconds apart: their seconds to reset may straddle one second.
          for (const [i, seconds] of a.reset.entries()) {
            if (Number.isNaN(seconds)) expect(b.reset[i]).toBeNaN();
            else expect(Math.abs(seconds - b.reset[i]!)).toBeLessThanOrEqual(1);
          }
          expect({ ...a, reset: [] }).toEqual({ ...b, reset: [] });
        }
      }),
      { numRuns: 40 },
    );
  });
});
