/**
 * The reference server as the suite's first target: demo data on an in-memory
 * PGlite (started from the migrated snapshot the global setup dumps), and the
 * credentials `pnpm start --demo-data` prints: the demo Client admin, the
 * demo app, the demo Direct Access client and the demo customers Alex and Sam.
 */
import { readFile } from "node:fs/promises";
import { createServer, openDatabase, parseConfig, type CdsServer, type Database } from "@cds-toolkit/server";
import { inject } from "vitest";
import type { ClientCredentials, Credentials } from "../src/index.ts";

/** A demo secret for this test run only (the server makes it the secret of demo-client and demo-app). */
export const demoSecret = "conformance-demo-secret-0123456789";

export const referenceCredentials: Credentials = {
  clientAdmin: { clientId: "demo-client", clientSecret: demoSecret },
  app: { clientId: "demo-app", clientSecret: demoSecret, redirectUri: "http://127.0.0.1:8400/callback", scope: "cds_usage_1" },
  customer: { username: "alex.demo", password: "sandbox-alex-2024" },
  otherCustomer: { username: "sam.demo", password: "sandbox-sam-2024" },
  // The demo Direct Access client (CDS-WG3-01 §6.2), whose Server-made Grants cover the demo customers.
  directAccess: { clientId: "demo-direct-access", clientSecret: demoSecret },
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

/**
 * What a utility's operator does for the Server-Provided Files scenario
 * (CDS-WG1-02 §3.3.3): a registration for the files scope, one file shared
 * with it. Answers that registration's Client admin.
 */
export async function shareFilesWithNewRegistration(server: CdsServer): Promise<ClientCredentials> {
  const registered = await fetch(`${server.url}/oauth/register`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ scope: "cds_client_admin cds_server_provided_files_01" }) });
  const body = (await registered.json()) as { client_id: string; client_secret: string };
  const admin = { clientId: body.client_id, clientSecret: body.client_secret };
  const tokenRes = await fetch(`${server.url}/oauth/token`, {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from(`${admin.clientId}:${admin.clientSecret}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", scope: "cds_client_admin" }),
  });
  const token = ((await tokenRes.json()) as { access_token: string }).access_token;
  const clients = ((await (await fetch(`${server.url}/cds-api/v1/clients`, { headers: { authorization: `Bearer ${token}` } })).json()) as { clients: { client_id: string; scope: string }[] }).clients;
  const files = clients.find((c) => c.scope === "cds_server_provided_files_01")!;
  const fileId = await server.operator.addServerProvidedFile({ name: "tariff-sheet.txt", mimeType: "text/plain", description: "The demo utility's tariff sheet", content: new TextEncoder().encode("Tariff A: 0.21 per kWh\n") });
  await server.operator.shareServerProvidedFiles({ clientId: files.client_id, scope: "cds_server_provided_files_01", fileIds: [fileId] });
  return admin;
}

export function chromiumPath(): string {
  const path = inject("chromiumPath");
  if (!path) throw new Error(`the conformance suite's customer driver needs Chromium: ${inject("chromiumSkipReason")}`);
  return path;
}
