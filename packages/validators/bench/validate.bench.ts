/**
 * Precompiled validators against the baseline a consumer would otherwise use:
 * Ajv compiling the same strict schemas at run time, in the same process.
 * It prints the ratio of the two, measured in the same process.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { test } from "vitest";
import { strictJsonSchemas } from "@cds-toolkit/schemas";
import { validateCoverageListing } from "@cds-toolkit/validators";

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

const entry = (i: number) => ({
  id: `entry_${i}`,
  created: "2022-06-01T00:00:00Z",
  updated: "2022-06-01T00:00:00Z",
  entity_name: "Demo Gas & Electric",
  entity_abbreviation: "DG&E",
  country: "US",
  name: `Territory ${i}`,
  type: "geographic",
  role: "official",
  infrastructure_types: ["distribution_utility", "metering_provider"],
  commodity_types: ["electricity", "natural_gas"],
  capabilities: [],
  map_resource: "https://static.example.com/cds-coverage-map.png",
  map_content_type: "image/png",
});
const listing = { coverage_entries: Array.from({ length: 100 }, (_, i) => entry(i)), next: null, previous: null };

function runtimeAjv() {
  const ajv = new Ajv2020({ schemas: Object.values(strictJsonSchemas) as object[], allErrors: true, strictRequired: false });
  addFormats(ajv);
  return ajv;
}
const compiledAtRuntime = runtimeAjv().getSchema("CoverageListing.json")!;

function ratio(baseline: { latency: { mean: number } }, candidate: { latency: { mean: number } }): string {
  return `${(baseline.latency.mean / candidate.latency.mean).toFixed(2)}x the baseline's speed`;
}

test("steady state: validate a 100-entry coverage listing (strict)", async ({ bench }) => {
  const result = await bench.compare(
    bench("baseline: Ajv compiled at run time", () => {
      if (!compiledAtRuntime(listing)) throw new Error("baseline rejected a valid listing");
    }),
    bench("precompiled", () => {
      if (!validateCoverageListing(listing).ok) throw new Error("validator rejected a valid listing");
    }),
    { time: 1000 },
  );
  const baseline = result.get("baseline: Ajv compiled at run time");
  const ours = result.get("precompiled");
  // Same generated code either way: precompiling should not cost speed. Reported, never
  // asserted: a bench's numbers swing with the machine's load.
  const slower = baseline.latency.mean / ours.latency.mean < 0.75;
  console.log(`steady state: precompiled runs at ${ratio(baseline, ours)} (target: not slower than 0.75×: ${slower ? "missed" : "met"})`);
});

// The first validation in a fresh process (module load included) is measured from spawn in
// usage-listing.bench.ts; timing warm calls here, as this file once did, measured no cold start.
