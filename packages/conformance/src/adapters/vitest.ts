/**
 * The scenarios as vitest tests: `describeConformance({ serverUrl })` in a
 * test file gives one `it` per scenario, grouped by spec; a failure's message
 * names the section, a skip is reported as skipped.
 */
import { afterAll, describe, it } from "vitest";
import type { SpecId } from "../scenario.js";
import { prepareSuite, type AdapterOptions } from "./shared.js";

export function describeConformance(options: AdapterOptions, title = "CDS conformance"): void {
  const suite = prepareSuite(options);
  describe(title, () => {
    afterAll(() => suite.close());
    for (const spec of ["CDS-WG1-01", "CDS-WG1-02", "CDS-WG3-01"] as SpecId[]) {
      const ofSpec = suite.selected.filter((s) => s.spec === spec);
      if (ofSpec.length === 0) continue;
      describe(spec, () => {
        for (const scenario of ofSpec) {
          it(`${scenario.id}: ${scenario.title}`, async (ctx) => {
            const result = await suite.run(scenario);
            if (result.outcome === "skip") ctx.skip(result.message);
            if (result.outcome === "fail") throw new Error(result.message);
          });
        }
      });
    }
  });
}
