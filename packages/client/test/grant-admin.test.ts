/**
 * A Grant Admin token (CDS-WG1-02 §3.3.2) from the SDK: client_credentials
 * with a cds_grant_admin authorization-details entry naming one Grant, then the
 * Server-Provided Files API (§9) with it, against the reference server.
 */
import { describe, expect, it } from "vitest";
import { CdsApi, ClientCredentialsTokens, discover, oauthContext, registerClient } from "../src/index.ts";
import { useReferenceServer } from "./helpers/reference-server.ts";

describe("Grant Admin token and Server-Provided Files", () => {
  const ref = useReferenceServer();

  it("gets a token for one Grant and reads the file it shares", async () => {
    const discovery = await discover(ref.url);
    const registration = await registerClient(discovery, { scope: "cds_client_admin cds_server_provided_files_01", client_name: "Files app" } as never);
    const context = oauthContext(discovery);
    const admin = new CdsApi(discovery, { tokens: new ClientCredentialsTokens(context, { clientId: registration.client_id, clientSecret: registration.client_secret!, scope: "cds_client_admin" }) });
    const clients = (await admin.clients.list()).clients;
    const files = clients.find((c) => c.scope === "cds_server_provided_files_01")!;
    const grantAdmin = clients.find((c) => c.scope === "cds_grant_admin_1")!;
    const credential = await admin.credentials.create({ client_id: grantAdmin.client_id });

    const fileId = await ref.server.operator.addServerProvidedFile({ name: "readme.txt", mimeType: "text/plain", content: new TextEncoder().encode("hello from the utility") });
    const grant = await ref.server.operator.shareServerProvidedFiles({ clientId: files.client_id, scope: "cds_server_provided_files_01", fileIds: [fileId] });

    const tokens = new ClientCredentialsTokens(context, {
      clientId: grantAdmin.client_id,
      clientSecret: credential.client_secret!,
      scope: "cds_grant_admin_1",
      authorizationDetails: [{ type: "cds_grant_admin_1", client_id: files.client_id, grant_id: grant.grant_id }],
    });
    const api = new CdsApi(discovery, { tokens });
    const listed = [];
    for await (const file of api.serverProvidedFiles.all()) listed.push(file);
    expect(listed.map((f) => f.file_id)).toEqual([fileId]);
    expect((await tokens.tokens())?.authorization_details).toEqual([expect.objectContaining({ grant_id: grant.grant_id })]);
    const download = await api.serverProvidedFiles.download(fileId);
    expect(await download.text()).toBe("hello from the utility");
  });
});
