/**
 * The one statement every token request makes: storing an oidc-provider
 * artifact. Written as fixed SQL sent straight to the driver, because
 * building it with drizzle's query builder cost more than running it on
 * PostgreSQL (issue 10). On node-postgres it is a named prepared statement,
 * so each pooled connection parses and plans it once.
 *
 * Writes are grouped (issue 10): a write waits for the end of the current
 * turn of the event loop (`setImmediate`), so every request whose bytes came
 * in the same turn joins it, and while a statement is in flight the rows that
 * arrive wait for it — then they go together as one statement: one round
 * trip and one commit for many token requests (on PGlite, one set of WASM
 * calls instead of one per row; a PGlite statement also blocks the event
 * loop while it runs, so sending at once would send one row at a time). An
 * idle server adds no timer delay. Each caller's promise settles only when the statement
 * holding its row has committed: a token is handed to a client only once it
 * is durable and visible to every instance, as with one statement per row.
 * If a grouped statement fails, its rows are written one by one, so a row the
 * database refuses fails only its own request.
 *
 * The values are encoded exactly as drizzle encodes them for `oidc_artifacts`
 * (schema.ts): `jsonb` as `JSON.stringify`, `timestamptz` as
 * `Date.toISOString()` — so a row written here is byte-for-byte the row the
 * builder wrote (test/artifact-write.test.ts checks it on both databases).
 */
import { PGlite } from "@electric-sql/pglite";
import type { Db } from "../db/index.js";
import { isDatabaseUnavailable } from "../http/database-unavailable.js";

export interface ArtifactRow {
  model: string;
  id: string;
  payload: Record<string, unknown>;
  grantId: string | null;
  userCode: string | null;
  uid: string | null;
  expiresAt: Date | null;
  /** null leaves an existing row's Credential as it was (a later request may not authenticate). */
  credentialId: string | null;
}

/**
 * One statement shape for any number of rows: each column as an array,
 * unnested into rows, so node-postgres prepares it once per connection.
 * Rewriting a row clears `consumed_at`, as the builder's version did.
 * `coalesce` keeps the stored Credential when this request has none, in the
 * same statement rather than two statement shapes.
 */
const UPSERT = `insert into "oidc_artifacts" ("model", "id", "payload", "grant_id", "user_code", "uid", "expires_at", "consumed_at", "credential_id")
select "model", "id", "payload", "grant_id", "user_code", "uid", "expires_at", null, "credential_id"
from unnest($1::text[], $2::text[], $3::jsonb[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[])
  as v("model", "id", "payload", "grant_id", "user_code", "uid", "expires_at", "credential_id")
on conflict ("model", "id") do update set
  "payload" = excluded."payload", "grant_id" = excluded."grant_id", "user_code" = excluded."user_code",
  "uid" = excluded."uid", "expires_at" = excluded."expires_at", "consumed_at" = null,
  "credential_id" = coalesce(excluded."credential_id", "oidc_artifacts"."credential_id")`;

const SWEEP = `delete from "oidc_artifacts" where "expires_at" < $1`;

/** A name unique to this statement text: node-postgres prepares it once per connection under it. */
const UPSERT_NAME = "cds_oidc_artifact_upsert_v2";
const SWEEP_NAME = "cds_oidc_artifact_sweep_v1";

/** Rows in one statement at most: bounds its size and the wait of the rows behind it. */
export const MAX_ROWS_PER_STATEMENT = 200;

type Values = (string | null | (string | null)[])[];
type Run = (name: string, text: string, values: Values) => Promise<unknown>;

interface Driver {
  run: Run;
  /**
   * Grouped statements in flight at once. PGlite runs one statement at a time
   * anyway; on PostgreSQL a second one overlaps one's round trip with the
   * next group's encoding, leaving the rest of the pool to other queries.
   */
  inFlight: number;
}

/** How to send one parameterised statement to whatever driver drizzle was opened on. */
function driverFor(db: Db): Driver {
  const client = (db as unknown as { $client?: unknown }).$client;
  if (client instanceof PGlite) return { run: (_name, text, values) => client.query(text, values), inFlight: 1 };
  if (client && typeof (client as { query?: unknown }).query === "function") {
    // node-postgres Pool or Client: the config form carries the prepared statement's name.
    const pgClient = client as { query(config: { name: string; text: string; values: Values }): Promise<unknown> };
    return { run: (name, text, values) => pgClient.query({ name, text, values }), inFlight: 2 };
  }
  // openDatabase makes only the two above; anything else is a programming error, said plainly.
  throw new Error("oidc_artifacts writes need a Db opened by openDatabase (PGlite or node-postgres)");
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

/** The writes of one row (model, id) waiting for their statement, in arrival order. */
type Pending = { row: ArtifactRow; waiter: Waiter }[];

/**
 * One row standing for several writes of it: what writing them in order
 * leaves (PostgreSQL refuses to update one row twice in one statement). The
 * last one wins; a write without a Credential keeps the one before it.
 */
function merged(writes: Pending): ArtifactRow {
  let row = writes[0]!.row;
  for (const { row: next } of writes.slice(1)) row = { ...next, credentialId: next.credentialId ?? row.credentialId };
  return row;
}

const key = (row: ArtifactRow) => `${row.model.length}:${row.model}:${row.id}`;

/** Groups the artifact writes of one database handle (see the module comment). */
class ArtifactWriter {
  readonly #driver: Driver;
  /** Rows not sent yet, by (model, id), in arrival order. */
  #queue = new Map<string, Pending>();
  #inFlight = 0;
  /** A flush is scheduled for the end of this turn of the event loop. */
  #scheduled = false;

  constructor(driver: Driver) {
    this.#driver = driver;
  }

  get run(): Run {
    return this.#driver.run;
  }

  write(row: ArtifactRow): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const k = key(row);
      const earlier = this.#queue.get(k);
      if (earlier) earlier.push({ row, waiter: { resolve, reject } });
      else this.#queue.set(k, [{ row, waiter: { resolve, reject } }]);
      if (this.#queue.size >= MAX_ROWS_PER_STATEMENT) this.#flush();
      else if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => {
          this.#scheduled = false;
          this.#flush();
        });
      }
    });
  }

  #flush(): void {
    while (this.#inFlight < this.#driver.inFlight && this.#queue.size > 0) {
      const group: Pending[] = [];
      for (const [k, pending] of this.#queue) {
        group.push(pending);
        this.#queue.delete(k);
        if (group.length >= MAX_ROWS_PER_STATEMENT) break;
      }
      this.#inFlight++;
      void this.#send(group).finally(() => {
        this.#inFlight--;
        this.#flush();
      });
    }
  }

  async #send(group: Pending[]): Promise<void> {
    try {
      await this.#statement(group.map(merged));
      for (const writes of group) for (const { waiter } of writes) waiter.resolve();
      return;
    } catch (error) {
      // Nothing to single out when the database itself is away (or there is one write): every write fails with it.
      if (isDatabaseUnavailable(error) || (group.length === 1 && group[0]!.length === 1)) {
        for (const writes of group) for (const { waiter } of writes) waiter.reject(error);
        return;
      }
    }
    // One refused row (say, JSON that jsonb cannot hold) must not fail the others: each write on its own,
    // the writes of one row in their order, as if they had never been grouped.
    await Promise.all(
      group.map(async (writes) => {
        for (const { row, waiter } of writes) {
          try {
            await this.#statement([row]);
            waiter.resolve();
          } catch (error) {
            waiter.reject(error);
          }
        }
      }),
    );
  }

  #statement(rows: ArtifactRow[]): Promise<unknown> {
    return this.#driver.run(UPSERT_NAME, UPSERT, [
      rows.map((r) => r.model),
      rows.map((r) => r.id),
      rows.map((r) => JSON.stringify(r.payload)),
      rows.map((r) => r.grantId),
      rows.map((r) => r.userCode),
      rows.map((r) => r.uid),
      rows.map((r) => (r.expiresAt ? r.expiresAt.toISOString() : null)),
      rows.map((r) => r.credentialId),
    ]);
  }
}

const writers = new WeakMap<object, ArtifactWriter>();

function writer(db: Db): ArtifactWriter {
  let found = writers.get(db);
  if (!found) {
    found = new ArtifactWriter(driverFor(db));
    writers.set(db, found);
  }
  return found;
}

/** Stores `row`; resolves once the statement carrying it has committed. */
export async function upsertArtifact(db: Db, row: ArtifactRow): Promise<void> {
  await writer(db).write(row);
}

/** Deletes artifacts that expired before `before`; find() already ignores them, this only keeps the table small. */
export async function sweepExpiredArtifacts(db: Db, before: Date): Promise<void> {
  await writer(db).run(SWEEP_NAME, SWEEP, [before.toISOString()]);
}
