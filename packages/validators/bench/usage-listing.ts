/**
 * The document the usage benches validate: one year of 15-minute electric
 * usage of a net-metered site as a CDS-WG3-01 Usage Segment Listing (§10.8.8),
 * one segment per calendar month, each with three Value Formats (forward,
 * reverse and net `electric_usage`, §10.8.5) and one Value Set per interval
 * (§10.8.3). 12 segments × 2,880–2,976 Value Sets × 3 values ≈ 1.4 MB of JSON.
 *
 * Values come from a seeded generator, so every run validates the same bytes.
 */
import type * as M from "@cds-toolkit/types";

const INTERVAL = 900;
const YEAR = 2025;

/** A small deterministic generator (mulberry32), so the document is the same in every run and process. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

function segment(month: number, next: () => number): M.UsageSegment {
  const start = new Date(Date.UTC(YEAR, month, 1));
  const end = new Date(Date.UTC(YEAR, month + 1, 1));
  const intervals = (end.getTime() - start.getTime()) / 1000 / INTERVAL;
  const values: M.UsageSegment["values"] = [];
  for (let i = 0; i < intervals; i++) {
    // Now and then a meter misses an interval: a row of nulls (§10.8.3).
    if (next() < 0.002) {
      values.push([null, null, null]);
      continue;
    }
    const forward = round3(next() * 1.2);
    const reverse = round3(-next() * 0.8);
    values.push([{ eu: forward }, { eu: reverse }, { eu: round3(forward + reverse) }]);
  }
  const iso = (d: Date) => d.toISOString().replace(".000Z", "Z");
  return {
    cds_usagesegment_id: `seg-${YEAR}-${String(month + 1).padStart(2, "0")}`,
    cds_created: iso(end),
    cds_modified: iso(end),
    cds_synced: iso(end),
    related_aggregations: [],
    related_accounts: ["acct-1"],
    related_servicecontracts: ["sc-1"],
    related_servicepoints: ["sp-1"],
    related_meterdevices: ["meter-1"],
    related_billsections: [],
    segment_start: iso(start),
    segment_end: iso(end),
    interval: INTERVAL,
    formats: [
      { id: "fwd", type: "electric_usage", units: "kWh", direction: "forward", tou: null, tier: null, quality: "revenue", related_meterdevices: ["meter-1"] },
      { id: "rev", type: "electric_usage", units: "kWh", direction: "reverse", tou: null, tier: null, quality: "revenue", related_meterdevices: ["meter-1"] },
      { id: "net", type: "electric_usage", units: "kWh", direction: "net", tou: null, tier: null, quality: "revenue", related_meterdevices: ["meter-1"] },
    ],
    values,
  } as M.UsageSegment;
}

/** The listing as JSON text, as a Client receives it. */
export function usageListingText(): string {
  const next = random(2025);
  const listing: M.UsageSegmentListing = {
    usage_segments: Array.from({ length: 12 }, (_, month) => segment(month, next)),
    next: null,
    previous: null,
  };
  return JSON.stringify(listing);
}
