import { describe, expect, it } from "vitest";
import { validate, validateCoverageEntry, validateCoverageListing, validateServerMetadata } from "@cds-toolkit/validators";

/** CDS-WG1-01 §7's metadata example, with its trailing comma removed. */
const metadata = {
  cds_metadata_version: "v1",
  cds_metadata_url: "https://example.com/.well-known/cds-server-metadata.json",
  created: "2022-01-01T00:00:00Z",
  updated: "2022-06-01T00:00:00Z",
  name: "Example Data Hub",
  description: "A fictional regional data hub.",
  website: "https://example.com/data-access",
  documentation: "https://example.com/data-access/docs",
  support: "https://example.com/developers/contact",
  capabilities: ["coverage"],
  coverage: "https://static.example.com/cds-coverage.json",
};

const entry = {
  id: "dge_elec_west",
  created: "2022-06-01T00:00:00.000000Z",
  updated: "2022-06-01T00:00:00.000000Z",
  entity_name: "Demo Gas & Electric",
  entity_abbreviation: "DG&E",
  country: "US",
  name: "Western electric service territory",
  type: "geographic",
  role: "official",
  infrastructure_types: ["distribution_utility"],
  commodity_types: ["electricity"],
  capabilities: [],
  geojson_resource: "https://static.example.com/cds-coverage-map-geo.json",
};

type Case = {
  name: string;
  change: (v: Record<string, unknown>) => void;
  strict: Array<[pointer: string, rule: string]>;
  lenient: Array<[pointer: string, rule: string]>;
};

function findings(result: ReturnType<typeof validate>): Array<[string, string]> {
  return result.ok ? [] : result.errors.map((e) => [e.pointer, e.rule] as [string, string]).sort();
}

describe("validateServerMetadata", () => {
  const cases: Case[] = [
    { name: "a required field is missing", change: (v) => delete v.name, strict: [["/name", "required"]], lenient: [["/name", "required"]] },
    { name: "a URL is not a URL", change: (v) => (v.website = "example dot com"), strict: [["/website", "format"]], lenient: [["/website", "format"]] },
    { name: "a datetime is not RFC 3339", change: (v) => (v.created = "2022-01-01 00:00"), strict: [["/created", "format"]], lenient: [["/created", "format"]] },
    { name: "the coverage capability comes without a coverage URL", change: (v) => delete v.coverage, strict: [["/coverage", "required"]], lenient: [["/coverage", "required"]] },
    { name: "an unknown capability (another spec's extension)", change: (v) => (v.capabilities = ["coverage", "future_thing"]), strict: [["/capabilities/1", "enum"]], lenient: [] },
    { name: "an unknown field", change: (v) => (v.x_vendor = 1), strict: [["/x_vendor", "unevaluatedProperties"]], lenient: [] },
    { name: "another metadata version", change: (v) => (v.cds_metadata_version = "v2"), strict: [["/cds_metadata_version", "const"]], lenient: [["/cds_metadata_version", "const"]] },
    { name: "no capabilities at all", change: (v) => { v.capabilities = []; delete v.coverage; }, strict: [], lenient: [] },
  ];

  it.each(cases)("$name", ({ change, strict, lenient }) => {
    const value = structuredClone(metadata) as Record<string, unknown>;
    change(value);
    expect(findings(validateServerMetadata(value))).toEqual(strict);
    expect(findings(validateServerMetadata(value, "lenient"))).toEqual(lenient);
  });

  it("returns the value itself when it is valid", () => {
    const result = validateServerMetadata(metadata);
    expect(result).toEqual({ ok: true, value: metadata });
    if (result.ok) expect(result.value.capabilities).toEqual(["coverage"]);
  });

  it("names the field, the rule and the offending value", () => {
    const result = validateServerMetadata({ ...metadata, support: 42 });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toEqual([
        expect.objectContaining({ pointer: "/support", rule: "type", value: 42, message: "/support: must be string" }),
      ]);
    }
  });
});

describe("validateCoverageEntry", () => {
  const cases: Case[] = [
    { name: "a geographic entry without any map", change: (v) => delete v.geojson_resource, strict: [["", "anyOf"], ["/geojson_resource", "required"], ["/map_resource", "required"]], lenient: [["", "anyOf"], ["/geojson_resource", "required"], ["/map_resource", "required"]] },
    { name: "a logical entry without any map", change: (v) => { v.type = "logical"; delete v.geojson_resource; }, strict: [], lenient: [] },
    { name: "a map without its content type", change: (v) => (v.map_resource = "https://x.example/map.png"), strict: [["/map_content_type", "dependentRequired"]], lenient: [["/map_content_type", "dependentRequired"]] },
    { name: "a bad content type", change: (v) => { v.map_resource = "https://x.example/map.png"; v.map_content_type = "png"; }, strict: [["/map_content_type", "pattern"]], lenient: [["/map_content_type", "pattern"]] },
    { name: "the coverage capability on an entry", change: (v) => (v.capabilities = ["coverage"]), strict: [["/capabilities", "not"]], lenient: [["/capabilities", "not"]] },
    { name: "a lower-case country code", change: (v) => (v.country = "us"), strict: [["/country", "pattern"]], lenient: [["/country", "pattern"]] },
    { name: "an unknown role", change: (v) => (v.role = "reseller"), strict: [["/role", "enum"]], lenient: [] },
    { name: "a null abbreviation", change: (v) => (v.entity_abbreviation = null), strict: [], lenient: [] },
    { name: "a missing abbreviation (null is required, absence is not)", change: (v) => delete v.entity_abbreviation, strict: [["/entity_abbreviation", "required"]], lenient: [["/entity_abbreviation", "required"]] },
  ];

  it.each(cases)("$name", ({ change, strict, lenient }) => {
    const value = structuredClone(entry) as Record<string, unknown>;
    change(value);
    expect(findings(validateCoverageEntry(value))).toEqual(strict);
    expect(findings(validateCoverageEntry(value, "lenient"))).toEqual(lenient);
  });

  it("points into listings with the entry's index", () => {
    const listing = { coverage_entries: [entry, { ...entry, id: 7 }], next: null, previous: "not a url" };
    expect(findings(validateCoverageListing(listing))).toEqual([
      ["/coverage_entries/1/id", "type"],
      ["/previous", "anyOf"],
      ["/previous", "format"],
      ["/previous", "type"],
    ]);
  });
});

describe("validate (by model name)", () => {
  it("validates like the typed function", () => {
    expect(validate("CoverageEntry", entry)).toEqual(validateCoverageEntry(entry));
  });

  it("refuses a model that does not exist", () => {
    expect(() => validate("NoSuchModel" as never, {})).toThrow(/unknown CDS model: NoSuchModel/);
  });
});
