/**
 * The reference server passes the whole suite, run through the library and
 * through the `cds-conformance` command (whose JSON and JUnit files are read
 * back). The one scenario that does not apply (a moved Server, CDS-WG1-01 §5)
 * is reported skipped with its reason; every other scenario must pass. The
 * library run gets the reference server's operator hooks; the command, a
 * separate process, has none, so there the scenario needing an operator
 * (CDS-WG1-02 §6.3 request answers) is skipped too, saying so.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumDriver, referenceServerOperatorHooks, runConformance, scenarios, type ConformanceReport, type Credentials } from "../src/index.ts";
import { chromiumPath, referenceCredentials, shareFilesWithNewRegistration, startReferenceServer, type RunningReference } from "./reference-server.ts";

const notApplicable = ["wg1-01/moved-metadata"];
/** The command runs out of process, where no operator hooks reach the server: these say so and skip. */
const needOperator = scenarios.filter((s) => s.id === "wg1-02/request-resolution").map((s) => s.id);

function expectAllPass(results: readonly { id: string; outcome: string; message?: string }[], skipped: readonly string[] = notApplicable) {
  const failures = results.filter((r) => r.outcome === "fail").map((r) => `${r.id}: ${r.message}`);
  expect(failures).toEqual([]);
  expect(results.filter((r) => r.outcome === "skip").map((r) => r.id)).toEqual(skipped);
  expect(results.map((r) => r.id)).toEqual(scenarios.map((s) => s.id));
}

describe("the reference server against the conformance suite", () => {
  let reference: RunningReference;
  let credentials: Credentials;
  beforeAll(async () => {
    reference = await startReferenceServer();
    credentials = { ...referenceCredentials, filesClientAdmin: await shareFilesWithNewRegistration(reference.server) };
  });
  afterAll(() => reference?.close());

  it("passes every scenario through the library", async () => {
    const driver = chromiumDriver({ executablePath: chromiumPath() });
    let report: ConformanceReport;
    try {
      report = await runConformance({ serverUrl: reference.server.url, credentials, customerDriver: driver, operatorHooks: referenceServerOperatorHooks(reference.server.operator) });
    } finally {
      await driver.close?.();
    }
    expectAllPass(report.results);
    expect(report.ok).toBe(true);
    expect(report.counts["CDS-WG1-01"].pass).toBe(scenarios.filter((s) => s.spec === "CDS-WG1-01").length - 1);
    expect(report.counts["CDS-WG1-02"].fail).toBe(0);
    expect(report.counts["CDS-WG3-01"].pass).toBe(scenarios.filter((s) => s.spec === "CDS-WG3-01").length);
    // A failure message never carries a credential.
    expect(JSON.stringify(report)).not.toContain(referenceCredentials.clientAdmin!.clientSecret);
  }, 240_000);

  it("passes every scenario through the cds-conformance command, which writes JSON and JUnit XML", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cds-conformance-"));
    try {
      const bin = fileURLToPath(new URL("../bin/cds-conformance.js", import.meta.url));
      const json = path.join(dir, "report.json");
      const junit = path.join(dir, "report.xml");
      const { app, clientAdmin, customer, otherCustomer, filesClientAdmin, directAccess } = credentials;
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [bin, reference.server.url, "--app-client-id", app!.clientId, "--app-redirect-uri", app!.redirectUri, "--app-scope", app!.scope, "--client-id", clientAdmin!.clientId, "--files-client-id", filesClientAdmin!.clientId, "--direct-access-client-id", directAccess!.clientId, "--chromium", chromiumPath(), "--json", json, "--junit", junit],
        // Secrets through the environment, as the README advises, so they stay out of process listings.
        { env: { ...process.env, CDS_CONFORMANCE_CLIENT_SECRET: clientAdmin!.clientSecret, CDS_CONFORMANCE_APP_CLIENT_SECRET: app!.clientSecret, CDS_CONFORMANCE_FILES_CLIENT_SECRET: filesClientAdmin!.clientSecret, CDS_CONFORMANCE_DIRECT_ACCESS_CLIENT_SECRET: directAccess!.clientSecret, CDS_CONFORMANCE_CUSTOMER: `${customer!.username}:${customer!.password}`, CDS_CONFORMANCE_OTHER_CUSTOMER: `${otherCustomer!.username}:${otherCustomer!.password}` }, timeout: 240_000 },
      );
      const written = JSON.parse(await readFile(json, "utf8")) as ConformanceReport;
      const skipped = [...notApplicable, ...needOperator];
      expectAllPass(written.results, scenarios.map((s) => s.id).filter((id) => skipped.includes(id)));
      for (const id of needOperator) expect(written.results.find((r) => r.id === id)!.message).toMatch(/operator/);
      const counts = written.counts;
      expect(stdout).toContain(`CDS-WG1-01: ${counts["CDS-WG1-01"].pass} passed, 0 failed, 1 skipped`);
      expect(stdout).toContain(`CDS-WG1-02: ${counts["CDS-WG1-02"].pass} passed, 0 failed, ${needOperator.length} skipped`);
      expect(stdout).toContain(`CDS-WG3-01: ${counts["CDS-WG3-01"].pass} passed, 0 failed, 0 skipped`);
      const xml = await readFile(junit, "utf8");
      expect(xml.match(/<testcase /g)).toHaveLength(scenarios.length);
      expect(xml).not.toContain("<failure");
      expect(xml.match(/<skipped /g)).toHaveLength(skipped.length);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
