/**
 * Runs a suite once per database: embedded PGlite (in memory) and the test
 * PostgreSQL cluster. Each suite opens one database for the whole file and
 * empties every table before each test, or only once for a scenario whose
 * tests build on each other.
 */
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, inject } from "vitest";
import { openDatabase, truncateAll, type Database } from "../../src/db/index.ts";
import type { DatabaseConfig } from "../../src/config/index.ts";

export interface DatabaseUnderTest {
  name: "PGlite" | "PostgreSQL";
  /** The open database (valid inside tests and hooks). */
  readonly database: Database;
  /** How to open the same database again, as a second server instance would. */
  readonly config: DatabaseConfig;
}

export interface SuiteOptions {
  /** The tests are steps of one story, each using what the previous ones made: tables are emptied once, before the first. */
  scenario?: boolean;
}

export function describeEachDatabase(title: string, body: (under: DatabaseUnderTest) => void, options: SuiteOptions = {}): void {
  describe(`${title} [PGlite]`, () => {
    body(
      useDatabase(
        "PGlite",
        async () => ({
          config: { kind: "pglite", dataDir: null },
          snapshot: new Blob([await readFile(inject("pgliteSnapshot"))]),
          drop: async () => {},
        }),
        options,
      ),
    );
  });

  const adminUrl = inject("postgresUrl");
  const skipped = adminUrl ? "" : ` (skipped: ${inject("postgresSkipReason")})`;
  describe.skipIf(!adminUrl)(`${title} [PostgreSQL]${skipped}`, () => {
    body(useDatabase("PostgreSQL", () => createPostgresDatabase(adminUrl!), options));
  });
}

interface CreatedDatabase {
  config: DatabaseConfig;
  snapshot?: Blob;
  drop: () => Promise<void>;
}

function useDatabase(name: DatabaseUnderTest["name"], create: () => Promise<CreatedDatabase>, options: SuiteOptions): DatabaseUnderTest {
  let database: Database | undefined;
  let config: DatabaseConfig | undefined;
  let drop = async () => {};
  beforeAll(async () => {
    const created = await create();
    config = created.config;
    drop = created.drop;
    database = await openDatabase(config, created.snapshot ? { pgliteSnapshot: created.snapshot } : {});
    if (options.scenario) await truncateAll(database.db);
  });
  beforeEach(async () => {
    if (!options.scenario) await truncateAll(database!.db);
  });
  afterAll(async () => {
    await database?.close();
    await drop();
  });
  return {
    name,
    get database() {
      if (!database) throw new Error("the database opens in beforeAll");
      return database;
    },
    get config() {
      if (!config) throw new Error("the database opens in beforeAll");
      return config;
    },
  };
}

/** A fresh database in the shared test cluster, so test files never see each other's rows. */
export async function createPostgresDatabase(adminUrl: string): Promise<CreatedDatabase> {
  const dbName = `cds_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  return {
    config: { kind: "postgres", url: url.toString() },
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await c.end();
    },
  };
}
