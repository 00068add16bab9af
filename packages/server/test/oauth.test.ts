/**
 * The OAuth authorization server end to end, driven by an independent client
 * (openid-client 6) over real HTTP: RFC 8414 discovery, client_credentials,
 * introspection (RFC 7662) and revocation (RFC 7009).
 */
import { validateOAuthError } from "@cds-toolkit/validators";
import * as oauth from "openid-client";
import { beforeEach, describe, expect, it } from "vitest";
import { oauthClients } from "../src/db/schema.ts";
import { demoClient } from "../src/demo/demo-utility.ts";
import { seedDemoData } from "../src/demo/seed.ts";
import { addClientSecret, generateClientSecret } from "../src/oauth/client-secrets.ts";
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
        scopes_supported: ["cds_client_admin", "cds_grant_admin_1", "cds_server_provided_files_01", "sandbox_customer_data"],
        response_types_supported: ["code"],
        code_challenge_methods_supported: ["S256"],
        token_endpoint_auth_methods_supported: ["client_secret_basic"],
        introspection_endpoint_auth_methods_supported: ["client_secret_basic"],
        revocation_endpoint_auth_methods_supported: ["client_secret_basic"],
        authorization_details_types_supported: ["sandbox_customer_data", "cds_grant_admin_1"],
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
