/**
 * The CDS-WG1-01 §4 coverage listing: entries newest `updated` first (ties by
 * `id`, so the order is total and pages never overlap), filtered by `ids`
 * (§4.2), one keyset page at a time.
 */
import type { CoverageEntry } from "@cds-toolkit/types";
import { and, asc, desc, inArray, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/index.js";
import { coverageEntries } from "../db/schema.js";
import type { Cursor } from "./cursor.js";

export interface CoverageQuery {
  /** Only entries with one of these ids; undefined for all. */
  ids?: readonly string[];
  pageSize: number;
  cursor?: Cursor;
}

export interface CoveragePage {
  entries: CoverageEntry[];
  /** Cursor of the next page, or null on the last page. */
  next: Cursor | null;
  /** Cursor of the previous page, or null on the first page. */
  previous: Cursor | null;
}

type Row = typeof coverageEntries.$inferSelect;
type Position = Pick<Cursor, "updated" | "id">;

const t = coverageEntries;
/** Rows that come after a position in the listing order (older, or same time and smaller id). */
// The instant goes in as ISO text with a cast: drivers disagree on how they send a bare Date.
const after = (p: Position) => sql`(${t.updated}, ${t.id}) < (${p.updated.toISOString()}::timestamptz, ${p.id})`;
const before = (p: Position) => sql`(${t.updated}, ${t.id}) > (${p.updated.toISOString()}::timestamptz, ${p.id})`;

export async function listCoverage(db: Db, query: CoverageQuery): Promise<CoveragePage> {
  const filter: SQL | undefined = query.ids ? inArray(t.id, [...query.ids]) : undefined;
  const { cursor, pageSize } = query;
  const backwards = cursor?.direction === "before";

  const where = and(filter, cursor ? (backwards ? before(cursor) : after(cursor)) : undefined);
  const rows = await db
    .select()
    .from(t)
    .where(where)
    .orderBy(...(backwards ? [asc(t.updated), asc(t.id)] : [desc(t.updated), desc(t.id)]))
    .limit(pageSize + 1);
  const more = rows.length > pageSize;
  const page = rows.slice(0, pageSize);
  if (backwards) page.reverse();

  // An empty page still has neighbours: on the far side of the cursor itself.
  const first: Position | undefined = page[0] ?? cursor;
  const last: Position | undefined = page.at(-1) ?? cursor;
  const exists = async (condition: SQL) => (await db.select({ id: t.id }).from(t).where(and(filter, condition)).limit(1)).length > 0;

  const hasNext = backwards ? last !== undefined && (await exists(after(last))) : more;
  const hasPrevious = backwards ? more : cursor !== undefined && first !== undefined && (await exists(before(first)));

  return {
    entries: page.map(toCoverageEntry),
    next: hasNext && last ? { direction: "after", updated: last.updated, id: last.id } : null,
    previous: hasPrevious && first ? { direction: "before", updated: first.updated, id: first.id } : null,
  };
}

export function toCoverageEntry(row: Row): CoverageEntry {
  return {
    id: row.id,
    created: row.created.toISOString(),
    updated: row.updated.toISOString(),
    entity_name: row.entityName,
    entity_abbreviation: row.entityAbbreviation,
    country: row.country,
    name: row.name,
    ...(row.description === null ? {} : { description: row.description }),
    type: row.type,
    role: row.role,
    infrastructure_types: row.infrastructureTypes,
    commodity_types: row.commodityTypes,
    capabilities: row.capabilities,
    ...(row.mapResource === null ? {} : { map_resource: row.mapResource }),
    ...(row.mapContentType === null ? {} : { map_content_type: row.mapContentType }),
    ...(row.geojsonResource === null ? {} : { geojson_resource: row.geojsonResource }),
  };
}
