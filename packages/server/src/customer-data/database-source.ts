/**
 * The reference `CustomerDataSource`: the server's own database (PGlite or
 * PostgreSQL), one `customer_data_objects` row per object. Filters are GIN
 * lookups on `filter_keys`, bounds are btree range scans, and pages walk the
 * `(kind, order_key, id)` index by keyset, so a page costs the same wherever
 * it is in the listing and stays correct while rows are added.
 *
 * Usage Segments are read as JSON text (`head_json`, `values_cells`, written
 * and checked once by `storeCustomerData`) rather than from the `object`
 * jsonb: turning a page of jsonb numbers back into text is most of what a
 * year-of-usage page costs the database, PGlite above all. The cells, the
 * bulk of it, are kept in memory between requests under their hash
 * (`cells_hash`): a page reads the heads and hashes, and only the cells it
 * has not seen.
 */
import { createHash } from "node:crypto";
import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/index.js";
import { customerDataObjects as t } from "../db/schema.js";
import type {
  CustomerDataKind,
  CustomerDataObject,
  CustomerDataSource,
  CustomerResourceGraph,
  ListedObject,
  ListPage,
  SegmentJson,
  ListPosition,
  ListRequest,
} from "./data-source.js";
import { listingFacts, type RelatedNumbers } from "./listing-rules.js";
import { decodeSegment, encodeSegment } from "./segment-json.js";
import type { StoredObject } from "./stored-object.js";
import { TextCache } from "./text-cache.js";

export type { StoredObject };

const cellsHash = (cells: string) => createHash("sha256").update(cells).digest("base64url");

const textArray = (values: readonly string[]) => sql`ARRAY[${sql.join(
  values.map((v) => sql`${v}`),
  sql`, `,
)}]::text[]`;

/** `LIKE` treats `%`, `_` and `\` specially; a search term means them literally. */
const likePattern = (term: string) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function filterKey(name: string, value: string): string {
  return `${name}=${value}`;
}

function conditions<K extends CustomerDataKind>(kind: K, request: ListRequest<K>): SQL[] {
  const where: SQL[] = [eq(t.kind, kind)];
  if (request.owners) where.push(request.owners.length ? sql`${t.owners} && ${textArray(request.owners)}` : sql`false`);
  if (request.visibleIds) where.push(request.visibleIds.length ? inArray(t.id, [...request.visibleIds]) : sql`false`);
  for (const [name, values] of Object.entries(request.filters ?? {}) as [string, readonly string[] | undefined][]) {
    if (!values) continue;
    where.push(values.length ? sql`${t.filterKeys} && ${textArray(values.map((v) => filterKey(name, v)))}` : sql`false`);
  }
  if (request.after !== undefined) where.push(sql`${t.rangeEnd} >= ${request.after}`);
  if (request.before !== undefined) where.push(sql`${t.rangeStart} <= ${request.before}`);
  if (request.createdUntil !== undefined) where.push(sql`${t.createdAt} <= ${request.createdUntil}::timestamptz`);
  if (request.search) {
    const fields = request.search.fields;
    where.push(
      fields.length
        ? sql`exists (select 1 from jsonb_each(${t.search}) as f(name, vals), jsonb_array_elements_text(f.vals) as v(val)
               where f.name = any(${textArray(fields)}) and v.val ilike ${likePattern(request.search.term)})`
        : sql`false`,
    );
  }
  return where;
}

const after = (p: ListPosition) => sql`(${t.orderKey}, ${t.id}) > (${p.key}, ${p.id})`;
const before = (p: ListPosition) => sql`(${t.orderKey}, ${t.id}) < (${p.key}, ${p.id})`;
const atOrAfter = (p: ListPosition) => sql`(${t.orderKey}, ${t.id}) >= (${p.key}, ${p.id})`;
const atOrBefore = (p: ListPosition) => sql`(${t.orderKey}, ${t.id}) <= (${p.key}, ${p.id})`;

export interface DatabaseSourceOptions {
  /** Characters of segment cells kept in memory between requests (64 Mi by default; 0 keeps none). */
  cellsCacheChars?: number;
}

export class DatabaseCustomerDataSource implements CustomerDataSource {
  private readonly db: Db;
  private readonly cells: TextCache;
  constructor(db: Db, options: DatabaseSourceOptions = {}) {
    this.db = db;
    this.cells = new TextCache(options.cellsCacheChars ?? 64 * 1024 * 1024);
  }

  /** Each stored segment's JSON, the cells from memory where this source has read them before. */
  private async segmentJson(kind: CustomerDataKind, rows: readonly { id: string; headJson: string | null; cellsHash: string | null }[]): Promise<Map<string, SegmentJson>> {
    const found = new Map<string, SegmentJson>();
    const missing: string[] = [];
    for (const r of rows) {
      if (r.headJson === null || r.cellsHash === null) continue;
      const key = `${r.id}\u0000${r.cellsHash}`;
      const cells = this.cells.get(key);
      if (cells === undefined) missing.push(r.id);
      else found.set(r.id, { head: r.headJson, cells, key });
    }
    if (missing.length) {
      const read = await this.db
        .select({ id: t.id, headJson: t.headJson, valuesCells: t.valuesCells, cellsHash: t.cellsHash })
        .from(t)
        .where(and(eq(t.kind, kind), inArray(t.id, missing)));
      for (const r of read) {
        if (r.headJson === null || r.valuesCells === null || r.cellsHash === null) continue;
        // Rewritten between the two reads: this read's head and cells belong together, so both are used.
        const key = `${r.id}\u0000${r.cellsHash}`;
        this.cells.set(key, r.valuesCells);
        found.set(r.id, { head: r.headJson, cells: r.valuesCells, key });
      }
    }
    return found;
  }

  async list<K extends CustomerDataKind>(kind: K, request: ListRequest<K>): Promise<ListPage<K>> {
    const base = and(...conditions(kind, request));
    const cursor = request.cursor;
    const backwards = cursor?.direction === "previous";
    const select = (where: SQL | undefined, limit: number) =>
      this.db
        .select({
          // The jsonb only where there is no stored JSON (rows from before migration 0012): CASE leaves the rest unread.
          object: sql<unknown>`case when ${t.headJson} is null then ${t.object} end`.mapWith(t.object),
          headJson: t.headJson,
          cellsHash: t.cellsHash,
          key: t.orderKey,
          id: t.id,
          owners: t.owners,
        })
        .from(t)
        .where(where)
        .orderBy(...(backwards ? [desc(t.orderKey), desc(t.id)] : [asc(t.orderKey), asc(t.id)]))
        .limit(limit);
    const rows = await select(and(base, cursor ? (backwards ? before(cursor) : after(cursor)) : undefined), request.limit + 1);
    const more = rows.length > request.limit;
    const page = rows.slice(0, request.limit);
    if (backwards) page.reverse();
    const exists = async (c: SQL) => (await this.db.select({ id: t.id }).from(t).where(and(base, c)).limit(1)).length > 0;
    // An empty page still has neighbours: the objects on the cursor's side of it, the cursor's own object
    // included. A listing of several Grants' views (listing-route.ts) needs that from a view whose part
    // of the merged page is empty, or the merged page loses its link back (or forward).
    const hasNext = backwards ? (page.length ? await exists(after(page.at(-1)!)) : cursor !== undefined && (await exists(atOrAfter(cursor)))) : more;
    const hasPrevious = backwards ? more : cursor !== undefined && (page.length ? await exists(before(page[0]!)) : await exists(atOrBefore(cursor)));
    const stored = kind === "usage_segments" ? await this.segmentJson(kind, page) : new Map<string, SegmentJson>();
    return {
      // A segment deleted between the two reads is left out, as if the page had been read after.
      items: page.filter((r) => r.headJson === null || stored.has(r.id)).map((r) => {
        const item: ListedObject<K> = {
          object: r.object as CustomerDataObject<K>,
          position: { key: r.key, id: r.id },
          owner: r.owners.length === 1 ? r.owners[0]! : null,
        };
        const json = stored.get(r.id);
        if (json) {
          item.segmentJson = json;
          // The object only when someone asks for it: the listing copies the JSON instead.
          let object: CustomerDataObject<K> | undefined;
          Object.defineProperty(item, "object", { enumerable: true, get: () => (object ??= decodeSegment(json) as CustomerDataObject<K>) });
        }
        return item;
      }),
      hasNext,
      hasPrevious,
    };
  }

  /** Migration 0015 announces every change to the objects a customer owns (old and new owners alike). */
  customerNotice(customer: string): string {
    return `d:${customer}`;
  }

  async resourceGraph(customer: string): Promise<CustomerResourceGraph> {
    const rows = await this.db
      .select({ kind: t.kind, object: t.object })
      .from(t)
      .where(and(sql`${t.owners} && ${textArray([customer])}`, inArray(t.kind, ["accounts", "service_contracts", "service_points", "meter_devices", "aggregations"])))
      .orderBy(asc(t.kind), asc(t.orderKey), asc(t.id));
    const of = <K extends CustomerDataKind>(kind: K) => rows.filter((r) => r.kind === kind).map((r) => r.object as CustomerDataObject<K>);
    return {
      customer,
      accounts: of("accounts"),
      serviceContracts: of("service_contracts"),
      servicePoints: of("service_points"),
      meterDevices: of("meter_devices"),
      aggregations: of("aggregations"),
    };
  }
}


/**
 * Inserts or replaces objects, computing each one's listing facts. `numbers`
 * resolves the customer-facing numbers of related objects (the `*_numbers`
 * filters name them); objects that are not in the batch are looked up in it too.
 * Usage Segments are checked against the strict schema here, once, and kept
 * as JSON for listings (./segment-json.ts); one that fails is refused with an
 * error naming it and the failing rules, and nothing of its batch is written.
 */
export async function storeCustomerData(db: Db, objects: readonly StoredObject[], numbers: RelatedNumbers, batchSize = 500): Promise<void> {
  for (let i = 0; i < objects.length; i += batchSize) {
    const rows = objects.slice(i, i + batchSize).map((o) => {
      const facts = (listingFacts[o.kind] as (object: unknown, n: RelatedNumbers) => ReturnType<(typeof listingFacts)[CustomerDataKind]>)(o.object, numbers);
      const json = o.kind === "usage_segments" ? encodeSegment(o.object) : null;
      return {
        kind: o.kind,
        id: facts.id,
        owners: o.owners,
        orderKey: facts.orderKey,
        rangeStart: facts.rangeStart,
        rangeEnd: facts.rangeEnd,
        filterKeys: Object.entries(facts.filters).flatMap(([name, values]) => (values as string[]).map((v) => filterKey(name, v))),
        search: facts.search,
        object: o.object,
        createdAt: new Date((o.object as { cds_created: string }).cds_created).toISOString(),
        headJson: json?.head ?? null,
        valuesCells: json?.cells ?? null,
        cellsHash: json ? cellsHash(json.cells) : null,
      };
    });
    await db
      .insert(t)
      .values(rows)
      .onConflictDoUpdate({
        target: [t.kind, t.id],
        set: {
          owners: sql`excluded.owners`,
          orderKey: sql`excluded.order_key`,
          rangeStart: sql`excluded.range_start`,
          rangeEnd: sql`excluded.range_end`,
          filterKeys: sql`excluded.filter_keys`,
          search: sql`excluded.search`,
          object: sql`excluded.object`,
          createdAt: sql`excluded.created_at`,
          headJson: sql`excluded.head_json`,
          valuesCells: sql`excluded.values_cells`,
          cellsHash: sql`excluded.cells_hash`,
        },
      });
  }
}
