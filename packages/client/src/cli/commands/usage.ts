/**
 * `cds usage export`: every Usage Segment of a meter between two times, as
 * rows, written as they arrive (the output stream's backpressure is
 * respected), with a progress bar on a terminal.
 */
import { createWriteStream } from "node:fs";
import type { Writable } from "node:stream";
import { once } from "node:events";
import cliProgress from "cli-progress";
import { withinWindow, type SegmentRows } from "../../usage/rows.js";
import { usageSegmentRows } from "../../usage/stream.js";
import { usageCsv, usageJsonl } from "../../usage/export.js";
import type { CliContext } from "../context.js";
import { UsageError } from "../exit.js";
import { parseFilters } from "./list.js";
import { resources } from "../resources.js";

export interface UsageExportOptions {
  meter?: string[];
  meterDevice?: string[];
  servicePoint?: string[];
  from: string;
  to: string;
  format: "csv" | "jsonl";
  output?: string;
  filter?: string[];
  interval?: string;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

export function parseTime(option: string, value: string): Date {
  const time = RFC3339.test(value) ? new Date(value.length === 10 ? `${value}T00:00:00Z` : value) : new Date(NaN);
  if (Number.isNaN(time.getTime())) throw new UsageError(option, `must be an RFC 3339 date (2024-01-31) or date-time with an offset (2024-01-31T00:00:00Z) (got ${JSON.stringify(value)})`);
  return time;
}

export async function usageExportCommand(c: CliContext, options: UsageExportOptions): Promise<void> {
  const from = parseTime("--from", options.from);
  const to = parseTime("--to", options.to);
  if (to <= from) throw new UsageError("--to", `must be after --from (${options.from})`);
  if (!options.meter && !options.meterDevice && !options.servicePoint) throw new UsageError("--meter", "required: name the meter (--meter, --meter-device or --service-point)");
  const filters: Record<string, unknown> = {
    ...parseFilters(resources["usage-segments"]!, options.filter),
    ...(options.meter ? { meter_numbers: options.meter } : {}),
    ...(options.meterDevice ? { cds_meterdevice_ids: options.meterDevice } : {}),
    ...(options.servicePoint ? { cds_servicepoint_ids: options.servicePoint } : {}),
    // segments that overlap [from, to): ending at or after `from`, starting at or before `to` (§10.8.8)
    after: from,
    before: to,
  };
  const interval = options.interval === undefined ? undefined : Number(options.interval);
  if (interval !== undefined && !(Number.isInteger(interval) && interval > 0)) throw new UsageError("--interval", `must be a whole number of seconds, such as 900 for 15 minutes (got ${JSON.stringify(options.interval)})`);
  const api = await c.api(await c.session());
  const out: Writable = options.output ? createWriteStream(options.output, { mode: 0o600 }) : c.io.stdout;

  const span = to.getTime() - from.getTime();
  const bar = c.io.stderr.isTTY ? new cliProgress.SingleBar({ format: "usage {bar} {percentage}% | {intervals} intervals | {pages} pages", stream: c.io.stderr as NodeJS.WriteStream, hideCursor: true }, cliProgress.Presets.shades_classic) : null;
  bar?.start(span, 0, { intervals: 0, pages: 0 });
  let intervals = 0;
  let pages = 0;
  let otherLengths = 0;
  // With --interval, time in [from, to) that no segment covered: the Server sent nothing for it (not even nulls).
  let covered = from.getTime();
  let uncovered = 0;

  async function* clipped(): AsyncGenerator<SegmentRows, void, undefined> {
    for await (const decoded of usageSegmentRows(api.customerData.usageSegments, filters as never, { onPage: () => void pages++ })) {
      if (interval !== undefined && Number(decoded.segment.interval) !== interval) {
        otherLengths++;
        continue;
      }
      const inside = withinWindow(decoded, from.getTime(), to.getTime());
      if (!inside.count) continue;
      intervals += inside.count;
      if (interval !== undefined) {
        uncovered += Math.max(0, inside.startOf(0) - covered);
        covered = Math.max(covered, inside.startOf(inside.count));
      }
      const reached = inside.count ? inside.startOf(inside.count) - from.getTime() : 0;
      bar?.update(Math.min(span, Math.max(reached, 0)), { intervals, pages });
      yield inside;
    }
  }

  const chunks = options.format === "csv" ? usageCsv(clipped()) : usageJsonl(clipped());
  try {
    for await (const chunk of chunks) {
      if (!out.write(chunk)) await once(out, "drain");
    }
  } finally {
    bar?.stop();
    if (options.output) {
      out.end();
      await once(out, "finish");
    }
  }
  if (interval !== undefined) uncovered += Math.max(0, to.getTime() - covered);
  const notes = [
    ...(interval !== undefined && otherLengths ? [`${otherLengths} segments of other interval lengths left out`] : []),
    ...(interval !== undefined && uncovered ? [`${Math.round(uncovered / 1000 / interval)} intervals with no segment at all`] : []),
  ];
  c.warn(`${intervals} intervals from ${pages} pages${options.output ? ` written to ${options.output}` : ""}${notes.length ? ` (${notes.join("; ")})` : ""}`);
}
