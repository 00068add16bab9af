/**
 * Issue 18 defect 5: every response the server sends is one the contract
 * (the spec's OpenAPI document plus this server's overlay) declares for that
 * operation — status (or its `4XX`/`5XX` range) and content type — including
 * error paths: wrong method, oversized body, bad content type, no or bad
 * credentials, bad input, headers too large. Every JSON body validates
 * strictly against the schema documented for that status; problem bodies
 * carry their own status; OAuth error bodies an `error` code.
 */
import { beforeEach, expect, it } from "vitest";
import { demoApp } from "../src/demo/demo-app.ts";
import { demoClient } from "../src/demo/demo-utility.ts";
import { seedDemoData } from "../src/demo/seed.ts";
import { generateClientSecret } from "../src/oauth/client-secrets.ts";
import type { CdsServer } from "../src/server.ts";
import { adminToken } from "./helpers/cds-client.ts";
import { bodyFinding, declaredResponse, mergedContract, templateOf } from "./helpers/contract.ts";
import { describeEachDatabase } from "./helpers/databases.ts";
import { testServer, useListeningServer } from "./helpers/servers.ts";

// The reference server is a CDS-WG3-01 Server: its contract is the Customer Data document, which
// extends every CDS-WG1-02 operation (the metadata's WG3-01 field formats, Client and Grant fields).
const contract = mergedContract("customer-data", ["client-registration"]);

type Probe = [method: string, path: string, init?: RequestInit];

/** Sends each request and lists every answer that is not on the contract (with `checked`, how many were looked at). */
async function checkAll(base: string, requests: Probe[], expectStatus?: number): Promise<{ offContract: string[]; checked: number }> {
  const offContract: string[] = [];
  let checked = 0;
  for (const [method, path, init] of requests) {
    const res = await fetch(`${base}${path}`, { method, ...init });
    const status = res.status;
    const type = (res.headers.get("content-type") ?? "").split(";")[0]!.trim();
    const text = await res.text();
    const template = templateOf(contract, path.split("?")[0]!) ?? templateOf(contract, decodeURIComponent(path.split("?")[0]!).replace(/[^\x20-\x7e]/g, "x"));
    const label = `${method} ${path.slice(0, 60)} → ${status} ${type}`;
    expect(status, label).toBeLessThan(500);
    if (expectStatus !== undefined) expect(status, label).toBe(expectStatus);
    if (!template) {
      offContract.push(`${label}: no such path`);
      continue;
    }
    const declared = declaredResponse(contract, template, method, status) ?? (status === 405 ? declaredResponse(contract, template, Object.keys(contract.paths[template]).find((m) => m !== "parameters")!, status) : undefined);
    if (!declared) {
      offContract.push(`${label}: status not declared`);
      continue;
    }
    const types = Object.keys(declared.content ?? {});
    if (text.length > 0 && !types.includes(type) && !types.includes("*/*")) {
      offContract.push(`${label}: content type not declared (${types.join(", ") || "none"})`);
      continue;
    }
    const finding = text.length > 0 ? bodyFinding(declared.content?.[type] ?? declared.content?.["*/*"], type, text) : null;
    if (finding) offContract.push(`${label}: ${finding}`);
    checked++;
    if (type === "application/problem+json") expect((JSON.parse(text) as { status?: number }).status, label).toBe(status);
    if (type === "application/json" && path.startsWith("/oauth/") && status >= 400) expect(typeof (JSON.parse(text) as { error?: unknown }).error, label).toBe("string");
  }
  return { offContract, checked };
}

describeEachDatabase("every response on the contract", (under) => {
  let server: CdsServer;
  let secret: string;
  let token: string;
  useListeningServer(under, (started) => (server = started));
  beforeEach(async () => {
    secret = generateClientSecret();
    await seedDemoData(under.database.db, secret);
    token = await adminToken(server, demoClient.clientId, secret);
  });

  it("answers only declared (path, method, status, content type) combinations", async () => {
    const basic = `Basic ${Buffer.from(`${demoClient.clientId}:${secret}`).toString("base64")}`;
    const formHeaders = { authorization: basic, "content-type": "application/x-www-form-urlencoded" };
    const bearer = { authorization: `Bearer ${token}` };
    const json = { ...bearer, "content-type": "application/json" };
    const big = "x".repeat(2 * 1024 * 1024);
    const appForm = () => ({ authorization: `Basic ${Buffer.from(`${demoApp.clientId}:${secret}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" });
    const parBody = (scope: string) =>
      new URLSearchParams({ response_type: "code", client_id: demoApp.clientId, redirect_uri: demoApp.redirectUri, scope, code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", code_challenge_method: "S256" }).toString();
    const requests: Probe[] = [
      ["GET", "/.well-known/cds-server-metadata.json"],
      ["GET", "/.well-known/oauth-authorization-server"],
      ["GET", "/cds-coverage.json"],
      ["GET", "/cds-coverage.json?page_size=Infinity"],
      // The orchestrators' probes (routes/health.ts), on the contract through the overlay's `$.paths`.
      ["GET", "/health"],
      ["GET", "/ready"],
      ["POST", "/health", { headers: { "content-type": "application/json" }, body: "{}" }],
      ["DELETE", "/ready"],
      ["DELETE", "/cds-coverage.json"],
      ["GET", "/cds-api/v1/clients", { headers: bearer }],
      ["GET", "/cds-api/v1/clients"],
      ["GET", "/cds-api/v1/clients", { headers: { authorization: "Bearer nope" } }],
      ["GET", "/cds-api/v1/clients/%ff", { headers: bearer }],
      ["GET", `/cds-api/v1/clients/${"a".repeat(3000)}`, { headers: bearer }],
      ["GET", `/cds-api/v1/clients/${demoClient.clientId}`, { headers: bearer }],
      ["DELETE", `/cds-api/v1/clients/${demoClient.clientId}`, { headers: bearer }],
      ["PUT", `/cds-api/v1/clients/${demoClient.clientId}`, { headers: json, body: "{" }],
      ["PUT", `/cds-api/v1/clients/${demoClient.clientId}`, { headers: { ...bearer, "content-type": "text/plain" }, body: "x" }],
      ["GET", "/cds-api/v1/credentials", { headers: bearer }],
      ["GET", "/cds-api/v1/grants", { headers: bearer }],
      ["GET", "/cds-api/v1/grants?page_size=0x10", { headers: bearer }],
      ["GET", "/cds-api/v1/messages", { headers: bearer }],
      ["POST", "/cds-api/v1/messages", { headers: json, body: JSON.stringify({ type: "private_message", name: big, description: "" }) }],
      ["POST", "/cds-api/v1/messages", { headers: json, body: JSON.stringify({ type: "private_message", name: "a\u0000", description: "" }) }],
      ["GET", "/cds-api/v1/server-provided-files", { headers: bearer }],
      ["POST", "/oauth/register", { headers: { "content-type": "application/json" }, body: "{}" }],
      ["POST", "/oauth/register", { headers: { "content-type": "text/plain" }, body: "{}" }],
      ["POST", "/oauth/register", { headers: { "content-type": "application/json" }, body: JSON.stringify({ client_name: big }) }],
      ["GET", "/oauth/register"],
      ["POST", "/oauth/token", { headers: formHeaders, body: "grant_type=client_credentials&scope=cds_client_admin" }],
      ["POST", "/oauth/token", { headers: formHeaders, body: "grant_type=authorization_code&code=nope&redirect_uri=https://a.example/cb" }],
      ["POST", "/oauth/token", { headers: { ...formHeaders, authorization: "Basic bm9wZTpub3Bl" }, body: "grant_type=client_credentials" }],
      ["POST", "/oauth/token", { headers: formHeaders, body: "grant_type=client_credentials&client_secret=x" }],
      ["POST", "/oauth/token", { headers: formHeaders, body: "code=%00" }],
      ["POST", "/oauth/token", { headers: { ...formHeaders, "content-type": "application/x-www-form-urlencoded; charset=utf-16" }, body: "grant_type=client_credentials" }],
      ["POST", "/oauth/token", { headers: formHeaders, body: `grant_type=client_credentials&scope=${"x".repeat(60 * 1024)}` }],
      ["GET", "/oauth/token"],
      ["POST", "/oauth/token/info", { headers: formHeaders, body: "token=nope" }],
      ["POST", "/oauth/token/revoke", { headers: formHeaders, body: "token=nope" }],
      ["POST", "/oauth/par", { headers: formHeaders, body: "response_type=code" }],
      // A scope the Server does not offer, and one the Client Object may not use: invalid_scope, named in the description only.
      ["POST", "/oauth/par", { headers: appForm(), body: parBody("cds_usage_1 made_up_scope") }],
      ["POST", "/oauth/par", { headers: appForm(), body: parBody("cds_usage_1 cds_client_admin") }],
      ["POST", "/oauth/token", { headers: formHeaders, body: "grant_type=client_credentials&scope=cds_client_admin%20made_up_scope" }],
      ["GET", "/oauth/authorize?client_id=nope&response_type=code"],
      // POST to the authorization endpoint: the Invalid Request Error page (ERRATA E-WG3-01-411).
      ["POST", "/oauth/authorize", { headers: { "content-type": "application/x-www-form-urlencoded" }, body: `response_type=token&client_id=${demoApp.clientId}` }],
      ["POST", "/oauth/authorize", { headers: { "content-type": "application/x-www-form-urlencoded" }, body: `response_type=code&client_id=${demoApp.clientId}` }],
      // The customer's pages (CDS-WG3-01 §9), on the contract through the overlay's `$.paths`.
      ["GET", "/oauth/interaction/nope"],
      ["POST", "/oauth/interaction/nope/login", { headers: { "content-type": "application/x-www-form-urlencoded" }, body: "username=a&password=b" }],
      ["POST", "/oauth/interaction/nope/confirm", { headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" }, body: "decision=approve" }],
      ["POST", "/oauth/interaction/nope/abort", { headers: { "content-type": "application/x-www-form-urlencoded" }, body: "" }],
      ["GET", "/oauth/default-redirect?error=access_denied"],
      ["GET", "/oauth/default-redirect?code=nope"],
      ["GET", "/authorization-receipts/nope"],
      ["POST", "/authorization-receipts/nope/revoke", { headers: { "content-type": "application/x-www-form-urlencoded" }, body: "csrf=x" }],
      // The customer's account pages (CDS-WG3-01 §9.4).
      ["GET", "/account/sign-in?return=%2Faccount%2Freceipts"],
      ["POST", "/account/sign-in", { headers: { "content-type": "application/x-www-form-urlencoded" }, body: "csrf=x&username=a&password=b" }],
      ["GET", "/account/receipts"],
      ["POST", "/account/sign-out", { headers: { "content-type": "application/x-www-form-urlencoded" }, body: "csrf=x" }],
      // Beyond Node's 16 KiB header limit, whether in one header or the request line: 431 as problem details.
      ["GET", "/cds-api/v1/clients", { headers: { ...bearer, "x-long": "a".repeat(20 * 1024) } }],
      ["GET", `/cds-coverage.json?ids=${"a".repeat(20 * 1024)}`],
      ["POST", "/oauth/token", { headers: { ...formHeaders, "x-long": "a".repeat(20 * 1024) }, body: "grant_type=client_credentials" }],
    ];
    const { offContract, checked } = await checkAll(server.url, requests);
    expect(offContract).toEqual([]);
    expect(checked).toBe(requests.length);
  });

  it("answers 429 on the contract on every kind of route once the address is over its limit", async () => {
    const limited = await testServer({ database: under.database, settings: { rateLimitPerMinute: "2" } });
    await limited.listen();
    try {
      const basic = `Basic ${Buffer.from(`${demoClient.clientId}:${secret}`).toString("base64")}`;
      const form = { "content-type": "application/x-www-form-urlencoded" };
      const requests: Probe[] = [
        ["GET", "/.well-known/cds-server-metadata.json"],
        ["GET", "/.well-known/oauth-authorization-server"],
        ["GET", "/cds-coverage.json"],
        ["GET", "/cds-api/v1/clients", { headers: { authorization: `Bearer ${token}` } }],
        ["POST", "/cds-api/v1/messages", { headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: "{}" }],
        ["POST", "/oauth/register", { headers: { "content-type": "application/json" }, body: "{}" }],
        ["POST", "/oauth/token", { headers: { ...form, authorization: basic }, body: "grant_type=client_credentials" }],
        ["POST", "/oauth/par", { headers: { ...form, authorization: basic }, body: "response_type=code" }],
        ["GET", "/oauth/authorize?client_id=nope&response_type=code"],
        ["GET", "/oauth/interaction/nope"],
        ["POST", "/oauth/interaction/nope/login", { headers: form, body: "username=a&password=b" }],
        ["GET", "/authorization-receipts/nope"],
      ];
      // Some routes count on their own (registration's tighter limit): use up each one's allowance first.
      for (const [method, path, init] of requests) for (let i = 0; i < 2; i++) await (await fetch(`${limited.url}${path}`, { method, ...init })).arrayBuffer();
      const { offContract, checked } = await checkAll(limited.url, requests, 429);
      expect(offContract).toEqual([]);
      expect(checked).toBe(requests.length);
    } finally {
      await limited.close();
    }
  });
});
