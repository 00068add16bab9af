/** The report renderers, scenario selection and MUST coverage, on made-up results (no Server needed). */
import { describe, expect, it } from "vitest";
import { countBySpec, junitReport, mustCoverage, scenarios, selectScenarios, textReport, type ConformanceReport, type MustEntry, type ScenarioResult } from "../src/index.ts";

const result = (id: string, outcome: ScenarioResult["outcome"], message?: string): ScenarioResult => ({
  id,
  spec: id.startsWith("wg1-01") ? "CDS-WG1-01" : "CDS-WG1-02",
  title: `title of ${id}`,
  sections: ["4.1"],
  musts: [],
  outcome,
  ...(message ? { message, section: "4.1" } : {}),
  durationMs: 12,
});

const report = (results: ScenarioResult[]): ConformanceReport => ({
  serverUrl: "http://127.0.0.1:9",
  startedAt: "2026-12-07T21:00:00.000Z",
  durationMs: 100,
  results,
  counts: countBySpec(results),
  ok: results.every((r) => r.outcome !== "fail"),
});

describe("scenario selection", () => {
  it("takes exact ids and /-bounded prefixes", () => {
    expect(selectScenarios(["wg1-01"]).every((s) => s.id.startsWith("wg1-01/"))).toBe(true);
    expect(selectScenarios(["wg1-01"]).length).toBe(scenarios.filter((s) => s.spec === "CDS-WG1-01").length);
    expect(selectScenarios(["wg1-02/registration"]).map((s) => s.id)).toEqual(["wg1-02/registration"]);
    // A prefix is a whole path segment: "wg1-02/registration" does not pick "wg1-02/registration-x" unless asked.
    expect(() => selectScenarios(["wg1-0"])).toThrow(/no scenario matches "wg1-0"/);
  });

  it("has unique ids, each naming its spec folder, with sections", () => {
    const ids = scenarios.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of scenarios) {
      expect(s.id.startsWith(s.spec.slice(4).toLowerCase() + "/")).toBe(true);
      expect(s.sections.length).toBeGreaterThan(0);
    }
  });
});

describe("reports", () => {
  const sample = report([result("wg1-01/a", "pass"), result("wg1-01/b", "fail", 'CDS-WG1-01 §4.1: entry <x> & "y" out of order'), result("wg1-02/c", "skip", "needs credentials")]);

  it("counts per spec and names the failing section in the text report", () => {
    const text = textReport(sample, [{ spec: "CDS-WG1-01", serverTestable: 4, covered: 3, percent: 75 }]);
    expect(text).toContain("CDS-WG1-01: 1 passed, 1 failed, 0 skipped");
    expect(text).toContain("CDS-WG1-02: 0 passed, 0 failed, 1 skipped");
    expect(text).toContain("CDS-WG1-01 §4.1: entry <x>");
    expect(text).toContain("CDS-WG1-01: 3/4 (75%)");
    expect(text).toContain("NOT conformant");
  });

  it("writes JUnit XML with escaped failure messages, one suite per spec", () => {
    const xml = junitReport(sample);
    expect(xml.match(/<testsuite /g)).toHaveLength(2);
    expect(xml).toContain('<testsuite name="CDS-WG1-01" tests="2" failures="1" skipped="0"');
    expect(xml).toContain("entry &lt;x&gt; &amp; &quot;y&quot; out of order");
    expect(xml).toContain('<skipped message="needs credentials"/>');
    expect(xml).not.toMatch(/message="[^"]*[<>][^"]*"/);
  });
});

describe("MUST coverage", () => {
  const entry = (id: string, serverTestable: boolean): MustEntry => ({ id, spec: "CDS-WG1-01", section: "4.1", keyword: "MUST", summary: id, serverTestable });

  it("is the covered share of the server-testable statements only", () => {
    const catalogue = [entry("A", true), entry("B", true), entry("C", true), entry("D", false)];
    expect(mustCoverage(catalogue, [{ musts: ["A", "D"] }, { musts: ["B", "A"] }])).toEqual([{ spec: "CDS-WG1-01", serverTestable: 3, covered: 2, percent: 66.7 }]);
  });
});

describe("the scenarios' catalogue ids", () => {
  it("name statements of the committed MUST catalogue, once it is present in the package", async () => {
    const { loadMustCatalogue } = await import("../src/index.ts");
    const catalogue = await loadMustCatalogue(new URL("../musts/", import.meta.url));
    const known = new Set(catalogue.map((e) => e.id));
    // Before the catalogue lands (tools/musts/) there is nothing to check against; after, every id must exist.
    const unknown = catalogue.length ? scenarios.flatMap((s) => s.musts.filter((m) => !known.has(m)).map((m) => `${s.id}: ${m}`)) : [];
    expect(unknown).toEqual([]);
  });
});
