/** The scenarios as `node:test` tests: `conformanceTests({ serverUrl })` in a test file. */
import { after, describe, it } from "node:test";
import type { SpecId } from "../scenario.js";
import { prepareSuite, type AdapterOptions } from "./shared.js";

export function conformanceTests(options: AdapterOptions, title = "CDS conformance"): void {
  const suite = prepareSuite(options);
  describe(title, () => {
    after(() => suite.close());
    for (const spec of ["CDS-WG1-01", "CDS-WG1-02", "CDS-WG3-01"] as SpecId[]) {
      const ofSpec = suite.selected.filter((s) => s.spec === spec);
      if (ofSpec.length === 0) continue;
      describe(spec, () => {
        for (const scenario of ofSpec) {
          it(`${scenario.id}: ${scenario.title}`, async (t) => {
            const result = await suite.run(scenario);
            if (result.outcome === "skip") t.skip(result.message);
            if (result.outcome === "fail") throw new Error(result.message);
          });
        }
      });
    }
  });
}
