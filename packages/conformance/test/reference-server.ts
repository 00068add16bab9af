/**
 * The reference server as the suite's first target: demo data on an in-memory
 * PGlite (started from the migrated snapshot the global setup dumps), and the
 * credentials `pnpm start --demo-data` prints: the demo Client admin, the
 * demo app and the demo customer Alex.
 */
import { readFile } from "node:fs/promises";
import { createServer, openDatabase, parseConfig, type CdsServer, type Database } from "@cds-toolkit/server";
import { inject } from "vitest";
import type { Credentials } from "../src/index.ts";

/** A demo secret for this test run only (the server makes it the secret of demo-client and demo-app). */
export const demoSecret = "conformance-demo-secret-0123456789";

export const referenceCredentials: Credentials = {
  clientAdmin: { clientId: "demo-client", clientSecret: demoSecret },
  app: { clientId: "demo-app", clientSecret: demoSecret, redirectUri: "http://127.0.0.1:8400/callback", scope: "cds_usage_1" },
  customer: { username: "alex.demo", password: "sandbox-alex-2024" },
};

export interface RunningReference {
  server: CdsServer;
  database: Database;
  close(): Promise<void>;
}

/** `settings` may set `issuerUrl`, so that a fault-injecting proxy in front of the server is the Server the suite sees. */
export async function startReferenceServer(settings: Record<string, string> = {}): Promise<RunningReference> {
  const database = await openDatabase({ kind: "pglite", dataDir: null }, { pgliteSnapshot: new Blob([await readFile(inject("pgliteSnapshot"))]) });
  const logs = { write: () => {} };
  const config = parseConfig({ port: "0", host: "127.0.0.1", logLevel: "warn", rateLimitPerMinute: "100000", demoData: "true", demoClientSecret: demoSecret, ...settings });
  const server = await createServer({ config, database, logStream: logs });
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

export function chromiumPath(): string {
  const path = inject("chromiumPath");
  if (!path) throw new Error(`the conformance suite's customer driver needs Chromium: ${inject("chromiumSkipReason")}`);
  return path;
}
