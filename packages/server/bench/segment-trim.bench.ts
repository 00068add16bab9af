/**
 * What trimming to a Grant's `segment_start`/`segment_end` (CDS-WG3-01
 * §7.3.6, §7.3.7; src/customer-data/segment-trim.ts) adds to copying a page
 * of stored Usage Segments: the same page of 15-minute days shown with no
 * window (the baseline), with a window every segment lies inside (the head
 * check only), and with one that cuts every segment at midday (rows counted,
 * cells sliced, the head rewritten). Rounds alternate between the three and
 * the medians are printed as ratios to the baseline of the same run: on a
 * shared machine only those ratios mean anything.
 */
import type { UsageSegment } from "@cds-toolkit/types";
import { expect, test } from "vitest";
import { encodeSegment, shownSegmentParts } from "../src/customer-data/segment-json.ts";
import { trimSegmentParts, type SegmentWindow } from "../src/customer-data/segment-trim.ts";
import type { GrantView } from "../src/customer-data/visibility.ts";
import { defaultDemoSize, generateDemoUtility } from "../src/demo/customer-data/generator.ts";

const segments = generateDemoUtility(defaultDemoSize)
  .objects.filter((o) => o.kind === "usage_segments")
  .map((o) => o.object as UsageSegment)
  .filter((s) => s.interval === 900)
  .slice(0, 100);
const page = segments.map((s, i) => ({ ...encodeSegment(s)!, key: `bench-${i}` }));
const middays = segments.map((s): SegmentWindow => ({ start: Date.parse(s.segment_start) + 12 * 3_600_000 + 7 * 60_000 }));
const everything: SegmentWindow = { start: 0, end: Date.parse("2100-01-01T00:00:00Z") };
const view: GrantView = { grantId: "bench", kind: "usage_segments", customer: "c", flags: new Set(), filters: {}, related: { accounts: "all", service_contracts: "all", service_points: "all", meter_devices: "all", aggregations: "all", bill_sections: "all" } };

const shown = (parts: NonNullable<ReturnType<typeof trimSegmentParts>>) => shownSegmentParts(view, parts.json, parts.head).json.length;
const variants = {
  "no window (baseline)": () => page.map((json) => shownSegmentParts(view, json).json.length),
  // As the listing route does: the head parsed once, by the trim.
  "a window they all lie inside": () => page.map((json) => shown(trimSegmentParts(json, everything)!)),
  "a window cutting each at midday": () => page.map((json, i) => shown(trimSegmentParts(json, middays[i]!)!)),
};

test(`a page of ${page.length} stored 15-minute Usage Segments, shown with and without a Grant window`, () => {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (let round = 0; round < 40; round++) {
    for (const [name, run] of Object.entries(variants)) {
      const t = performance.now();
      for (let i = 0; i < 5; i++) run();
      times[name]!.push((performance.now() - t) / 5);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const base = median(times["no window (baseline)"]!);
  for (const [name, xs] of Object.entries(times)) console.log(`${name}: ${median(xs).toFixed(3)} ms per page (x${(median(xs) / base).toFixed(2)} of the baseline)`);
  // What was measured: whole segments unchanged, cut ones shorter.
  const [plain, inside, cut] = Object.values(variants).map((run) => run());
  expect(inside).toEqual(plain);
  cut!.forEach((n, i) => expect(n).toBeLessThan(plain![i]!));
});
