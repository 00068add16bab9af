import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Catalogue, MustEntry } from "./catalogue.ts";
import { computeCoverage, coverageMarkdown, percent, type ScenarioRef } from "./coverage.ts";

function entry(id: string, serverTestable: boolean): MustEntry {
  const [, spec, section] = /^(\w+-\d+)-(.+)-\d+$/.exec(id)!;
  return {
    id,
    spec: `CDS-${spec}`,
    section: section!,
    heading: "Somewhere",
    keyword: "MUST",
    summary: `Summary of ${id}`,
    serverTestable,
    ...(serverTestable ? {} : { reason: "Obliges the Client." }),
    hash: "0123456789ab",
    summaryBy: "hand",
    line: 1,
  };
}

const catalogue = (spec: string, entries: MustEntry[]): Catalogue => ({ spec, revision: "x@1", document: "x.md", keywords: ["MUST"], entries });
const wg101 = catalogue("CDS-WG1-01", [entry("WG1-01-3-1", true), entry("WG1-01-3-2", true), entry("WG1-01-4-1", true), entry("WG1-01-6-1", false)]);
const wg102 = catalogue("CDS-WG1-02", [entry("WG1-02-4.1-1", true), entry("WG1-02-4.1-2", false)]);
const scenario = (id: string, spec: string, musts: string[]): ScenarioRef => ({ id, spec, title: id, sections: [], musts });

describe("computeCoverage", () => {
  const scenarios = [
    scenario("metadata-fields", "CDS-WG1-01", ["WG1-01-3-1", "WG1-01-3-2"]),
    scenario("metadata-again", "CDS-WG1-01", ["WG1-01-3-1", "WG1-01-3-1"]),
    scenario("ignores-unknown", "CDS-WG1-01", ["WG1-01-6-1", "WG1-01-9-9"]),
    scenario("registration", "CDS-WG1-02", ["WG1-02-4.1-1", "WG9-99-1-1"]),
  ];
  const coverage = computeCoverage([wg101, wg102], scenarios);
  const [one, two] = coverage.specs;

  it("counts server-testable, covered, uncovered and not-testable statements per spec", () => {
    expect([one!.statements, one!.serverTestable, one!.covered.length, one!.uncovered.length, one!.notTestable.length]).toEqual([4, 3, 2, 1, 1]);
    expect(one!.uncovered.map((e) => e.id)).toEqual(["WG1-01-4-1"]);
    expect(one!.share).toBeCloseTo(2 / 3);
    expect([two!.serverTestable, two!.covered.length, two!.share]).toEqual([1, 1, 1]);
    expect(coverage.totals).toEqual({ serverTestable: 4, covered: 3, share: 0.75, scenarios: 4 });
  });

  it("lists every scenario covering a statement once, and counts scenarios per spec", () => {
    expect(one!.covered.find((c) => c.entry.id === "WG1-01-3-1")!.scenarios).toEqual(["metadata-fields", "metadata-again"]);
    expect([one!.scenarios, two!.scenarios]).toEqual([3, 1]);
  });

  it("keeps not-testable statements out of the share but shows when a scenario lists one", () => {
    expect(one!.coveredNotTestable.map((c) => c.entry.id)).toEqual(["WG1-01-6-1"]);
  });

  it("flags scenario ids that are in no catalogue", () => {
    expect(coverage.unknown).toEqual([
      { scenario: "ignores-unknown", must: "WG1-01-9-9" },
      { scenario: "registration", must: "WG9-99-1-1" },
    ]);
  });

  it("reports 0 % for an empty scenario list rather than failing", () => {
    const none = computeCoverage([wg101, wg102], []);
    expect(none.specs.map((s) => [s.covered.length, s.uncovered.length, s.share])).toEqual([[0, 3, 0], [0, 1, 0]]);
    expect(none.totals.share).toBe(0);
    expect(coverageMarkdown(none)).toContain("| CDS-WG1-01 | 4 | 3 | 0 | 3 | 1 | 0 | **0.0 %** |");
  });

  // Property: whatever the scenarios list, covered + uncovered = server-testable and the share stays in [0, 1].
  it("partitions the server-testable statements for any scenario list", () => {
    const ids = [...wg101.entries, ...wg102.entries].map((e) => e.id).concat(["WG1-01-99-1"]);
    const arbScenario = fc.record({ id: fc.string(), spec: fc.constantFrom("CDS-WG1-01", "CDS-WG1-02"), title: fc.string(), sections: fc.constant([]), musts: fc.array(fc.constantFrom(...ids)) });
    fc.assert(
      fc.property(fc.array(arbScenario), (list) => {
        const c = computeCoverage([wg101, wg102], list);
        for (const s of c.specs) {
          expect(s.covered.length + s.uncovered.length).toBe(s.serverTestable);
          expect(s.share).toBeGreaterThanOrEqual(0);
          expect(s.share).toBeLessThanOrEqual(1);
        }
        const listed = new Set(list.flatMap((s) => s.musts));
        expect(c.unknown.length > 0).toBe(listed.has("WG1-01-99-1"));
      }),
    );
  });
});

describe("coverageMarkdown", () => {
  const coverage = computeCoverage([wg101], [scenario("s|1", "CDS-WG1-01", ["WG1-01-3-1", "WG1-01-0-0"])]);
  const md = coverageMarkdown(coverage, { sectionLink: (spec, section) => `/spec/${spec}#${section}`, scenarioSource: "From a test." });

  it("renders the headline, the unknown references, and each spec's three lists with links and reasons", () => {
    expect(md).toContain("| CDS-WG1-01 | 4 | 3 | 1 | 2 | 1 | 1 | **33.3 %** |");
    expect(md).toContain("From a test.");
    expect(md).toContain("| `s\\|1` | `WG1-01-0-0` |");
    expect(md).toContain("| `WG1-01-3-1` | [§3](/spec/CDS-WG1-01#3) | MUST | Summary of WG1-01-3-1 | `s\\|1` |");
    expect(md).toContain("| `WG1-01-6-1` | [§6](/spec/CDS-WG1-01#6) | MUST | Summary of WG1-01-6-1 | Obliges the Client. |");
    expect(md).toMatch(/### Uncovered \(2\)[\s\S]*WG1-01-3-2[\s\S]*WG1-01-4-1[\s\S]*### Covered \(1\)/);
  });

  it("rounds shares down, so 89.96 % never reads as 90 %", () => {
    expect(percent(0.8996)).toBe("89.9 %");
    expect(percent(1)).toBe("100.0 %");
  });
});
