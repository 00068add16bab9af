/**
 * Opens the one database the server uses, in either form, and brings its
 * schema up to date with the committed migrations.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { defaultPostgresLimits, type DatabaseConfig, type PostgresLimits } from "../config/index.js";
import { pgliteChangeFeed, postgresChangeFeed, type ChangeFeed } from "./change-feed.js";
import { lockDataDir } from "./data-dir-lock.js";
import * as schema from "./schema.js";

/** The query interface every module uses, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  kind: DatabaseConfig["kind"];
  /** Committed changes that end bearer-token access, as they happen (change-feed.ts); every server on this database listens. Absent on a Database made by hand: no token is cached then. */
  changes?: ChangeFeed;
  close(): Promise<void>;
}

/** `src/db/` and `dist/db/` are both two levels below the package root, beside `migrations/`. */
export const migrationsFolder = fileURLToPath(new URL("../../migrations", import.meta.url));

/** Any constant the instances agree on; it names the lock that serialises migrations. */
const MIGRATION_LOCK_ID = 0x0cd5_0001;

export interface OpenOptions {
  /**
   * A PGlite data directory dump (`PGlite.dumpDataDir`) to start an in-memory
   * database from, skipping PGlite's slow cluster creation. Tests use it.
   */
  pgliteSnapshot?: Blob;
}

export async function openDatabase(config: DatabaseConfig, options: OpenOptions = {}): Promise<Database> {
  if (config.kind === "postgres") return openPostgres(config.url, config.limits ?? defaultPostgresLimits);
  return openPglite(config.dataDir, options.pgliteSnapshot);
}

async function openPglite(dataDir: string | null, snapshot: Blob | undefined): Promise<Database> {
  // A subfolder, so the data directory can hold other files later without mixing them into the cluster's.
  const clusterDir = dataDir ? path.join(dataDir, "pglite") : null;
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const unlock = dataDir ? await lockDataDir(dataDir) : async () => {};
  try {
    const client = await PGlite.create({ ...(clusterDir ? { dataDir: clusterDir } : {}), ...(snapshot && !clusterDir ? { loadDataDir: snapshot } : {}) });
    const db = drizzlePglite({ client, schema });
    await migratePglite(db, { migrationsFolder });
    const changes = await pgliteChangeFeed(client);
    return {
      db: db as unknown as Db,
      kind: "pglite",
      changes,
      close: async () => {
        await changes.close();
        await client.close();
        await unlock();
      },
    };
  } catch (error) {
    await unlock();
    throw error;
  }
}

async function openPostgres(url: string, limits: PostgresLimits): Promise<Database> {
  // Every wait is bounded, so a database that is down or slow costs a request a 503, not a hang
  // (http/database-unavailable.ts): `connectionTimeoutMillis` also bounds the wait for a pooled
  // connection, so requests do not pile up behind a full pool; `statement_timeout` makes PostgreSQL
  // cancel a slow statement (and free its connection), and `query_timeout` gives up on the client
  // side a second later, for a server that stopped answering altogether.
  const pool = new pg.Pool({
    connectionString: url,
    max: limits.poolSize,
    connectionTimeoutMillis: limits.connectTimeoutMs,
    statement_timeout: limits.statementTimeoutMs,
    query_timeout: limits.statementTimeoutMs + 1000,
    keepAlive: true,
  });
  // A client that loses its server emits `error`; without a listener that would crash the process. The
  // pool listens on idle clients only: a client checked out (a transaction between two statements) has
  // none of its own, and the database stopping then killed the server (issue 16). The statement in
  // flight, or the next one, still fails and answers 503.
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  const db = drizzlePg({ client: pool, schema });
  await migratePostgres(url, limits);
  const changes = await postgresChangeFeed(url, limits.connectTimeoutMs);
  return {
    db: db as unknown as Db,
    kind: "postgres",
    changes,
    close: async () => {
      await changes.close();
      await pool.end();
    },
  };
}

/**
 * Migrations run on a connection of their own, without the pool's statement
 * timeout: a migration of a large table may take longer than any request
 * should. Several instances may start at once: one migrates, the others wait
 * for it on the advisory lock.
 */
async function migratePostgres(url: string, limits: PostgresLimits): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: limits.connectTimeoutMs });
  client.on("error", () => {});
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
    await migratePg(drizzlePg({ client, schema }), { migrationsFolder });
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]).catch(() => {});
    await client.end().catch(() => {});
  }
}

/** Every table of the schema, for tests that start each case from empty tables. */
export const allTables = [
  "customer_data_objects",
  "customers",
  "server_provided_files",
  "messages",
  "grants",
  "client_secrets",
  "oauth_clients",
  "registrations",
  "oidc_artifacts",
  "server_keys",
  "coverage_entries",
  "server_metadata",
] as const;

export async function truncateAll(db: Db): Promise<void> {
  await db.execute(sql.raw(`TRUNCATE ${allTables.map((t) => `"${t}"`).join(", ")} CASCADE`));
}
