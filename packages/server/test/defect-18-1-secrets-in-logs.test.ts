/**
 * Issue 18, defect 1: a customer session id in the log. A NUL in an authorize
 * parameter made the Interaction insert fail, and the logged failure carried
 * the whole payload (session cookie value, accountId, every parameter). Now
 * the NUL is refused at the edge, and any failed query is logged without its
 * parameters or the payload.
 */
import * as oauth from "openid-client";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { demoApp } from "../src/demo/demo-app.ts";
import { seedDemoData } from "../src/demo/seed.ts";
import { oidcArtifacts } from "../src/db/schema.ts";
import { generateClientSecret } from "../src/oauth/client-secrets.ts";
import type { CdsServer } from "../src/server.ts";
import { customer, discoverApp, openLogin, pushAuthorization } from "./helpers/authorization-code.ts";
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
