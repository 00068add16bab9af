/**
 * Headless Debian Chromium driven by playwright-core (which cannot download a
 * browser here). The docs package's vitest global setup finds it, installing
 * Debian's `chromium` when missing (packages/docs/test/setup/chromium.ts); a
 * run without it fails here rather than skipping the form's browser tests.
 */
import { chromium, type Browser } from "playwright-core";
import { inject } from "vitest";

export async function launchChromium(): Promise<Browser> {
  const executablePath = inject("chromiumPath");
  if (!executablePath) throw new Error(`the Authorization Form browser tests need Chromium: ${inject("chromiumSkipReason")}`);
  return chromium.launch({
    executablePath,
    // Off the network: no update checks, sync or component downloads.
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}
