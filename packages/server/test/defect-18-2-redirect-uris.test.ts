/**
 * Issue 18, defect 2: redirect_uris (and linked URL fields) were not
 * validated on PUT, so a Client admin token could send codes to
 * http://evil.example, brick the Client with a fragment or userinfo, or put
 * `javascript:` in a link. RFC 6749 §3.1.2, RFC 8252 §7, RFC 9700 §4.1.
 */
import type { Client } from "@cds-toolkit/types";
import { validateClient } from "@cds-toolkit/validators";
import { beforeEach, expect, it } from "vitest";
import { linkedUrlViolation, redirectUriViolation } from "../src/cds/client-urls.ts";
import { demoApp } from "../src/demo/demo-app.ts";
import { demoClient } from "../src/demo/demo-utility.ts";
import { seedDemoData } from "../src/demo/seed.ts";
import { generateClientSecret } from "../src/oauth/client-secrets.ts";
import type { CdsServer } from "../src/server.ts";
import { adminToken, call, expectProblem, registerClient, strictly } from "./helpers/cds-client.ts";
import { describeEachDatabase } from "./helpers/databases.ts";
import { useListeningServer } from "./helpers/servers.ts";

const refusedRedirects: [string, string][] = [
  ["http://evil.example/cb", "https"],
  ["javascript:alert(1)", "redirect-scheme"],
  ["JavaScript:alert(1)//", "redirect-scheme"],
  ["data:text/html,hi", "redirect-scheme"],
  ["https://app.example/cb#frag", "no-fragment"],
  ["https://app.example/cb#", "no-fragment"],
  ["https://user:pw@app.example/cb", "no-userinfo"],
  ["https://127.0.0.1@evil.example/cb", "no-userinfo"],
  ["http://localhost:8400/cb", "https"],
  ["http://127.0.0.1.evil.example/cb", "https"],
  ["myapp:/cb", "redirect-scheme"],
  ["/relative/cb", "absolute-uri"],
];
const acceptedRedirects = ["https://app.example/cb", "http://127.0.0.1:8400/callback", "http://[::1]/cb", "com.example.app:/oauth2redirect"];

it.each(refusedRedirects)("redirect URI %s breaks rule %s", (uri, rule) => {
  expect(redirectUriViolation(uri, "/redirect_uris/0")?.rule).toBe(rule);
});
it.each(acceptedRedirects)("redirect URI %s is accepted", (uri) => {
  expect(redirectUriViolation(uri, "/redirect_uris/0")).toBeNull();
});
it.each([
  ["javascript:alert(1)", "https"],
  ["http://example.com/", "https"],
  ["https://u@example.com/", "no-userinfo"],
])("linked URL %s breaks rule %s", (uri, rule) => {
  expect(linkedUrlViolation(uri, "/logo_uri")?.rule).toBe(rule);
});

describeEachDatabase("issue 18 defect 2: redirect_uris and URL fields validated on PUT and registration", (under) => {
  let server: CdsServer;
  let token: string;
  let app: Client;
  useListeningServer(under, (started) => (server = started));
  beforeEach(async () => {
    const secret = generateClientSecret();
    await seedDemoData(under.database.db, secret);
    token = await adminToken(server, demoClient.clientId, secret);
    app = strictly(validateClient((await call(server, "GET", `/cds-api/v1/clients/${demoApp.clientId}`, { token })).body, "strict"));
  });
  const put = (changes: Record<string, unknown>) => call(server, "PUT", app.cds_client_uri, { token, body: { scope: app.scope, redirect_uris: app.redirect_uris, ...changes } });

  // A relative URI already fails the contract's `format: uri` (rule `format`), before these rules run.
  it.each(refusedRedirects.filter(([uri]) => uri.includes(":")))("PUT redirect_uris [%s] is a 400 naming /redirect_uris/0 and rule %s", async (uri, rule) => {
    const problem = expectProblem(await put({ redirect_uris: [uri] }), 400);
    expect(problem.errors).toEqual([expect.objectContaining({ pointer: "/redirect_uris/0", rule })]);
    const after = strictly(validateClient((await call(server, "GET", app.cds_client_uri, { token })).body, "strict"));
    expect(after.redirect_uris).toEqual(app.redirect_uris);
  });

  it("PUT with a cds_default_redirect_uri not in redirect_uris is a 400", async () => {
    const problem = expectProblem(await put({ cds_default_redirect_uri: "https://other.example/cb" }), 400);
    expect(problem.errors).toEqual([expect.objectContaining({ pointer: "/cds_default_redirect_uri", rule: "in-redirect-uris" })]);
  });

  it.each(["logo_uri", "client_uri", "tos_uri", "policy_uri"])("PUT %s: javascript: is a 400 naming the field", async (field) => {
    const problem = expectProblem(await put({ [field]: "javascript:alert(1)" }), 400);
    expect(problem.errors).toEqual([expect.objectContaining({ pointer: `/${field}`, rule: "https" })]);
  });

  it("registration with a javascript: logo_uri is refused with invalid_client_metadata naming the field", async () => {
    const res = await fetch(`${server.url}/oauth/register`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ scope: "cds_client_admin", logo_uri: "javascript:alert(1)" }) });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; error_description: string };
    expect(body.error).toBe("invalid_client_metadata");
    expect(body.error_description).toContain("/logo_uri");
    expect(body.error_description).toContain("https");
  });

  it("accepts https and loopback redirect URIs", async () => {
    const res = await put({ redirect_uris: [demoApp.redirectUri, "https://app.example/cb"] });
    expect([200, 202]).toContain(res.status);
    expect((await registerClient(server, { scope: "cds_client_admin", client_uri: "https://acme.example/" })).client_id).toBeTruthy();
  });
});
