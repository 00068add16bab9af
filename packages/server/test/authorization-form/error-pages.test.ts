/**
 * Issue 17 item 4: every page a customer's browser can land on when something
 * is wrong is an HTML page in the form's shared layout (Page.tsx: the
 * Server's brand in the title, its stylesheet, no script from elsewhere),
 * never a bare text or JSON line, and a reloaded form address leads back to
 * its page.
 */
import * as oauth from "openid-client";
import { beforeEach, describe, expect, it } from "vitest";
import { demoApp } from "../../src/demo/demo-app.ts";
import { seedDemoData } from "../../src/demo/seed.ts";
import { generateClientSecret } from "../../src/oauth/client-secrets.ts";
import type { CdsServer } from "../../src/server.ts";
import { discoverApp, openLogin, pushAuthorization } from "../helpers/authorization-code.ts";
import { Browser } from "../helpers/browser.ts";
import { describeEachDatabase } from "../helpers/databases.ts";
import { useListeningServer } from "../helpers/servers.ts";

/** The shared layout: a complete document, the brand in the title, the inline stylesheet under the page's nonce. */
async function expectStyledPage(res: Response, status: number): Promise<string> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
  const html = await res.text();
  expect(html).toMatch(/^<!doctype html>/i);
  expect(html).toMatch(/<title>[^<]+ — Demo Gas &amp; Electric<\/title>/);
  const nonce = /<style nonce="([^"]+)"/.exec(html)?.[1];
  expect(nonce, "an inline stylesheet with a nonce").toBeTruthy();
  expect(res.headers.get("content-security-policy")).toContain(`'nonce-${nonce}'`);
  return html;
}

describeEachDatabase("customer-facing error pages", (under) => {
  let server: CdsServer;
  let config: oauth.Configuration;
  useListeningServer(under, (started) => (server = started));
  beforeEach(async () => {
    const secret = generateClientSecret();
    await seedDemoData(under.database.db, secret);
    config = await discoverApp(server.url, secret);
  });

  const authorize = (query: Record<string, string>) => fetch(`${server.url}/oauth/authorize?${new URLSearchParams(query)}`, { redirect: "manual", headers: { accept: "text/html" } });
  const base = { response_type: "code", client_id: demoApp.clientId, scope: demoApp.scope };

  it.each([
    ["a redirect_uri the Client Object does not list", { ...base, redirect_uri: "https://attacker.example/cb" }],
    ["an unknown client_id", { ...base, client_id: "nobody", redirect_uri: demoApp.redirectUri }],
    ["an unknown or expired request_uri", { client_id: demoApp.clientId, request_uri: "urn:ietf:params:oauth:request_uri:gone" }],
    ["no parameters at all", {}],
  ])("%s: the Invalid Request Error page (§9.3.2), no redirect", async (_, query) => {
    const res = await authorize(query);
    expect(res.headers.get("location")).toBeNull();
    expect(await expectStyledPage(res, 400)).toContain("This authorization request is not valid");
  });

  it("an unknown or finished sign-in step: the styled page, not a bare error", async () => {
    const res = await fetch(`${server.url}/oauth/interaction/no-such-step`, { headers: { accept: "text/html" } });
    expect(await expectStyledPage(res, 400)).toContain("expired");
  });

  it("an unknown receipt: the styled page with 404", async () => {
    await expectStyledPage(await fetch(`${server.url}/authorization-receipts/no-such-receipt`), 404);
  });

  it("a form's address reloaded after posting leads back to the form's page", async () => {
    const browser = new Browser(server.url);
    const started = await pushAuthorization(config);
    await openLogin(browser, started.url);
    const login = (await browser.follow(started.url.toString())).response.url;
    const reloaded = await browser.get(`${login}/login`);
    expect(reloaded.status).toBe(303);
    expect(new URL(reloaded.headers.get("location")!, server.url).pathname).toBe(new URL(login).pathname);
    const page = await (await browser.follow(reloaded)).response.text();
    expect(page).toContain('name="password"');

    const receipt = await fetch(`${server.url}/authorization-receipts/some-id/revoke`, { redirect: "manual" });
    expect(receipt.status).toBe(303);
    expect(receipt.headers.get("location")).toBe(`${server.url}/authorization-receipts/some-id`);
  });
});
