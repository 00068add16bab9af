/**
 * The docs as a person gets them: the reference server (with demo data, on a
 * free loopback port, on the migrated PGlite snapshot of the test set-up)
 * serving the built site, and headless Debian Chromium driven by
 * playwright-core, with every request that would leave localhost blocked and
 * recorded, and every console error and page error collected.
 */
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { inject } from "vitest";
import { createServer, openDatabase, parseConfig, type CdsServer, type Database } from "../../../server/src/index.ts";
import { siteDir } from "../../site.js";

export const artifactsDir = path.resolve(import.meta.dirname, "../../test-artifacts");

/** Flags from shared notes: without them Chromium tries to reach update, sync and field-trial servers. */
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"];

export interface DocsSession {
  server: CdsServer;
  browser: Browser;
  context: BrowserContext;
  /** Requests to anything but the server, blocked. */
  offsite: string[];
  /** Console errors and uncaught page errors, with the page URL. */
  errors: string[];
  open(pathname: string): Promise<Page>;
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

export async function startDocsSession(chromiumPath: string): Promise<DocsSession> {
  const snapshot = new Blob([await readFile(inject("pgliteSnapshot"))]);
  const database: Database = await openDatabase({ kind: "pglite", dataDir: null }, { pgliteSnapshot: snapshot });
  const config = parseConfig({ port: "0", demoData: "true", logLevel: "warn", rateLimitPerMinute: "100000", docsDir: siteDir });
  const server = await createServer({ config, database, logStream: { write() {} } });
  await server.listen();
  const origin = new URL(server.url).origin;

  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const offsite: string[] = [];
  const errors: string[] = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`) || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
    offsite.push(url);
    return route.abort("blockedbyclient");
  });
  await mkdir(artifactsDir, { recursive: true });

  return {
    server,
    browser,
    context,
    offsite,
    errors,
    async open(pathname) {
      const page = await context.newPage();
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(`${page.url()}: ${message.text()}`);
      });
      page.on("pageerror", (error) => errors.push(`${page.url()}: ${error.message}`));
      const response = await page.goto(`${origin}${pathname}`, { waitUntil: "networkidle" });
      if (!response || response.status() !== 200) throw new Error(`${pathname} answered ${response?.status() ?? "nothing"}`);
      return page;
    },
    async screenshot(page, name) {
      await page.screenshot({ path: path.join(artifactsDir, `${name}.png`), fullPage: false });
    },
    async close() {
      await browser.close();
      await server.close();
      await database.close();
    },
  };
}
