/**
 * Issue 18, defect 1: a customer session id in the log. A NUL in an authorize
 * parameter made the Interaction insert fail, and the logged failure carried
 * the whole payload (session cookie value, accountId, every parameter). Now
 * the NUL is refused at the edge, and any failed query is logged without its
 * parameters or the payload.
 *
 * Issue 16 item 6: the whole life of a Client at trace level (registration,
 * tokens, a Credential, PAR, login, consent, code exchange, refresh,
 * introspection, revocation) leaves none of the secrets it used in any line.
 */
import * as oauth from "openid-client";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { demoApp } from "../src/demo/demo-app.ts";
import { seedDemoData } from "../src/demo/seed.ts";
import { oidcArtifacts } from "../src/db/schema.ts";
import { generateClientSecret } from "../src/oauth/client-secrets.ts";
import type { CdsServer } from "../src/server.ts";
import { authorizeInBrowser, customer, discoverApp, openLogin, pushAuthorization } from "./helpers/authorization-code.ts";
import { adminToken, basic, call, registerClient } from "./helpers/cds-client.ts";
import { Browser } from "./helpers/browser.ts";
import { describeEachDatabase } from "./helpers/databases.ts";
import { LogCapture, testServer } from "./helpers/servers.ts";

describeEachDatabase("issue 18 defect 1: no session id, cookie, token, code, secret or SQL parameter in any log line", (under) => {
  let server: CdsServer;
  const logs = new LogCapture();
  let secret: string;

  beforeAll(async () => {
    server = await testServer({ database: under.database, logs, settings: { logLevel: "trace" } });
    await server.listen();
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(async () => {
    secret = generateClientSecret();
    await seedDemoData(under.database.db, secret);
    logs.lines.length = 0;
  });

  it("a signed-in authorize request with a NUL in state is a 400 page, and the log holds no cookie or session value", async () => {
    const browser = new Browser(server.url);
    const config = await discoverApp(server.url, secret);
    const started = await pushAuthorization(config);
    const login = await openLogin(browser, started.url);
    // Sign in: the session cookie now exists.
    await browser.follow(await browser.submit(login, "/login", customer));
    // The session cookies (`_session`, `_session.sig`); the interaction cookie's value is the uid, which is in the page URL by design.
    const sessionValues = browser.cookieValues("_session");
    expect(sessionValues.length).toBeGreaterThan(0);

    const verifier = oauth.randomPKCECodeVerifier();
    const query = new URLSearchParams({
      client_id: demoApp.clientId,
      response_type: "code",
      redirect_uri: demoApp.redirectUri,
      scope: demoApp.scope,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
    });
    const response = await browser.get(`${server.url}/oauth/authorize?${query.toString()}&state=%00`);
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const page = await response.text();
    expect(page).toContain("no-nul");

    const text = logs.text;
    expect(text).toContain("/oauth/authorize");
    for (const value of [...sessionValues, secret, customer.password, verifier]) expect(text).not.toContain(value);
    expect(text).not.toContain(customer.accountId);
  });

  it("a full flow at trace level logs none of the secrets, tokens, codes, passwords or PKCE verifiers it used", async () => {
    const used: Record<string, string> = { demoAppSecret: secret, password: customer.password };
    // Registration and the Client Admin token.
    const registration = await registerClient(server);
    used.registeredSecret = registration.client_secret!;
    used.registeredBasic = basic(registration.client_id, registration.client_secret!).slice("Basic ".length);
    const admin = await adminToken(server, registration.client_id, registration.client_secret!);
    used.adminToken = admin;
    // A Credential made through the API: its secret is shown once, in the response.
    const credential = await call(server, "POST", "/cds-api/v1/credentials", { token: admin, body: { client_id: registration.client_id } });
    expect(credential.status).toBe(201);
    used.credentialSecret = (credential.body as { client_secret: string }).client_secret;
    used.credentialToken = await adminToken(server, registration.client_id, used.credentialSecret);
    // PAR, login, consent, code exchange, refresh.
    const config = await discoverApp(server.url, secret);
    const started = await pushAuthorization(config);
    used.verifier = started.verifier;
    used.requestUri = started.url.searchParams.get("request_uri")!;
    const browser = new Browser(server.url);
    const callback = await authorizeInBrowser(browser, started.url);
    used.code = callback.searchParams.get("code")!;
    for (const value of browser.cookieValues("_session")) used[`session ${value.slice(0, 4)}`] = value;
    const tokens = await oauth.authorizationCodeGrant(config, callback, { pkceCodeVerifier: started.verifier, expectedState: started.state });
    used.accessToken = tokens.access_token;
    used.refreshToken = tokens.refresh_token!;
    const refreshed = await oauth.refreshTokenGrant(config, tokens.refresh_token!);
    used.refreshedAccess = refreshed.access_token;
    used.refreshedRefresh = refreshed.refresh_token!;
    // Introspection and revocation name the token in their bodies.
    expect((await oauth.tokenIntrospection(config, refreshed.access_token)).active).toBe(true);
    await oauth.tokenRevocation(config, refreshed.refresh_token!);
    // A wrong secret and a wrong password are secrets too (typos of the real ones).
    const wrong = await fetch(`${server.url}/oauth/token`, { method: "POST", headers: { authorization: basic(registration.client_id, "wrong-secret-value-1234"), "content-type": "application/x-www-form-urlencoded" }, body: "grant_type=client_credentials" });
    expect(wrong.status).toBe(401);
    used.wrongSecret = "wrong-secret-value-1234";

    const text = logs.text;
    // The flow was logged (at trace, every request), so an empty log cannot pass.
    for (const path of ["/oauth/register", "/oauth/par", "/oauth/token", "/cds-api/v1/credentials", "/oauth/interaction/"]) expect(text).toContain(path);
    const leaked = Object.entries(used).filter(([, value]) => value && text.includes(value)).map(([name]) => name);
    expect(leaked).toEqual([]);
    expect(Object.values(used).every((value) => typeof value === "string" && value.length >= 8)).toBe(true);
  });

  it("a failed query is logged without its parameters, its payload or its stack", async () => {
    const marker = `session-${generateClientSecret()}`;
    let failure: unknown;
    try {
      await under.database.db.insert(oidcArtifacts).values({ model: "Interaction", id: "x", payload: { session: { cookie: marker }, state: "\u0000" } });
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(Error);
    expect(String((failure as Error).message) + String((failure as { cause?: unknown }).cause)).toContain(marker.slice(0, 8));
    server.app.log.error({ err: failure }, "query failed");
    const line = logs.lines.at(-1)!;
    expect(line).toContain("query failed");
    expect(line).not.toContain(marker);
    expect(line).not.toMatch(/params:/i);
  });
});
