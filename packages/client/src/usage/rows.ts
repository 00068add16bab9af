/**
 * Usage Segments (CDS-WG3-01 §10.8) as rows: one row per interval, its start
 * and end computed from `segment_start` and `interval` (the n-th Value Set
 * covers the n-th interval), one column per Value Format of a known Value
 * Type, `null` kept where a reading is missing (§10.8.4), each column's units
 * and quality carried, and formats of unknown Value Types skipped as §10.8.5
 * asks of Clients. Decoding and checking is `decodeUsageSegment`'s job
 * (@cds-toolkit/validators); this module only lays its columns out as rows.
 */
import type * as M from "@cds-toolkit/types";
import { decodeUsageSegment, type KnownValueType, type Lenient, type Mode, type SkippedValueFormat, type ValueTypeModelTypes } from "@cds-toolkit/validators";
import { ResponseValidationError } from "../errors.js";

/**
 * The field of each Value Type's Value Object that holds the reading; `null`
 * where the object has several (supply mix), so the row carries it whole.
 * Checked against the generated value models: a renamed field is a compile error.
 */
export const VALUE_FIELDS = {
  electric_usage: "eu",
  electric_demand: "ed",
  water_usage: "wu",
  natural_gas_usage: "gu",
  fuel_oil_usage: "fu",
  cost: "c",
  meter_readings: "r",
  electric_supply_mix: null,
} as const satisfies { [K in KnownValueType]: keyof ValueTypeModelTypes[K]["value"] | null };

/** One column of the rows: a Value Format of a known Value Type. */
export interface UsageColumn {
  /** The format's `id`. */
  id: string;
  type: KnownValueType;
  /** The format's `units` (absent for costs, whose currency is `currency`, and supply mix). */
  units: string | null;
  direction: string | null;
  quality: string | null;
  /** The whole format, for anything else it says (tou, tier, season, currency, indexes…). */
  format: Record<string, unknown>;
}

/** A reading: a number (Decimal), a string (meter readings), a whole Value Object (supply mix), or null where missing. */
export type Reading = number | string | Record<string, unknown> | null;

export interface UsageRow {
  segmentId: string;
  /** Epoch milliseconds of the interval's start and end. */
  start: number;
  end: number;
  /** One reading per column, in the order of `columns`. */
  values: Reading[];
}

export interface SegmentRows {
  segment: Lenient<M.UsageSegment>;
  columns: UsageColumn[];
  skipped: SkippedValueFormat[];
  /** The rows, computed as they are read. */
  rows: Iterable<UsageRow>;
  /** How many rows `rows` yields (the number of Value Sets). */
  count: number;
  /** Epoch ms of the start of row `i` (its end is `startOf(i + 1)`): for writers that skip building row objects. */
  startOf: (i: number) => number;
  /** One reader per column: the reading of row `i`. */
  readers: Array<(i: number) => Reading>;
}

/** Decodes one segment; a segment that breaks the rules is a ResponseValidationError carrying each pointer. */
export function segmentRows(value: unknown, options: { mode?: Mode; source?: string } = {}): SegmentRows {
  const decoded = decodeUsageSegment(value, options.mode ?? "lenient");
  const source = options.source ?? "(usage segment)";
  if (!decoded.ok) throw new ResponseValidationError("UsageSegment", decoded.errors, source);
  const { segment, columns: decodedColumns, skipped } = decoded.value;
  const start = Date.parse(segment.segment_start);
  const intervalMs = Number(segment.interval) * 1000;
  const columns: UsageColumn[] = decodedColumns.map((column) => {
    const format = column.format as Record<string, unknown>;
    return {
      id: String(format.id),
      type: column.type,
      units: typeof format.units === "string" ? format.units : null,
      direction: typeof format.direction === "string" ? format.direction : null,
      quality: typeof format.quality === "string" ? format.quality : null,
      format,
    };
  });
  const readers = decodedColumns.map((column) => {
    const field = VALUE_FIELDS[column.type];
    const values = column.values as ReadonlyArray<Record<string, unknown> | null>;
    return field === null ? (i: number): Reading => values[i] ?? null : (i: number): Reading => (values[i]?.[field] as number | string | undefined) ?? null;
  });
  const count = segment.values.length;
  const segmentId = segment.cds_usagesegment_id;
  const startOf = (i: number) => start + i * intervalMs;
  return {
    segment: segment as Lenient<M.UsageSegment>,
    columns,
    skipped,
    count,
    startOf,
    readers,
    rows: {
      *[Symbol.iterator]() {
        for (let i = 0; i < count; i++) yield { segmentId, start: startOf(i), end: startOf(i + 1), values: readers.map((read) => read(i)) };
      },
    },
  };
}

/** Rows of many segments (such as every page of a listing), segment by segment, streaming. */
export async function* usageRows(segments: AsyncIterable<unknown> | Iterable<unknown>, options: { mode?: Mode } = {}): AsyncGenerator<SegmentRows, void, undefined> {
  for await (const segment of segments) yield segmentRows(segment, options);
}

/**
 * The rows of `decoded` that lie wholly inside [from, to) (epoch ms): an export
 * of a time range keeps whole intervals only, and a segment that overlaps the
 * range at one end gives just the rows inside it.
 */
export function withinWindow(decoded: SegmentRows, from: number, to: number): SegmentRows {
  const { count, startOf, readers, segment } = decoded;
  let first = 0;
  while (first < count && startOf(first) < from) first++;
  let last = first;
  while (last < count && startOf(last + 1) <= to) last++;
  const offset = first;
  const n = last - first;
  const shiftedStart = (i: number) => startOf(i + offset);
  const shifted = readers.map((read) => (i: number) => read(i + offset));
  const segmentId = segment.cds_usagesegment_id;
  return {
    ...decoded,
    count: n,
    startOf: shiftedStart,
    readers: shifted,
    rows: {
      *[Symbol.iterator]() {
        for (let i = 0; i < n; i++) yield { segmentId, start: shiftedStart(i), end: shiftedStart(i + 1), values: shifted.map((read) => read(i)) };
      },
    },
  };
}
