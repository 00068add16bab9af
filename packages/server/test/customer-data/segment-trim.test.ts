/**
 * A Grant's `segment_start`/`segment_end` window trims the Usage Segments it
 * shows (CDS-WG3-01 §7.3.6, §7.3.7; src/customer-data/segment-trim.ts). For
 * generated segments (demo shapes with generated starts, intervals, row
 * counts and inconsistent ends) and generated windows: no Value Set whose
 * interval (§10.8.3) leaves the window is kept, every one inside is kept
 * once and in place, the result is strictly valid, and the stored-JSON path
 * gives the object path's bytes for any Grant view.
 */
import fc from "fast-check";
import type { UsageSegment } from "@cds-toolkit/types";
import { validate } from "@cds-toolkit/validators";
import { describe, expect, it } from "vitest";
import { shownObject } from "../../src/customer-data/field-rules.ts";
import { encodeSegment, shownSegmentParts } from "../../src/customer-data/segment-json.ts";
import { cutOf, segmentWindow, storedIdOf, trimmedId, trimSegment, trimSegmentJson, type SegmentWindow } from "../../src/customer-data/segment-trim.ts";
import type { GrantView } from "../../src/customer-data/visibility.ts";
import { generateDemoUtility } from "../../src/demo/customer-data/generator.ts";

const utility = generateDemoUtility({ customers: 6, months: 2, intervalSeconds: 900, seed: 7, until: "2025-03-01T06:00:00.000Z", intervalDays: 2 });
const templates = utility.objects.filter((o) => o.kind === "usage_segments").map((o) => o.object as UsageSegment);

/** §10.8.3: the n-th Value Set covers [start + n·interval, start + (n+1)·interval). */
const intervalOf = (segment: { segment_start: string; interval: number }, n: number) => {
  const s = Date.parse(segment.segment_start);
  return { from: s + n * segment.interval * 1000, to: s + (n + 1) * segment.interval * 1000 };
};

const segmentArbitrary = fc
  .record({
    template: fc.constantFrom(...templates),
    startSeconds: fc.integer({ min: Date.parse("2023-01-01T00:00:00Z") / 1000, max: Date.parse("2026-01-01T00:00:00Z") / 1000 }),
    interval: fc.constantFrom(1, 1.5, 60, 900, 3600, 86_400, 2_592_000),
    rows: fc.integer({ min: 1, max: 60 }),
    // A stored `segment_end` that disagrees with the rows must not widen what is kept.
    endSkewSeconds: fc.oneof(fc.constant(0), fc.integer({ min: -5000, max: 5000 })),
  })
  .map(({ template, startSeconds, interval, rows, endSkewSeconds }): UsageSegment => {
    const start = startSeconds * 1000;
    const values = Array.from({ length: rows }, (_, i) => template.values[i % template.values.length]!);
    return {
      ...template,
      cds_usagesegment_id: `${template.cds_usagesegment_id}-${startSeconds}-${interval}-${rows}`,
      segment_start: new Date(start).toISOString(),
      segment_end: new Date(start + rows * interval * 1000 + endSkewSeconds * 1000).toISOString(),
      interval,
      values,
    };
  });

/** A window around the segment: each side absent, on a row boundary, or anywhere near it (to the millisecond). */
const windowArbitrary = (segment: UsageSegment): fc.Arbitrary<SegmentWindow> => {
  const s0 = Date.parse(segment.segment_start);
  const span = segment.values.length * segment.interval * 1000;
  const side = fc.oneof(
    fc.constant(undefined),
    fc.integer({ min: -2, max: segment.values.length + 2 }).map((n) => s0 + n * segment.interval * 1000),
    fc.integer({ min: -Math.ceil(span), max: Math.ceil(2 * span) }).map((d) => s0 + d),
  );
  return fc.record({ start: side, end: side }).map(({ start, end }) => ({ ...(start === undefined ? {} : { start }), ...(end === undefined ? {} : { end }) }));
};

const withWindow = fc.tuple(segmentArbitrary, fc.nat()).chain(([segment]) => fc.tuple(fc.constant(segment), windowArbitrary(segment)));

const inside = (w: SegmentWindow, from: number, to: number) => from >= (w.start ?? -Infinity) && to <= (w.end ?? Infinity);

const view = (valueTypes?: string[] | null): GrantView => ({ grantId: "g", kind: "usage_segments", customer: "c", flags: new Set(), filters: {}, related: { accounts: "all", service_contracts: "all", service_points: "all", meter_devices: "all", aggregations: "all", bill_sections: "all" }, ...(valueTypes === undefined ? {} : { valueTypes }) });

describe("trimming Usage Segments to a Grant's window", () => {
  it("keeps exactly the Value Sets whose interval lies in the window, in place; the rest of the segment is as stored", () => {
    fc.assert(
      fc.property(withWindow, ([segment, window]) => {
        const s0 = Date.parse(segment.segment_start);
        const whole = s0 >= (window.start ?? -Infinity) && Date.parse(segment.segment_end) <= (window.end ?? Infinity);
        const expected = segment.values.map((_, n) => n).filter((n) => inside(window, intervalOf(segment, n).from, intervalOf(segment, n).to));
        const out = trimSegment(segment, window);
        if (whole) {
          expect(out).toBe(segment);
          return;
        }
        if (!expected.length) {
          expect(out).toBeNull();
          return;
        }
        expect(out).not.toBeNull();
        const trimmed = out!;
        // Every kept Value Set sits at its own interval: the trimmed start is the first kept row's.
        const offset = Math.round((Date.parse(trimmed.segment_start) - s0) / (segment.interval * 1000));
        expect(Date.parse(trimmed.segment_start)).toBe(intervalOf(segment, offset).from);
        expect(trimmed.values).toEqual(expected.map((n) => segment.values[n]));
        expect(offset).toBe(expected[0]);
        for (let n = 0; n < trimmed.values.length; n++) {
          const { from, to } = intervalOf(trimmed, n);
          expect(inside(window, from, to), `row ${n} of ${trimmed.cds_usagesegment_id}`).toBe(true);
        }
        // §7.3.6/§7.3.7 first bullets: the segment itself lies in the window.
        expect(inside(window, Date.parse(trimmed.segment_start), Date.parse(trimmed.segment_end))).toBe(true);
        // E-WG3-01-530: the stored end stays when the last row stays and it is inside; otherwise the last kept interval's end.
        const lastKept = expected.at(-1)!;
        const keepsEnd = lastKept === segment.values.length - 1 && Date.parse(segment.segment_end) <= (window.end ?? Infinity);
        expect(Date.parse(trimmed.segment_end)).toBe(keepsEnd ? Date.parse(segment.segment_end) : intervalOf(segment, lastKept).to);
        // A new segment: its own id, stable, naming the stored one.
        expect(trimmed.cds_usagesegment_id).not.toBe(segment.cds_usagesegment_id);
        expect(storedIdOf(trimmed.cds_usagesegment_id)).toBe(segment.cds_usagesegment_id);
        expect(trimSegment(segment, window)!.cds_usagesegment_id).toBe(trimmed.cds_usagesegment_id);
        const { cds_usagesegment_id: _a, segment_start: _b, segment_end: _c, values: _d, ...rest } = trimmed;
        const { cds_usagesegment_id: _e, segment_start: _f, segment_end: _g, values: _h, ...stored } = segment;
        expect(rest).toEqual(stored);
        expect(validate("UsageSegment", trimmed, "strict").ok).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it("the stored-JSON path gives the object path's bytes, and trimmed cells never share the stored cells' key", () => {
    fc.assert(
      fc.property(withWindow, fc.oneof(fc.constant(undefined), fc.constant(null), fc.subarray(["electric_usage", "cost", "electric_demand", "natural_gas_usage", "water_usage", "electric_supply_mix"])), ([segment, window], valueTypes) => {
        const stored = encodeSegment(segment)!;
        const keyed = { ...stored, key: `${segment.cds_usagesegment_id}\u0000hash` };
        const object = trimSegment(segment, window);
        const json = trimSegmentJson(keyed, window);
        expect(json === null).toBe(object === null);
        if (!object || !json) return;
        const v = view(valueTypes);
        const { values, ...rest } = shownObject(v, object) as UsageSegment;
        expect(shownSegmentParts(v, json).json).toBe(JSON.stringify({ ...rest, values }));
        if (object !== segment) expect(json.key).not.toBe(keyed.key);
        else expect(json).toBe(keyed);
      }),
      { numRuns: 300 },
    );
  });

  it("spec example (§7.3.6, §7.3.7): 30 daily Value Sets, a bound 10 days in leaves 20", () => {
    const template = templates.find((t) => t.formats.length === 1) ?? templates[0]!;
    const segment: UsageSegment = { ...template, segment_start: "2025-01-01T00:00:00Z", segment_end: "2025-01-31T00:00:00Z", interval: 86_400, values: Array.from({ length: 30 }, () => template.values[0]!) };
    const late = trimSegment(segment, { start: Date.parse("2025-01-11T00:00:00Z") })!;
    expect(late.values).toHaveLength(20);
    expect(late.segment_start).toBe("2025-01-11T00:00:00Z");
    expect(late.segment_end).toBe("2025-01-31T00:00:00Z");
    const early = trimSegment(segment, { end: Date.parse("2025-01-21T00:00:00Z") })!;
    expect(early.values).toHaveLength(20);
    expect([early.segment_start, early.segment_end]).toEqual(["2025-01-01T00:00:00Z", "2025-01-21T00:00:00Z"]);
    // A bound inside a day leaves that day out: its interval starts before (or ends after) the bound.
    expect(trimSegment(segment, { start: Date.parse("2025-01-10T12:00:00Z") })!.values).toHaveLength(20);
    expect(trimSegment(segment, { end: Date.parse("2025-01-21T12:00:00Z") })!.values).toHaveLength(20);
    // Nothing left: the segment is left out.
    expect(trimSegment(segment, { start: Date.parse("2025-01-30T00:00:01Z") })).toBeNull();
    expect(cutOf(segment, 30, { start: Date.parse("2025-01-01T00:00:00Z"), end: Date.parse("2025-01-31T00:00:00Z") })).toBe("whole");
    expect(late.cds_usagesegment_id).toBe(trimmedId(segment.cds_usagesegment_id, Date.parse(late.segment_start), Date.parse(late.segment_end)));
    expect(storedIdOf(segment.cds_usagesegment_id)).toBeUndefined();
  });

  it("a view's window is its Grant's bounds, and only for Usage Segments", () => {
    expect(segmentWindow(view())).toBeUndefined();
    expect(segmentWindow({ ...view(), after: "2025-01-01T00:00:00.000Z" })).toEqual({ start: Date.parse("2025-01-01T00:00:00Z") });
    expect(segmentWindow({ ...view(), kind: "bill_sections", after: "2025-01-01" })).toBeUndefined();
  });
});
