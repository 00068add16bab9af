/**
 * Demo Server-Provided Files (CDS-WG1-02 §9): the demo registration also
 * holds a Server-Provided Files Client Object and its Grant Admin Client
 * Object, as registering for that scope would give (§4.2), and the Server has
 * shared one document with it through a Grant (§3.3.3). The Grant Admin
 * Client Object starts without a Credential: the README walkthrough creates
 * one with the Credentials API, as CDS-WG1-02 §12 does.
 */
import type { ClientMetadataJson } from "../cds/client-objects.js";
import type { Db } from "../db/index.js";
import { grants, oauthClients, serverProvidedFiles } from "../db/schema.js";
import { GRANT_ADMIN_SCOPE, SERVER_PROVIDED_FILES_SCOPE } from "../cds/scopes.js";
import { demoClient } from "./demo-utility.js";

export const demoFiles = {
  filesClientId: "demo-files",
  grantAdminClientId: "demo-grant-admin",
  grantId: "demo-files-grant",
  fileId: "demo-onboarding-guide",
} as const;

const guide = `# Demo Gas & Electric: onboarding guide

This file was shared with your registration through the Server-Provided
Files API (CDS-WG1-02 §9). It is demo data of the CDS toolkit's reference
server; Demo Gas & Electric is fictional.

- Sandbox customers: alex.demo and sam.demo (see the server's README).
- Support: https://dge.example/developers/support
`;

export async function seedDemoFiles(db: Db): Promise<void> {
  const at = new Date("2025-03-01T12:00:00.000Z");
  await db
    .insert(oauthClients)
    .values([
      {
        clientId: demoFiles.filesClientId,
        registrationId: demoClient.registrationId,
        registeredScope: SERVER_PROVIDED_FILES_SCOPE,
        // As registration makes them (§5.1): only the Client Admin Client Object cannot be disabled.
        statusOptions: ["production", "disabled"],
        metadata: { client_name: "Demo client", contacts: [], redirect_uris: [], response_types: [], grant_types: [], token_endpoint_auth_method: null, scope: SERVER_PROVIDED_FILES_SCOPE, authorization_details_types: [SERVER_PROVIDED_FILES_SCOPE] } as unknown as ClientMetadataJson,
      },
      {
        clientId: demoFiles.grantAdminClientId,
        registrationId: demoClient.registrationId,
        registeredScope: GRANT_ADMIN_SCOPE,
        statusOptions: ["production", "disabled"],
        metadata: { client_name: "Demo client", contacts: [], redirect_uris: [], response_types: [], grant_types: ["client_credentials"], token_endpoint_auth_method: "client_secret_basic", scope: GRANT_ADMIN_SCOPE, authorization_details_types: [GRANT_ADMIN_SCOPE] },
      },
    ])
    .onConflictDoNothing();
  await db
    .insert(serverProvidedFiles)
    .values({ id: demoFiles.fileId, createdAt: at, modifiedAt: at, name: "DGE-onboarding-guide.md", mimeType: "text/markdown; charset=utf-8", description: "How to reach the Demo Gas & Electric sandbox", content: new TextEncoder().encode(guide) })
    .onConflictDoNothing();
  const details = [{ type: SERVER_PROVIDED_FILES_SCOPE, file_id: demoFiles.fileId }];
  await db
    .insert(grants)
    .values({ id: demoFiles.grantId, clientId: demoFiles.filesClientId, createdAt: at, modifiedAt: at, status: "active", scope: SERVER_PROVIDED_FILES_SCOPE, enabledScope: SERVER_PROVIDED_FILES_SCOPE, authorizationDetails: details, enabledAuthorizationDetails: details })
    .onConflictDoNothing();
}
