/**
 * The reference server (packages/server) started in the test process, on
 * PGlite loaded from the migrated snapshot the global setup made, with demo
 * data and a known demo secret, on a free port.
 */
import { readFile } from "node:fs/promises";
import { createServer, openDatabase, parseConfig, type CdsServer, type Database } from "@cds-toolkit/server";
import { afterAll, beforeAll, inject } from "vitest";

export const DEMO_SECRET = "client-tests-demo-secret-0123456789";

export interface ReferenceServer {
  readonly server: CdsServer;
  readonly url: string;
}

export async function startReferenceServer(settings: Record<string, string> = {}): Promise<{ server: CdsServer; database: Database; close: () => Promise<void> }> {
  const snapshot = new Blob([await readFile(inject("pgliteSnapshot"))]);
  const database = await openDatabase({ kind: "pglite", dataDir: null }, { pgliteSnapshot: snapshot });
  const config = parseConfig({ port: "0", logLevel: "silent", rateLimitPerMinute: "100000", demoData: "true", demoClientSecret: DEMO_SECRET, ...settings });
  const server = await createServer({ config, database, logStream: { write: () => {} } });
  await server.listen();
  return {
    server,
    database,
    close: async () => {
      await server.close();
      await database.close();
    },
  };
}

/** One reference server for the suite. */
export function useReferenceServer(settings: Record<string, string> = {}): ReferenceServer {
  let started: Awaited<ReturnType<typeof startReferenceServer>> | undefined;
  beforeAll(async () => {
    started = await startReferenceServer(settings);
  });
  afterAll(async () => {
    await started?.close();
  });
  return {
    get server() {
      if (!started) throw new Error("the server starts in beforeAll");
      return started.server;
    },
    get url() {
      if (!started) throw new Error("the server starts in beforeAll");
      return started.server.url;
    },
  };
}
