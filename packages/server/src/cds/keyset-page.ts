/**
 * Keyset pages for the CDS-WG1-02 listings, ordered newest `modified` first
 * (ties by id, descending, so the order is total), exactly as the coverage
 * listing pages: a cursor holds the position of the last (or first) row shown.
 */
import { and, asc, desc, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Cursor } from "../server-metadata/cursor.js";

export interface KeysetColumns {
  modified: PgColumn;
  id: PgColumn;
}

export interface KeysetQuery<Row> {
  columns: KeysetColumns;
  /** The listing's filter (visibility and the request's filters). */
  filter: SQL | undefined;
  pageSize: number;
  cursor: Cursor | undefined;
  /** Runs the select with this condition, order and limit. */
  select(where: SQL | undefined, orderBy: SQL[], limit: number): Promise<Row[]>;
  positionOf(row: Row): { modified: Date; id: string };
}

export interface KeysetPage<Row> {
  rows: Row[];
  next: Cursor | null;
  previous: Cursor | null;
}

export async function keysetPage<Row>(q: KeysetQuery<Row>): Promise<KeysetPage<Row>> {
  const { modified, id } = q.columns;
  // Instants go in as ISO text with a cast: drivers disagree on how they send a bare Date.
  const after = (p: { modified: Date; id: string }) => sql`(${modified}, ${id}) < (${p.modified.toISOString()}::timestamptz, ${p.id})`;
  const before = (p: { modified: Date; id: string }) => sql`(${modified}, ${id}) > (${p.modified.toISOString()}::timestamptz, ${p.id})`;
  const cursor = q.cursor ? { modified: q.cursor.updated, id: q.cursor.id } : undefined;
  const backwards = q.cursor?.direction === "before";

  const where = and(q.filter, cursor ? (backwards ? before(cursor) : after(cursor)) : undefined);
  const rows = await q.select(where, backwards ? [asc(modified), asc(id)] : [desc(modified), desc(id)], q.pageSize + 1);
  const more = rows.length > q.pageSize;
  const page = rows.slice(0, q.pageSize);
  if (backwards) page.reverse();

  const first = page[0] ? q.positionOf(page[0]) : cursor;
  const last = page.at(-1) ? q.positionOf(page.at(-1)!) : cursor;
  const exists = async (condition: SQL) => (await q.select(and(q.filter, condition), [], 1)).length > 0;
  const hasNext = backwards ? last !== undefined && (await exists(after(last))) : more;
  const hasPrevious = backwards ? more : cursor !== undefined && first !== undefined && (await exists(before(first)));
  return {
    rows: page,
    next: hasNext && last ? { direction: "after", updated: last.modified, id: last.id } : null,
    previous: hasPrevious && first ? { direction: "before", updated: first.modified, id: first.id } : null,
  };
}
