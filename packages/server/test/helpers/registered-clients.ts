/**
 * A suite's listening server with demo data and, before each test, a fresh
 * registration holding a Client admin and a Grant Admin Client Object — not
 * the admin one, so a test may disable it or send its changes for review.
 */
import type { Client, ClientRegistrationResponse } from "@cds-toolkit/types";
import { beforeEach } from "vitest";
import { seedDemoData } from "../../src/demo/seed.ts";
import type { CdsServer } from "../../src/server.ts";
import { adminToken, call, registerClient } from "./cds-client.ts";
import type { DatabaseUnderTest } from "./databases.ts";
import { useListeningServer } from "./servers.ts";

export interface RegisteredClients {
  server: CdsServer;
  registered: ClientRegistrationResponse;
  /** The registration's Client admin token. */
  token: string;
  grantAdmin: Client;
}

export function useRegistrationWithGrantAdmin(under: DatabaseUnderTest, assign: (made: RegisteredClients) => void): void {
  let server: CdsServer;
  useListeningServer(under, (started) => (server = started));
  beforeEach(async () => {
    await seedDemoData(under.database.db, null);
    const registered = await registerClient(server, { scope: "cds_client_admin cds_grant_admin_1" });
    const token = await adminToken(server, registered.client_id, registered.client_secret);
    const listed = (await call(server, "GET", "/cds-api/v1/clients", { token })).body as { clients: Client[] };
    assign({ server, registered, token, grantAdmin: listed.clients.find((c) => c.client_id !== registered.client_id)! });
  });
}
