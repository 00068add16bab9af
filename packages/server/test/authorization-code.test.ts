/**
 * The authorization-code flow end to end: openid-client 6 as the client
 * (PAR with authorization_details, PKCE S256, state, RFC 9207 iss check), a
 * cookie-keeping HTTP "browser" as the customer on the login and consent
 * pages, then the token, refresh (with rotation) and introspection endpoints.
 */
import * as oauth from "openid-client";
import { beforeEach, expect, it } from "vitest";
import { demoApp } from "../src/demo/demo-app.ts";
import { seedDemoData } from "../src/demo/seed.ts";
import { generateClientSecret } from "../src/oauth/client-secrets.ts";
import type { CdsServer } from "../src/server.ts";
import { alexElectric, authorizeInBrowser, customer, discoverApp, openLogin, grantedDetails, pushAuthorization, sandboxDetails, signIn } from "./helpers/authorization-code.ts";
import { Browser } from "./helpers/browser.ts";
import { describeEachDatabase } from "./helpers/databases.ts";
import { type LogCapture, useListeningServer } from "./helpers/servers.ts";

describeEachDatabase("Authorization code flow", (under) => {
  let server: CdsServer & { logs: LogCapture };
  let secret: string;
  let config: oauth.Configuration;

  useListeningServer(under, (started) => (server = started));
  beforeEach(async () => {
    secret = generateClientSecret();
    await seedDemoData(under.database.db, secret);
    config = await discoverApp(server.url, secret);
  });

  it("runs PAR → login → consent → code → tokens → refresh (rotated) → introspection, with authorization_details throughout", async () => {
    const details = JSON.stringify(sandboxDetails);
    const { url, verifier, state } = await pushAuthorization(config, { authorization_details: details });
    expect(url.searchParams.get("request_uri")).toMatch(/^urn:ietf:params:oauth:request_uri:/);

    const browser = new Browser(server.url);
    const consent = await signIn(browser, await openLogin(browser, url));
    // The consent page names the client and says, in words, what it asks for.
    expect(consent).toContain("Demo energy app");
    expect(consent).toContain("your meters' energy usage");
    expect(consent).toContain("001001-001");
    expect(consent).toContain("Alex Demo");

    const { location } = await browser.follow(await browser.submit(consent, "/confirm"));
    const callback = new URL(location!);
    expect(`${callback.origin}${callback.pathname}`).toBe(demoApp.redirectUri);
    expect(callback.searchParams.get("iss")).toBe(server.url);

    const tokens = await oauth.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    expect(tokens.token_type.toLowerCase()).toBe("bearer");
    expect(tokens.scope).toBe(demoApp.scope);
    expect(tokens.authorization_details).toEqual(grantedDetails);
    expect(tokens.refresh_token).toBeTruthy();

    const first = await oauth.tokenIntrospection(config, tokens.access_token);
    expect(first).toMatchObject({ active: true, client_id: demoApp.clientId, sub: customer.accountId, scope: demoApp.scope, aud: server.url });
    expect(first.authorization_details).toEqual(grantedDetails);

    const refreshed = await oauth.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.refresh_token).toBeTruthy();
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(refreshed.authorization_details).toEqual(grantedDetails);
    const info = await oauth.tokenIntrospection(config, refreshed.access_token);
    expect(info).toMatchObject({ active: true, sub: customer.accountId, scope: demoApp.scope });
    expect(info.authorization_details).toEqual(grantedDetails);

    // Rotation: the old refresh token no longer works (RFC 9700 §4.14.2).
    await expect(oauth.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });

    // No secret of the flow reaches the logs.
    const code = callback.searchParams.get("code")!;
    for (const value of [secret, customer.password, code, verifier, tokens.access_token, tokens.refresh_token!, refreshed.access_token, refreshed.refresh_token!]) {
      expect(server.logs.text).not.toContain(value);
    }
  });

  it("works without authorization_details and without PAR", async () => {
    const verifier = oauth.randomPKCECodeVerifier();
    const state = oauth.randomState();
    const url = oauth.buildAuthorizationUrl(config, {
      redirect_uri: demoApp.redirectUri,
      scope: demoApp.scope,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state,
    });
    const callback = await authorizeInBrowser(new Browser(server.url), url, alexElectric);
    const tokens = await oauth.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    expect(tokens.scope).toBe(demoApp.scope);
    // CDS-WG3-01 §7: the Client Object's default details, with the scope's field defaults, are what was granted.
    expect(tokens.authorization_details).toEqual([expect.objectContaining({ type: demoApp.scope, segment_end: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) })]);
  });

  it("sends the customer back with error=access_denied on Deny", async () => {
    const { url, state } = await pushAuthorization(config, { authorization_details: JSON.stringify(sandboxDetails) });
    const browser = new Browser(server.url);
    const consent = await signIn(browser, await openLogin(browser, url));
    const { location } = await browser.follow(await browser.submit(consent, "/confirm", { decision: "decline" }));
    const callback = new URL(location!);
    expect(callback.searchParams.get("error")).toBe("access_denied");
    expect(callback.searchParams.get("state")).toBe(state);
    expect(callback.searchParams.get("iss")).toBe(server.url);
    expect(callback.searchParams.has("code")).toBe(false);
  });

  it("serves the pages with headers that keep them out of frames and caches", async () => {
    const { url } = await pushAuthorization(config);
    const { response } = await new Browser(server.url).follow(url.toString());
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });
});
