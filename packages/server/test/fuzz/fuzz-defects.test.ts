/**
 * Regression tests for the defects the contract fuzzer (contract-fuzz.test.ts)
 * found, one case each, with the request it shrank to.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { checkJsonStrings, EdgeRuleError, MAX_JSON_DEPTH } from "../../src/http/edge-validation.ts";
import { seedDemoData } from "../../src/demo/seed.ts";
import { demoApp } from "../../src/demo/demo-app.ts";
import { demoClient } from "../../src/demo/demo-utility.ts";
import { generateClientSecret } from "../../src/oauth/client-secrets.ts";
import type { CdsServer } from "../../src/server.ts";
import { validateOAuthError, validateProblem } from "@cds-toolkit/validators";
import { adminToken, basic, call, expectProblem, strictly } from "../helpers/cds-client.ts";
import { FILES_SCOPE, grantAdminWithToken } from "../helpers/grant-admin.ts";
import { describeEachDatabase } from "../helpers/databases.ts";
import { useListeningServer } from "../helpers/servers.ts";

const nestedObjects = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
const nestedArrays = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

describe("fuzz defect 1: a JSON body nested thousands deep overflowed the edge check's recursion (500)", () => {
  it("checkJsonStrings refuses nesting past MAX_JSON_DEPTH with the max-depth rule, at any depth, without overflowing", () => {
    for (const depth of [MAX_JSON_DEPTH + 1, 10_000, 200_000]) {
      for (const text of [nestedObjects(depth), nestedArrays(depth)]) {
        let thrown: unknown;
        try {
          checkJsonStrings(JSON.parse(text));
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(EdgeRuleError);
        expect((thrown as EdgeRuleError).field).toMatchObject({ pointer: "", rule: "max-depth" });
      }
    }
    expect(() => checkJsonStrings(JSON.parse(nestedObjects(MAX_JSON_DEPTH)))).not.toThrow();
  });

  it("checkJsonStrings accepts any clean JSON value within the depth and names the first bad string in document order", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), (value) => {
        expect(() => checkJsonStrings(value)).not.toThrow();
        // A NUL after a clean value and before another copy of it: the error names the NUL's own pointer.
        expect(() => checkJsonStrings([value, "a\u0000", { x: value, y: "\u0000" }])).toThrow(expect.objectContaining({ field: expect.objectContaining({ pointer: "/1", rule: "no-nul" }) }));
      }),
      { seed: 20_261_207, numRuns: 300 },
    );
  });
});

describeEachDatabase("contract fuzz defects over HTTP", (under) => {
  let server: CdsServer;
  let token: string;
  let secret: string;
  useListeningServer(under, (started) => (server = started));
  beforeAll(async () => {
    secret = generateClientSecret();
    await seedDemoData(under.database.db, secret);
    token = await adminToken(server, demoClient.clientId, secret);
  });

  it("defect 1: a body nested 50,000 objects deep is a 400 naming the max-depth rule on every kind of route, never a 500", async () => {
    // The shrunk requests: a POST on a GET-only route (answered by the 405 handler after the hooks) and JSON routes.
    for (const [url, auth] of [
      ["/.well-known/oauth-authorization-server", false],
      ["/cds-api/v1/messages/", true],
      ["/cds-api/v1/messages", true],
      ["/oauth/register", false],
    ] as const) {
      const res = await server.app.inject({ method: "POST", url, headers: { "content-type": "application/json", ...(auth ? { authorization: `Bearer ${token}` } : {}) }, payload: nestedObjects(50_000) });
      expect(res.statusCode, `${url}: ${res.body.slice(0, 200)}`).toBe(400);
      expect(res.body).toContain("max-depth");
    }
  });

  it("defect 2: an edge-rule 400 on the RFC 8414 metadata document is problem details (its contract's 4XX), not an OAuth error", async () => {
    // Shrunk: GET /.well-known/oauth-authorization-server?colour=%zz answered application/json {"error":"invalid_request",…}.
    for (const url of ["/.well-known/oauth-authorization-server?colour=%zz", "/.well-known/oauth-authorization-server?a=%00", "/.well-known/oauth-authorization-server?a=%ff"]) {
      const res = await server.app.inject({ method: "GET", url });
      expect(res.statusCode, url).toBe(400);
      expect(res.headers["content-type"], url).toMatch(/^application\/problem\+json/);
      const body = strictly(validateProblem(res.json(), "strict"));
      expect(body.status).toBe(400);
      expect(body.errors?.[0]?.pointer).toBe("query:" + (url.includes("colour") ? "colour" : "a"));
    }
    // The /oauth/ endpoints keep the RFC 6749 body for the same rule.
    const token = await server.app.inject({ method: "POST", url: "/oauth/token?x=%00", headers: { "content-type": "application/x-www-form-urlencoded" }, payload: "grant_type=client_credentials" });
    expect(token.statusCode).toBe(400);
    expect(strictly(validateOAuthError(token.json(), "strict")).error).toBe("invalid_request");
  });

  it("defect 3: an edge-rule 400 at the authorization endpoint is its Invalid Request page for the documented GET and POST, an OAuth error for any other method", async () => {
    // Shrunk: POST /oauth/authorize with the form body grant_type=%00&token=%zz… answered text/html while POST
    // was no operation of the contract. The overlay now documents POST (E-WG3-01-411) with the page as its 400.
    for (const request of [
      { method: "GET" as const, url: "/oauth/authorize?client_id=%00" },
      { method: "POST" as const, url: "/oauth/authorize", headers: { "content-type": "application/x-www-form-urlencoded" }, payload: "grant_type=%00&token=%zz" },
    ]) {
      const page = await server.app.inject(request);
      expect(page.statusCode).toBe(400);
      expect(page.headers["content-type"]).toMatch(/^text\/html/);
      expect(page.body).toContain("rule: ");
    }
    const put = await server.app.inject({ method: "PUT", url: "/oauth/authorize?x=%00", headers: { "content-type": "application/x-www-form-urlencoded" }, payload: "a=b" });
    expect(put.statusCode).toBeGreaterThanOrEqual(400);
    expect(put.statusCode).toBeLessThan(500);
    expect(put.headers["content-type"]).toMatch(/^application\/json/);
    expect(strictly(validateOAuthError(put.json(), "strict")).error).toBeTypeOf("string");
  });

  it("merge of issues 11 and 16: invalid_scope names a scope-shaped value but only the position of anything else (a secret sent as a scope is never echoed)", async () => {
    // Shrunk: PAR with scope=<the client's own secret> answered invalid_scope repeating the secret.
    for (const [scope, named, hidden] of [
      ["cds_client_admin made_up_scope", "made_up_scope", null],
      [`cds_client_admin ${secret}`, "value 2", secret],
    ] as const) {
      const res = await server.app.inject({
        method: "POST",
        url: "/oauth/token",
        headers: { authorization: basic(demoClient.clientId, secret), "content-type": "application/x-www-form-urlencoded" },
        payload: new URLSearchParams({ grant_type: "client_credentials", scope }).toString(),
      });
      expect(res.statusCode).toBe(400);
      const body = strictly(validateOAuthError(res.json(), "strict"));
      expect(body.error).toBe("invalid_scope");
      expect(body.error_description).toContain(named);
      if (hidden) expect(res.body).not.toContain(hidden);
    }
  });

  it("defect 4: a token request for a scope the client may not use is an invalid_scope body with only the OAuth error fields", async () => {
    // Shrunk: client_credentials with scope=cds_query_service_contracts_1 by a Client Object holding only
    // cds_client_admin answered {"error":"invalid_scope","error_description":…,"scope":"cds_query_service_contracts_1"}.
    const res = await server.app.inject({
      method: "POST",
      url: "/oauth/token",
      headers: { authorization: basic(demoClient.clientId, secret), "content-type": "application/x-www-form-urlencoded" },
      payload: "grant_type=client_credentials&scope=cds_query_service_contracts_1",
    });
    expect(res.statusCode, res.body).toBe(400);
    const body = strictly(validateOAuthError(res.json(), "strict"));
    expect(body.error).toBe("invalid_scope");
    expect(Object.keys(res.json() as object).sort()).toEqual(["error", "error_description"]);
  });

  it("defect 5: the authorization endpoint's 303 to the sign-in page has no body (the contract's 303 declares none)", async () => {
    // Shrunk: a valid GET /oauth/authorize answered 303 with text/html "Redirecting to …" repeating the Location.
    const query = new URLSearchParams({ client_id: demoApp.clientId, response_type: "code", redirect_uri: demoApp.redirectUri, scope: "cds_rate_plan_1", state: " ", code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", code_challenge_method: "S256" });
    const res = await server.app.inject({ method: "GET", url: `/oauth/authorize?${query}`, headers: { accept: "text/html" } });
    expect(res.statusCode, res.body.slice(0, 200)).toBe(303);
    expect(res.headers.location).toMatch(/\/oauth\/interaction\//);
    expect(res.body).toBe("");
    expect(res.headers["content-type"]).toBeUndefined();
  });

  it("defect 6: a Grant PATCH whose scope holds a value outside the Client Object's scopes does not echo it", async () => {
    // Shrunk (seed 777): PATCH /cds-api/v1/grants/{id} {"scope":"<a client secret>"} answered "…not in this Grant: <the secret>".
    const r = await grantAdminWithToken(server, under.database.db);
    const res = await call(server, "PATCH", `/cds-api/v1/grants/${r.grantId}`, { token: r.adminToken, body: { scope: `${FILES_SCOPE} ${r.adminSecret}` } });
    const problem = expectProblem(res, 400);
    expect(problem.errors?.[0]).toMatchObject({ pointer: "/scope", rule: "scope-reduction" });
    expect(JSON.stringify(res.body)).not.toContain(r.adminSecret);
    expect(problem.detail).toContain("value 2");
  });
}, { scenario: true });
