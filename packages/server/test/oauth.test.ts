/**
 * The OAuth authorization server end to end, driven by an independent client
 * (openid-client 6) over real HTTP: RFC 8414 discovery (with conditional
 * requests), client_credentials, introspection (RFC 7662) and revocation
 * (RFC 7009), and the headers of every reply oidc-provider writes.
 */
import { once } from "node:events";
import { consentScopeIds } from "../src/customer-data/scopes/consent.ts";
import { directAccessScopeIds } from "./helpers/direct-access-scopes.ts";
import { createServer as createHttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { validateCustomerDataAuthorizationServerMetadata, validateOAuthError } from "@cds-toolkit/validators";
import type { FastifyBaseLogger } from "fastify";
import * as oauth from "openid-client";
import { beforeEach, describe, expect, it } from "vitest";
import { oauthClients, serverMetadata } from "../src/db/schema.ts";
import { demoClient } from "../src/demo/demo-utility.ts";
import { seedDemoData } from "../src/demo/seed.ts";
import { entityTag } from "../src/http/etag.ts";
import { addClientSecret, generateClientSecret } from "../src/oauth/client-secrets.ts";
import { loadOrCreateKeys } from "../src/oauth/keys.ts";
import { createProvider } from "../src/oauth/provider.ts";
import { CLIENT_SECRET_PLACEHOLDER } from "../src/oauth/provider-internals.ts";
import type { CdsServer } from "../src/server.ts";
import { describeEachDatabase } from "./helpers/databases.ts";
import { testServer, useListeningServer } from "./helpers/servers.ts";

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;

describeEachDatabase("OAuth authorization server", (under) => {
  let server: CdsServer;
  let secret: string;

  useListeningServer(under, (started) => (server = started));
  beforeEach(async () => {
    secret = generateClientSecret();
    await seedDemoData(under.database.db, secret);
    server.documents.invalidate();
  });

  const discover = (clientId: string = demoClient.clientId, clientSecret: string = secret) =>
    oauth.discovery(new URL(server.url), clientId, undefined, oauth.ClientSecretBasic(clientSecret), {
      algorithm: "oauth2",
      execute: [oauth.allowInsecureRequests],
    });

  describe("RFC 8414 metadata", () => {
    it("is discovered by openid-client, with endpoints under the issuer", async () => {
      const config = await discover();
      const metadata = config.serverMetadata();
      expect(metadata.issuer).toBe(server.url);
      expect(metadata.token_endpoint).toBe(`${server.url}/oauth/token`);
      expect(metadata.introspection_endpoint).toBe(`${server.url}/oauth/token/info`);
      expect(metadata.revocation_endpoint).toBe(`${server.url}/oauth/token/revoke`);
      expect(metadata.pushed_authorization_request_endpoint).toBe(`${server.url}/oauth/par`);
    });

    it("advertises what the server supports and nothing of OpenID Connect", async () => {
      const metadata = (await (await fetch(`${server.url}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
      expect(metadata).toMatchObject({
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
        response_types_supported: ["code"],
        code_challenge_methods_supported: ["S256"],
        token_endpoint_auth_methods_supported: ["client_secret_basic"],
        introspection_endpoint_auth_methods_supported: ["client_secret_basic"],
        revocation_endpoint_auth_methods_supported: ["client_secret_basic"],
        // Every type a described scope lists (ERRATA E-WG1-02-38): the consent scopes', the Grant Admin and files types, and the Direct Access scopes'.
        authorization_details_types_supported: [
          ...consentScopeIds,
          "cds_grant_admin_1",
          "cds_server_provided_files_01",
          ...directAccessScopeIds,
        ],
        authorization_response_iss_parameter_supported: true,
      });
      expect(new Set(metadata.grant_types_supported as string[])).toEqual(new Set(["authorization_code", "refresh_token", "client_credentials"]));
      for (const oidcOnly of ["jwks_uri", "userinfo_endpoint", "end_session_endpoint", "claims_supported", "subject_types_supported", "id_token_signing_alg_values_supported", "claims_parameter_supported", "request_uri_parameter_supported", "dpop_signing_alg_values_supported"]) {
        expect(metadata, oidcOnly).not.toHaveProperty(oidcOnly);
      }
    });

    it("builds its URLs from the issuer URL, whatever Host or X-Forwarded-* say", async () => {
      const res = await server.app.inject({
        url: "/.well-known/oauth-authorization-server",
        headers: { host: "attacker.example", "x-forwarded-host": "attacker.example", "x-forwarded-proto": "https" },
      });
      expect(res.json().token_endpoint).toBe(`${server.url}/oauth/token`);
    });

    it("does not serve OpenID Connect discovery", async () => {
      expect((await fetch(`${server.url}/.well-known/openid-configuration`)).status).toBe(404);
    });
  });

  describe("RFC 8414 metadata caching, as the CDS metadata document", () => {
    const wellKnown = "/.well-known/oauth-authorization-server";
    const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers });

    it("sends an ETag of the exact body, no-cache and nosniff, with the CDS metadata document's header values", async () => {
      const res = await get(wellKnown);
      expect(res.status).toBe(200);
      const body = await res.text();
      expect(validateCustomerDataAuthorizationServerMetadata(JSON.parse(body), "strict").ok).toBe(true);
      const etag = res.headers.get("etag")!;
      expect(etag).toMatch(/^"[\w-]+"$/);
      expect(etag).toBe(entityTag(body));

      const cds = await get("/.well-known/cds-server-metadata.json");
      expect(cds.headers.get("etag")).toBe(entityTag(await cds.text()));
      for (const name of ["cache-control", "content-type", "x-content-type-options"]) {
        expect(res.headers.get(name), name).toBe(cds.headers.get(name));
      }
      expect(res.headers.get("cache-control")).toBe("no-cache");
      expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    });

    it("answers 304 with no body to a matching If-None-Match, weak or strong, and 200 otherwise", async () => {
      const first = await get(wellKnown);
      const etag = first.headers.get("etag")!;
      const full = await first.text();
      for (const header of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
        const res = await get(wellKnown, { "if-none-match": header });
        expect(res.status, header).toBe(304);
        expect(await res.text()).toBe("");
        expect(res.headers.get("etag")).toBe(etag);
        expect(res.headers.get("cache-control")).toBe("no-cache");
        expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      }
      const stale = await get(wellKnown, { "if-none-match": '"stale"' });
      expect(stale.status).toBe(200);
      expect(stale.headers.get("etag")).toBe(etag);
      expect(await stale.text()).toBe(full);
    });

    it("changes its ETag when the document changes", async () => {
      const before = (await get(wellKnown)).headers.get("etag")!;
      await under.database.db.update(serverMetadata).set({ oauthTosUri: "https://utility.example/oauth-terms" });
      // The server keeps these documents in memory; this write bypassed it.
      server.documents.invalidate();
      const res = await get(wellKnown, { "if-none-match": before });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { op_tos_uri: string }).op_tos_uri).toBe("https://utility.example/oauth-terms");
      expect(res.headers.get("etag")).not.toBe(before);
    });

    it("tags no error: 503 without metadata, whatever If-None-Match says", async () => {
      await under.database.db.delete(serverMetadata);
      // The server keeps these documents in memory; this write bypassed it.
      server.documents.invalidate();
      const res = await get(wellKnown, { "if-none-match": "*" });
      expect(res.status).toBe(503);
      expect(res.headers.get("etag")).toBeNull();
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(validateOAuthError(await res.json(), "strict").ok).toBe(true);
    });
  });

  describe("headers of the replies oidc-provider writes", () => {
    const form = (path: string, body: string, clientSecret = secret) =>
      fetch(`${server.url}${path}`, {
        method: "POST",
        headers: { authorization: basic(demoClient.clientId, clientSecret), "content-type": "application/x-www-form-urlencoded" },
        body,
      });

    it("sends nosniff on token errors and keeps oidc-provider's no-store on every token response", async () => {
      const unauthenticated = await form("/oauth/token", "grant_type=client_credentials", "wrong-secret");
      const unsupported = await form("/oauth/token", "grant_type=password&username=a&password=b");
      const issued = await form("/oauth/token", "grant_type=client_credentials&scope=cds_client_admin");
      expect([unauthenticated.status, unsupported.status, issued.status]).toEqual([401, 400, 200]);
      for (const res of [unauthenticated, unsupported, issued]) {
        expect(res.headers.get("x-content-type-options"), String(res.status)).toBe("nosniff");
        expect(res.headers.get("cache-control"), String(res.status)).toBe("no-store");
        expect(res.headers.get("etag"), String(res.status)).toBeNull();
      }

      const token = ((await issued.json()) as { access_token: string }).access_token;
      const introspection = await form("/oauth/token/info", `token=${token}`);
      const revocation = await form("/oauth/token/revoke", `token=${token}`);
      expect([introspection.status, revocation.status]).toEqual([200, 200]);
      for (const res of [introspection, revocation]) expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    });

    it("sends nosniff on unknown OAuth paths, CORS preflights and the authorization endpoint's error page", async () => {
      const responses = [
        await fetch(`${server.url}/oauth/nothing`),
        await fetch(`${server.url}/.well-known/oauth-authorization-server`, { method: "OPTIONS", headers: { origin: "https://app.example", "access-control-request-method": "GET" } }),
        await fetch(`${server.url}/oauth/authorize?client_id=nobody`, { headers: { accept: "text/html" } }),
      ];
      expect(responses.map((r) => r.status)).toEqual([404, 204, 400]);
      for (const res of responses) expect(res.headers.get("x-content-type-options"), res.url).toBe("nosniff");
    });

    it("keeps nosniff when an error escapes to Koa's last-resort handler", async () => {
      const logged: string[] = [];
      const log = { error: (_obj: unknown, msg: string) => logged.push(msg), info: () => {} } as unknown as FastifyBaseLogger;
      const provider = createProvider({
        issuer: server.url,
        db: under.database.db,
        keys: await loadOrCreateKeys(under.database.db),
        log,
        cdsFields: async () => {
          throw new Error("database unreachable");
        },
      });
      const http = createHttpServer(provider.callback()).listen(0, "127.0.0.1");
      try {
        await once(http, "listening");
        const res = await fetch(`http://127.0.0.1:${(http.address() as AddressInfo).port}/.well-known/oauth-authorization-server`);
        expect(res.status).toBe(500);
        expect(res.headers.get("x-content-type-options")).toBe("nosniff");
        expect(await res.text()).not.toContain("database unreachable");
        expect(logged).toContain("oauth provider error");
      } finally {
        http.close();
      }
    });
  });

  describe("client_credentials, introspection, revocation", () => {
    it("issues an opaque, audience-bound token that introspects active until revoked", async () => {
      const config = await discover();
      const tokens = await oauth.clientCredentialsGrant(config, { scope: "cds_client_admin" });
      expect(tokens.token_type.toLowerCase()).toBe("bearer");
      expect(tokens.expires_in).toBe(3600);
      expect(tokens.scope).toBe("cds_client_admin");
      expect(tokens.access_token.split(".")).toHaveLength(1); // opaque, not a JWT

      const info = await oauth.tokenIntrospection(config, tokens.access_token);
      expect(info).toMatchObject({ active: true, client_id: demoClient.clientId, scope: "cds_client_admin", iss: server.url, aud: server.url });

      await oauth.tokenRevocation(config, tokens.access_token);
      expect((await oauth.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
    });

    it("refuses a client_credentials scope the Server does not offer with invalid_scope naming it, never a token for the rest", async () => {
      for (const scope of ["cds_client_admin made_up_scope", "made_up_scope"]) {
        const res = await fetch(`${server.url}/oauth/token`, {
          method: "POST",
          headers: { authorization: basic(demoClient.clientId, secret), "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ grant_type: "client_credentials", scope }),
        });
        expect(res.status, scope).toBe(400);
        const body = await res.json();
        const error = validateOAuthError(body, "strict");
        expect(error.ok, JSON.stringify(body)).toBe(true);
        expect(body).toMatchObject({ error: "invalid_scope", error_description: expect.stringContaining("made_up_scope") });
        expect(body).not.toHaveProperty("access_token");
      }
    });

    it("shares every token with a second instance on the same database", async () => {
      const other = await testServer({ database: under.database });
      try {
        const tokens = await oauth.clientCredentialsGrant(await discover(), { scope: "cds_client_admin" });
        const res = await other.app.inject({
          method: "POST",
          url: "/oauth/token/info",
          headers: { authorization: basic(demoClient.clientId, secret), "content-type": "application/x-www-form-urlencoded" },
          payload: `token=${tokens.access_token}`,
        });
        expect(res.json()).toMatchObject({ active: true, client_id: demoClient.clientId });
      } finally {
        await other.close();
      }
    });

    it("rejects a wrong secret, and the placeholder secret, with 401 invalid_client", async () => {
      await expect(oauth.clientCredentialsGrant(await discover(demoClient.clientId, "wrong-secret"), {})).rejects.toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
      for (const wrong of ["wrong-secret", CLIENT_SECRET_PLACEHOLDER]) {
        const res = await fetch(`${server.url}/oauth/token`, {
          method: "POST",
          headers: { authorization: basic(demoClient.clientId, wrong), "content-type": "application/x-www-form-urlencoded" },
          body: "grant_type=client_credentials",
        });
        expect(res.status).toBe(401);
        const body = validateOAuthError(await res.json(), "strict");
        expect(body.ok && body.value.error).toBe("invalid_client");
      }
    });

    it("accepts every current secret of a client, and no expired one", async () => {
      const second = generateClientSecret();
      const expired = generateClientSecret();
      await addClientSecret(under.database.db, demoClient.clientId, second);
      await addClientSecret(under.database.db, demoClient.clientId, expired, new Date(Date.now() - 1000));
      for (const s of [secret, second]) {
        await expect(oauth.clientCredentialsGrant(await discover(demoClient.clientId, s), {})).resolves.toHaveProperty("access_token");
      }
      await expect(oauth.clientCredentialsGrant(await discover(demoClient.clientId, expired), {})).rejects.toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
    });

    it("lets no other client introspect or revoke a token", async () => {
      const otherSecret = generateClientSecret();
      await under.database.db.insert(oauthClients).values({ clientId: "other-client", metadata: { grant_types: ["client_credentials"], response_types: [], redirect_uris: [], token_endpoint_auth_method: "client_secret_basic", scope: "cds_client_admin" } });
      await addClientSecret(under.database.db, "other-client", otherSecret);
      const mine = await discover();
      const theirs = await discover("other-client", otherSecret);
      const tokens = await oauth.clientCredentialsGrant(mine, {});
      expect((await oauth.tokenIntrospection(theirs, tokens.access_token)).active).toBe(false);
      await oauth.tokenRevocation(theirs, tokens.access_token).catch(() => {});
      expect((await oauth.tokenIntrospection(mine, tokens.access_token)).active).toBe(true);
    });

    it("answers an unsupported grant type with the RFC 6749 error body", async () => {
      const res = await fetch(`${server.url}/oauth/token`, {
        method: "POST",
        headers: { authorization: basic(demoClient.clientId, secret), "content-type": "application/x-www-form-urlencoded" },
        body: "grant_type=password&username=a&password=b",
      });
      expect(res.status).toBe(400);
      const body = validateOAuthError(await res.json(), "strict");
      expect(body.ok && body.value.error).toBe("unsupported_grant_type");
    });

    it("answers unknown OAuth paths with 404 and an RFC 6749 error body", async () => {
      const res = await fetch(`${server.url}/oauth/nothing`);
      expect(res.status).toBe(404);
      expect(validateOAuthError(await res.json(), "strict").ok).toBe(true);
    });
  });

  describe("authorization requests (configured for the next round)", () => {
    const codeClient = "code-client";
    let codeSecret: string;
    beforeEach(async () => {
      codeSecret = generateClientSecret();
      await under.database.db.insert(oauthClients).values({
        clientId: codeClient,
        metadata: { grant_types: ["authorization_code", "refresh_token"], response_types: ["code"], redirect_uris: ["https://client.example/cb"], token_endpoint_auth_method: "client_secret_basic", scope: "cds_client_admin" },
      });
      await addClientSecret(under.database.db, codeClient, codeSecret);
    });

    const par = (params: Record<string, string>) =>
      fetch(`${server.url}/oauth/par`, {
        method: "POST",
        headers: { authorization: basic(codeClient, codeSecret), "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ client_id: codeClient, response_type: "code", redirect_uri: "https://client.example/cb", scope: "cds_client_admin", ...params }),
      });

    it("requires PKCE with S256 at the pushed authorization request endpoint", async () => {
      const missing = await par({});
      expect(missing.status).toBe(400);
      expect(((await missing.json()) as { error_description: string }).error_description).toMatch(/PKCE/);
      const plain = await par({ code_challenge: "a".repeat(43), code_challenge_method: "plain" });
      expect(plain.status).toBe(400);
      const s256 = await par({ code_challenge: oauth.randomPKCECodeVerifier().slice(0, 43), code_challenge_method: "S256" });
      expect(s256.status).toBe(201);
      expect(await s256.json()).toHaveProperty("request_uri");
    });
  });

  describe("rate limits", () => {
    it("answers 429 with the RFC 6749 error body and rate-limit headers on OAuth endpoints", async () => {
      const limited = await testServer({ database: under.database, settings: { rateLimitPerMinute: "1" } });
      try {
        const request = () => limited.app.inject({ method: "GET", url: "/.well-known/oauth-authorization-server" });
        const ok = await request();
        expect(ok.statusCode).toBe(200);
        expect(ok.headers["ratelimit-limit"]).toBe("1");
        const limitedRes = await request();
        expect(limitedRes.statusCode).toBe(429);
        expect(Number(limitedRes.headers["retry-after"])).toBeGreaterThan(0);
        const body = validateOAuthError(limitedRes.json(), "strict");
        expect(body.ok && body.value.error).toBe("too_many_requests");
      } finally {
        await limited.close();
      }
    });
  });
});
