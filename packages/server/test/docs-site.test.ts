/**
 * What a browser finds at the server's URL (issue 14): a landing page linking
 * the docs, the metadata and the walkthrough; the built docs under /docs/;
 * the contract's OpenAPI documents at stable URLs. The pages themselves are
 * tested in a real browser by packages/docs/test.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { openapiDocuments } from "@cds-toolkit/schemas";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { locateDocsSite } from "../src/routes/docs-site.ts";
import { seedDemoData } from "../src/demo/seed.ts";
import { generateClientSecret } from "../src/oauth/client-secrets.ts";
import type { CdsServer } from "../src/server.ts";
import { describeEachDatabase } from "./helpers/databases.ts";
import { testServer } from "./helpers/servers.ts";

/** The docs package's build, which the server no longer depends on: tests name it as an operator would. */
const builtSite = path.resolve(import.meta.dirname, "../../docs/dist");

describe("where the docs site comes from", () => {
  it("serves the configured directory when it holds a built site", async () => {
    expect(await locateDocsSite(builtSite)).toEqual({ dir: builtSite, missing: "" });
  });

  it("names the configured directory and the setting when it holds no site", async () => {
    const empty = await mkdtemp(path.join(tmpdir(), "cds-docs-"));
    try {
      const found = await locateDocsSite(empty);
      expect(found.dir).toBeNull();
      expect(found.missing).toContain(empty);
      expect(found.missing).toContain("CDS_DOCS_DIR");
    } finally {
      await rm(empty, { recursive: true });
    }
  });

  it("without a setting, looks for @cds-toolkit/docs at run time and says how to get it when it is not installed", async () => {
    // packages/server does not depend on the docs package, so it does not resolve from here.
    const found = await locateDocsSite(null);
    expect(found.dir).toBeNull();
    expect(found.missing).toMatch(/not installed: install and build @cds-toolkit\/docs, or set CDS_DOCS_DIR/);
  });
});

describeEachDatabase("docs site routes", (under) => {
  let server: CdsServer;
  beforeAll(async () => {
    server = await testServer({ database: under.database, settings: { docsDir: builtSite } });
    await server.listen();
  });
  afterAll(async () => {
    await server.close();
  });

  it("answers / with a landing page whose links all resolve", async () => {
    // The landing page links the metadata, which a Server without it answers with 503.
    await seedDemoData(under.database.db, generateClientSecret());
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await response.text();
    const links = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);
    expect(links).toEqual(expect.arrayContaining(["/docs/", "/.well-known/cds-server-metadata.json", "/openapi/cds-wg3-01.json"]));
    for (const link of links) {
      const target = await fetch(new URL(link, server.url));
      expect(target.status, link).toBe(200);
      // Read every body: an unread one keeps its connection busy, and closing the server waits for it.
      expect((await target.arrayBuffer()).byteLength, link).toBeGreaterThan(0);
    }
  });

  it.each([
    ["cds-wg1-01", "server-metadata"],
    ["cds-wg1-02", "client-registration"],
    ["cds-wg3-01", "customer-data"],
  ] as const)("serves /openapi/%s.json as generated", async (slug, module) => {
    const response = await fetch(`${server.url}/openapi/${slug}.json`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(openapiDocuments[module]);
  });

  it("answers an unknown OpenAPI document with a problem naming the known ones", async () => {
    const response = await fetch(`${server.url}/openapi/cds-wg9-99.json`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { detail: string }).detail).toContain("cds-wg1-01.json");
  });

  it("redirects /docs to /docs/ and serves the built site there, outside the rate limit", async () => {
    const redirect = await fetch(`${server.url}/docs`, { redirect: "manual" });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get("location")).toBe("/docs/");
    const page = await fetch(`${server.url}/docs/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("ratelimit-limit")).toBeNull();
    expect(await page.text()).toContain("CDS toolkit");
  });

  it("answers a missing docs page with the site's own 404 page for a browser, and a problem otherwise", async () => {
    const browser = await fetch(`${server.url}/docs/no-such-page.html`, { headers: { accept: "text/html,application/xhtml+xml" } });
    expect(browser.status).toBe(404);
    expect(browser.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await browser.text();
    // VitePress's not-found page: the site's shell, which renders its "page not found" view in the browser.
    expect(html).toContain("<title>404 | CDS toolkit</title>");
    expect(html).toMatch(/src="\/docs\/assets\/app\.[^"]+\.js"/);

    const api = await fetch(`${server.url}/docs/no-such-page.html`, { headers: { accept: "application/json" } });
    expect(api.status).toBe(404);
    expect(api.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(((await api.json()) as { detail: string }).detail).toContain("/docs/no-such-page.html");

    // Pages that exist are untouched by the handler.
    expect((await fetch(`${server.url}/docs/errata.html`, { headers: { accept: "text/html" } })).status).toBe(200);
  });

  it("answers /docs/ with a 503 problem, not a crash, when there is no site to serve", async () => {
    const bare = await testServer({ database: under.database });
    await bare.listen();
    try {
      const response = await fetch(`${bare.url}/docs/`);
      expect(response.status).toBe(503);
      expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(((await response.json()) as { detail: string }).detail).toContain("@cds-toolkit/docs");
      // The rest of the site is unaffected: the OpenAPI documents come from @cds-toolkit/schemas.
      expect((await fetch(`${bare.url}/openapi/cds-wg3-01.json`)).status).toBe(200);
    } finally {
      await bare.close();
    }
  });
});
