/**
 * Issue 18, defects 4, 5 and 6: crafted input answered with a 400 naming the
 * field and the rule (never a 500), Fastify's own errors and wrong methods on
 * the contract, and Messages' related_uri limited to the caller's own objects.
 * Ends with a seeded fast-check fuzz over these operations that sees no 5xx.
 */
import fc from "fast-check";
import { beforeEach, expect, it } from "vitest";
import { demoClient } from "../src/demo/demo-utility.ts";
import { seedDemoData } from "../src/demo/seed.ts";
import { generateClientSecret } from "../src/oauth/client-secrets.ts";
import type { CdsServer } from "../src/server.ts";
import { adminToken, call, expectProblem, registerClient } from "./helpers/cds-client.ts";
import { describeEachDatabase } from "./helpers/databases.ts";
import { useListeningServer } from "./helpers/servers.ts";

describeEachDatabase("issue 18 defects 4-6: crafted input, off-contract errors, related_uri", (under) => {
  let server: CdsServer;
  let token: string;
  let secret: string;
  useListeningServer(under, (started) => (server = started));
  beforeEach(async () => {
    secret = generateClientSecret();
    await seedDemoData(under.database.db, secret);
    token = await adminToken(server, demoClient.clientId, secret);
  });
  const raw = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, init);

  it.each(["Infinity", "1e309", "0x10", "+5", "1e1", "-1"])("defect 4: page_size=%s is a 400 naming query:page_size (decimal-digits)", async (value) => {
    const res = await raw(`/cds-coverage.json?page_size=${encodeURIComponent(value)}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { pointer: string; rule: string }[] };
    expect(body.errors[0]).toMatchObject({ pointer: "query:page_size", rule: "decimal-digits" });
  });

  it("defect 4: NUL in a path id, a filter and a JSON string is a 400 no-nul", async () => {
    expectProblem(await call(server, "GET", "/cds-api/v1/clients/%00", { token }), 400);
    expect(expectProblem(await call(server, "GET", "/cds-api/v1/clients?client_ids=a%00b", { token }), 400).errors?.[0]).toMatchObject({ rule: "no-nul" });
    const res = await call(server, "POST", "/cds-api/v1/messages", { token, body: { type: "private_message", name: "a\u0000", description: "" } });
    expect(expectProblem(res, 400).errors?.[0]).toMatchObject({ pointer: "/name", rule: "no-nul" });
    const reg = await raw("/oauth/register", { method: "POST", headers: { "content-type": "application/json" }, body: '{"scope":"cds_client_admin","client_name":"\\ud800"}' });
    expect(reg.status).toBe(400);
  });

  it("defect 4: NUL in token endpoint form fields is a 400 invalid_request", async () => {
    for (const [path, body] of [["/oauth/token", "grant_type=authorization_code&code=%00"], ["/oauth/token/info", "token=%00"], ["/oauth/token/revoke", "token=a%00"], ["/oauth/token", "grant_type=refresh_token&refresh_token=%00"]] as const) {
      const res = await raw(path, { method: "POST", headers: { authorization: `Basic ${Buffer.from(`${demoClient.clientId}:${secret}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" }, body });
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe("invalid_request");
    }
  });

  it("defect 4: a Credential expiry in the year 10000 is a 400", async () => {
    const created = await call(server, "POST", "/cds-api/v1/credentials", { token, body: { client_id: demoClient.clientId } });
    const uri = (created.body as { uri: string }).uri;
    const res = await call(server, "PATCH", uri, { token, body: { client_secret_expires_at: 253402300800 } });
    expect(expectProblem(res, 400).errors?.[0]).toMatchObject({ pointer: "/client_secret_expires_at" });
  });

  it("defect 5: a bad percent-encoding, a long id and a wrong method answer problem details on the contract", async () => {
    const bad = await raw("/cds-api/v1/clients/%ff");
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(await bad.text()).not.toContain("FST_ERR");
    const long = await call(server, "GET", `/cds-api/v1/clients/${"a".repeat(500)}`, { token });
    expectProblem(long, 404);
    const wrong = await raw("/cds-coverage.json", { method: "DELETE" });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toContain("GET");
    expect(wrong.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });

  it("defect 6: related_uri takes only this registration's own object URLs", async () => {
    const other = await registerClient(server, { scope: "cds_client_admin" });
    for (const related of ["javascript:alert(1)", `${server.url}/cds-api/v1/clients/${other.client_id}`, "https://elsewhere.example/x"]) {
      const res = await call(server, "POST", "/cds-api/v1/messages", { token, body: { type: "private_message", name: "n", description: "d", related_uri: related } });
      expect(expectProblem(res, 400).errors?.[0], related).toMatchObject({ pointer: "/related_uri", rule: "own-object" });
    }
    const own = await call(server, "POST", "/cds-api/v1/messages", { token, body: { type: "private_message", name: "n", description: "d", related_uri: `${server.url}/cds-api/v1/clients/${demoClient.clientId}` } });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    expect((own.body as { related_type: string }).related_type).toBe("client");
  });

  it("fuzz (seeded): crafted strings over these operations never get a 5xx", async () => {
    const nasty = fc.oneof(fc.string(), fc.constantFrom("\u0000", "\ud800", "Infinity", "1e309", "0x10", "+5", "%00", "%ff", "a".repeat(3000), "javascript:alert(1)"));
    await fc.assert(
      fc.asyncProperty(nasty, fc.constantFrom(0, 1, 2, 3, 4, 5), async (value, op) => {
        // A lone surrogate has no UTF-8 form: send the bytes a careless encoder would (CESU-8), which are not UTF-8.
        const e = (() => {
          try {
            return encodeURIComponent(value);
          } catch {
            return "%ED%A0%80";
          }
        })();
        const res =
          op === 0
            ? await raw(`/cds-coverage.json?page_size=${e}&ids=${e}`)
            : op === 1
              ? await raw(`/cds-api/v1/clients/${e}`, { headers: { authorization: `Bearer ${token}` } })
              : op === 2
                ? await raw("/cds-api/v1/messages", { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify({ type: "private_message", name: value, description: value, related_uri: value }) })
                : op === 3
                  ? await raw("/oauth/register", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ scope: "cds_client_admin", client_name: value, logo_uri: value }) })
                  : op === 4
                    ? await raw("/oauth/token/info", { method: "POST", headers: { authorization: `Basic ${Buffer.from(`${demoClient.clientId}:${secret}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" }, body: `token=${e}` })
                    : await raw(`/oauth/authorize?client_id=${e}&state=${e}&response_type=code`);
        await res.arrayBuffer();
        expect(res.status, `op ${op} ${JSON.stringify(value).slice(0, 80)}`).toBeLessThan(500);
      }),
      { seed: 18, numRuns: 120 },
    );
  });
});
