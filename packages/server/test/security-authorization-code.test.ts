/**
 * The authorization-code flow against the attacks RFC 9700 names: PKCE
 * downgrade and omission (§2.1.1, §4.8), code replay (§4.5; RFC 6749
 * §4.1.2), open redirection (§4.1, §4.11), mix-up (§4.4, RFC 9207), CSRF on
 * the interaction forms (§4.7), plus the login page's behaviour: `prompt=login`
 * (CDS-WG1-02 §8.3), a generic message on failed logins, escaped output, and
 * no password in the logs.
 */
import * as oauth from "openid-client";
import { beforeEach, describe, expect, it } from "vitest";
import { oauthClients } from "../src/db/schema.ts";
import { demoApp } from "../src/demo/demo-app.ts";
import { seedDemoData } from "../src/demo/seed.ts";
import { addClientSecret, generateClientSecret } from "../src/oauth/client-secrets.ts";
import type { CdsServer } from "../src/server.ts";
import { approve, authorizeInBrowser, customer, discoverApp, openLogin, pushAuthorization, sandboxDetails, signIn } from "./helpers/authorization-code.ts";
import { Browser } from "./helpers/browser.ts";
import { describeEachDatabase } from "./helpers/databases.ts";
import { type LogCapture, useListeningServer } from "./helpers/servers.ts";

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;

describeEachDatabase("Authorization code security", (under) => {
  let server: CdsServer & { logs: LogCapture };
  let secret: string;
  let config: oauth.Configuration;

  useListeningServer(under, (started) => (server = started));
  beforeEach(async () => {
    secret = generateClientSecret();
    await seedDemoData(under.database.db, secret);
    config = await discoverApp(server.url, secret);
  });

  const token = (fields: Record<string, string>) =>
    fetch(`${server.url}/oauth/token`, {
      method: "POST",
      headers: { authorization: basic(demoApp.clientId, secret), "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
    });

  /** An authorization URL built by hand, so that any parameter can be wrong. */
  const authorizeUrl = (params: Record<string, string>) => {
    const url = new URL(`${server.url}/oauth/authorize`);
    const base = { client_id: demoApp.clientId, response_type: "code", redirect_uri: demoApp.redirectUri, scope: demoApp.scope, state: "s-1", code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", code_challenge_method: "S256" };
    for (const [k, v] of Object.entries({ ...base, ...params })) url.searchParams.set(k, v);
    return url.toString();
  };

  describe("PKCE (RFC 9700 §2.1.1)", () => {
    it("rejects code_challenge_method=plain at PAR and at the authorization endpoint", async () => {
      const par = await fetch(`${server.url}/oauth/par`, {
        method: "POST",
        headers: { authorization: basic(demoApp.clientId, secret), "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ client_id: demoApp.clientId, response_type: "code", redirect_uri: demoApp.redirectUri, scope: demoApp.scope, code_challenge: "a".repeat(43), code_challenge_method: "plain" }),
      });
      expect(par.status).toBe(400);
      expect(await par.json()).toMatchObject({ error: "invalid_request" });

      const res = await new Browser(server.url).get(authorizeUrl({ code_challenge: "a".repeat(43), code_challenge_method: "plain" }));
      const location = new URL(res.headers.get("location")!);
      expect(`${location.origin}${location.pathname}`).toBe(demoApp.redirectUri);
      expect(location.searchParams.get("error")).toBe("invalid_request");
      expect(location.searchParams.has("code")).toBe(false);
    });

    it("rejects a code redeemed without its verifier, or with a wrong one", async () => {
      const { url } = await pushAuthorization(config);
      const code = (await authorizeInBrowser(new Browser(server.url), url)).searchParams.get("code")!;
      const missing = await token({ grant_type: "authorization_code", code, redirect_uri: demoApp.redirectUri });
      expect(missing.status).toBe(400);
      expect(((await missing.json()) as { error: string }).error).toMatch(/^invalid_(grant|request)$/);

      const { url: url2 } = await pushAuthorization(config);
      const code2 = (await authorizeInBrowser(new Browser(server.url), url2)).searchParams.get("code")!;
      const wrong = await token({ grant_type: "authorization_code", code: code2, redirect_uri: demoApp.redirectUri, code_verifier: oauth.randomPKCECodeVerifier() });
      expect(wrong.status).toBe(400);
      expect(await wrong.json()).toMatchObject({ error: "invalid_grant" });
    });
  });

  describe("code replay (RFC 9700 §4.5, RFC 6749 §4.1.2)", () => {
    it("rejects a code used twice and revokes the tokens issued from its first use", async () => {
      const { url, verifier, state } = await pushAuthorization(config, { authorization_details: JSON.stringify(sandboxDetails) });
      const callback = await authorizeInBrowser(new Browser(server.url), url);
      const tokens = await oauth.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
      expect((await oauth.tokenIntrospection(config, tokens.access_token)).active).toBe(true);

      const replay = await token({ grant_type: "authorization_code", code: callback.searchParams.get("code")!, redirect_uri: demoApp.redirectUri, code_verifier: verifier });
      expect(replay.status).toBe(400);
      expect(await replay.json()).toMatchObject({ error: "invalid_grant" });

      expect((await oauth.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
      expect((await oauth.tokenIntrospection(config, tokens.refresh_token!)).active).toBe(false);
      await expect(oauth.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
    });
  });

  describe("redirect URIs (RFC 9700 §4.1)", () => {
    it("never redirects to a redirect_uri the client did not register: an error page, 400, no Location", async () => {
      for (const bad of ["https://attacker.example/cb", `${demoApp.redirectUri}/extra`, `${demoApp.redirectUri}?x=1`, "http://127.0.0.1:8401/callback"]) {
        const res = await new Browser(server.url).get(authorizeUrl({ redirect_uri: bad }));
        expect(res.status, bad).toBe(400);
        expect(res.headers.get("location"), bad).toBeNull();
        expect(await res.text()).toContain("redirect_uri");
      }
    });

    it("rejects an unregistered redirect_uri at PAR", async () => {
      // RFC 9126 §2.3: PAR answers redirect URI errors as invalid_request.
      await expect(pushAuthorization(config, { redirect_uri: "https://attacker.example/cb" })).rejects.toMatchObject({ error: "invalid_request", error_description: expect.stringContaining("redirect_uri") });
    });
  });

  describe("mix-up defence (RFC 9207)", () => {
    it("puts iss in successful and error authorization responses", async () => {
      const { url } = await pushAuthorization(config);
      expect((await authorizeInBrowser(new Browser(server.url), url)).searchParams.get("iss")).toBe(server.url);
      const error = new URL((await new Browser(server.url).get(authorizeUrl({ authorization_details: '[{"type":"no_such_type"}]' }))).headers.get("location")!);
      expect(error.searchParams.get("error")).toBe("invalid_authorization_details");
      expect(error.searchParams.get("iss")).toBe(server.url);
    });
  });

  describe("login", () => {
    it("prompt=login asks for the password again although a session exists", async () => {
      const browser = new Browser(server.url);
      await authorizeInBrowser(browser, (await pushAuthorization(config)).url);
      expect(browser.cookieNames()).toContain("_session");

      // With the session in place, a plain request skips the login but asks for consent again: every approval is its own Grant.
      const again = await browser.follow((await pushAuthorization(config)).url.toString());
      expect(again.response.status).toBe(200);
      expect(await again.response.text()).toContain("/confirm");

      const forced = await pushAuthorization(config, { prompt: "login" });
      const login = await openLogin(browser, forced.url);
      const callback = await approve(browser, await signIn(browser, login));
      const tokens = await oauth.authorizationCodeGrant(config, callback, { pkceCodeVerifier: forced.verifier, expectedState: forced.state });
      expect((await oauth.tokenIntrospection(config, tokens.access_token)).sub).toBe(customer.accountId);
    });

    it("prompt=login as another customer asks that customer's consent: the first customer's grant does not carry over", async () => {
      const browser = new Browser(server.url);
      await authorizeInBrowser(browser, (await pushAuthorization(config)).url);
      const forced = await pushAuthorization(config, { prompt: "login" });
      const consent = await signIn(browser, await openLogin(browser, forced.url), { username: "sam.demo", password: "sandbox-sam-2024" });
      expect(consent).toContain("Sam Demo");
      // Sam's own services only: none of Alex's.
      expect(consent).toContain("SA-1002-001-ELECTRIC");
      expect(consent).not.toContain("SA-1001-001-ELECTRIC");
      const tokens = await oauth.authorizationCodeGrant(config, await approve(browser, consent), { pkceCodeVerifier: forced.verifier, expectedState: forced.state });
      expect((await oauth.tokenIntrospection(config, tokens.access_token)).sub).toBe("dge-customer-1002");
    });

    it("shows the login form again on a wrong password or unknown user, without saying which", async () => {
      const browser = new Browser(server.url);
      const login = await openLogin(browser, (await pushAuthorization(config)).url);
      const pages: string[] = [];
      for (const attempt of [{ username: customer.username, password: "wrong-password-123" }, { username: "nobody.demo", password: "wrong-password-123" }]) {
        const res = await browser.submit(login, "/login", attempt);
        expect(res.status).toBe(200);
        const page = await res.text();
        expect(page).toContain('name="password"');
        expect(page).toContain("The username or password is incorrect.");
        // The same page but for the username and the per-response CSP nonce.
        pages.push(page.replace(attempt.username, "USER").replace(/nonce="[^"]*"/g, 'nonce=""'));
      }
      expect(pages[0]).toBe(pages[1]);
      // The form still works afterwards.
      await signIn(browser, login);
      expect(server.logs.text).not.toContain("wrong-password-123");
      expect(server.logs.text).not.toContain(customer.password);
    });
  });

  describe("interaction forms (CSRF, RFC 9700 §4.7)", () => {
    it("refuses a form POST without the browser's interaction cookie, or for another interaction", async () => {
      const victim = new Browser(server.url);
      const login = await openLogin(victim, (await pushAuthorization(config)).url);
      const action = /action="([^"]*\/login)"/.exec(login)![1]!;

      // A cross-site POST carries none of the victim's cookies (SameSite, and another origin).
      const forged = await fetch(new URL(action, server.url), { method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(customer) });
      expect(forged.status).toBe(400);
      expect(forged.headers.get("location")).toBeNull();

      // An attacker's own interaction cookie does not unlock the victim's interaction either.
      const attacker = new Browser(server.url);
      await openLogin(attacker, (await pushAuthorization(config)).url);
      const crossed = await attacker.post(new URL(action, server.url).toString(), customer);
      expect(crossed.status).toBe(400);
    });

    it("sets the interaction cookies HttpOnly and SameSite", async () => {
      const res = await new Browser(server.url).get((await pushAuthorization(config)).url.toString());
      const cookies = res.headers.getSetCookie().filter((c) => c.startsWith("_interaction"));
      expect(cookies.length).toBeGreaterThan(0);
      for (const c of cookies) {
        expect(c.toLowerCase()).toContain("httponly");
        expect(c.toLowerCase()).toMatch(/samesite=(lax|strict)/);
      }
    });

    it("escapes what it renders: a client name with markup shows as text", async () => {
      const evilSecret = generateClientSecret();
      await under.database.db.insert(oauthClients).values({
        clientId: "evil-app",
        metadata: { client_name: `<script>alert("x")</script>&`, grant_types: ["authorization_code"], response_types: ["code"], redirect_uris: [demoApp.redirectUri], token_endpoint_auth_method: "client_secret_basic", scope: demoApp.scope },
      });
      await addClientSecret(under.database.db, "evil-app", evilSecret);
      const evil = await oauth.discovery(new URL(server.url), "evil-app", undefined, oauth.ClientSecretBasic(evilSecret), { algorithm: "oauth2", execute: [oauth.allowInsecureRequests] });
      const url = await oauth.buildAuthorizationUrlWithPAR(evil, { client_id: "evil-app", redirect_uri: demoApp.redirectUri, scope: demoApp.scope, code_challenge: await oauth.calculatePKCECodeChallenge(oauth.randomPKCECodeVerifier()), code_challenge_method: "S256" });
      const browser = new Browser(server.url);
      const login = await openLogin(browser, url);
      expect(login).not.toContain("<script>");
      expect(login).toContain("&lt;script>alert(&quot;x&quot;)&lt;/script>&amp;");
      const consent = await signIn(browser, login);
      expect(consent).not.toContain("<script>");
      expect(consent).toContain("&lt;script>alert(");
    });
  });
});
