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

/** A column's header: its format id, then type, units and direction where known: `f1 (electric_usage kWh forward)`. */
export function columnHeader(column: UsageColumn): string {
  const what = [column.type, column.units, column.direction].filter(Boolean).join(" ");
  return `${column.id} (${what})`;
}

/**
 * Value Types whose formats say how good their readings are (`quality`,
 * §10.8.7.6). Quality is per segment, and a meter's days move from `raw` to
 * `estimated` to validated, so a CSV carries it in a column per row rather
 * than in the header: `f1 quality`.
 */
const QUALIFIED: ReadonlySet<string> = new Set(["electric_usage", "electric_demand", "water_usage", "natural_gas_usage", "fuel_oil_usage"]);
const hasQuality = (column: UsageColumn) => QUALIFIED.has(column.type);

function readingText(reading: Reading): string {
  if (typeof reading === "number") return String(reading);
  if (reading === null) return "";
  if (typeof reading === "object") return csvField(JSON.stringify(reading));
  return csvField(reading);
}

const DAY_MS = 86_400_000;
/** Years 0000–9999, where toISOString has the plain four-digit form. */
const FOUR_DIGIT_YEARS = [-62_167_219_200_000, 253_402_300_800_000] as const;
const days = new Map<number, string>();
const timesOfDay = new Map<number, string>();

/**
 * RFC 3339 in UTC, whole seconds without a fraction (`2024-01-01T00:15:00Z`),
 * as `Date#toISOString` writes it. Interval boundaries repeat their time of
 * day and share their date with ~100 neighbours, so both parts are cached:
 * formatting is the largest cost of a CSV row otherwise.
 */
export function rfc3339(ms: number): string {
  if (ms % 1000 !== 0 || ms < FOUR_DIGIT_YEARS[0] || ms >= FOUR_DIGIT_YEARS[1]) {
    const text = new Date(ms).toISOString();
    return text.endsWith(".000Z") ? `${text.slice(0, -5)}Z` : text;
  }
  const day = Math.floor(ms / DAY_MS);
  const time = ms - day * DAY_MS;
  let date = days.get(day);
  if (date === undefined) {
    if (days.size > 10_000) days.clear();
    date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    days.set(day, date);
  }
  let clock = timesOfDay.get(time);
  if (clock === undefined) {
    if (timesOfDay.size > 100_000) timesOfDay.clear();
    clock = new Date(time).toISOString().slice(11, 19);
    timesOfDay.set(time, clock);
  }
  return `${date}T${clock}Z`;
}
const iso = rfc3339;

/**
 * The lines of one segment. The hot loop of an export: it reads the columns
 * directly (no row objects) and formats each boundary time once, since an
 * interval's end is the next one's start.
 */
function csvRows(id: string, rows: SegmentRows): string {
  const { readers, count, startOf, columns } = rows;
  // Per column: its reading, then (for metered types) the segment's quality of it, the same on every row.
  const cells: Array<(i: number) => string> = [];
  columns.forEach((column, c) => {
    const read = readers[c]!;
    cells.push((i) => readingText(read(i)));
    if (hasQuality(column)) {
      const quality = csvField(column.quality ?? "");
      cells.push(() => quality);
    }
  });
  let text = "";
  let start = iso(startOf(0));
  for (let i = 0; i < count; i++) {
    const end = iso(startOf(i + 1));
    text += start + "," + end + "," + id;
    for (let c = 0; c < cells.length; c++) text += "," + cells[c]!(i);
    text += "\r\n";
    start = end;
  }
  return text;
}

/**
 * CSV chunks: a header from the first segment's columns (each metered column
 * followed by its quality column), then a line per interval. Later segments
 * must have the same columns (ids, types, units, directions) in the same order,
 * as the interval segments of one meter do; otherwise the error says how to
 * export them instead (one interval length, or JSON Lines).
 */
export async function* usageCsv(segments: AsyncIterable<SegmentRows>): AsyncGenerator<string, void, undefined> {
  let header: string | null = null;
  for await (const decoded of segments) {
    const { segment, columns } = decoded;
    const names = ["interval_start", "interval_end", "cds_usagesegment_id", ...columns.flatMap((c) => (hasQuality(c) ? [columnHeader(c), `${c.id} quality`] : [columnHeader(c)]))];
    const line = `${names.map(csvField).join(",")}\r\n`;
    if (header === null) {
      header = line;
      yield line;
    } else if (header !== line) {
      throw new CdsClientError(
        `segment ${segment.cds_usagesegment_id} (interval ${segment.interval} s): its columns (${columns.map(columnHeader).join(", ")}) differ from the first segment's; a CSV has one header, so export one interval length at a time or as jsonl`,
        segment.cds_usagesegment_id,
      );
    }
    yield csvRows(csvField(segment.cds_usagesegment_id), decoded);
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
