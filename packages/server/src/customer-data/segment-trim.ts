/**
 * A Grant's `segment_start`/`segment_end` window cut into the Usage Segments
 * it shows (CDS-WG3-01 §7.3.6, §7.3.7; spec/ERRATA.md E-WG3-01-530..533).
 *
 * A segment that lies wholly inside the window is shown as stored. One that
 * straddles a bound is never shown whole: it is replaced by a trimmed
 * segment holding only the Value Sets whose interval lies inside the window.
 * The n-th Value Set covers `[segment_start + n·interval, segment_start +
 * (n+1)·interval)` (§10.8.3), whatever `segment_end` says, so a Value Set is
 * never kept on the strength of a `segment_end` that disagrees with it.
 *
 * The trimmed segment gets an id of its own, made from the stored id and its
 * new `segment_start`/`segment_end`: the same Grant gets the same id on every
 * request, and it never equals the id of the segment as stored. Everything
 * else (created/modified/synced, related ids, formats and their `indexes`,
 * which point at columns, not rows) is the stored segment's: no field of a
 * Usage Segment summarises its rows, so none is made wrong by the cut.
 */
import type { UsageSegment } from "@cds-toolkit/types";
import type { SegmentJson } from "./data-source.js";
import type { SegmentHead } from "./segment-json.js";
import type { GrantView } from "./visibility.js";

/** The window as epoch milliseconds; an absent side is unbounded. */
export interface SegmentWindow {
  start?: number;
  end?: number;
}

/** The Grant's §7.3.6/§7.3.7 window of a Usage Segment view; undefined when it bounds nothing. */
export function segmentWindow(view: GrantView): SegmentWindow | undefined {
  if (view.kind !== "usage_segments" || (view.after === undefined && view.before === undefined)) return undefined;
  const window: SegmentWindow = {};
  if (view.after !== undefined) window.start = Date.parse(view.after);
  if (view.before !== undefined) window.end = Date.parse(view.before);
  return window;
}

type Bounds = Pick<UsageSegment, "cds_usagesegment_id" | "segment_start" | "segment_end" | "interval">;

/** Which rows of a segment of `rows` Value Sets stay, and the trimmed segment's id and bounds. */
export interface RowCut {
  first: number;
  /** One past the last row kept. */
  end: number;
  cds_usagesegment_id: string;
  segment_start: string;
  segment_end: string;
}

/** `2025-01-01T00:15:00Z` as `20250101T001500Z` (milliseconds only when there are some). */
function compact(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z").replace(/[-:]/g, "");
}

/** RFC 3339 UTC, without a fraction when the time is on a whole second. */
const datetime = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

const TRIMMED_ID = /^(.+)~(\d{8}T\d{6}(?:\.\d{3})?Z)-(\d{8}T\d{6}(?:\.\d{3})?Z)$/;

/** The trimmed segment's id: the stored id and the trimmed bounds (E-WG3-01-530). */
export function trimmedId(id: string, startMs: number, endMs: number): string {
  return `${id}~${compact(startMs)}-${compact(endMs)}`;
}

/** The stored id a trimmed id was made from; undefined for an id not of that form. */
export function storedIdOf(id: string): string | undefined {
  return TRIMMED_ID.exec(id)?.[1];
}

/**
 * What `window` leaves of a segment with `rows` Value Sets: "whole" when it
 * lies inside, null when no Value Set's interval does (the segment is left
 * out), otherwise the rows to keep and the trimmed head fields.
 */
export function cutOf(head: Bounds, rows: number | (() => number), window: SegmentWindow): "whole" | null | RowCut {
  const s0 = Date.parse(head.segment_start);
  const segmentEnd = Date.parse(head.segment_end);
  const start = window.start ?? -Infinity;
  const end = window.end ?? Infinity;
  if (s0 >= start && segmentEnd <= end) return "whole";
  return cutRows(head, typeof rows === "number" ? rows : rows(), s0, segmentEnd, start, end);
}

function cutRows(head: Bounds, rows: number, s0: number, segmentEnd: number, start: number, end: number): null | RowCut {
  const step = Number(head.interval) * 1000;
  // Without a usable interval no Value Set can be placed in time, so none can be shown as inside.
  if (!(step > 0) || !Number.isFinite(step) || Number.isNaN(s0)) return null;
  const inside = (i: number) => s0 + i * step >= start && s0 + (i + 1) * step <= end;
  // Closed-form guesses, then corrected against the rule itself (floating point near a bound).
  let first = Number.isFinite(start) ? Math.max(0, Math.min(rows, Math.ceil((start - s0) / step))) : 0;
  while (first > 0 && s0 + (first - 1) * step >= start) first--;
  while (first < rows && s0 + first * step < start) first++;
  let last = Number.isFinite(end) ? Math.max(0, Math.min(rows, Math.floor((end - s0) / step))) : rows;
  while (last < rows && s0 + (last + 1) * step <= end) last++;
  while (last > 0 && s0 + last * step > end) last--;
  if (first >= last || !inside(first) || !inside(last - 1)) return null;
  const startMs = s0 + first * step;
  // The stored `segment_end` stays only when the last row is kept and the end is inside the window.
  const keepEnd = last === rows && segmentEnd <= end;
  const endMs = keepEnd ? segmentEnd : s0 + last * step;
  return {
    first,
    end: last,
    cds_usagesegment_id: trimmedId(head.cds_usagesegment_id, startMs, endMs),
    segment_start: first === 0 ? head.segment_start : datetime(startMs),
    segment_end: keepEnd ? head.segment_end : datetime(endMs),
  };
}

/** The segment as `window` lets it be shown: itself, a trimmed copy, or null (nothing inside). */
export function trimSegment(segment: UsageSegment, window: SegmentWindow): UsageSegment | null {
  const cut = cutOf(segment, segment.values.length, window);
  if (cut === "whole" || cut === null) return cut === "whole" ? segment : null;
  return { ...segment, cds_usagesegment_id: cut.cds_usagesegment_id, segment_start: cut.segment_start, segment_end: cut.segment_end, values: segment.values.slice(cut.first, cut.end) };
}

/**
 * The same cut of a stored segment's JSON parts (./segment-json.ts), with the
 * head as parsed (so a listing parses it once). The trimmed cells are keyed
 * by the stored cells' key and the rows kept, so they are never taken for
 * the whole segment's cells or another cut's.
 */
export function trimSegmentParts(json: SegmentJson, window: SegmentWindow): { json: SegmentJson; head: SegmentHead } | null {
  const head = JSON.parse(json.head) as SegmentHead;
  // Rows are separated by newlines, which never occur inside a cell; counted only for a segment the window cuts.
  const rows = () => {
    let n = 1;
    for (let i = json.cells.indexOf("\n"); i !== -1; i = json.cells.indexOf("\n", i + 1)) n++;
    return n;
  };
  const cut = cutOf(head, rows, window);
  if (cut === "whole" || cut === null) return cut === "whole" ? { json, head } : null;
  const trimmedHead: SegmentHead = { ...head, cds_usagesegment_id: cut.cds_usagesegment_id, segment_start: cut.segment_start, segment_end: cut.segment_end };
  const cells = json.cells.split("\n").slice(cut.first, cut.end).join("\n");
  const out: SegmentJson = { head: JSON.stringify(trimmedHead), cells };
  if (json.key !== undefined) out.key = `${json.key}\u0000rows ${cut.first}-${cut.end}`;
  return { json: out, head: trimmedHead };
}

/** trimSegmentParts' JSON alone. */
export function trimSegmentJson(json: SegmentJson, window: SegmentWindow): SegmentJson | null {
  return trimSegmentParts(json, window)?.json ?? null;
}
