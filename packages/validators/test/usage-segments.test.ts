import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { jsonSchemas } from "@cds-toolkit/schemas";
import {
  columnsOfType,
  decodeUsageSegment,
  isKnownValueType,
  validate,
  validateUsageSegmentListing,
  validateValueTypeDescription,
  valueTypeModels,
  type Mode,
  type ValidationResult,
} from "@cds-toolkit/validators";
import { parseBody } from "../../../tools/checks/examples.ts";
import type { SpecExample } from "../../../tools/examples/model.ts";

function findings(result: ValidationResult<unknown>): Array<[string, string]> {
  return result.ok ? [] : result.errors.map((e) => [e.pointer, e.rule] as [string, string]).sort();
}

/** The response body of CDS-WG3-01 §13.3.5, from the committed extraction (spec/examples/). */
async function interval13_3_5(): Promise<{ usage_segments: Array<Record<string, unknown>> }> {
  const file = path.resolve(import.meta.dirname, "../../../spec/examples/wg3-01/13.3.5-1.json");
  const example = JSON.parse(await readFile(file, "utf8")) as SpecExample;
  const body = parseBody(example.messages[1]!);
  if (body.kind !== "json") throw new Error("13.3.5 #2 should have a JSON body");
  return body.value as { usage_segments: Array<Record<string, unknown>> };
}

describe("CDS-WG3-01 §13.3.5 Retrieving Electric Interval Data", () => {
  it("fails only on the missing related_billsections (spec/ERRATA.md E-WG3-01-212)", async () => {
    const listing = await interval13_3_5();
    expect(findings(validateUsageSegmentListing(listing))).toEqual([
      ["/usage_segments/0/related_billsections", "required"],
      ["/usage_segments/1/related_billsections", "required"],
    ]);
    for (const segment of listing.usage_segments) {
      expect(findings(decodeUsageSegment(segment))).toEqual([["/related_billsections", "required"]]);
    }
  });

  it("decodes each segment, once repaired, into one typed net electric usage column", async () => {
    const listing = await interval13_3_5();
    const decoded = listing.usage_segments.map((segment) => {
      const result = decodeUsageSegment({ ...segment, related_billsections: [] });
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      return result.value;
    });

    expect(decoded.map((d) => [d.segment.segment_start, d.segment.interval, d.columns.length, d.skipped.length])).toEqual([
      ["2021-12-01T00:00:00Z", 900, 1, 0],
      ["2021-11-01T00:00:00Z", 900, 1, 0],
    ]);
    const nets = decoded.map((d) => {
      const [net, ...others] = columnsOfType(d, "electric_usage");
      expect(others).toEqual([]);
      return net!;
    });
    // Typed without casts: `format` is an ElectricUsageValueFormat, `values` ElectricUsageValue | null.
    expect(nets.map((c) => [c.index, c.format.id, c.format.units, c.format.direction, c.format.quality])).toEqual([
      [0, "electric_intervals_01", "kWh", "net", "raw"],
      [0, "electric_intervals_01", "kWh", "net", "raw"],
    ]);
    expect(nets.map((c) => c.values.map((v) => v?.eu))).toEqual([
      [10.0, 9.4, 11.1],
      [4.3, 7.9, 13.2],
    ]);
    // The spec prints a second `related_meterdevices`, which wins when parsed (E-WG3-01-212).
    expect(decoded[0]!.segment.related_meterdevices).toEqual([]);
  });
});

/** A day of a net-metered site in one hour: forward, reverse and net usage (§10.8.2's example), their cost, and a reading. */
const netMetered = {
  cds_usagesegment_id: "seg-1",
  cds_created: "2025-01-02T00:00:00Z",
  cds_modified: "2025-01-02T00:00:00Z",
  cds_synced: "2025-01-02T00:00:00Z",
  related_aggregations: [],
  related_accounts: ["acct-1"],
  related_servicecontracts: ["sc-1"],
  related_servicepoints: ["sp-1"],
  related_meterdevices: ["meter-1"],
  related_billsections: [],
  segment_start: "2025-01-01T00:00:00Z",
  segment_end: "2025-01-01T01:00:00Z",
  interval: 900,
  formats: [
    { id: "fwd", type: "electric_usage", units: "kWh", direction: "forward", tou: "off_peak", tier: null, quality: "revenue", related_meterdevices: ["meter-1"] },
    { id: "rev", type: "electric_usage", units: "kWh", direction: "reverse", tou: "off_peak", tier: null, quality: "revenue" },
    { id: "net", type: "electric_usage", units: "kWh", direction: "net", tou: "off_peak", tier: null, quality: "revenue" },
    { id: "net_cost", type: "cost", currency: "USD", indexes: [2] },
    { id: "reg", type: "meter_readings", related_meterdevice: "meter-1", register: "1.8.0", units: "kWh" },
  ],
  values: [
    [{ eu: 1.25 }, { eu: 0 }, { eu: 1.25 }, { c: 0.31 }, { r: "004211.7" }],
    [{ eu: 0.5 }, { eu: -0.75 }, { eu: -0.25 }, { c: -0.06 }, { r: "004212.9" }],
    [null, null, null, null, { r: "004213.4" }],
    [{ eu: 0.1 }, { eu: -1.4 }, { eu: -1.3 }, { c: -0.32 }, null],
  ],
};

describe("decodeUsageSegment", () => {
  it("pairs every format with its typed column of values, in order", () => {
    const result = decodeUsageSegment(netMetered);
    expect(findings(result)).toEqual([]);
    if (!result.ok) return;
    const usage = columnsOfType(result.value, "electric_usage");
    expect(usage.map((c) => [c.format.direction, c.values.map((v) => v?.eu ?? null)])).toEqual([
      ["forward", [1.25, 0.5, null, 0.1]],
      ["reverse", [0, -0.75, null, -1.4]],
      ["net", [1.25, -0.25, null, -1.3]],
    ]);
    const [cost] = columnsOfType(result.value, "cost");
    expect([cost!.format.currency, cost!.format.indexes, cost!.values.map((v) => v?.c ?? null)]).toEqual(["USD", [2], [0.31, -0.06, null, -0.32]]);
    const [readings] = columnsOfType(result.value, "meter_readings");
    expect(readings!.values.map((v) => v?.r ?? null)).toEqual(["004211.7", "004212.9", "004213.4", null]);
    expect(result.value.columns.map((c) => [c.index, c.type])).toEqual([
      [0, "electric_usage"],
      [1, "electric_usage"],
      [2, "electric_usage"],
      [3, "cost"],
      [4, "meter_readings"],
    ]);
    expect(result.value.skipped).toEqual([]);
  });

  it("narrows a column by its type", () => {
    const result = decodeUsageSegment(netMetered);
    if (!result.ok) throw new Error("should decode");
    const sums = result.value.columns.map((column) => {
      switch (column.type) {
        case "electric_usage":
          return column.values.reduce((sum, v) => sum + (v?.eu ?? 0), 0);
        case "cost":
          return column.values.reduce((sum, v) => sum + (v?.c ?? 0), 0);
        default:
          return null;
      }
    });
    expect(sums.map((s) => (s === null ? null : Math.round(s * 100) / 100))).toEqual([1.85, -2.15, -0.3, -0.07, null]);
  });

  type Case = {
    name: string;
    change: (segment: any) => void;
    strict: Array<[pointer: string, rule: string]>;
    lenient: Array<[pointer: string, rule: string]>;
  };

  const cases: Case[] = [
    {
      name: "a value object that fails its own format's schema (the pointer names the value)",
      change: (s) => (s.values[3][1] = { eu: "-1.4" }),
      strict: [["/values/3/1/eu", "type"]],
      lenient: [["/values/3/1/eu", "type"]],
    },
    {
      name: "a value object of another format's shape",
      change: (s) => (s.values[1][0] = { ed: 0.5 }),
      strict: [["/values/1/0/ed", "unevaluatedProperties"], ["/values/1/0/eu", "required"]],
      lenient: [["/values/1/0/eu", "required"]],
    },
    {
      name: "a value object with an extra field",
      change: (s) => (s.values[0][3] = { c: 0.31, tax: 0.02 }),
      strict: [["/values/0/3/tax", "unevaluatedProperties"]],
      lenient: [],
    },
    {
      name: "a meter reading given as a number",
      change: (s) => (s.values[0][4] = { r: 4211.7 }),
      strict: [["/values/0/4/r", "type"]],
      lenient: [["/values/0/4/r", "type"]],
    },
    {
      name: "a Value Set with too few entries",
      change: (s) => s.values[1].pop(),
      strict: [["/values/1", "valueSetLength"]],
      lenient: [["/values/1", "valueSetLength"]],
    },
    {
      name: "a Value Set with too many entries",
      change: (s) => s.values[2].push(null),
      strict: [["/values/2", "valueSetLength"]],
      lenient: [["/values/2", "valueSetLength"]],
    },
    {
      name: "a Value Set entry that is neither an object nor null",
      change: (s) => (s.values[0][0] = 1.25),
      strict: [["/values/0/0", "anyOf"], ["/values/0/0", "type"], ["/values/0/0", "type"]],
      lenient: [["/values/0/0", "anyOf"], ["/values/0/0", "type"], ["/values/0/0", "type"]],
    },
    {
      name: "a row of nulls (missing readings)",
      change: (s) => (s.values[0] = [null, null, null, null, null]),
      strict: [],
      lenient: [],
    },
    {
      name: "an unknown Value Type (rejected by Servers, skipped by Clients)",
      change: (s) => {
        s.formats[1] = { id: "volts", type: "exampleutility_voltage", units: "V", phase: "A" };
        for (const set of s.values) if (set[1]) set[1] = { v: 121.4 };
      },
      strict: [["/formats/1/type", "discriminator"]],
      lenient: [],
    },
    {
      name: "an unknown Value Type without an id",
      change: (s) => (s.formats[1] = { type: "exampleutility_voltage" }),
      strict: [["/formats/1/type", "discriminator"]],
      lenient: [["/formats/1/id", "required"]],
    },
    {
      name: "a known Value Type without its required fields",
      change: (s) => delete s.formats[0].units,
      strict: [["/formats/0/units", "required"]],
      lenient: [["/formats/0/units", "required"]],
    },
    {
      name: "a unit the format does not allow (an unknown enumeration value for Clients)",
      change: (s) => (s.formats[0].units = "GWh"),
      strict: [["/formats/0/units", "enum"]],
      lenient: [],
    },
    {
      name: "a demand unit on a usage format",
      change: (s) => (s.formats[2].units = "kW"),
      strict: [["/formats/2/units", "enum"]],
      lenient: [],
    },
    {
      name: "an extra field on a known format",
      change: (s) => (s.formats[0].x_vendor = true),
      strict: [["/formats/0/x_vendor", "unevaluatedProperties"]],
      lenient: [],
    },
    {
      name: "a format without a type",
      change: (s) => delete s.formats[3].type,
      strict: [["/formats/3/type", "discriminator"]],
      lenient: [["/formats/3/type", "required"]],
    },
    {
      name: "cost indexes that name no other column",
      change: (s) => (s.formats[3].indexes = [2, 5, 3]),
      strict: [["/formats/3/indexes/1", "valueSetIndex"], ["/formats/3/indexes/2", "valueSetIndex"]],
      lenient: [["/formats/3/indexes/1", "valueSetIndex"], ["/formats/3/indexes/2", "valueSetIndex"]],
    },
    {
      name: "a negative index",
      change: (s) => (s.formats[3].indexes = [-1]),
      strict: [["/formats/3/indexes/0", "minimum"]],
      lenient: [["/formats/3/indexes/0", "minimum"]],
    },
    {
      name: "a currency that is not an ISO 4217 code",
      change: (s) => (s.formats[3].currency = "usd"),
      strict: [["/formats/3/currency", "pattern"]],
      lenient: [["/formats/3/currency", "pattern"]],
    },
    {
      name: "a meter reading format without its meter (E-WG3-01-203)",
      change: (s) => delete s.formats[4].related_meterdevice,
      strict: [["/formats/4/related_meterdevice", "required"]],
      lenient: [["/formats/4/related_meterdevice", "required"]],
    },
    {
      name: "no formats and no values (a grant without value types, §7.2.8.1)",
      change: (s) => {
        s.formats = [];
        s.values = [];
      },
      strict: [],
      lenient: [],
    },
    {
      name: "a related id listed twice",
      change: (s) => (s.related_accounts = ["acct-1", "acct-1"]),
      strict: [["/related_accounts", "uniqueItems"]],
      lenient: [["/related_accounts", "uniqueItems"]],
    },
  ];

  it.each(cases)("$name", ({ change, strict, lenient }) => {
    const segment = structuredClone(netMetered);
    change(segment);
    expect(findings(decodeUsageSegment(segment))).toEqual(strict);
    expect(findings(decodeUsageSegment(segment, "lenient"))).toEqual(lenient);
  });

  it("points at the value and says what is wrong", () => {
    const segment = structuredClone(netMetered) as any;
    segment.values[3][1] = { eu: "-1.4" };
    const result = decodeUsageSegment(segment);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toEqual([
        expect.objectContaining({ pointer: "/values/3/1/eu", rule: "type", value: "-1.4", message: "/values/3/1/eu: must be number" }),
      ]);
    }
  });

  it("names the unknown Value Type in strict mode", () => {
    const segment = structuredClone(netMetered) as any;
    segment.formats[1] = { id: "volts", type: "exampleutility_voltage" };
    const result = decodeUsageSegment(segment);
    expect(!result.ok && result.errors[0]?.message).toBe(
      '/formats/1/type: "exampleutility_voltage" is not a type this model defines (lenient mode accepts it)',
    );
  });
});

describe("server-defined Value Types (CDS-WG3-01 §10.8.6)", () => {
  // Described in the Server's metadata (cds_usagesegments_additional_value_types),
  // keyed by the description's `type` (E-WG3-01-205).
  const description = {
    type: "exampleutility_voltage",
    name: "Service voltage",
    description: "The average RMS voltage at the service point over each interval.",
    documentation: "https://example.com/docs/usage-segments#exampleutility_voltage",
  };
  const segment = {
    ...structuredClone(netMetered),
    formats: [
      { id: "volts_a", type: "exampleutility_voltage", units: "V", phase: "A" },
      { id: "net", type: "electric_usage", units: "kWh", direction: "net" },
      { id: "volts_b", type: "exampleutility_voltage", units: "V", phase: "B" },
    ],
    values: [
      [{ v: 121.4 }, { eu: 1.25 }, { v: 119.8 }],
      [null, { eu: -0.25 }, { v: "not read" }],
    ],
  };

  it("has a Value Type Description that validates", () => {
    expect(findings(validateValueTypeDescription(description))).toEqual([]);
    expect(findings(validateValueTypeDescription({ ...description, documentation: "docs" }))).toEqual([["/documentation", "format"]]);
  });

  it("is rejected by strict (Server) decoding", () => {
    expect(findings(decodeUsageSegment(segment))).toEqual([
      ["/formats/0/type", "discriminator"],
      ["/formats/2/type", "discriminator"],
    ]);
  });

  it("is skipped by lenient (Client) decoding, leaving the known columns typed", () => {
    const result = decodeUsageSegment(segment, "lenient");
    expect(findings(result)).toEqual([]);
    if (!result.ok) return;
    expect(result.value.skipped.map((s) => [s.index, s.format.type, s.format.id, s.format.phase])).toEqual([
      [0, "exampleutility_voltage", "volts_a", "A"],
      [2, "exampleutility_voltage", "volts_b", "B"],
    ]);
    // A Client can still name what it skipped, from the metadata's descriptions.
    const additionalValueTypes: Record<string, typeof description> = { [description.type]: description };
    expect(result.value.skipped.map((s) => additionalValueTypes[s.format.type]?.name)).toEqual(["Service voltage", "Service voltage"]);
    expect(result.value.columns.map((c) => [c.index, c.type, c.values])).toEqual([[1, "electric_usage", [{ eu: 1.25 }, { eu: -0.25 }]]]);
  });
});

describe("the Value Type table (generated from the contract)", () => {
  const schemas = jsonSchemas as unknown as Record<string, any>;

  it("has a format and a value model for every Value Type of §10.8.5, and nothing else", () => {
    expect(Object.keys(valueTypeModels).sort()).toEqual([...schemas.ValueType.enum].sort());
    expect(Object.keys(valueTypeModels)).toHaveLength(8);
    for (const [type, models] of Object.entries(valueTypeModels)) {
      expect(schemas[models.format].properties.type.const, models.format).toBe(type);
      expect(schemas[models.format]["x-cds-value-model"], models.format).toEqual({ $ref: `${models.value}.json` });
      expect(schemas[models.value].type, models.value).toBe("object");
    }
  });

  it("lists exactly the variants of the ValueFormat union", () => {
    expect(schemas.ValueFormat.oneOf.map((v: { $ref: string }) => v.$ref)).toEqual(Object.values(valueTypeModels).map((m) => `${m.format}.json`));
  });

  it("knows its types", () => {
    expect(["electric_usage", "meter_readings", "exampleutility_voltage", "toString", 3].map(isKnownValueType)).toEqual([true, true, false, false, false]);
  });

  it("narrows each format's units to a subset of UnitType (§10.8.7.1)", () => {
    const units = new Set<string>(schemas.UnitType.enum);
    for (const { format } of Object.values(valueTypeModels)) {
      const ref = schemas[format].properties.units?.$ref as string | undefined;
      if (!ref) continue;
      const allowed = schemas[ref.replace(/\.json$/, "")].enum as string[];
      expect(allowed.filter((u) => !units.has(u)), format).toEqual([]);
    }
  });
});

describe("decodeUsageSegment mode parameter", () => {
  it("defaults to strict and accepts a mode chosen at run time", () => {
    const mode = "lenient" as Mode;
    expect(decodeUsageSegment(netMetered, mode).ok).toBe(true);
    expect(decodeUsageSegment({ ...netMetered, x: 1 }).ok).toBe(false);
    expect(decodeUsageSegment({ ...netMetered, x: 1 }, mode).ok).toBe(true);
  });
});

describe("decodeUsageSegment's shortcut over Value Sets", () => {
  // decodeUsageSegment checks Value Sets with a plain loop instead of the generated
  // ValueSet validator (src/usage-segments.ts, segmentIsValid). That is only sound while
  // ValueSet admits exactly arrays of objects and nulls; this fails if the model tightens.
  const entries: unknown[] = [null, {}, { eu: 1 }, { anything: ["goes"] }, 0, 1.5, "x", true, [], [{}], [null]];
  const shortcut = (entry: unknown) => entry === null || (typeof entry === "object" && !Array.isArray(entry));
  for (const mode of ["strict", "lenient"] as const) {
    it(`agrees with the generated ValueSet validator (${mode})`, () => {
      expect(entries.map((entry) => validate("ValueSet", [entry], mode).ok)).toEqual(entries.map(shortcut));
      expect([validate("ValueSet", {}, mode).ok, validate("ValueSet", null, mode).ok, validate("ValueSet", [], mode).ok]).toEqual([false, false, true]);
    });
  }
});
