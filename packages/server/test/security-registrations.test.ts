/**
 * Security properties of the CDS-WG1-02 APIs: registrations are walled off
 * from each other (404, never 403), expired and disabled credentials neither
 * authenticate nor keep their tokens alive, and only cds_client_admin tokens
 * reach the admin APIs.
 */
import { validateCredential } from "@cds-toolkit/validators";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { clientSecrets, grants } from "../src/db/schema.ts";
import { seedDemoData } from "../src/demo/seed.ts";
import type { CdsServer } from "../src/server.ts";
import { adminToken, call, expectProblem, introspect, registerClient, strictly, tokenResponse } from "./helpers/cds-client.ts";
import { describeEachDatabase } from "./helpers/databases.ts";
import { grantAdminEntry, grantAdminTokenResponse, grantAdminWithToken } from "./helpers/grant-admin.ts";
import { testServer, useListeningServer } from "./helpers/servers.ts";

describeEachDatabase("security: registrations, credentials, tokens", (under) => {
  let server: CdsServer;

  useListeningServer(under, (started) => (server = started));
  beforeEach(async () => {
    await seedDemoData(under.database.db, null);
  });

  describe("one registration cannot see or change another's objects", () => {
    it("answers 404 for the other's Client Objects and Credentials, and lists none of them", async () => {
      const a = await registerClient(server);
      const b = await registerClient(server, { scope: "cds_client_admin cds_grant_admin_1" });
      const tokenA = await adminToken(server, a.client_id, a.client_secret);
      const tokenB = await adminToken(server, b.client_id, b.client_secret);
      const bCredentials = (await call(server, "GET", "/cds-api/v1/credentials", { token: tokenB })).body as { credentials: { credential_id: string; uri: string }[] };

      expectProblem(await call(server, "GET", b.cds_client_uri, { token: tokenA }), 404);
      expectProblem(await call(server, "PUT", b.cds_client_uri, { token: tokenA, body: { scope: "cds_client_admin", client_name: "pwned" } }), 404);
      for (const c of bCredentials.credentials) {
        expectProblem(await call(server, "GET", c.uri, { token: tokenA }), 404);
        expectProblem(await call(server, "PATCH", c.uri, { token: tokenA, body: { client_secret_expires_at: Math.floor(Date.now() / 1000) } }), 404);
      }
      const create = expectProblem(await call(server, "POST", "/cds-api/v1/credentials", { token: tokenA, body: { client_id: b.client_id } }), 400);
      expect(create.errors?.[0]?.pointer).toBe("/client_id");

      const listed = (await call(server, "GET", `/cds-api/v1/clients?client_ids=${b.client_id}`, { token: tokenA })).body as { clients: unknown[] };
      expect(listed.clients).toEqual([]);
      const credentials = (await call(server, "GET", `/cds-api/v1/credentials?client_ids=${b.client_id}`, { token: tokenA })).body as { credentials: unknown[] };
      expect(credentials.credentials).toEqual([]);

      // B's objects are untouched.
      expect(((await call(server, "GET", b.cds_client_uri, { token: tokenB })).body as { client_name: string }).client_name).toBe(b.client_name);
      expect((await call(server, "GET", "/cds-api/v1/clients", { token: tokenB })).status).toBe(200);
    });

    it("answers 404 for the other's Grants and Messages, and lists none of them", async () => {
      const a = await registerClient(server);
      const b = await registerClient(server);
      const tokenA = await adminToken(server, a.client_id, a.client_secret);
      const tokenB = await adminToken(server, b.client_id, b.client_secret);
      await under.database.db.insert(grants).values({ id: "grant-of-b", clientId: b.client_id, status: "active", scope: "cds_client_admin", enabledScope: "cds_client_admin" });
      const message = (await call(server, "POST", "/cds-api/v1/messages", { token: tokenB, body: { type: "private_message", previous_uri: null, name: "private", description: "for B only" } })).body as { uri: string };

      expectProblem(await call(server, "GET", "/cds-api/v1/grants/grant-of-b", { token: tokenA }), 404);
      expectProblem(await call(server, "PATCH", "/cds-api/v1/grants/grant-of-b", { token: tokenA, body: { status: "closed" } }), 404);
      expectProblem(await call(server, "GET", message.uri, { token: tokenA }), 404);
      expectProblem(await call(server, "PATCH", message.uri, { token: tokenA, body: { read: false } }), 404);
      // Replying to B's Message from A is refused as if it did not exist.
      const reply = expectProblem(await call(server, "POST", "/cds-api/v1/messages", { token: tokenA, body: { type: "private_message", previous_uri: message.uri, name: "x", description: "x" } }), 400);
      expect(reply.errors?.[0]?.pointer).toBe("/previous_uri");
      expect(((await call(server, "GET", "/cds-api/v1/grants?grant_ids=grant-of-b", { token: tokenA })).body as { grants: unknown[] }).grants).toEqual([]);
      expect(((await call(server, "GET", "/cds-api/v1/messages", { token: tokenA })).body as { read: unknown[] }).read).toEqual([]);
      expect(((await call(server, "GET", "/cds-api/v1/grants/grant-of-b", { token: tokenB })).body as { status: string }).status).toBe("active");
    });

    it("a client cannot introspect another registration's token", async () => {
      const a = await registerClient(server);
      const b = await registerClient(server);
      const tokenB = await adminToken(server, b.client_id, b.client_secret);
      expect((await introspect(server, a.client_id, a.client_secret, tokenB)).active).toBe(false);
    });
  });

  describe("expired and disabled credentials", () => {
    it("rejects an expired Credential at the token endpoint, and its tokens are dead", async () => {
      const a = await registerClient(server);
      const token = await adminToken(server, a.client_id, a.client_secret);
      // Expire it behind the API's back, as an operator would: the check is on read, not only on PATCH.
      await under.database.db.update(clientSecrets).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(clientSecrets.clientId, a.client_id));
      expect((await tokenResponse(server, a.client_id, a.client_secret)).status).toBe(401);
      const res = await call(server, "GET", "/cds-api/v1/clients", { token });
      expectProblem(res, 401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer error="invalid_token"/);
    });

    it("rejects a disabled Client Object's Credential, and its tokens are dead", async () => {
      const r = await grantAdminWithToken(server, under.database.db);
      const { grantAdmin, grantAdminSecret, token: grantToken, adminToken: admin } = r;
      expect((await introspect(server, grantAdmin.client_id, grantAdminSecret, grantToken)).active).toBe(true);

      expect((await call(server, "PUT", grantAdmin.cds_client_uri, { token: admin, body: { scope: "cds_grant_admin_1", cds_status: "disabled" } })).status).toBe(200);
      expect((await grantAdminTokenResponse(server, r, [grantAdminEntry(r, r.grantId)])).status).toBe(401);
      expect((await introspect(server, r.adminId, r.adminSecret, grantToken)).active).toBe(false);
      // No new Credential for a disabled Client Object either.
      expectProblem(await call(server, "POST", "/cds-api/v1/credentials", { token: admin, body: { client_id: grantAdmin.client_id } }), 400);
    });
  });

  describe("only cds_client_admin tokens reach the admin APIs", () => {
    it("answers 403 insufficient_scope to a Grant Admin token", async () => {
      const r = await grantAdminWithToken(server, under.database.db);
      const { grantAdmin, grantAdminSecret, token: grantToken } = r;
      const a = { cds_client_uri: `${server.url}/cds-api/v1/clients/${r.adminId}` };
      // The Grant Admin client cannot even ask for cds_client_admin.
      expect((await tokenResponse(server, grantAdmin.client_id, grantAdminSecret, "cds_client_admin")).status).toBe(400);
      for (const [method, path] of [
        ["GET", "/cds-api/v1/clients"],
        ["GET", a.cds_client_uri],
        ["GET", "/cds-api/v1/credentials"],
        ["GET", "/cds-api/v1/grants"],
        ["GET", "/cds-api/v1/messages"],
      ] as const) {
        const res = await call(server, method, path, { token: grantToken });
        expectProblem(res, 403);
        expect(res.headers.get("www-authenticate")).toMatch(/insufficient_scope/);
      }
    });

    it("answers 401 with a Bearer challenge without a token, or with a token that is not one", async () => {
      for (const headers of [{}, { authorization: "Bearer not-a-token" }, { authorization: "Basic abc" }] as Record<string, string>[]) {
        const res = await call(server, "GET", "/cds-api/v1/clients", { headers });
        expectProblem(res, 401);
        expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
      }
    });

    it("limits requests per Credential (§11.3), with 429 and Retry-After", async () => {
      const limited = await testServer({ database: under.database, settings: { rateLimitPerMinute: "6" } });
      await limited.listen();
      try {
        const a = await registerClient(limited);
        const b = await registerClient(limited);
        const tokenA = await adminToken(limited, a.client_id, a.client_secret);
        const tokenB = await adminToken(limited, b.client_id, b.client_secret);
        // Each call from its own address, so only the per-Credential window (6 a minute) can refuse it.
        const statuses: number[] = [];
        for (let i = 0; i < 3; i++) statuses.push((await limited.app.inject({ url: "/cds-api/v1/clients", headers: { authorization: `Bearer ${tokenA}` }, remoteAddress: `10.0.0.${i}` })).statusCode);
        expect(statuses).toEqual([200, 200, 200]);
        for (let i = 3; i < 6; i++) statuses.push((await limited.app.inject({ url: "/cds-api/v1/clients", headers: { authorization: `Bearer ${tokenA}` }, remoteAddress: `10.0.0.${i}` })).statusCode);
        // Six from six addresses: the seventh from a fresh address is over the Credential's limit.
        const over = await limited.app.inject({ url: "/cds-api/v1/clients", headers: { authorization: `Bearer ${tokenA}` }, remoteAddress: "10.0.1.1" });
        expect(over.statusCode).toBe(429);
        expect(Number(over.headers["retry-after"])).toBeGreaterThan(0);
        expect(over.headers["content-type"]).toMatch(/^application\/problem\+json/);
        // Another registration's Credential is unaffected.
        expect((await limited.app.inject({ url: "/cds-api/v1/clients", headers: { authorization: `Bearer ${tokenB}` }, remoteAddress: "10.0.1.2" })).statusCode).toBe(200);
      } finally {
        await limited.close();
      }
    });

    it("accepts the Bearer scheme in any case (RFC 9110 §11.1)", async () => {
      const a = await registerClient(server);
      const token = await adminToken(server, a.client_id, a.client_secret);
      expect((await call(server, "GET", "/cds-api/v1/clients", { headers: { authorization: `bearer ${token}` } })).status).toBe(200);
    });

    it("answers 401 to a revoked token", async () => {
      const a = await registerClient(server);
      const token = await adminToken(server, a.client_id, a.client_secret);
      await fetch(`${server.url}/oauth/token/revoke`, {
        method: "POST",
        headers: { authorization: `Basic ${Buffer.from(`${a.client_id}:${a.client_secret}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token }),
      });
      expectProblem(await call(server, "GET", "/cds-api/v1/clients", { token }), 401);
    });
  });
});
