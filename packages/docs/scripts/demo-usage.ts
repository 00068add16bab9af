/**
 * Demo interval data for the "Interval data" page: days of the reference
 * server's own demo utility (`generateDemoUtility` of @cds-toolkit/server,
 * the data `pnpm start` serves), so the page shows what a client reads.
 *
 * The page plots two days of the first solar customer's electric meter, each a
 * CDS-WG3-01 Usage Segment (§10.8.1) with forward, reverse and net usage, the
 * cost of the net usage (§10.8.5.2) and its supply mix (§10.8.5.3):
 * - the day of the disclosed outage, whose missing intervals are Value Sets of
 *   `null`s (§10.8.3);
 * - the day the meter did not report, whose readings are `estimated`
 *   (quality is per column, §10.8.7.6).
 * The generator is seeded, so every build writes the same files. Each segment
 * is decoded with the strict validators before it is written: the page shows
 * only what the contract accepts.
 */
import { defaultDemoSize, generateDemoUtility } from "@cds-toolkit/server";
import type { UsageSegment } from "@cds-toolkit/types";
import { decodeUsageSegment } from "@cds-toolkit/validators";

export interface DemoDays {
  /** The day with the disclosed gap. */
  gap: UsageSegment;
  /** The day of estimated readings. */
  estimated: UsageSegment;
}

const isGap = (row: UsageSegment["values"][number]) => row.every((v) => v === null);
const isEstimated = (s: UsageSegment) => s.formats.some((f) => "quality" in f && f.quality === "estimated");

export function demoUsageDays(): DemoDays {
  const utility = generateDemoUtility(defaultDemoSize);
  const solar = utility.customers.find((c) => c.solar);
  if (!solar) throw new Error("the demo utility has no solar customer");
  const meters = new Set(solar.meterDevices.map((m) => m.cds_meterdevice_id));
  // Interval days of the solar meter: shorter than a day per interval, with a reverse (exported) column.
  const days = utility.objects
    .flatMap((o) => (o.kind === "usage_segments" ? [o.object] : []))
    .filter((s) => s.interval < 86_400 && s.related_meterdevices.some((m) => meters.has(m)) && s.formats.some((f) => f.type === "electric_usage" && f.direction === "reverse"));
  const gap = days.find((s) => s.values.some(isGap));
  const estimated = days.find(isEstimated);
  if (!gap || !estimated) throw new Error("the demo utility's solar meter has no day with a gap, or none with estimates");
  for (const segment of [gap, estimated]) {
    const decoded = decodeUsageSegment(segment, "strict");
    if (!decoded.ok) throw new Error(`the demo Usage Segment ${segment.cds_usagesegment_id} does not validate: ${decoded.errors.map((e) => e.message).join("; ")}`);
  }
  return { gap, estimated };
}
