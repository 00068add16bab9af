/**
 * Usage Segments as listings send them, kept as JSON text (CDS-WG3-01 §10.8).
 *
 * A year of 15-minute usage is a megabyte of numbers per listing page, and
 * building, validating and serialising those numbers on every request is
 * most of what a page costs. So a segment is checked against the strict
 * schema once, when it is written, and kept in two parts:
 *
 * - the head: every field but `values`, as JSON (small; parsed per request,
 *   because what a Grant shows of it — related ids, Value Formats — differs
 *   between Grants);
 * - the cells: each Value Object (or `null`) serialised on its own, cells of
 *   a row joined by a tab, rows by a newline. `JSON.stringify` never writes a
 *   raw tab or newline (inside strings they are escaped), so the separators
 *   cannot occur in a cell.
 *
 * A listing then copies cells instead of building objects: all of them when
 * the Grant shares every Value Format, the shared columns' cells otherwise
 * (§7.2.8.1). `shownSegmentJson` gives the same JSON as serialising
 * field-rules.ts `shownObject` of the whole segment (test/customer-data/
 * segment-json.test.ts checks this for generated Grants).
 */
import type { UsageSegment } from "@cds-toolkit/types";
import { validate } from "@cds-toolkit/validators";
import type { SegmentJson } from "./data-source.js";
import { renumberValue, sharedColumns, shownObject } from "./field-rules.js";
import { TextCache } from "./text-cache.js";
import type { GrantView } from "./visibility.js";

/**
 * Value Sets as shown, by the cells' key (`SegmentJson.key`, content-named)
 * and the columns kept: a page read again by Grants sharing the same Value
 * Types is copied, not cut out again.
 */
const shownValues = new TextCache(32 * 1024 * 1024);

export type { SegmentJson };

export type SegmentHead = Omit<UsageSegment, "values">;

/** Thrown when a segment to be stored breaks the strict schema: it names the segment and each failing pointer and rule. */
export class InvalidStoredObject extends Error {}

/**
 * Checks `segment` strictly and splits it for storage. Null when the segment
 * has no rows or an empty row (the cell text could not tell those apart):
 * such a segment is served by the object path.
 */
export function encodeSegment(segment: UsageSegment): SegmentJson | null {
  const checked = validate("UsageSegment", segment, "strict");
  if (!checked.ok) {
    const where = checked.errors.map((e) => `${e.pointer || "/"} (${e.rule})`).join(", ");
    throw new InvalidStoredObject(`usage segment ${JSON.stringify(segment.cds_usagesegment_id)} breaks the UsageSegment schema at ${where}`);
  }
  if (!segment.values.length || segment.values.some((row) => !row.length)) return null;
  const { values, ...head } = segment;
  return { head: JSON.stringify(head), cells: values.map((row) => row.map((cell) => JSON.stringify(cell ?? null)).join("\t")).join("\n") };
}

/** The whole segment back from its parts (the object path, and data-source readers that want objects). */
export function decodeSegment(json: SegmentJson): UsageSegment {
  const values = json.cells.split("\n").map((row) => row.split("\t").map((cell) => JSON.parse(cell) as UsageSegment["values"][number][number]));
  return { ...(JSON.parse(json.head) as SegmentHead), values };
}

/** A cell of a kept column: as stored, unless it points at other columns and must be renumbered. */
function keptCell(cell: string | undefined, renumber: ReadonlyMap<number, number>): string {
  if (cell === undefined) return "null";
  // Only a Value Object with `indexes` changes; any other cell is copied as it is.
  return cell.includes('"indexes"') ? JSON.stringify(renumberValue(JSON.parse(cell), renumber)) : cell;
}

/** The Value Sets' JSON with the `keep` columns (sharedColumns). */
function valuesJson(cells: string, keep: "all" | "none" | number[]): string {
  if (keep === "all") return `[[${cells.replaceAll("\t", ",").replaceAll("\n", "],[")}]]`;
  if (keep === "none") return "[]";
  const renumber = new Map(keep.map((old, now) => [old, now]));
  return `[${cells
    .split("\n")
    .map((row) => {
      const cells = row.split("\t");
      return `[${keep.map((i) => keptCell(cells[i], renumber)).join(",")}]`;
    })
    .join(",")}]`;
}

/**
 * The segment as `view` shows it, from its stored parts: `json` is byte for
 * byte `JSON.stringify(shownObject(view, segment))` of the segment with
 * `values` as its last field; `head` is the shown segment with no Value Sets
 * (what a listing validates: the cells were checked when stored).
 */
export function shownSegmentParts(view: GrantView, json: SegmentJson, parsedHead?: SegmentHead): { head: UsageSegment; json: string } {
  // A caller that has parsed the head already (./segment-trim.ts) passes it; it is only read here.
  const head = parsedHead ?? (JSON.parse(json.head) as SegmentHead);
  const keep = sharedColumns(head.formats, view.valueTypes);
  // The head as shown (related ids, the shared formats), with no rows to carry.
  const shown = shownObject<"usage_segments">(view, { ...head, values: [] });
  const cacheKey = json.key === undefined ? undefined : `${json.key}|${typeof keep === "string" ? keep : keep.join(",")}`;
  let values = cacheKey === undefined ? undefined : shownValues.get(cacheKey);
  if (values === undefined) {
    values = valuesJson(json.cells, keep);
    if (cacheKey !== undefined) shownValues.set(cacheKey, values);
  }
  const { values: _none, ...rest } = shown;
  const text = JSON.stringify(rest);
  return { head: shown, json: `${text.slice(0, -1)},"values":${values}}` };
}
