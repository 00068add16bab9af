/**
 * The bearer-token cache (src/oauth/bearer-token.ts) never outlives the
 * token's access: a change made through one instance ends the token on a
 * second instance at its very next request. On PostgreSQL the second
 * instance is a real one (its own pool and its own LISTEN connection); on
 * PGlite, one process, both servers share the database.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { LISTENER_APPLICATION_NAME } from "../src/db/change-feed.ts";
import { oauthClients, oidcArtifacts } from "../src/db/schema.ts";
import { eq } from "drizzle-orm";
import { adminToken, basic, call, registerClient } from "./helpers/cds-client.ts";
import { describeEachDatabase } from "./helpers/databases.ts";
import { useTwoInstances } from "./helpers/servers.ts";
import type { CdsServer } from "../src/server.ts";

describeEachDatabase("bearer-token cache across two instances", (under) => {
  let first: CdsServer;
  let second: CdsServer;
  useTwoInstances(under, (a, b) => {
    first = a;
    second = b;
  });

  /** A registration made on the first instance, and a token of it held in the second instance's cache. */
  async function cachedOnSecond() {
    const registration = await registerClient(first);
    const token = await adminToken(first, registration.client_id, registration.client_secret!);
    for (let i = 0; i < 2; i++) expect((await call(second, "GET", "/cds-api/v1/clients", { token })).status).toBe(200);
    expect(second.bearerTokens.has(token)).toBe(true);
    return { registration, token };
  }

  function expectInvalidToken(res: { status: number; headers: Headers }) {
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain('error="invalid_token"');
  }

  it("serves a known token from memory, on both instances", async () => {
    const { token } = await cachedOnSecond();
    expect((await call(first, "GET", "/cds-api/v1/clients", { token })).status).toBe(200);
    expect(first.bearerTokens.has(token)).toBe(true);
  });

  it("ends a token revoked on one instance at the next request on the other (RFC 7009)", async () => {
    const { registration, token } = await cachedOnSecond();
    const revoked = await fetch(`${first.url}/oauth/token/revoke`, {
      method: "POST",
      headers: { authorization: basic(registration.client_id, registration.client_secret!), "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token }),
    });
    expect(revoked.status).toBe(200);
    expectInvalidToken(await call(second, "GET", "/cds-api/v1/clients", { token }));
    expect(second.bearerTokens.has(token)).toBe(false);
  });

  it("ends a token whose Credential is expired on one instance at the next request on the other (CDS-WG1-02 §7.6)", async () => {
    const { token } = await cachedOnSecond();
    const credentials = await call(first, "GET", "/cds-api/v1/credentials", { token });
    const [credential] = (credentials.body as { credentials: { uri: string }[] }).credentials;
    const patched = await call(first, "PATCH", credential!.uri, { token, body: { client_secret_expires_at: Math.floor(Date.now() / 1000) } });
    expect(patched.status).toBe(200);
    expectInvalidToken(await call(second, "GET", "/cds-api/v1/clients", { token }));
  });

  it("ends a token whose Credential expires by the clock, with no change to announce", async () => {
    const { token } = await cachedOnSecond();
    const credentials = await call(second, "GET", "/cds-api/v1/credentials", { token });
    const [credential] = (credentials.body as { credentials: { uri: string }[] }).credentials;
    const soon = Math.floor(Date.now() / 1000) + 2;
    expect((await call(first, "PATCH", credential!.uri, { token, body: { client_secret_expires_at: soon } })).status).toBe(200);
    // The PATCH changed the row: the next request looks the token up again and caches the new expiry.
    expect((await call(second, "GET", "/cds-api/v1/clients", { token })).status).toBe(200);
    expect(second.bearerTokens.has(token)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, soon * 1000 - Date.now() + 50));
    expectInvalidToken(await call(second, "GET", "/cds-api/v1/clients", { token }));
  });

  it("ends a token of a Client Object disabled by any writer at the next request (§5.2), though its token row stays", async () => {
    const { registration, token } = await cachedOnSecond();
    // Not through the API (which also deletes the tokens): only the Client Object's own announcement can end this one.
    await under.database.db.update(oauthClients).set({ status: "disabled" }).where(eq(oauthClients.clientId, registration.client_id));
    expectInvalidToken(await call(second, "GET", "/cds-api/v1/clients", { token }));
  });

  it("ends a token whose row is deleted by any writer to the database, not only by a server", async () => {
    const { token } = await cachedOnSecond();
    await under.database.db.delete(oidcArtifacts).where(eq(oidcArtifacts.id, token));
    expectInvalidToken(await call(second, "GET", "/cds-api/v1/clients", { token }));
  });

  it("does not let one Client Object's change drop, or keep, another's tokens wrongly", async () => {
    const one = await cachedOnSecond();
    const other = await cachedOnSecond();
    await under.database.db.delete(oidcArtifacts).where(eq(oidcArtifacts.id, one.token));
    expect(second.bearerTokens.has(other.token)).toBe(true);
    expect((await call(second, "GET", "/cds-api/v1/clients", { token: other.token })).status).toBe(200);
    expectInvalidToken(await call(second, "GET", "/cds-api/v1/clients", { token: one.token }));
  });

  // PostgreSQL only: PGlite has no listener connection to lose.
  if (under.name === "PostgreSQL") describe("while the second instance's listener connection is down", () => {
    it("trusts nothing it cached, so a revocation still takes effect at once, and caches again once listening", async () => {
      const { registration, token } = await cachedOnSecond();
      const admin = new pg.Client({ connectionString: (under.config as { url: string }).url });
      await admin.connect();
      try {
        // Every listening connection on this database; the first instance's reconnects too, which is fine.
        const ended = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1", [LISTENER_APPLICATION_NAME]);
        expect(ended.rowCount).toBe(2);
      } finally {
        await admin.end();
      }
      const noticed = Date.now() + 2000;
      while (second.bearerTokens.has(token) && Date.now() < noticed) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(second.bearerTokens.has(token)).toBe(false);
      await fetch(`${first.url}/oauth/token/revoke`, {
        method: "POST",
        headers: { authorization: basic(registration.client_id, registration.client_secret!), "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token }),
      });
      expectInvalidToken(await call(second, "GET", "/cds-api/v1/clients", { token }));
      // The listener comes back on its own (0.1 s, then doubling), and the cache is used again.
      const fresh = await adminToken(first, registration.client_id, registration.client_secret!);
      const until = Date.now() + 5000;
      while (!second.bearerTokens.has(fresh) && Date.now() < until) {
        expect((await call(second, "GET", "/cds-api/v1/clients", { token: fresh })).status).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(second.bearerTokens.has(fresh)).toBe(true);
    });
  });

  it("never caches a token that was refused", async () => {
    const token = randomBytes(32).toString("base64url");
    expectInvalidToken(await call(second, "GET", "/cds-api/v1/clients", { token }));
    expect(second.bearerTokens.has(token)).toBe(false);
  });
});
