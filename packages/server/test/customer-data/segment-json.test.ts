/**
 * Usage Segments served from their stored JSON (src/customer-data/segment-json.ts)
 * must read exactly as the object path shows them (field-rules.ts
 * `shownObject`): for every demo segment shape and any Grant view (shared
 * Value Types, visible related ids), the copied JSON is the object path's
 * JSON with `values` last — the same bytes, not only the same value.
 */
import { createHash } from "node:crypto";
import fc from "fast-check";
import type { UsageSegment } from "@cds-toolkit/types";
import { describe, expect, it } from "vitest";
import { shownObject } from "../../src/customer-data/field-rules.ts";
import { decodeSegment, encodeSegment, InvalidStoredObject, shownSegmentParts } from "../../src/customer-data/segment-json.ts";
import type { CustomerDataKind } from "../../src/customer-data/data-source.ts";
import type { GrantView } from "../../src/customer-data/visibility.ts";
import { generateDemoUtility } from "../../src/demo/customer-data/generator.ts";

// Solar, plain, commercial (demand), gas and water meters, building aggregations, the outage day.
const utility = generateDemoUtility({ customers: 14, months: 2, intervalSeconds: 900, seed: 11, until: "2025-03-01T06:00:00.000Z", intervalDays: 3 });
const demoSegments = utility.objects.filter((o) => o.kind === "usage_segments").map((o) => o.object as UsageSegment);

/** A demo segment whose cost Value Objects point at usage columns themselves (`indexes` on the value, renumbered when columns go). */
function withValueIndexes(segment: UsageSegment): UsageSegment {
  const cost = segment.formats.findIndex((f) => f.type === "cost");
  if (cost < 0) return segment;
  return { ...segment, values: segment.values.map((row) => row.map((cell, i) => (i === cost && cell ? { ...cell, indexes: [0, segment.formats.length - 1, 1] } : cell))) };
}
const segments = [...demoSegments, ...demoSegments.filter((s) => s.formats.some((f) => f.type === "cost")).slice(0, 20).map(withValueIndexes)];

/** The object path's JSON with `values` moved last: what the stored JSON must equal byte for byte. */
function objectPathJson(view: GrantView, segment: UsageSegment): string {
  const { values, ...rest } = shownObject(view, segment) as UsageSegment;
  return JSON.stringify({ ...rest, values });
}

const relatedKinds = ["accounts", "service_contracts", "service_points", "meter_devices", "aggregations", "bill_sections"] as const satisfies readonly CustomerDataKind[];
const idsOf = (segment: UsageSegment): string[] =>
  [
    ...segment.related_accounts,
    ...segment.related_servicecontracts,
    ...segment.related_servicepoints,
    ...segment.related_meterdevices,
    ...segment.related_aggregations,
    ...segment.related_billsections,
    ...segment.formats.flatMap((f) => ("related_meterdevices" in f && Array.isArray(f.related_meterdevices) ? (f.related_meterdevices as string[]) : [])),
  ];

/** Value type choices a Grant may name: format types, format ids, metadata choices, and one nobody has. */
const typeNames = [...new Set(demoSegments.flatMap((s) => s.formats.flatMap((f) => [f.type, f.id])))].concat("electric_intervals_01", "gas_daily_01", "no_such_type");

const viewArbitrary = (segment: UsageSegment) =>
  fc.record({
    valueTypes: fc.oneof(fc.constant(undefined), fc.constant(null), fc.subarray(typeNames)),
    related: fc.record(Object.fromEntries(relatedKinds.map((k) => [k, fc.oneof(fc.constant("all" as const), fc.constant(undefined), fc.subarray(idsOf(segment)).map((ids) => new Set(ids)))]))),
  }).map(
    ({ valueTypes, related }): GrantView => ({
      grantId: "g",
      kind: "usage_segments",
      customer: "c",
      flags: new Set(),
      filters: {},
      related: Object.fromEntries(Object.entries(related).filter(([, v]) => v !== undefined)) as GrantView["related"],
      ...(valueTypes === undefined ? {} : { valueTypes }),
    }),
  );

describe("stored Usage Segment JSON", () => {
  it("stores every demo segment and reads it back whole", () => {
    let stored = 0;
    for (const segment of segments) {
      const json = encodeSegment(segment);
      if (!json) continue;
      stored++;
      expect(decodeSegment(json)).toEqual(JSON.parse(JSON.stringify(segment)));
    }
    // Every demo segment has rows with cells: all take the stored path.
    expect(stored).toBe(segments.length);
  });

  it("shows exactly what the object path shows, byte for byte, for any view", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: segments.length - 1 }).chain((i) => fc.tuple(fc.constant(segments[i]!), viewArbitrary(segments[i]!))),
        ([segment, view]) => {
          const json = encodeSegment(segment)!;
          const parts = shownSegmentParts(view, json);
          expect(parts.json).toBe(objectPathJson(view, segment));
          // With a content key, the second reading comes from memory: still the same bytes.
          const keyed = { ...json, key: `${segment.cds_usagesegment_id}\u0000${createHash("sha256").update(json.cells).digest("base64url")}` };
          expect(shownSegmentParts(view, keyed).json).toBe(parts.json);
          expect(shownSegmentParts(view, keyed).json).toBe(parts.json);
          // What a listing validates is the same segment without its Value Sets.
          expect(parts.head).toEqual({ ...(JSON.parse(parts.json) as object), values: [] });
        },
      ),
      { numRuns: 400 },
    );
  });

  it("covers the three ways a view takes Value Sets: all, none, some columns", () => {
    const solar = demoSegments.find((s) => s.formats.length === 6 && s.formats[0]!.id === "forward" && s.values.length > 1)!;
    const view = (valueTypes: string[] | null | undefined): GrantView => ({ grantId: "g", kind: "usage_segments", customer: "c", flags: new Set(), filters: {}, related: { meter_devices: "all" }, valueTypes });
    const json = encodeSegment(withValueIndexes(solar))!;
    const all = JSON.parse(shownSegmentParts(view(undefined), json).json) as UsageSegment;
    expect(all.values).toEqual(withValueIndexes(solar).values);
    const none = JSON.parse(shownSegmentParts(view(null), json).json) as UsageSegment;
    expect([none.formats, none.values]).toEqual([[], []]);
    // forward, reverse, net and the cost column: the cost cell's `indexes` [0, 5, 1] lose the dropped supply-mix column 5.
    const some = JSON.parse(shownSegmentParts(view(["forward", "reverse", "net", "cost"]), json).json) as UsageSegment;
    expect(some.formats.map((f) => f.id)).toEqual(["forward", "reverse", "net", "cost"]);
    expect(some.values.every((row) => row.length === 4)).toBe(true);
    expect(some.values.map((row) => (row[3] as { indexes?: number[] } | null)?.indexes).find(Boolean)).toEqual([0, 1]);
  });

  it("keeps every `indexes` reference on the column it named, for any shared value types (format and value level)", () => {
    // Demo segments with a cost or supply-mix format, their format (and some value) `indexes` redrawn over the other columns.
    const withPointers = segments.filter((s) => s.formats.some((f) => "indexes" in f));
    const pointed = fc
      .integer({ min: 0, max: withPointers.length - 1 })
      .chain((i) => {
        const segment = withPointers[i]!;
        const others = (own: number) => segment.formats.map((_, j) => j).filter((j) => j !== own);
        return fc.tuple(
          fc.constant(segment),
          fc.tuple(...segment.formats.map((f, j) => ("indexes" in f ? fc.option(fc.subarray(others(j)), { nil: undefined }) : fc.constant(undefined)))),
        );
      })
      .map(([segment, redrawn]) => ({ ...segment, formats: segment.formats.map((f, j) => (redrawn[j] === undefined ? f : { ...f, indexes: redrawn[j] })) }) as UsageSegment);
    const types = fc.subarray(typeNames);
    /** Where a shown `indexes` list points, as the full segment's formats, and where it should: the full list's targets still shown. */
    const check = (full: UsageSegment, shown: UsageSegment, original: unknown, now: unknown) => {
      if (!original || typeof original !== "object" || !("indexes" in original)) return;
      const shownIds = new Set(shown.formats.map((f) => f.id));
      const target = (f: UsageSegment["formats"][number]) => ({ id: f.id, type: f.type, units: "units" in f ? f.units : undefined });
      const expected = (original.indexes as number[]).map((i) => full.formats[i]!).filter((f) => shownIds.has(f.id)).map(target);
      const indexes = (now as { indexes: number[] }).indexes;
      expect(indexes.every((k) => Number.isInteger(k) && k >= 0 && k < shown.formats.length)).toBe(true);
      expect(indexes.map((k) => target(shown.formats[k]!))).toEqual(expected);
    };
    fc.assert(
      fc.property(pointed, types, (segment, valueTypes) => {
        // Format ids are unique in a segment: they tell which full column a shown column is.
        expect(new Set(segment.formats.map((f) => f.id)).size).toBe(segment.formats.length);
        const view: GrantView = { grantId: "g", kind: "usage_segments", customer: "c", flags: new Set(), filters: {}, related: { meter_devices: "all" }, valueTypes };
        const fromJson = JSON.parse(shownSegmentParts(view, encodeSegment(segment)!).json) as UsageSegment;
        const fromObjects = shownObject(view, segment) as UsageSegment;
        for (const shown of [fromJson, fromObjects]) {
          const fullColumn = shown.formats.map((f) => segment.formats.findIndex((g) => g.id === f.id));
          shown.formats.forEach((f, j) => check(segment, shown, segment.formats[fullColumn[j]!], f));
          shown.values.forEach((row, r) => row.forEach((cell, j) => check(segment, shown, segment.values[r]![fullColumn[j]!], cell)));
        }
        expect(JSON.stringify(fromJson)).toBe(objectPathJson(view, segment));
      }),
      { numRuns: 300 },
    );
  });

  it("renumbers a kept cost format's own `indexes` when usage columns go", () => {
    // A solar demo day: forward, reverse, net usage, then cost `indexes` [0, 1] and two supply mixes on [0].
    const solar = demoSegments.find((s) => s.formats[0]!.id === "forward" && s.formats[3]!.id === "cost")!;
    expect(solar.formats.map((f) => ("indexes" in f ? f.indexes : null))).toEqual([null, null, null, [0, 1], [0], [0]]);
    const view: GrantView = { grantId: "g", kind: "usage_segments", customer: "c", flags: new Set(), filters: {}, related: { meter_devices: "all" }, valueTypes: ["reverse", "cost", "mix-own"] };
    for (const shown of [JSON.parse(shownSegmentParts(view, encodeSegment(solar)!).json) as UsageSegment, shownObject(view, solar) as UsageSegment]) {
      expect(shown.formats.map((f) => [f.id, "indexes" in f ? f.indexes : null])).toEqual([
        ["reverse", null],
        ["cost", [0]], // was [0, 1]: forward is not shared, reverse moved from 1 to 0
        ["mix-own", []], // was [0]: forward is not shared
      ]);
    }
  });

  it("refuses to store a segment the strict schema rejects, naming it and the rule", () => {
    const bad = { ...demoSegments[0]!, interval: "fifteen minutes" } as unknown as UsageSegment;
    expect(() => encodeSegment(bad)).toThrow(InvalidStoredObject);
    expect(() => encodeSegment(bad)).toThrow(new RegExp(`${demoSegments[0]!.cds_usagesegment_id}.*/interval`));
  });

  it("leaves segments with an empty Value Set to the object path", () => {
    expect(encodeSegment({ ...demoSegments[0]!, values: [] })).toBeNull();
    expect(encodeSegment({ ...demoSegments[0]!, formats: [], values: [[]] })).toBeNull();
  });
});
