/**
 * Interval usage to CSV or JSON Lines, streaming: each segment becomes one
 * chunk of text, so memory stays flat however many pages are read.
 *
 * CSV (RFC 4180) is written here rather than with a CSV library: every cell
 * is a number, an RFC 3339 time or a format id, so the only rule needed is
 * RFC 4180 §2.6 quoting, and a per-record library call would cost more than
 * the whole row (see the package README and `pnpm bench`).
 */
import { CdsClientError } from "../errors.js";
import type { SegmentRows, UsageColumn, Reading } from "./rows.js";

export type ExportFormat = "csv" | "jsonl";

/** RFC 4180 §2.6: quote a field holding a comma, quote, CR or LF; double inner quotes. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A column's header: its format id, then type, units, direction and quality where known: `f1 (electric_usage kWh forward; quality validated)`. */
export function columnHeader(column: UsageColumn): string {
  const what = [column.type, column.units, column.direction].filter(Boolean).join(" ");
  return `${column.id} (${what}${column.quality ? `; quality ${column.quality}` : ""})`;
}

function readingText(reading: Reading): string {
  if (reading === null) return "";
  if (typeof reading === "object") return csvField(JSON.stringify(reading));
  return typeof reading === "string" ? csvField(reading) : String(reading);
}

const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

/**
 * CSV chunks: a header from the first segment's columns, then a line per
 * interval. Later segments must have the same format ids in the same order
 * (as the segments of one meter do); otherwise the error says to use JSON Lines.
 */
export async function* usageCsv(segments: AsyncIterable<SegmentRows>): AsyncGenerator<string, void, undefined> {
  let ids: string | null = null;
  for await (const { segment, columns, rows } of segments) {
    const theseIds = columns.map((c) => c.id).join("\u0000");
    if (ids === null) {
      ids = theseIds;
      yield `${["interval_start", "interval_end", "cds_usagesegment_id", ...columns.map(columnHeader)].map(csvField).join(",")}\r\n`;
    } else if (ids !== theseIds) {
      throw new CdsClientError(`segment ${segment.cds_usagesegment_id}: its value formats (${columns.map((c) => c.id).join(", ")}) differ from the first segment's; a CSV has one header, so export these segments as jsonl`, segment.cds_usagesegment_id);
    }
    const id = csvField(segment.cds_usagesegment_id);
    let chunk = "";
    for (const row of rows) {
      chunk += `${iso(row.start)},${iso(row.end)},${id}`;
      for (const reading of row.values) chunk += `,${readingText(reading)}`;
      chunk += "\r\n";
    }
    yield chunk;
  }
}

/** JSON Lines: one object per interval, readings keyed by format id, with the formats' units alongside. */
export async function* usageJsonl(segments: AsyncIterable<SegmentRows>): AsyncGenerator<string, void, undefined> {
  for await (const { segment, columns, rows } of segments) {
    const units = Object.fromEntries(columns.map((c) => [c.id, { type: c.type, units: c.units, direction: c.direction, quality: c.quality }]));
    let chunk = "";
    for (const row of rows) {
      const values: Record<string, Reading> = {};
      columns.forEach((c, i) => (values[c.id] = row.values[i] ?? null));
      chunk += `${JSON.stringify({ interval_start: iso(row.start), interval_end: iso(row.end), cds_usagesegment_id: segment.cds_usagesegment_id, values, formats: units })}\n`;
    }
    yield chunk;
  }
}
