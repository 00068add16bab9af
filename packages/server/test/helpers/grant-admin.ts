/**
 * Grant Admin set-up for tests (CDS-WG1-02 §3.3.2, §3.3.3): a registration
 * for Server-Provided Files, whose Grant Admin Client Object gets a
 * Credential through the Credentials API as the spec's walkthrough does, and
 * Grant Admin token requests.
 */
import type { Client } from "@cds-toolkit/types";
import { validateCustomerDataClientListing, validateCredential, validateCustomerDataTokenResponse } from "@cds-toolkit/validators";
import { expect } from "vitest";
import { addServerProvidedFile, shareServerProvidedFiles } from "../../src/cds/server-provided-files.ts";
import type { Db } from "../../src/db/index.ts";
import type { CdsServer } from "../../src/server.ts";
import { adminToken, basic, call, registerClient, strictly } from "./cds-client.ts";

export const FILES_SCOPE = "cds_server_provided_files_01";
export const GRANT_ADMIN = "cds_grant_admin_1";

export interface FilesRegistration {
  adminId: string;
  adminSecret: string;
  adminToken: string;
  files: Client;
  grantAdmin: Client;
  grantAdminSecret: string;
}

export async function registerForFiles(server: CdsServer): Promise<FilesRegistration> {
  const registered = await registerClient(server, { scope: `cds_client_admin ${FILES_SCOPE}` });
  const token = await adminToken(server, registered.client_id, registered.client_secret);
  const clients = strictly(validateCustomerDataClientListing((await call(server, "GET", "/cds-api/v1/clients", { token })).body, "strict")).clients;
  const files = clients.find((c) => c.scope === FILES_SCOPE)!;
  const grantAdmin = clients.find((c) => c.scope === GRANT_ADMIN)!;
  const created = await call(server, "POST", "/cds-api/v1/credentials", { token, body: { client_id: grantAdmin.client_id } });
  const credential = strictly(validateCredential(created.body, "strict"));
  return { adminId: registered.client_id, adminSecret: registered.client_secret, adminToken: token, files, grantAdmin, grantAdminSecret: credential.client_secret! };
}

/** The one authorization details entry of a Grant Admin token request. */
export const grantAdminEntry = (r: FilesRegistration, grantId: string, clientId = r.files.client_id) => ({ type: GRANT_ADMIN, client_id: clientId, grant_id: grantId });

export async function grantAdminTokenResponse(server: CdsServer, r: FilesRegistration, details: unknown, scope: string | null = GRANT_ADMIN) {
  const body = new URLSearchParams({ grant_type: "client_credentials" });
  if (scope !== null) body.set("scope", scope);
  if (details !== undefined) body.set("authorization_details", JSON.stringify(details));
  const res = await fetch(`${server.url}/oauth/token`, {
    method: "POST",
    headers: { authorization: basic(r.grantAdmin.client_id, r.grantAdminSecret), "content-type": "application/x-www-form-urlencoded" },
    body,
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

export async function grantAdminToken(server: CdsServer, r: FilesRegistration, grantId: string): Promise<string> {
  const res = await grantAdminTokenResponse(server, r, [grantAdminEntry(r, grantId)]);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return strictly(validateCustomerDataTokenResponse(res.body, "strict")).access_token;
}

/** A registration with one shared file and a live Grant Admin token for its Grant. */
export async function grantAdminWithToken(server: CdsServer, db: Db): Promise<FilesRegistration & { grantId: string; token: string }> {
  const r = await registerForFiles(server);
  const fileId = await addServerProvidedFile(db, { name: "readme.txt", mimeType: "text/plain", content: new TextEncoder().encode("hello") });
  const grantId = await shareServerProvidedFiles(db, { clientId: r.files.client_id, scope: FILES_SCOPE, fileIds: [fileId] });
  return { ...r, grantId, token: await grantAdminToken(server, r, grantId) };
}
