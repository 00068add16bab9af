/**
 * vitest global setup: finds Debian's Chromium for the docs browser tests and,
 * where it is missing and the run is root on Debian, installs Debian's
 * `chromium` package first (the test command sets up what it needs;
 * `CDS_TEST_INSTALL_CHROMIUM=0` turns that off). Without it the browser
 * suites are skipped and their names say why. Runs after the PostgreSQL set-up
 * (vitest runs global setups in order), so the two apt-get runs never overlap.
 */
import { execFile } from "node:child_process";
import { access } from "node:fs/promises";
import { promisify } from "node:util";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** The Chromium executable, or null when the browser tests are skipped. */
    chromiumPath: string | null;
    chromiumSkipReason: string;
  }
}

const run = promisify(execFile);
const CANDIDATES = [process.env.CDS_TEST_CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter((p): p is string => !!p);

const exists = (file: string) => access(file).then(() => true, () => false);

async function findChromium(): Promise<string | null> {
  for (const candidate of CANDIDATES) if (await exists(candidate)) return candidate;
  return null;
}

export async function installChromium(): Promise<string | null> {
  if (process.env.CDS_TEST_INSTALL_CHROMIUM === "0" || process.getuid?.() !== 0 || !(await exists("/usr/bin/apt-get"))) return null;
  console.log("\n[docs tests] Chromium not found: installing Debian's chromium package (apt-get, a minute or two)…");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  try {
    await run("apt-get", ["update", "-qq"], { env, timeout: 300_000 });
    await run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "chromium"], { env, timeout: 900_000, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    console.log(`[docs tests] installing chromium failed: ${(error as Error).message.split("\n")[0]}`);
    return null;
  }
  const found = await findChromium();
  console.log(`[docs tests] Chromium installed: ${found ?? "but no executable found"}\n`);
  return found;
}

export default async function setup(project: TestProject): Promise<void> {
  const found = (await findChromium()) ?? (await installChromium());
  project.provide("chromiumPath", found);
  project.provide("chromiumSkipReason", found ? "" : "no Chromium (/usr/bin/chromium) and it could not be installed; set CDS_TEST_CHROMIUM");
}
