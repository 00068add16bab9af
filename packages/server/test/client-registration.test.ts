/**
 * CDS-WG1-02 end to end over HTTP: the metadata (§3), registration (§4),
 * client_credentials with the registered clients, the Clients API (§5) and
 * the Credentials API (§7). Every body is checked with the generated strict
 * validators.
 */
import type { Client, Credential } from "@cds-toolkit/types";
import { consentScopeIds } from "../src/customer-data/scopes/consent.ts";
import { directAccessScopeIds } from "./helpers/direct-access-scopes.ts";
import {
  validateCustomerDataAuthorizationServerMetadata,
  validateCustomerDataClient,
  validateCustomerDataClientListing,
  validateCredential,
  validateCredentialListing,
  validateOAuthServerMetadata,
  validateRegistrationError,
} from "@cds-toolkit/validators";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { clientSecrets, oidcArtifacts } from "../src/db/schema.ts";
import { seedDemoData } from "../src/demo/seed.ts";
import { hashClientSecret } from "../src/oauth/client-secrets.ts";
import type { CdsServer } from "../src/server.ts";
import { adminToken, call, expectProblem, introspect, registerClient, strictly, tokenResponse } from "./helpers/cds-client.ts";
import { describeEachDatabase } from "./helpers/databases.ts";
import { grantAdminEntry, grantAdminTokenResponse, grantAdminWithToken } from "./helpers/grant-admin.ts";
import { useListeningServer } from "./helpers/servers.ts";

describeEachDatabase("CDS-WG1-02 registration and APIs", (under) => {
  let server: CdsServer;

  useListeningServer(under, (started) => (server = started));
  beforeEach(async () => {
    await seedDemoData(under.database.db, null);
  });

  const listClients = async (token: string, query = "") => {
    // `query` is either "?…" or a complete next/previous link.
    const res = await call(server, "GET", query.startsWith("http") ? query : `/cds-api/v1/clients${query}`, { token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return strictly(validateCustomerDataClientListing(res.body, "strict"));
  };
  const listCredentials = async (token: string, query = "") => {
    const res = await call(server, "GET", `/cds-api/v1/credentials${query}`, { token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return strictly(validateCredentialListing(res.body, "strict"));
  };

  describe("metadata (§3)", () => {
    it("links the CDS metadata to the RFC 8414 document (§3.1)", async () => {
      const res = await call(server, "GET", "/.well-known/cds-server-metadata.json");
      const metadata = strictly(validateOAuthServerMetadata(res.body, "strict"));
      expect(metadata.capabilities).toContain("oauth");
      expect(metadata.oauth_metadata).toBe(`${server.url}/.well-known/oauth-authorization-server`);
    });

    it("carries every CDS-WG1-02 §3.2 field and validates strictly", async () => {
      const res = await call(server, "GET", "/.well-known/oauth-authorization-server");
      expect(res.status).toBe(200);
      const metadata = strictly(validateCustomerDataAuthorizationServerMetadata(res.body, "strict"));
      expect(metadata).toMatchObject({
        cds_oauth_version: "v1",
        cds_timezone: "America/Chicago",
        registration_endpoint: `${server.url}/oauth/register`,
        cds_clients_api: `${server.url}/cds-api/v1/clients`,
        cds_credentials_api: `${server.url}/cds-api/v1/credentials`,
        cds_grants_api: `${server.url}/cds-api/v1/grants`,
        cds_messages_api: `${server.url}/cds-api/v1/messages`,
        revocation_endpoint: `${server.url}/oauth/token/revoke`,
        introspection_endpoint: `${server.url}/oauth/token/info`,
        service_documentation: "https://dge.example/developers/docs",
        op_policy_uri: "https://dge.example/developers/policy",
        op_tos_uri: "https://dge.example/developers/terms",
        cds_human_registration: "https://dge.example/developers/register",
        cds_registration_fields: {},
        scopes_supported: [
          "cds_client_admin",
          "cds_grant_admin_1",
          "cds_server_provided_files_01",
          ...directAccessScopeIds,
          ...consentScopeIds,
        ],
        cds_customerdata_version: "v1",
        cds_accounts_api: `${server.url}/cds-customerdata-api/v1/accounts`,
        cds_billstatement_api: `${server.url}/cds-customerdata-api/v1/bill-statements`,
        cds_usagesegments_api: `${server.url}/cds-customerdata-api/v1/usage-segments`,
        cds_server_provided_files_api: `${server.url}/cds-api/v1/server-provided-files`,
      });
      // Every listed scope is described, and every described scope listed (no undescribed scope, CDS-WG1-02 §3.2).
      expect([...metadata.scopes_supported].sort()).toEqual(Object.keys(metadata.cds_scope_descriptions).sort());
    });

    it("describes cds_client_admin exactly as §3.3.1 and cds_grant_admin_1 exactly as §3.3.2", async () => {
      const { cds_scope_descriptions: scopes } = (await call(server, "GET", "/.well-known/oauth-authorization-server")).body as { cds_scope_descriptions: Record<string, Record<string, unknown>> };
      const fixed = {
        registration_requirements: [],
        registration_optional: [],
        response_types_supported: [],
        grant_types_supported: ["client_credentials"],
        token_endpoint_auth_methods_supported: ["client_secret_basic"],
        code_challenge_methods_supported: [],
        coverages_supported: [],
        grant_admin_scope: null,
      };
      expect(scopes.cds_client_admin).toEqual({
        id: "cds_client_admin",
        type: "cds_client_admin",
        name: "Client Admin",
        description: "This scope grants administrative access to the Client management APIs.",
        documentation: expect.stringMatching(/^https:\/\//),
        ...fixed,
        authorization_details_types_supported: [],
        authorization_details_fields_supported: [],
      });
      const field = (id: string, name: string, description: string) => ({
        id,
        name,
        description,
        documentation: expect.stringMatching(/^https:\/\//),
        for_types: ["cds_grant_admin_1"],
        format: "string",
        is_required: true,
        maximum: 1000,
        minimum: 1,
      });
      expect(scopes.cds_grant_admin_1).toEqual({
        id: "cds_grant_admin_1",
        type: "cds_grant_admin",
        name: "Grant Admin",
        description: "This scope grants administrative access to previously created Grants.",
        documentation: expect.stringMatching(/^https:\/\//),
        ...fixed,
        authorization_details_types_supported: ["cds_grant_admin_1"],
        authorization_details_fields_supported: [
          field("client_id", "Client Object identifier", "The Client Object identifier for which the Grant is issued."),
          field("grant_id", "Grant identifier", "The Grant identifier for which the returned access_token will be given access."),
        ],
      });
    });

    it("describes cds_server_provided_files_01 exactly as §3.3.3, administered by cds_grant_admin_1", async () => {
      const { cds_scope_descriptions: scopes } = (await call(server, "GET", "/.well-known/oauth-authorization-server")).body as { cds_scope_descriptions: Record<string, Record<string, unknown>> };
      expect(scopes.cds_server_provided_files_01).toEqual({
        id: "cds_server_provided_files_01",
        type: "cds_server_provided_files",
        name: "Server-Provided Files",
        description: "This scope grants access to specific files that the Server wants make available to the Client.",
        documentation: expect.stringMatching(/^https:\/\//),
        registration_requirements: [],
        registration_optional: [],
        response_types_supported: [],
        grant_types_supported: [],
        token_endpoint_auth_methods_supported: [],
        code_challenge_methods_supported: [],
        coverages_supported: [],
        grant_admin_scope: "cds_grant_admin_1",
        authorization_details_types_supported: ["cds_server_provided_files_01"],
        authorization_details_fields_supported: [
          {
            id: "file_id",
            name: "File identifier",
            description: "A file provided by the Server that may be accessed by the Client as part of the Grant.",
            documentation: expect.stringMatching(/^https:\/\//),
            for_types: ["cds_server_provided_files_01"],
            format: "string",
            is_required: true,
            maximum: 1000,
            minimum: 1,
          },
        ],
      });
    });
  });

  describe("registration (§4)", () => {
    it("answers 201 with the cds_client_admin Client Object and its secret (§4.2, E-WG1-02-1, E-WG1-02-2)", async () => {
      const res = await call(server, "POST", "/oauth/register", {
        body: { scope: "cds_client_admin", client_name: "Acme Energy App", contacts: ["dev@acme.example"], redirect_uris: ["https://acme.example/cb"] },
      });
      expect(res.status).toBe(201);
      expect(res.headers.get("cache-control")).toBe("no-store");
      const registered = await registerClient(server, { scope: "cds_client_admin" });
      const first = res.body as Record<string, unknown>;
      expect(first).toMatchObject({
        scope: "cds_client_admin",
        redirect_uris: [], // §4.1: submitted redirect URIs are ignored
        response_types: [],
        grant_types: ["client_credentials"],
        token_endpoint_auth_method: "client_secret_basic",
        client_name: "Acme Energy App",
        contacts: ["dev@acme.example"],
        authorization_details_types: [],
        cds_status: "production",
        cds_status_options: ["production"],
        client_secret_expires_at: 0,
      });
      expect(first.cds_client_uri).toBe(`${server.url}/cds-api/v1/clients/${first.client_id as string}`);
      // The Client-specific metadata (§5.1), covered by client-metadata.test.ts.
      expect(first.cds_server_metadata).toBe(`${first.cds_client_uri as string}/cds-server-metadata`);
      // 32 random bytes, base64url: 43 characters.
      expect((first.client_secret as string).length).toBeGreaterThanOrEqual(43);
      // Defaults (§5.1): the name is the client_id, contacts are empty.
      expect(registered.client_name).toBe(registered.client_id);
      expect(registered.contacts).toEqual([]);
      expect(registered.client_id).not.toBe(first.client_id);
    });

    it("stores only a hash of the secret", async () => {
      const registered = await registerClient(server);
      const rows = await under.database.db.select().from(clientSecrets).where(eq(clientSecrets.clientId, registered.client_id));
      expect(rows).toHaveLength(1);
      expect(rows[0]!.secretSha256).toBe(hashClientSecret(registered.client_secret));
      expect(JSON.stringify(rows)).not.toContain(registered.client_secret);
    });

    it("creates a Client Object with its own Credential for a Grant Admin scope", async () => {
      const registered = await registerClient(server, { scope: "cds_client_admin cds_grant_admin_1" });
      expect(registered.scope).toBe("cds_client_admin");
      const token = await adminToken(server, registered.client_id, registered.client_secret);
      const { clients } = await listClients(token);
      expect(clients).toHaveLength(2);
      const grantAdmin = clients.find((c) => c.scope === "cds_grant_admin_1")!;
      expect(grantAdmin).toMatchObject({
        grant_types: ["client_credentials"],
        token_endpoint_auth_method: "client_secret_basic",
        authorization_details_types: ["cds_grant_admin_1"],
        cds_status: "production",
        cds_status_options: ["production", "disabled"],
      });
      const { credentials } = await listCredentials(token);
      expect(new Set(credentials.map((c) => c.client_id))).toEqual(new Set([registered.client_id, grantAdmin.client_id]));
    });

    it.each([
      ["without cds_client_admin", { scope: "cds_grant_admin_1" }, /scope/],
      ["with a scope outside cds_scope_descriptions", { scope: "cds_client_admin openid" }, /openid/],
      ["with an unknown field", { scope: "cds_client_admin", nickname: "x" }, /\/nickname/],
      ["with a wrongly typed field", { scope: "cds_client_admin", contacts: "dev@acme.example" }, /\/contacts/],
      ["without scope", { client_name: "x" }, /\/scope/],
    ])("refuses a request %s with 400 invalid_client_metadata naming the field", async (_name, body, names) => {
      const res = await call(server, "POST", "/oauth/register", { body });
      expect(res.status).toBe(400);
      const error = strictly(validateRegistrationError(res.body, "strict"));
      expect(error.error).toBe("invalid_client_metadata");
      expect(error.error_description).toMatch(names);
    });

    it("is rate limited per address more tightly than other endpoints", async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) statuses.push((await call(server, "POST", "/oauth/register", { body: { scope: "cds_client_admin" } })).status);
      expect(statuses.slice(0, 10).every((s) => s === 201)).toBe(true);
      expect(statuses[10]).toBe(429);
    });
  });

  describe("client_credentials with registered clients", () => {
    it("issues cds_client_admin tokens and records the Credential that authenticated", async () => {
      const registered = await registerClient(server);
      const token = await adminToken(server, registered.client_id, registered.client_secret);
      expect(await introspect(server, registered.client_id, registered.client_secret, token)).toMatchObject({ active: true, client_id: registered.client_id, scope: "cds_client_admin" });
      const [credential] = await under.database.db.select().from(clientSecrets).where(eq(clientSecrets.clientId, registered.client_id));
      const [artifact] = await under.database.db.select().from(oidcArtifacts).where(eq(oidcArtifacts.id, token));
      expect(artifact!.credentialId).toBe(credential!.id);
    });
  });

  describe("Clients API (§5)", () => {
    it("lists the registration's Client Objects newest cds_modified first, filtered by client_ids, in pages", async () => {
      const registered = await registerClient(server, { scope: "cds_client_admin cds_grant_admin_1" });
      const token = await adminToken(server, registered.client_id, registered.client_secret);
      const all = await listClients(token);
      const grantAdmin = all.clients.find((c) => c.client_id !== registered.client_id)!;
      // Touch the admin Client Object, so it is the newest.
      const put = await call(server, "PUT", `/cds-api/v1/clients/${registered.client_id}`, { token, body: { client_name: "Renamed" } });
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      const ordered = await listClients(token);
      expect(ordered.clients.map((c) => c.client_id)).toEqual([registered.client_id, grantAdmin.client_id]);
      expect(ordered.next).toBeNull();
      expect(ordered.previous).toBeNull();

      const filtered = await listClients(token, `?client_ids=${grantAdmin.client_id}%20unknown`);
      expect(filtered.clients.map((c) => c.client_id)).toEqual([grantAdmin.client_id]);

      const page1 = await listClients(token, "?page_size=1");
      expect(page1.clients.map((c) => c.client_id)).toEqual([registered.client_id]);
      expect(page1.previous).toBeNull();
      const page2 = await listClients(token, page1.next!);
      expect(page2.clients.map((c) => c.client_id)).toEqual([grantAdmin.client_id]);
      expect(page2.next).toBeNull();
      const back = await listClients(token, page2.previous!);
      expect(back.clients.map((c) => c.client_id)).toEqual([registered.client_id]);
    });

    it("gets one Client Object at its cds_client_uri, and 404 for an unknown one", async () => {
      const registered = await registerClient(server);
      const token = await adminToken(server, registered.client_id, registered.client_secret);
      const res = await call(server, "GET", registered.cds_client_uri, { token });
      expect(res.status).toBe(200);
      const client = strictly(validateCustomerDataClient(res.body, "strict"));
      expect(client).not.toHaveProperty("client_secret");
      expect(client).not.toHaveProperty("client_secret_expires_at");
      const { client_secret: _s, client_secret_expires_at: _e, ...expected } = registered;
      expect(client).toEqual(expected);
      expectProblem(await call(server, "GET", "/cds-api/v1/clients/nope", { token }), 404);
    });

    it("modifies per §5.5: modifiable fields applied, echoed fields accepted unchanged, omitted fields reset", async () => {
      const registered = await registerClient(server, { scope: "cds_client_admin", client_name: "Acme", contacts: ["a@acme.example"], client_uri: "https://acme.example/" });
      const token = await adminToken(server, registered.client_id, registered.client_secret);
      const current = strictly(validateCustomerDataClient((await call(server, "GET", registered.cds_client_uri, { token })).body, "strict"));

      // The whole object echoed back with two changes: 200, both applied.
      const echoed = await call(server, "PUT", registered.cds_client_uri, { token, body: { ...current, client_name: "Acme Energy", logo_uri: "https://acme.example/logo.png" } });
      expect(echoed.status, JSON.stringify(echoed.body)).toBe(200);
      const modified = strictly(validateCustomerDataClient(echoed.body, "strict"));
      expect(modified).toMatchObject({ client_name: "Acme Energy", logo_uri: "https://acme.example/logo.png", contacts: ["a@acme.example"], client_uri: "https://acme.example/" });
      expect(Date.parse(modified.cds_modified)).toBeGreaterThanOrEqual(Date.parse(current.cds_modified));

      // Only the scope: everything else goes back to its default.
      const reset = strictly(validateCustomerDataClient((await call(server, "PUT", registered.cds_client_uri, { token, body: { scope: "cds_client_admin" } })).body, "strict"));
      expect(reset.client_name).toBe(registered.client_id);
      expect(reset.contacts).toEqual([]);
      expect(reset).not.toHaveProperty("client_uri");
      expect(reset).not.toHaveProperty("logo_uri");
      expect(reset.cds_status).toBe("production");
    });

    it.each([
      ["client_id", "someone-else", "immutable"],
      ["client_id_issued_at", 1, "immutable"],
      ["grant_types", ["authorization_code"], "immutable"],
      ["token_endpoint_auth_method", "none", "immutable"],
      ["cds_status_options", ["production", "disabled"], "immutable"],
      ["cds_status", "disabled", "cds_status_options"],
      ["scope", "cds_grant_admin_1", "cds_client_admin"],
      ["scope", "cds_client_admin openid", "cds_scope_descriptions"],
      ["redirect_uris", ["https://acme.example/cb"], "not-applicable"],
      ["cds_default_scope", "cds_client_admin", "not-applicable"],
      ["client_uri", "not a url", "format"],
      ["unknown_field", 1, "unevaluatedProperties"],
    ])("refuses a PUT changing %s to %j with 400 naming the field", async (field, value, rule) => {
      const registered = await registerClient(server);
      const token = await adminToken(server, registered.client_id, registered.client_secret);
      const res = await call(server, "PUT", registered.cds_client_uri, { token, body: { scope: "cds_client_admin", [field]: value } });
      const problem = expectProblem(res, 400);
      expect(problem.errors?.some((e) => e.pointer === `/${field}` && e.rule === rule), JSON.stringify(problem)).toBe(true);
    });

    it("disables a non-admin Client Object: its Credentials expire then, and its tokens stop working", async () => {
      const r = await grantAdminWithToken(server, under.database.db);
      const { grantAdmin, token: grantToken, adminToken: token } = r;

      const res = await call(server, "PUT", grantAdmin.cds_client_uri, { token, body: { scope: grantAdmin.scope, cds_status: "disabled" } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(strictly(validateCustomerDataClient(res.body, "strict")).cds_status).toBe("disabled");

      const listed = await call(server, "GET", `/cds-api/v1/credentials?client_ids=${grantAdmin.client_id}`, { token });
      const [shown] = strictly(validateCredentialListing(listed.body, "strict")).credentials;
      expect(shown!.client_secret_expires_at).toBeGreaterThan(0);
      expect(shown!.client_secret_expires_at).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
      expect((await grantAdminTokenResponse(server, r, [grantAdminEntry(r, r.grantId)])).status).toBe(401);
      const registered = { client_id: r.adminId, client_secret: r.adminSecret };
      expect((await introspect(server, registered.client_id, registered.client_secret, grantToken)).active).toBe(false);
    });
  });

  describe("Credentials API (§7)", () => {
    it("creates a Credential (201, secret shown once) that authenticates at once", async () => {
      const registered = await registerClient(server);
      const token = await adminToken(server, registered.client_id, registered.client_secret);
      const res = await call(server, "POST", "/cds-api/v1/credentials", { token, body: { client_id: registered.client_id } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.headers.get("cache-control")).toBe("no-store");
      const created = strictly(validateCredential(res.body, "strict"));
      expect(created).toMatchObject({ client_id: registered.client_id, type: "client_secret", client_secret_expires_at: 0, uri: `${server.url}/cds-api/v1/credentials/${created.credential_id}` });
      expect(created.client_secret).toMatch(/^[A-Za-z0-9_-]{43,}$/);
      await adminToken(server, registered.client_id, created.client_secret!);

      const again = strictly(validateCredential((await call(server, "GET", created.uri, { token })).body, "strict"));
      // Kept only as a hash: never shown again (ERRATA E-WG1-02-20).
      expect(again).not.toHaveProperty("client_secret");
      expect(again).toMatchObject({ credential_id: created.credential_id, created: created.created });
    });

    it("lists with credential_ids, client_ids, after and before, newest modified first", async () => {
      const registered = await registerClient(server, { scope: "cds_client_admin cds_grant_admin_1" });
      const token = await adminToken(server, registered.client_id, registered.client_secret);
      const created = strictly(validateCredential((await call(server, "POST", "/cds-api/v1/credentials", { token, body: { client_id: registered.client_id } })).body, "strict"));
      const all = await listCredentials(token);
      expect(all.credentials).toHaveLength(3);
      expect(all.credentials[0]!.credential_id).toBe(created.credential_id);
      const modified = all.credentials.map((c) => Date.parse(c.modified));
      expect([...modified].sort((a, b) => b - a)).toEqual(modified);

      const q = (params: Record<string, string>) => `?${new URLSearchParams(params).toString()}`;
      expect((await listCredentials(token, q({ credential_ids: created.credential_id }))).credentials.map((c) => c.credential_id)).toEqual([created.credential_id]);
      expect((await listCredentials(token, q({ client_ids: registered.client_id }))).credentials).toHaveLength(2);
      expect((await listCredentials(token, q({ after: created.created }))).credentials.map((c) => c.credential_id)).toContain(created.credential_id);
      expect((await listCredentials(token, q({ after: new Date(Date.parse(created.created) + 1).toISOString() }))).credentials).toHaveLength(0);
      expect((await listCredentials(token, q({ before: "2000-01-01T00:00:00Z" }))).credentials).toHaveLength(0);
      expectProblem(await call(server, "GET", "/cds-api/v1/credentials?after=yesterday", { token }), 400);
    });

    it("refuses creation for an unknown Client Object, or with a bad body, naming the field", async () => {
      const registered = await registerClient(server);
      const token = await adminToken(server, registered.client_id, registered.client_secret);
      const unknown = expectProblem(await call(server, "POST", "/cds-api/v1/credentials", { token, body: { client_id: "nope" } }), 400);
      expect(unknown.errors?.[0]?.pointer).toBe("/client_id");
      const missing = expectProblem(await call(server, "POST", "/cds-api/v1/credentials", { token, body: {} }), 400);
      expect(missing.errors?.[0]).toMatchObject({ pointer: "/client_id", rule: "required" });
      const extra = expectProblem(await call(server, "POST", "/cds-api/v1/credentials", { token, body: { client_id: registered.client_id, type: "client_secret" } }), 400);
      expect(extra.errors?.[0]).toMatchObject({ pointer: "/type", rule: "unevaluatedProperties" });
    });

    it("modifies client_secret_expires_at per §7.6, ignoring fields that cannot change", async () => {
      const registered = await registerClient(server);
      const token = await adminToken(server, registered.client_id, registered.client_secret);
      const [credential] = (await listCredentials(token)).credentials as [Credential];
      const later = Math.floor(Date.now() / 1000) + 3600;

      const set = await call(server, "PATCH", credential.uri, { token, body: { client_secret_expires_at: later, client_id: "ignored", type: "ignored" } });
      expect(set.status, JSON.stringify(set.body)).toBe(200);
      expect(strictly(validateCredential(set.body, "strict"))).toMatchObject({ client_secret_expires_at: later, client_id: registered.client_id });

      for (const [value, why] of [
        [later + 1, "later than the current expiry"],
        [0, "no expiry, once an expiry is set"],
        [Math.floor(Date.now() / 1000) - 3600, "in the past"],
      ] as const) {
        const problem = expectProblem(await call(server, "PATCH", credential.uri, { token, body: { client_secret_expires_at: value } }), 400);
        expect(problem.errors?.[0]?.pointer, why).toBe("/client_secret_expires_at");
      }
      expectProblem(await call(server, "PATCH", credential.uri, { token, body: { client_secret_expires_at: -1 } }), 400);
      // The token of the still-valid Credential keeps working.
      expect((await call(server, "GET", "/cds-api/v1/credentials", { token })).status).toBe(200);
    });

    it("expiring a Credential now revokes its tokens at once (§7.6)", async () => {
      const registered = await registerClient(server);
      const adminTokenValue = await adminToken(server, registered.client_id, registered.client_secret);
      const second = strictly(validateCredential((await call(server, "POST", "/cds-api/v1/credentials", { token: adminTokenValue, body: { client_id: registered.client_id } })).body, "strict"));
      const doomed = await adminToken(server, registered.client_id, second.client_secret!);
      expect((await call(server, "GET", "/cds-api/v1/clients", { token: doomed })).status).toBe(200);

      const res = await call(server, "PATCH", second.uri, { token: adminTokenValue, body: { client_secret_expires_at: Math.floor(Date.now() / 1000) } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);

      expect((await call(server, "GET", "/cds-api/v1/clients", { token: doomed })).status).toBe(401);
      expect((await introspect(server, registered.client_id, registered.client_secret, doomed)).active).toBe(false);
      expect((await tokenResponse(server, registered.client_id, second.client_secret!)).status).toBe(401);
      // The other Credential and its token are untouched.
      expect((await call(server, "GET", "/cds-api/v1/clients", { token: adminTokenValue })).status).toBe(200);
    });

    it("never lists the clients of other registrations, nor the demo client", async () => {
      const a = await registerClient(server);
      const token = await adminToken(server, a.client_id, a.client_secret);
      const clients: Client[] = (await listClients(token)).clients;
      expect(clients.map((c) => c.client_id)).toEqual([a.client_id]);
    });
  });
});
