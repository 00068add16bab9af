/**
 * The token endpoint's caches (src/oauth/client-cache.ts): a client_credentials
 * request on a warm instance reads neither its Client Object nor its secret
 * from the database, yet a change made through any instance, or by any
 * writer, refuses the next request at once on another instance. On
 * PostgreSQL the second instance is a real one (own pool, own LISTEN
 * connection); on PGlite both servers share the database.
 */
import { createHash } from "node:crypto";
import fc from "fast-check";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { clientSecrets, oauthClients } from "../src/db/schema.ts";
import { createClientCaches } from "../src/oauth/client-cache.ts";
import { hashClientSecret } from "../src/oauth/client-secrets.ts";
import { adminToken, call, introspect, registerClient, tokenResponse } from "./helpers/cds-client.ts";
import { describeEachDatabase } from "./helpers/databases.ts";
import { useTwoInstances } from "./helpers/servers.ts";
import type { CdsServer } from "../src/server.ts";

describe("accepted-secret keys", () => {
  it("hold neither the secret nor its stored hash, and mean nothing outside their process", () => {
    const one = createClientCaches(null);
    const other = createClientCaches(null);
    const secret = "a-client-secret-of-forty-three-characters-x";
    const key = one.secretKey("client-1", secret);
    expect(key).not.toContain(secret);
    expect(key).not.toContain(hashClientSecret(secret));
    expect(key).not.toBe(createHash("sha256").update(`client-1:${secret}`).digest("base64url"));
    // A random key per cache: the same pair gives another key elsewhere.
    expect(other.secretKey("client-1", secret)).not.toBe(key);
    expect(one.secretKey("client-1", secret)).toBe(key);
  });

  it("never let two different (client_id, secret) pairs share a key, even where a separator could shift", () => {
    const caches = createClientCaches(null);
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), fc.string(), (a, b, c, d) => {
        fc.pre(a !== c || b !== d);
        expect(caches.secretKey(a, b)).not.toBe(caches.secretKey(c, d));
      }),
    );
    expect(caches.secretKey("a:1", "b")).not.toBe(caches.secretKey("a", "1:b"));
  });
});

describeEachDatabase("token-endpoint cache across two instances", (under) => {
  let first: CdsServer;
  let second: CdsServer;
  useTwoInstances(under, (a, b) => {
    first = a;
    second = b;
  });

  /** A registration made on the first instance, whose Client Object and secret the second instance holds. */
  async function heldOnSecond() {
    const registration = await registerClient(first);
    const secret = registration.client_secret!;
    const before = second.tokenEndpointCache.acceptedSecrets;
    for (let i = 0; i < 2; i++) expect((await tokenResponse(second, registration.client_id, secret)).status).toBe(200);
    expect(second.tokenEndpointCache.holdsClient(registration.client_id)).toBe(true);
    expect(second.tokenEndpointCache.acceptedSecrets).toBe(before + 1);
    return { registration, secret, token: await adminToken(first, registration.client_id, secret) };
  }

  async function expectRefused(server: CdsServer, clientId: string, secret: string) {
    const res = await tokenResponse(server, clientId, secret);
    expect(res.status).toBe(401);
    expect(res.body.error).toBe("invalid_client");
  }

  async function onlyCredential(server: CdsServer, token: string): Promise<string> {
    const credentials = await call(server, "GET", "/cds-api/v1/credentials", { token });
    const list = (credentials.body as { credentials: { uri: string }[] }).credentials;
    expect(list).toHaveLength(1);
    return list[0]!.uri;
  }

  it("issues tokens that work, from a warm instance", async () => {
    const { registration, secret } = await heldOnSecond();
    const token = await adminToken(second, registration.client_id, secret);
    expect((await call(first, "GET", "/cds-api/v1/clients", { token })).status).toBe(200);
  });

  it("refuses a secret whose Credential is expired on one instance at the next request on the other (CDS-WG1-02 §7.6)", async () => {
    const { registration, secret, token } = await heldOnSecond();
    const uri = await onlyCredential(first, token);
    expect((await call(first, "PATCH", uri, { token, body: { client_secret_expires_at: Math.floor(Date.now() / 1000) } })).status).toBe(200);
    await expectRefused(second, registration.client_id, secret);
  });

  it("refuses a secret whose Credential expires by the clock, with no change to announce", async () => {
    const { registration, secret, token } = await heldOnSecond();
    const uri = await onlyCredential(first, token);
    const soon = Math.floor(Date.now() / 1000) + 2;
    expect((await call(first, "PATCH", uri, { token, body: { client_secret_expires_at: soon } })).status).toBe(200);
    // The PATCH changed the row: the next request reads it again and keeps the new expiry.
    expect((await tokenResponse(second, registration.client_id, secret)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, soon * 1000 - Date.now() + 50));
    await expectRefused(second, registration.client_id, secret);
  });

  it("refuses a secret whose Credential row is deleted by any writer", async () => {
    const { registration, secret } = await heldOnSecond();
    await under.database.db.delete(clientSecrets).where(eq(clientSecrets.clientId, registration.client_id));
    await expectRefused(second, registration.client_id, secret);
  });

  it("refuses a Client Object disabled by any writer at its next request (§5.2)", async () => {
    const { registration, secret } = await heldOnSecond();
    await under.database.db.update(oauthClients).set({ status: "disabled" }).where(eq(oauthClients.clientId, registration.client_id));
    await expectRefused(second, registration.client_id, secret);
    expect(second.tokenEndpointCache.holdsClient(registration.client_id)).toBe(false);
  });

  it("accepts a Credential created on one instance at once on the other, and keeps the older one working", async () => {
    const { registration, secret, token } = await heldOnSecond();
    const created = await call(first, "POST", "/cds-api/v1/credentials", { token, body: { client_id: registration.client_id } });
    expect(created.status).toBe(201);
    const newSecret = (created.body as { client_secret: string }).client_secret;
    expect((await tokenResponse(second, registration.client_id, newSecret)).status).toBe(200);
    expect((await tokenResponse(second, registration.client_id, secret)).status).toBe(200);
  });

  it("never keeps a refusal: a wrong secret adds nothing, and the right one still works", async () => {
    const { registration, secret } = await heldOnSecond();
    const held = second.tokenEndpointCache.acceptedSecrets;
    for (let i = 0; i < 3; i++) await expectRefused(second, registration.client_id, `${secret}x${i}`);
    expect(second.tokenEndpointCache.acceptedSecrets).toBe(held);
    expect((await tokenResponse(second, registration.client_id, secret)).status).toBe(200);
  });

  it("hands out tokens of one burst (their rows written together) only once every instance sees them, and revocation on either ends them at once", async () => {
    const { registration, secret } = await heldOnSecond();
    // Concurrent requests: their artifact rows go to the database grouped (src/oauth/artifact-write.ts).
    const tokens = await Promise.all(Array.from({ length: 12 }, () => adminToken(first, registration.client_id, secret)));
    expect(new Set(tokens).size).toBe(tokens.length);
    for (const token of tokens) {
      expect((await introspect(second, registration.client_id, secret, token)).active).toBe(true);
      expect((await call(second, "GET", "/cds-api/v1/clients", { token })).status).toBe(200);
    }
    const revoked = tokens.filter((_, i) => i % 2 === 0);
    for (const [i, token] of revoked.entries()) {
      const server = i % 2 === 0 ? second : first;
      const res = await fetch(`${server.url}/oauth/token/revoke`, {
        method: "POST",
        headers: { authorization: `Basic ${Buffer.from(`${registration.client_id}:${secret}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token }),
      });
      expect(res.status).toBe(200);
    }
    for (const token of tokens) {
      const live = !revoked.includes(token);
      for (const server of [first, second]) {
        expect((await call(server, "GET", "/cds-api/v1/clients", { token })).status).toBe(live ? 200 : 401);
        expect((await introspect(server, registration.client_id, secret, token)).active).toBe(live);
      }
    }
  });

  it("does not let one Client Object's change drop, or keep, another's entries wrongly", async () => {
    const one = await heldOnSecond();
    const other = await heldOnSecond();
    await under.database.db.update(oauthClients).set({ status: "disabled" }).where(eq(oauthClients.clientId, one.registration.client_id));
    await expectRefused(second, one.registration.client_id, one.secret);
    expect(second.tokenEndpointCache.holdsClient(other.registration.client_id)).toBe(true);
    expect((await tokenResponse(second, other.registration.client_id, other.secret)).status).toBe(200);
  });
});
