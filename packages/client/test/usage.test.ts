/** Usage rows and their CSV: invariants over all inputs (fast-check) and the pointers of a broken page. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvField, decodeUsagePage, ResponseValidationError, rfc3339, segmentRows, usageCsv, withinWindow } from "../src/index.ts";

const segment = (values: unknown[][], interval = 900, start = "2024-03-10T00:00:00Z") => ({
  cds_usagesegment_id: "s1",
  cds_created: start,
  cds_modified: start,
  cds_synced: start,
  related_aggregations: [],
  related_accounts: [],
  related_servicecontracts: [],
  related_servicepoints: [],
  related_meterdevices: [],
  related_billsections: [],
  segment_start: start,
  segment_end: new Date(Date.parse(start) + values.length * interval * 1000).toISOString(),
  interval,
  formats: [{ id: "kwh", type: "electric_usage", units: "kWh" }],
  values,
});

describe("rfc3339", () => {
  it("writes every whole-second time exactly as toISOString, without the .000", () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_167_219_200, max: 253_402_300_799 }), (seconds) => {
        const ms = seconds * 1000;
        expect(rfc3339(ms)).toBe(new Date(ms).toISOString().replace(".000Z", "Z"));
      }),
      { numRuns: 2000 },
    );
  });
  it("keeps fractions when there are some", () => {
    expect(rfc3339(1_500)).toBe("1970-01-01T00:00:01.500Z");
  });
});

describe("segment rows", () => {
  const readings = fc.array(fc.option(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { nil: null }), { minLength: 1, maxLength: 60 });

  it("one row per Value Set, contiguous intervals, nulls kept, and the CSV says the same", async () => {
    await fc.assert(
      fc.asyncProperty(readings, fc.constantFrom(60, 300, 900, 3600), async (values, interval) => {
        const decoded = segmentRows(segment(values.map((v) => [v === null ? null : { eu: v }]), interval));
        const rows = [...decoded.rows];
        expect(rows.map((r) => r.values[0])).toEqual(values);
        rows.forEach((r, i) => {
          expect(r.end - r.start).toBe(interval * 1000);
          if (i > 0) expect(r.start).toBe(rows[i - 1]!.end);
        });
        let csv = "";
        for await (const chunk of usageCsv((async function* () {
          yield decoded;
        })()))
          csv += chunk;
        const lines = csv.trimEnd().split("\r\n").slice(1);
        expect(lines.map((l) => l.split(",")[3])).toEqual(values.map((v) => (v === null ? "" : String(v))));
      }),
      { numRuns: 200 },
    );
  });

  it("withinWindow keeps exactly the whole intervals inside [from, to)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: -5, max: 45 }), fc.integer({ min: -5, max: 45 }), (n, a, b) => {
        const decoded = segmentRows(segment(Array.from({ length: n }, (_, i) => [{ eu: i }])));
        const t0 = Date.parse("2024-03-10T00:00:00Z");
        const from = t0 + Math.min(a, b) * 900_000 + 1;
        const to = t0 + Math.max(a, b) * 900_000;
        const inside = [...withinWindow(decoded, from, to).rows];
        const expected = [...decoded.rows].filter((r) => r.start >= from && r.end <= to);
        expect(inside).toEqual(expected);
      }),
    );
  });

  it("csvField quotes exactly when RFC 4180 needs it", () => {
    expect([csvField("plain"), csvField("a,b"), csvField('say "hi"'), csvField("two\nlines")]).toEqual(["plain", '"a,b"', '"say ""hi"""', '"two\nlines"']);
  });

  it("a broken segment in a page: the pointer leads into the page", () => {
    const page = { usage_segments: [segment([[{ eu: 1 }]]), segment([[{ eu: "ten" }]])], next: null, previous: null };
    const error = (() => {
      try {
        decodeUsagePage(page, "https://u.example/usage");
      } catch (e) {
        return e as ResponseValidationError;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error!.errors.map((e) => [e.pointer, e.rule])).toEqual([["/usage_segments/1/values/0/0/eu", "type"]]);
    expect(error!.url).toBe("https://u.example/usage");
  });
});
