/** Builds servers for tests, on a test database, with logs captured in memory. */
import { afterAll, beforeAll, beforeEach } from "vitest";
import { parseConfig, type RawSettings } from "../../src/config/index.ts";
import { openDatabase, type Database } from "../../src/db/index.ts";
import { seedDemoData } from "../../src/demo/seed.ts";
import type { DatabaseUnderTest } from "./databases.ts";
import { createServer, type CdsServer } from "../../src/server.ts";

export class LogCapture {
  readonly lines: string[] = [];
  write(line: string): void {
    this.lines.push(line);
  }
  get text(): string {
    return this.lines.join("");
  }
  records(): Record<string, unknown>[] {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}

export interface TestServerOptions {
  database: Database;
  settings?: RawSettings;
  logs?: LogCapture;
  /** createServer's `publicDocumentFastPath` (on by default). */
  publicDocumentFastPath?: boolean;
}

/** A server on port 0 (a free port) with a generous rate limit, unless `settings` say otherwise. */
export async function testServer({ database, settings = {}, logs = new LogCapture(), publicDocumentFastPath }: TestServerOptions): Promise<CdsServer & { logs: LogCapture }> {
  const config = parseConfig({ port: "0", logLevel: "info", rateLimitPerMinute: "100000", ...settings });
  const server = await createServer({ config, database, logStream: logs, ...(publicDocumentFastPath === undefined ? {} : { publicDocumentFastPath }) });
  return Object.assign(server, { logs });
}

/**
 * One listening server per suite, on the suite's database: started before the
 * suite's tests and closed after them. `assign` hands it to the suite's variable.
 */
export function useListeningServer(under: { database: Database }, assign: (server: CdsServer & { logs: LogCapture }) => void): void {
  let server: (CdsServer & { logs: LogCapture }) | undefined;
  beforeAll(async () => {
    server = await testServer({ database: under.database });
    await server.listen();
    assign(server);
  });
  // Counts live in the server's memory, not in the tables truncated between cases.
  beforeEach(() => {
    server?.resetRateLimits();
    server?.documents.invalidate();
  });
  afterAll(async () => {
    await server?.close();
  });
}

/**
 * Two listening instances sharing one database, as two servers behind a load
 * balancer would: on PostgreSQL the second has its own connection pool (so its
 * LISTEN connection and caches are its own); PGlite is one process, so both
 * share it. Demo data is re-seeded and rate limits reset before each test.
 */
export function useTwoInstances(under: DatabaseUnderTest, assign: (first: CdsServer, second: CdsServer) => void): void {
  let first: CdsServer | undefined;
  let second: CdsServer | undefined;
  let secondDatabase: Database | undefined;
  beforeAll(async () => {
    secondDatabase = under.name === "PostgreSQL" ? await openDatabase(under.config) : under.database;
    first = await testServer({ database: under.database });
    second = await testServer({ database: secondDatabase });
    await first.listen();
    await second.listen();
    assign(first, second);
  });
  beforeEach(async () => {
    await seedDemoData(under.database.db, null);
    for (const server of [first!, second!]) {
      server.resetRateLimits();
      server.documents.invalidate();
    }
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    if (secondDatabase && secondDatabase !== under.database) await secondDatabase.close();
  });
}
