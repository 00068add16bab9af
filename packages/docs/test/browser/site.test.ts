/**
 * The docs site in a real browser (issue 14): the landing page, the docs
 * home, a reference page with a spec example and its ERRATA note, a Redoc
 * rendering, and a model page whose validator box runs
 * @cds-toolkit/validators in both modes. Throughout, nothing may leave
 * localhost and no page may log an error. Screenshots go to
 * packages/docs/test-artifacts/.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Page } from "playwright-core";
import { parseBody } from "../../../../tools/checks/examples.ts";
import type { SpecExample } from "../../../../tools/examples/model.ts";
import { computeCoverage, loadScenarios, percent, readCatalogues } from "../../../../tools/musts/coverage.ts";
import { startDocsSession, type DocsSession } from "./docs-server.ts";

const chromiumPath = inject("chromiumPath");
/**
 * How long a check waits for the page: VitePress hydrates and uPlot draws
 * after the scripts load, which on the shared 2-core machine under load took
 * longer than expect.poll's 5 s default (stop 21: different checks failed
 * on different runs, each passing on the others).
 */
const POLL = { timeout: 30_000 } as const;
const skipped = chromiumPath ? "" : ` (skipped: ${inject("chromiumSkipReason")})`;
const repoRoot = path.resolve(import.meta.dirname, "../../../..");

/** The §7 example's metadata document as the tests read it (the spec prints it with a trailing comma). */
async function serverMetadataExample(): Promise<Record<string, unknown>> {
  const example = JSON.parse(await readFile(path.join(repoRoot, "spec/examples/wg1-01/7-1.json"), "utf8")) as SpecExample;
  const body = parseBody(example.messages[1]!);
  if (body.kind !== "json") throw new Error("wg1-01/7-1 #2 should have a JSON body");
  return body.value as Record<string, unknown>;
}

describe.skipIf(!chromiumPath)(`docs site in Chromium${skipped}`, () => {
  let session: DocsSession;
  beforeAll(async () => {
    session = await startDocsSession(chromiumPath!);
  }, 60_000);
  afterAll(async () => {
    await session?.close();
  });

  it("shows a landing page at / that leads to the docs", async () => {
    const page = await session.open("/");
    await session.screenshot(page, "landing");
    expect(await page.locator("h1").textContent()).toBe("CDS reference server");
    await page.getByRole("link", { name: "Documentation" }).click();
    await page.waitForURL(/\/docs\/$/);
    await expect.poll(() => page.locator(".VPHero .name").textContent(), POLL).toContain("CDS toolkit");
    await session.screenshot(page, "docs-home");
    await page.close();
  });

  it("renders a reference page with the spec's example and its ERRATA note", async () => {
    const page = await session.open("/docs/reference/cds-wg1-01/getServerMetadata.html");
    await session.screenshot(page, "reference-getServerMetadata");
    expect(await page.locator("h1").first().textContent()).toContain("Get the CDS Server Metadata");
    // The repaired body: the §7 example parsed, pretty-printed.
    const code = await page.locator("div.language-json code").first().textContent();
    expect(JSON.parse(code!)).toEqual(await serverMetadataExample());
    const note = page.locator(".custom-block.warning").first();
    await expect.poll(() => note.textContent(), POLL).toMatch(/E-WG1-01-\d+/);
    await note.getByRole("link").first().click();
    await page.waitForURL(/\/docs\/errata\.html#e-wg1-01-\d+$/);
    const anchor = new URL(page.url()).hash.slice(1);
    await expect.poll(() => page.locator(`[id="${anchor}"]`).count(), POLL).toBe(1);
    await page.close();
  });

  it("finds a model page through the site's own search", async () => {
    const page = await session.open("/docs/");
    await page.locator(".VPNavBarSearch button").first().click();
    const input = page.locator("#localsearch-input");
    await input.fill("UsageSegmentListing");
    const first = page.locator(".VPLocalSearchBox .result").first();
    await expect.poll(() => first.textContent(), POLL).toContain("UsageSegmentListing");
    await session.screenshot(page, "search");
    await first.click();
    await page.waitForURL(/\/docs\/models\/UsageSegmentListing\.html/);
    await page.close();
  });

  it("answers a page that does not exist with the site's not-found page, linking home", async () => {
    // Opened without the session's console listener: the browser reports the 404 status itself as a console error.
    const page = await session.context.newPage();
    const response = await page.goto(`${new URL(session.server.url).origin}/docs/no-such-page.html`, { waitUntil: "networkidle" });
    expect(response?.status()).toBe(404);
    await expect.poll(() => page.locator(".NotFound").textContent(), POLL).toMatch(/page not found/i);
    await session.screenshot(page, "not-found");
    await page.locator(".NotFound a").first().click();
    await page.waitForURL(/\/docs\/$/);
    await page.close();
  });

  it("renders the Redoc reference from the bundled script", async () => {
    const page = await session.open("/docs/redoc/cds-wg1-01.html");
    // Redoc renders after its inlined bundle parses the documents: seconds on a busy 2-core machine.
    await expect.poll(() => page.getByText("List coverage entries").first().isVisible(), POLL).toBe(true);
    await session.screenshot(page, "redoc-cds-wg1-01");
    await page.close();
  });

  it("validates pasted JSON in the browser, strict and lenient", async () => {
    const page = await session.open("/docs/models/ServerMetadata.html");
    expect(await page.locator("table").first().textContent()).toContain("cds_metadata_url");
    const example = await serverMetadataExample();

    const check = async (value: unknown, mode: "strict" | "lenient") => {
      await page.locator(".cds-validator textarea").fill(JSON.stringify(value, null, 2));
      await page.locator(`.cds-validator input[value="${mode}"]`).check();
      // The last verdict was for other input: it is gone, so the one read below is this check's.
      await expect.poll(() => page.locator(".cds-validator .result").count(), POLL).toBe(0);
      await page.locator(".cds-validator button").click();
      const result = page.locator(".cds-validator .result");
      await result.waitFor();
      await expect.poll(() => result.textContent(), POLL).toMatch(new RegExp(`\\(${mode}\\)`));
      return (await result.textContent())!;
    };

    expect(await check(example, "strict")).toContain("Valid ServerMetadata (strict)");
    // A field the spec does not define: an error for a Server, ignored by a Client.
    const extended = { ...example, x_extension: true };
    const strict = await check(extended, "strict");
    expect(strict).toContain("Not a valid ServerMetadata (strict)");
    expect(strict).toContain("x_extension");
    expect(await check(extended, "lenient")).toContain("Valid ServerMetadata (lenient)");
    // A missing required field fails in both modes, naming it.
    const { support: _support, ...incomplete } = example;
    for (const mode of ["strict", "lenient"] as const) {
      const text = await check(incomplete, mode);
      expect(text).toContain(`Not a valid ServerMetadata (${mode})`);
      expect(text).toContain("/support");
    }
    await session.screenshot(page, "model-ServerMetadata-validator");
    await page.close();
  });

  it("plots the demo Usage Segments of the server's generator: usage with a gap, estimates, cost, supply mix", async () => {
    const page = await session.open("/docs/interval-data.html");
    const { demoUsageDays } = await import("../../scripts/demo-usage.ts");
    const generated = demoUsageDays();
    const { decodeUsageSegment } = await import("@cds-toolkit/validators");
    for (const [src, segment] of [["demo/usage-segment.json", generated.gap], ["demo/usage-segment-estimated.json", generated.estimated]] as const) {
      const plot = page.locator(`.cds-usage-plot[data-src="${src}"]`);
      for (const chart of ["usage", "cost", "mix"]) {
        await expect.poll(() => plot.locator(`[data-chart="${chart}"] canvas`).count(), POLL).toBe(1);
      }
      // The served file is the generator's segment, and the plot drew every interval of it, with its gaps where the segment has them.
      const served = (await (await fetch(`${session.server.url}/docs/${src}`)).json()) as typeof segment;
      expect(served).toEqual(JSON.parse(JSON.stringify(segment)));
      expect(decodeUsageSegment(served, "strict").ok).toBe(true);
      const gaps = segment.values.flatMap((row, i) => (row.every((v) => v === null) ? [i] : []));
      expect(Number(await plot.getAttribute("data-points"))).toBe(segment.values.length);
      expect(await plot.getAttribute("data-gaps")).toBe(gaps.join(","));
      const quality = segment === generated.estimated ? " (estimated)" : " (revenue)";
      const legend = (await plot.locator('[data-chart="usage"] .u-legend').textContent())!;
      for (const series of ["forward", "reverse", "net"]) expect(legend).toContain(`${series}${quality}`);
      expect(await plot.locator('[data-chart="mix"] .u-legend').textContent()).toMatch(/solar[\s\S]*general/);
    }
    // The first day has the disclosed outage (§10.8.3), the second none.
    expect(generated.gap.values.some((row) => row.every((v) => v === null))).toBe(true);
    expect(generated.estimated.formats.some((f) => "quality" in f && f.quality === "estimated")).toBe(true);
    await page.locator('[data-chart="usage"]').first().scrollIntoViewIfNeeded();
    await session.screenshot(page, "interval-data");
    await page.close();
  });

  it("has a page for every operation and every model of generated/", async () => {
    const operations: string[] = [];
    for (const file of await readdir(path.join(repoRoot, "generated/openapi"))) {
      const doc = JSON.parse(await readFile(path.join(repoRoot, "generated/openapi", file), "utf8")) as {
        info: { title: string };
        paths: Record<string, Record<string, { operationId?: string }>>;
      };
      const slug = doc.info.title.split(" ")[0]!.toLowerCase();
      for (const item of Object.values(doc.paths)) for (const op of Object.values(item)) if (op.operationId) operations.push(`reference/${slug}/${op.operationId}`);
    }
    const models = (await readdir(path.join(repoRoot, "generated/json-schema"))).map((f) => `models/${f.replace(/\.json$/, "")}`);
    expect(operations.length).toBeGreaterThan(60);
    expect(models.length).toBeGreaterThan(150);
    const missing: string[] = [];
    for (const page of [...operations, ...models]) {
      // HEAD: a response body left unread would keep its connection busy and the server from closing.
      const response = await fetch(`${session.server.url}/docs/${page}.html`, { method: "HEAD" });
      if (response.status !== 200) missing.push(page);
    }
    expect(missing).toEqual([]);
  });

  it("shows the Client quickstart's cds walkthrough: the very file the end-to-end test runs", async () => {
    // packages/client/test/year-export.test.ts runs this file with bash against the reference server.
    const script = await readFile(path.join(repoRoot, "packages/docs/pages/guides/cds-year-export.sh"), "utf8");
    const page = await session.open("/docs/guides/client-quickstart.html");
    await page.locator("#the-same-with-the-cds-command-line").waitFor();
    const blocks = await page.locator("div.language-sh code").allTextContents();
    expect(blocks.map((b) => b.trimEnd())).toContain(script.trimEnd());
    await session.screenshot(page, "client-quickstart-cds");
    await page.close();
  });

  it("lists every pending changeset on the changes page", async () => {
    const names = (await readdir(path.join(repoRoot, ".changeset"))).filter((f) => f.endsWith(".md") && f !== "README.md").map((f) => f.replace(/\.md$/, ""));
    const page = await session.open("/docs/changes.html");
    const text = (await page.locator("main").textContent())!;
    expect(names.filter((n) => !text.includes(n))).toEqual([]);
    await page.close();
  });

  it("shows the MUST coverage page: per spec, the committed catalogue's counts against the scenarios", async () => {
    const catalogues = await readCatalogues();
    const { scenarios } = await loadScenarios();
    const coverage = computeCoverage(catalogues, scenarios);
    const page = await session.open("/docs/conformance/must-coverage.html");
    const table = page.locator("main table").first().locator("tbody tr");
    expect(await table.count()).toBe(catalogues.length + 1);
    const rows = await Promise.all((await table.all()).map((row) => row.locator("td").allTextContents()));
    for (const s of coverage.specs) {
      expect(rows.find((cells) => cells[0] === s.spec), s.spec).toEqual(
        [s.spec, s.statements, s.serverTestable, s.covered.length, s.uncovered.length, s.notTestable.length, s.scenarios, percent(s.share)].map(String),
      );
    }
    // Every catalogue entry is listed once, under uncovered, covered or not testable.
    const all = catalogues.flatMap((c) => c.entries.map((e) => e.id));
    const listed = (await page.locator("main td:first-child code").allTextContents()).filter((id) => all.includes(id));
    expect(listed.toSorted()).toEqual(all.toSorted());
    await page.close();
  });

  it("has no broken internal links", async () => {
    const origin = new URL(session.server.url).origin;
    const pages = new Map<string, string>(); // path → HTML
    const queue = ["/docs/"];
    const broken: string[] = [];
    const links: Array<{ from: string; to: URL }> = [];
    while (queue.length) {
      const pathname = queue.shift()!;
      if (pages.has(pathname)) continue;
      const response = await fetch(`${origin}${pathname}`);
      if (response.status !== 200) {
        await response.body?.cancel();
        broken.push(`${pathname} (${response.status})`);
        pages.set(pathname, "");
        continue;
      }
      const html = await response.text();
      pages.set(pathname, html);
      // Redoc pages link within themselves by client-side routes; the checker follows the site's own pages.
      if (pathname.startsWith("/docs/redoc/")) continue;
      for (const [, href] of html.matchAll(/<a [^>]*href="([^"]+)"/g)) {
        const to = new URL(href!.replace(/&amp;/g, "&"), `${origin}${pathname}`);
        if (to.origin !== origin) continue;
        links.push({ from: pathname, to });
        if (!pages.has(to.pathname) && (to.pathname.endsWith(".html") || to.pathname.endsWith("/"))) queue.push(to.pathname);
        else if (!pages.has(to.pathname)) {
          const asset = await fetch(to, { method: "HEAD" });
          if (asset.status !== 200) broken.push(`${to.pathname} (${asset.status}) from ${pathname}`);
          pages.set(to.pathname, "");
        }
      }
    }
    for (const { from, to } of links) {
      if (!to.hash || to.pathname.startsWith("/docs/redoc/")) continue;
      const html = pages.get(to.pathname) ?? "";
      const id = decodeURIComponent(to.hash.slice(1));
      if (html && !html.includes(`id="${id}"`)) broken.push(`${to.pathname}${to.hash} (no such anchor) from ${from}`);
    }
    expect(pages.size).toBeGreaterThan(250);
    expect([...new Set(broken)]).toEqual([]);
  }, 120_000);

  it("sent no request off localhost and logged no errors", () => {
    expect(session.offsite).toEqual([]);
    expect(session.errors).toEqual([]);
  });
});
