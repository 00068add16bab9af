/**
 * The mutation proof: the reference server behind a proxy that injects one
 * deliberate fault at a time. For each fault the whole suite runs, and
 * exactly the scenario named for that fault must fail, with a message naming
 * the section it breaks; every other scenario keeps its verdict.
 */
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumDriver, referenceServerOperatorHooks, runConformance, scenarios, type ConformanceOptions, type Credentials, type CustomerDriver } from "../src/index.ts";
import { startFaultProxy, type Fault } from "./fault-proxy.ts";
import { chromiumPath, referenceCredentials, shareFilesWithNewRegistration, startReferenceServer, type RunningReference } from "./reference-server.ts";

/**
 * Every scenario but the two that only load the Server (120 Messages, a 48 MB
 * attachment): they touch nothing a fault changes, and six runs of them would
 * only slow the proof down.
 */
const suite = scenarios.filter((s) => s.id !== "wg1-02/messages-paging" && s.id !== "wg1-02/messages-attachment-size");

const mutations: { fault: Fault; scenario: string; section: RegExp }[] = [
  { fault: "wrong-ordering", scenario: "wg1-01/coverage-ordering", section: /^CDS-WG1-01 §4\.1: .*not newest first/ },
  { fault: "leaked-field", scenario: "wg1-01/metadata-fields", section: /^CDS-WG1-01 §3\.2: .*internal_database_host/ },
  { fault: "pkce-plain-accepted", scenario: "wg1-02/security-pkce", section: /^CDS-WG1-02 §3\.2: .*code_challenge_method=plain/ },
  { fault: "filter-ignored", scenario: "wg1-01/coverage-filters", section: /^CDS-WG1-01 §4\.2: ids=/ },
  { fault: "closed-grant-readable", scenario: "wg1-02/grant-close", section: /^CDS-WG1-02 §8\.2: a closed Grant's access token still reads/ },
  { fault: "wg3-01-filter-ignored", scenario: "wg3-01/listing-filters", section: /^CDS-WG3-01 §10\.2\.7: Service Contracts service_types=/ },
  { fault: "usage-segments-wrong-order", scenario: "wg3-01/listing-order-paging", section: /^CDS-WG3-01 §10\.8\.8: Usage Segments: .*against the section's order/ },
  { fault: "field-outside-grant", scenario: "wg3-01/grant-visibility", section: /^CDS-WG3-01 §7\.2: .*Accounts .*carry `account_name` though the Grant does not include `include_account_details`/ },
  { fault: "usage-value-set-outside-window", scenario: "wg3-01/grant-visibility", section: /^CDS-WG3-01 §7\.3\.6: .*Usage Segments .*(lie before the Grant's `segment_start`|Value Sets of intervals starting before)/ },
];

describe("mutation proof: each injected fault fails exactly its scenario", () => {
  let reference: RunningReference;
  let proxy: Awaited<ReturnType<typeof startFaultProxy>>;
  let driver: CustomerDriver;
  let credentials: Credentials;
  const options = (): ConformanceOptions => ({ serverUrl: proxy.url, credentials, customerDriver: driver, operatorHooks: referenceServerOperatorHooks(reference.server.operator) });

  beforeAll(async () => {
    proxy = await startFaultProxy();
    reference = await startReferenceServer({ issuerUrl: proxy.url });
    proxy.setUpstream(`http://127.0.0.1:${(reference.server.app.server.address() as AddressInfo).port}`);
    driver = chromiumDriver({ executablePath: chromiumPath() });
    credentials = { ...referenceCredentials, filesClientAdmin: await shareFilesWithNewRegistration(reference.server) };
  });
  afterAll(async () => {
    await driver?.close?.();
    await reference?.close();
    await proxy?.close();
  });

  it("passes through the proxy with no fault injected", async () => {
    proxy.fault = null;
    const report = await runConformance(options(), suite);
    expect(report.results.filter((r) => r.outcome === "fail").map((r) => `${r.id}: ${r.message}`)).toEqual([]);
  }, 240_000);

  for (const { fault, scenario, section } of mutations) {
    it(`${fault}: fails ${scenario} only`, async () => {
      proxy.fault = fault;
      const report = await runConformance(options(), suite);
      const failed = report.results.filter((r) => r.outcome === "fail");
      expect(failed.map((r) => r.id), failed.map((r) => r.message).join("\n")).toEqual([scenario]);
      expect(failed[0]!.message).toMatch(section);
    }, 240_000);
  }
});
