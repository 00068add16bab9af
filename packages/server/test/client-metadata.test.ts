/**
 * The Client-specific metadata (CDS-WG1-02 §5.1 `cds_server_metadata`, §3.2)
 * over HTTP: from a registered Client Object through `cds_server_metadata`
 * and `oauth_metadata`, every body checked with the generated strict
 * validators against the contract's models for these operations.
 */
import type { CustomerDataAuthorizationServerMetadata as AuthorizationServerMetadata, OAuthServerMetadata, ScopeDescription } from "@cds-toolkit/types";
import {
  validateCustomerDataAuthorizationServerMetadata,
  validateCustomerDataClient,
  validateCustomerDataClientAuthorizationServerMetadata,
  validateCustomerDataClientListing,
  validateOAuthServerMetadata,
} from "@cds-toolkit/validators";
import { beforeEach, describe, expect, it } from "vitest";
import { clientAuthorizationServerMetadata } from "../src/cds/client-metadata.ts";
import { serverMetadata } from "../src/db/schema.ts";
import { seedDemoData } from "../src/demo/seed.ts";
import type { CdsServer } from "../src/server.ts";
import { adminToken, call, expectProblem, registerClient, strictly } from "./helpers/cds-client.ts";
import { describeEachDatabase } from "./helpers/databases.ts";
import { useListeningServer } from "./helpers/servers.ts";

/** The fields the Client-specific RFC 8414 document narrows; every other one is the public document's. */
const narrowed = ["scopes_supported", "cds_scope_descriptions", "cds_registration_fields", "authorization_details_types_supported"] as const;
const without = (doc: object, fields: readonly string[]) => Object.fromEntries(Object.entries(doc).filter(([key]) => !fields.includes(key)));
/** The two documents' paths under a Client Object's URL. */
const suffixes = ["cds-server-metadata", "oauth-authorization-server"];

describeEachDatabase("Client-specific metadata (CDS-WG1-02 §5.1)", (under) => {
  let server: CdsServer;

  useListeningServer(under, (started) => (server = started));
  beforeEach(async () => {
    await seedDemoData(under.database.db, null);
  });

  const publicServerMetadata = async () => strictly(validateOAuthServerMetadata((await call(server, "GET", "/.well-known/cds-server-metadata.json")).body, "strict"));
  const publicOAuthMetadata = async () => strictly(validateCustomerDataAuthorizationServerMetadata((await call(server, "GET", "/.well-known/oauth-authorization-server")).body, "strict"));

  /** A registration with the admin and a Grant Admin Client Object, and an admin token. */
  const registration = async () => {
    const registered = await registerClient(server, { scope: "cds_client_admin cds_grant_admin_1" });
    const token = await adminToken(server, registered.client_id, registered.client_secret);
    const listing = strictly(validateCustomerDataClientListing((await call(server, "GET", "/cds-api/v1/clients", { token })).body, "strict"));
    const grantAdmin = listing.clients.find((c) => c.client_id !== registered.client_id)!;
    return { registered, token, grantAdmin };
  };

  /** Follows a Client Object's `cds_server_metadata` and then its `oauth_metadata`, strictly. */
  const follow = async (cdsServerMetadata: string, token: string) => {
    const first = await call(server, "GET", cdsServerMetadata, { token });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const cds = strictly(validateOAuthServerMetadata(first.body, "strict"));
    const second = await call(server, "GET", cds.oauth_metadata, { token });
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    const oauth = strictly(validateCustomerDataClientAuthorizationServerMetadata(second.body, "strict"));
    return { cds, oauth, responses: [first, second] as const };
  };

  it("gives every Client Object its own cds_server_metadata, under its Client URL", async () => {
    const { registered, token, grantAdmin } = await registration();
    expect(registered.cds_server_metadata).toBe(`${server.url}/cds-api/v1/clients/${registered.client_id}/cds-server-metadata`);
    const shown = strictly(validateCustomerDataClient((await call(server, "GET", registered.cds_client_uri, { token })).body, "strict"));
    expect(shown.cds_server_metadata).toBe(registered.cds_server_metadata);
    expect(grantAdmin.cds_server_metadata).toBe(`${grantAdmin.cds_client_uri}/cds-server-metadata`);
  });

  it("leads from cds_server_metadata to an oauth_metadata that lists only the Client Object's scopes", async () => {
    const { registered, token } = await registration();
    const { cds, oauth } = await follow(registered.cds_server_metadata, token);

    // The public CDS metadata at the Client Object's own URL (CDS-WG1-01 §3.2 `cds_metadata_url`).
    const publicCds = await publicServerMetadata();
    expect(cds.cds_metadata_url).toBe(registered.cds_server_metadata);
    expect(cds.oauth_metadata).toBe(`${registered.cds_client_uri}/oauth-authorization-server`);
    expect(without(cds, ["cds_metadata_url", "oauth_metadata", "created", "updated"])).toEqual(
      without(publicCds, ["cds_metadata_url", "oauth_metadata", "created", "updated"]),
    );
    // The URL exists from the Client Object's creation on, and updated never precedes created.
    const issuedAt = registered.client_id_issued_at * 1000;
    expect(Date.parse(cds.created)).toBeGreaterThanOrEqual(issuedAt);
    expect(Date.parse(cds.updated)).toBeGreaterThanOrEqual(Date.parse(cds.created));

    // The public RFC 8414 document, narrowed to cds_client_admin.
    const publicOAuth = await publicOAuthMetadata();
    expect(publicOAuth.scopes_supported.length).toBeGreaterThan(1);
    expect(oauth.scopes_supported).toEqual(["cds_client_admin"]);
    expect(oauth.cds_scope_descriptions).toEqual({ cds_client_admin: publicOAuth.cds_scope_descriptions.cds_client_admin });
    expect(oauth.cds_registration_fields).toEqual({});
    // The admin scope has no authorization details types, and the sandbox scope is not this Client Object's.
    expect(oauth.authorization_details_types_supported).toEqual([]);
    expect(without(oauth, narrowed)).toEqual(without(publicOAuth, narrowed));
  });

  it("narrows a Grant Admin Client Object's document to its Grant Admin scope", async () => {
    const { token, grantAdmin } = await registration();
    const { oauth } = await follow(grantAdmin.cds_server_metadata, token);
    const publicOAuth = await publicOAuthMetadata();
    expect(oauth.scopes_supported).toEqual(["cds_grant_admin_1"]);
    expect(oauth.cds_scope_descriptions).toEqual({ cds_grant_admin_1: publicOAuth.cds_scope_descriptions.cds_grant_admin_1 });
    // Whatever the public document offers of this scope's own details type (§3.3.2), and nothing else.
    expect(oauth.authorization_details_types_supported).toEqual(publicOAuth.authorization_details_types_supported.filter((t) => t === "cds_grant_admin_1"));
    expect(without(oauth, narrowed)).toEqual(without(publicOAuth, narrowed));
  });

  it("follows the Client Object's scope when it changes (§5.5)", async () => {
    const { token, grantAdmin } = await registration();
    const before = await follow(grantAdmin.cds_server_metadata, token);

    const put = await call(server, "PUT", grantAdmin.cds_client_uri, { token, body: { scope: "" } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);

    const after = await follow(grantAdmin.cds_server_metadata, token);
    expect(after.oauth.scopes_supported).toEqual([]);
    expect(after.oauth.cds_scope_descriptions).toEqual({});
    // Only the RFC 8414 document depends on the scope.
    expect(after.responses[0].headers.get("etag")).toBe(before.responses[0].headers.get("etag"));
    expect(after.responses[1].headers.get("etag")).not.toBe(before.responses[1].headers.get("etag"));
  });

  describe("caching, as the public metadata document", () => {
    it.each(suffixes)("tags %s with an ETag and answers a matching If-None-Match with 304", async (suffix) => {
      const { registered, token } = await registration();
      const url = `${registered.cds_client_uri}/${suffix}`;
      const first = await call(server, "GET", url, { token });
      expect(first.status).toBe(200);
      const etag = first.headers.get("etag")!;
      expect(etag).toMatch(/^"[\w-]+"$/);
      expect(first.headers.get("cache-control")).toBe("no-cache");

      const again = await call(server, "GET", url, { token, headers: { "if-none-match": etag } });
      expect(again.status).toBe(304);
      expect(again.body).toBeUndefined();
      expect(again.headers.get("etag")).toBe(etag);

      const stale = await call(server, "GET", url, { token, headers: { "if-none-match": '"stale"' } });
      expect(stale.status).toBe(200);
    });

    it("answers from the public document even when If-None-Match names it or is *", async () => {
      const { registered, token } = await registration();
      const url = `${registered.cds_client_uri}/oauth-authorization-server`;
      const own = (await call(server, "GET", url, { token })).headers.get("etag")!;
      const publicTag = (await call(server, "GET", "/.well-known/oauth-authorization-server")).headers.get("etag")!;
      expect(publicTag).toMatch(/^"[\w-]+"$/);
      expect(publicTag).not.toBe(own);

      // The inner request for the public document must get its body, not a 304 of the caller's condition.
      const named = await call(server, "GET", url, { token, headers: { "if-none-match": publicTag } });
      expect(named.status, JSON.stringify(named.body)).toBe(200);
      expect(named.headers.get("etag")).toBe(own);
      strictly(validateCustomerDataClientAuthorizationServerMetadata(named.body, "strict"));
      const any = await call(server, "GET", url, { token, headers: { "if-none-match": "*" } });
      expect(any.status).toBe(304);
      expect(any.headers.get("etag")).toBe(own);
    });

    it("gives each Client Object's documents their own tags", async () => {
      const { registered, token, grantAdmin } = await registration();
      for (const suffix of suffixes) {
        const mine = await call(server, "GET", `${registered.cds_client_uri}/${suffix}`, { token });
        const other = await call(server, "GET", `${grantAdmin.cds_client_uri}/${suffix}`, { token });
        expect(mine.headers.get("etag")).not.toBe(other.headers.get("etag"));
      }
    });
  });

  describe("access", () => {
    it.each(suffixes)("answers %s without a token, or with a bad one, with 401 and a Bearer challenge (§5.1)", async (suffix) => {
      const { registered } = await registration();
      const url = `${registered.cds_client_uri}/${suffix}`;
      const missing = await call(server, "GET", url);
      expectProblem(missing, 401);
      expect(missing.headers.get("www-authenticate")).toBe("Bearer");
      const invalid = await call(server, "GET", url, { token: "not-a-token" });
      expectProblem(invalid, 401);
      expect(invalid.headers.get("www-authenticate")).toMatch(/^Bearer error="invalid_token"/);
    });

    it.each(suffixes)("answers %s for another registration's Client Object, or an unknown one, with 404", async (suffix) => {
      const mine = await registration();
      const theirs = await registerClient(server);
      expectProblem(await call(server, "GET", `${theirs.cds_client_uri}/${suffix}`, { token: mine.token }), 404);
      expectProblem(await call(server, "GET", `/cds-api/v1/clients/unknown-client/${suffix}`, { token: mine.token }), 404);
    });

    it.each(suffixes)("answers %s with 503 while the Server has no metadata document", async (suffix) => {
      const { registered, token } = await registration();
      await under.database.db.delete(serverMetadata);
      expectProblem(await call(server, "GET", `${registered.cds_client_uri}/${suffix}`, { token }), 503);
    });
  });
});

describe("clientAuthorizationServerMetadata", () => {
  const description = (id: string, type: string, extra: Partial<ScopeDescription> = {}): ScopeDescription => ({
    id,
    type,
    name: id,
    description: `The ${id} scope.`,
    documentation: `https://utility.example/docs#${id}`,
    registration_requirements: [],
    registration_optional: [],
    response_types_supported: [],
    grant_types_supported: ["client_credentials"],
    token_endpoint_auth_methods_supported: ["client_secret_basic"],
    code_challenge_methods_supported: [],
    coverages_supported: [],
    grant_admin_scope: null,
    authorization_details_types_supported: [],
    authorization_details_fields_supported: [],
    ...extra,
  });
  const field = (id: string) => ({ id, type: "registration_field" as const, description: id, documentation: `https://utility.example/docs#${id}` });
  const published = {
    scopes_supported: ["cds_client_admin", "cds_grant_admin_1", "files_1", "files_2", "openid_like"],
    authorization_details_types_supported: ["cds_grant_admin_1", "files_1", "files_2", "openid_like"],
    cds_scope_descriptions: {
      cds_client_admin: description("cds_client_admin", "cds_client_admin"),
      cds_grant_admin_1: description("cds_grant_admin_1", "cds_grant_admin", { authorization_details_types_supported: ["cds_grant_admin_1"] }),
      files_1: description("files_1", "cds_server_provided_files", {
        grant_admin_scope: "cds_grant_admin_1",
        registration_requirements: ["cds_contract"],
        authorization_details_types_supported: ["files_1"],
      }),
      files_2: description("files_2", "cds_server_provided_files", { registration_optional: ["cds_logo"], authorization_details_types_supported: ["files_2"] }),
    },
    cds_registration_fields: { cds_contract: field("cds_contract"), cds_logo: field("cds_logo") },
  } as unknown as AuthorizationServerMetadata;

  it("brings along the Grant Admin scope a kept scope names (§3.4) and the registration fields kept scopes use", () => {
    const doc = clientAuthorizationServerMetadata(published, "files_1");
    expect(doc.scopes_supported).toEqual(["cds_grant_admin_1", "files_1"]);
    expect(Object.keys(doc.cds_scope_descriptions)).toEqual(["cds_grant_admin_1", "files_1"]);
    expect(doc.cds_registration_fields).toEqual({ cds_contract: published.cds_registration_fields.cds_contract });
    expect(doc.authorization_details_types_supported).toEqual(["cds_grant_admin_1", "files_1"]);
  });

  it("keeps an undescribed scope the Server supports, with its details type, and drops scopes it does not know", () => {
    const doc = clientAuthorizationServerMetadata(published, "openid_like files_2 retired_scope");
    expect(doc.scopes_supported).toEqual(["files_2", "openid_like"]);
    expect(Object.keys(doc.cds_scope_descriptions)).toEqual(["files_2"]);
    expect(Object.keys(doc.cds_registration_fields)).toEqual(["cds_logo"]);
    expect(doc.authorization_details_types_supported).toEqual(["files_2", "openid_like"]);
  });

  it("lists nothing for a Client Object without scopes", () => {
    const doc = clientAuthorizationServerMetadata(published, "");
    expect(doc).toMatchObject({ scopes_supported: [], cds_scope_descriptions: {}, cds_registration_fields: {}, authorization_details_types_supported: [] });
  });
});
