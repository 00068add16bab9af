/**
 * Issue 18, defect 7: OAuth parsing tightened where RFC 6749, RFC 7636 and
 * RFC 9700 leave no room (ERRATA E-WG1-02-50..54): one client authentication
 * method per request, redirect_uri at the code exchange whenever it was sent
 * at authorization, a failed PKCE check uses the code up, no CORS on the
 * confidential-client endpoints, and a locked-down form_post page.
 */
import * as oauth from "openid-client";
import { beforeEach, describe, expect, it } from "vitest";
import { demoApp } from "../src/demo/demo-app.ts";
import { seedDemoData } from "../src/demo/seed.ts";
import { generateClientSecret } from "../src/oauth/client-secrets.ts";
import type { CdsServer } from "../src/server.ts";
import { authorizeInBrowser, discoverApp, openLogin, pushAuthorization, signIn } from "./helpers/authorization-code.ts";
import { Browser } from "./helpers/browser.ts";
import { describeEachDatabase } from "./helpers/databases.ts";
import { type LogCapture, useListeningServer } from "./helpers/servers.ts";

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
const form = "application/x-www-form-urlencoded";

describeEachDatabase("issue 18 defect 7: lenient OAuth parsing tightened", (under) => {
  let server: CdsServer & { logs: LogCapture };
  let secret: string;
  let config: oauth.Configuration;
  useListeningServer(under, (started) => (server = started));
  beforeEach(async () => {
    secret = generateClientSecret();
    await seedDemoData(under.database.db, secret);
    config = await discoverApp(server.url, secret);
  });

  const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, { method: "POST", headers: { authorization: basic(demoApp.clientId, secret), "content-type": form, ...headers }, body: new URLSearchParams(fields) });

  /** A PAR without redirect_uri, so the Client's cds_default_redirect_uri applies (CDS-WG3-01 §9.1.1). */
  const pushWithoutRedirectUri = async (extra: Record<string, string> = {}) => {
    const verifier = oauth.randomPKCECodeVerifier();
    const res = await post("/oauth/par", { client_id: demoApp.clientId, response_type: "code", scope: demoApp.scope, state: "s-1", code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: "S256", ...extra });
    expect(res.status).toBe(201);
    const { request_uri } = (await res.json()) as { request_uri: string };
    const url = new URL(`${server.url}/oauth/authorize`);
    url.searchParams.set("client_id", demoApp.clientId);
    url.searchParams.set("request_uri", request_uri);
    return { url, verifier };
  };

  const codeFrom = async (url: URL) => {
    const callback = await authorizeInBrowser(new Browser(server.url), url);
    expect(`${callback.origin}${callback.pathname}`).toBe(demoApp.redirectUri);
    return callback.searchParams.get("code")!;
  };

  describe("defect 7: one client authentication method per request (RFC 6749 §2.3)", () => {
    it("refuses Basic plus a body client_secret, wrong or right, at token, PAR, introspection and revocation", async () => {
      for (const bodySecret of ["wrong", secret]) {
        for (const [path, fields] of [
          ["/oauth/token", { grant_type: "client_credentials", client_secret: bodySecret }],
          ["/oauth/par", { client_id: demoApp.clientId, response_type: "code", redirect_uri: demoApp.redirectUri, scope: demoApp.scope, code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", code_challenge_method: "S256", client_secret: bodySecret }],
          ["/oauth/token/info", { token: "x", client_secret: bodySecret }],
          ["/oauth/token/revoke", { token: "x", client_secret: bodySecret }],
        ] as const) {
          const res = await post(path, fields);
          expect(res.status, path).toBe(400);
          expect(res.headers.get("content-type"), path).toMatch(/^application\/json/);
          expect(res.headers.get("cache-control"), path).toBe("no-store");
          const body = (await res.json()) as { error: string; error_description: string };
          expect(body.error, path).toBe("invalid_request");
          expect(body.error_description).toContain("RFC 6749 §2.3");
          expect(body.error_description).not.toContain(bodySecret);
        }
      }
    });

    it("refuses Basic plus a client_assertion", async () => {
      const res = await post("/oauth/token", { grant_type: "client_credentials", client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: "a.b.c" });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: "invalid_request" });
    });

    it("still accepts Basic alone", async () => {
      const { url, verifier } = await pushAuthorization(config);
      const code = await codeFrom(url);
      const res = await post("/oauth/token", { grant_type: "authorization_code", code, redirect_uri: demoApp.redirectUri, code_verifier: verifier });
      expect(res.status).toBe(200);
    });
  });

  describe("defect 7: redirect_uri at the code exchange (RFC 6749 §4.1.3)", () => {
    it("refuses a code exchange without redirect_uri when the authorization request had one", async () => {
      const { url, verifier } = await pushAuthorization(config);
      const code = await codeFrom(url);
      const res = await post("/oauth/token", { grant_type: "authorization_code", code, code_verifier: verifier });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: string; error_description: string };
      expect(body.error).toBe("invalid_request");
      expect(body.error_description).toContain("redirect_uri");
    });

    it("accepts it without redirect_uri when the authorization request left it out too (the default applied)", async () => {
      const { url, verifier } = await pushWithoutRedirectUri();
      const code = await codeFrom(url);
      const res = await post("/oauth/token", { grant_type: "authorization_code", code, code_verifier: verifier });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ token_type: "Bearer" });
    });

    it("still refuses a different redirect_uri when the authorization request left it out", async () => {
      const { url, verifier } = await pushWithoutRedirectUri();
      const code = await codeFrom(url);
      const res = await post("/oauth/token", { grant_type: "authorization_code", code, code_verifier: verifier, redirect_uri: "https://elsewhere.example/cb" });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: "invalid_grant" });
    });

    it("ignores a client-sent omission marker: the code still needs its redirect_uri", async () => {
      const { url, verifier } = await pushAuthorization(config, { cds_redirect_uri_omitted: "1" });
      const code = await codeFrom(url);
      const res = await post("/oauth/token", { grant_type: "authorization_code", code, code_verifier: verifier });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: "invalid_request" });
    });
  });

  it("defect 7: a failed PKCE check uses the code up; the right verifier then fails too (RFC 7636 §4.6)", async () => {
    const { url, verifier } = await pushAuthorization(config);
    const code = await codeFrom(url);
    const wrong = await post("/oauth/token", { grant_type: "authorization_code", code, redirect_uri: demoApp.redirectUri, code_verifier: oauth.randomPKCECodeVerifier() });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: "invalid_grant" });
    const right = await post("/oauth/token", { grant_type: "authorization_code", code, redirect_uri: demoApp.redirectUri, code_verifier: verifier });
    expect(right.status).toBe(400);
    expect(await right.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("defect 7: no CORS on token, PAR, introspection and revocation, with or without Origin, nor on a preflight", async () => {
    for (const path of ["/oauth/token", "/oauth/par", "/oauth/token/info", "/oauth/token/revoke"]) {
      for (const headers of [{}, { origin: "https://app.example" }] as Record<string, string>[]) {
        const res = await post(path, { grant_type: "client_credentials", token: "x" }, headers);
        expect(res.headers.get("access-control-allow-origin"), `${path} ${JSON.stringify(headers)}`).toBeNull();
        const names: string[] = [];
        res.headers.forEach((_value, name) => names.push(name));
        expect(names.filter((h) => h.startsWith("access-control-"))).toEqual([]);
      }
      const preflight = await fetch(`${server.url}${path}`, { method: "OPTIONS", headers: { origin: "https://app.example", "access-control-request-method": "POST" } });
      expect(preflight.headers.get("access-control-allow-origin"), path).toBeNull();
      expect(preflight.headers.get("access-control-allow-methods"), path).toBeNull();
    }
    // Public documents keep theirs: any page may read the metadata and keys.
    const metadata = await fetch(`${server.url}/.well-known/oauth-authorization-server`, { headers: { origin: "https://app.example" } });
    expect(metadata.headers.get("access-control-allow-origin")).toBe("https://app.example");
  });

  it("defect 7: the form_post page carries a strict CSP, frame-ancestors 'none' and X-Frame-Options DENY", async () => {
    const { url, verifier } = await pushAuthorization(config, { response_mode: "form_post" });
    const browser = new Browser(server.url);
    const consent = await signIn(browser, await openLogin(browser, url));
    const confirm = await browser.submit(consent, "/confirm", Object.fromEntries([...consent.matchAll(/name="(s\d+\.selected)" value="([^"]*)"/g)].slice(0, 1).map((m) => [m[1]!, m[2]!])));
    const { response } = await browser.follow(confirm);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain(`action="${demoApp.redirectUri}"`);
    const code = /name="code" value="([^"]+)"/.exec(page)?.[1];
    expect(code).toBeDefined();
    const csp = response.headers.get("content-security-policy") ?? "";
    const directives = Object.fromEntries(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    expect(directives["default-src"]).toEqual(["'none'"]);
    expect(directives["frame-ancestors"]).toEqual(["'none'"]);
    expect(directives["base-uri"]).toEqual(["'none'"]);
    // Only the page's own submit script, by hash: no 'unsafe-inline', no origins.
    expect(directives["script-src"]).toHaveLength(1);
    expect(directives["script-src"]![0]).toMatch(/^'sha256-[A-Za-z0-9+/=]+'$/);
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("cache-control")).toContain("no-store");
    // The page's code is a working one.
    const res = await post("/oauth/token", { grant_type: "authorization_code", code: code!, redirect_uri: demoApp.redirectUri, code_verifier: verifier });
    expect(res.status).toBe(200);
  });
});
