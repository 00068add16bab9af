/** The authorization-code flow as a client (openid-client 6) and a customer (Browser) run it. */
import * as oauth from "openid-client";
import { expect } from "vitest";
import { demoApp } from "../../src/demo/demo-app.ts";
import type { Db } from "../../src/db/index.ts";
import { seedDemoData } from "../../src/demo/seed.ts";
import { generateClientSecret } from "../../src/oauth/client-secrets.ts";
import { Browser } from "./browser.ts";

export const customer = { username: "alex.demo", password: "sandbox-alex-2024", accountId: "dge-customer-1001" } as const;

export const sandboxDetails = [{ type: "cds_usage_1", account_numbers: ["001001-001"], service_types: ["electric"] }];

export function discoverApp(issuer: string, secret: string): Promise<oauth.Configuration> {
  return oauth.discovery(new URL(issuer), demoApp.clientId, undefined, oauth.ClientSecretBasic(secret), {
    algorithm: "oauth2",
    execute: [oauth.allowInsecureRequests],
  });
}

export interface StartedAuthorization {
  url: URL;
  verifier: string;
  state: string;
}

/** PAR (RFC 9126) with PKCE S256 and a state, as CDS-WG1-02 §3.2 clients do; returns the authorization URL. */
export async function pushAuthorization(config: oauth.Configuration, extra: Record<string, string> = {}): Promise<StartedAuthorization> {
  const verifier = oauth.randomPKCECodeVerifier();
  const state = oauth.randomState();
  const url = await oauth.buildAuthorizationUrlWithPAR(config, {
    client_id: demoApp.clientId,
    redirect_uri: demoApp.redirectUri,
    scope: demoApp.scope,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    ...extra,
  });
  return { url, verifier, state };
}

const absolute = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

/**
 * What approving `sandboxDetails` grants (CDS-WG3-01 §7): the scope's fields
 * with their defaults, durations made absolute; the preselection fields are
 * not carried (§6.1.9), the selection is recorded beside the Grant.
 */
export const grantedDetails = [
  expect.objectContaining({ type: "cds_usage_1", authorization_form_selection_type: "service_contract_selection", segment_start: absolute, segment_end: absolute, sync_until: absolute, jwk: null }),
];

/** Alex's electric service contract in the demo resources: what a test ticks when nothing is preselected. */
export const alexElectric = { "s0.selected": "sc-1001-001-electric" };

/** Opens the authorization URL and expects the login form. */
export async function openLogin(browser: Browser, url: URL | string): Promise<string> {
  const { response } = await browser.follow(url.toString());
  expect(response.status).toBe(200);
  const page = await response.text();
  expect(page).toContain('name="password"');
  return page;
}

/** Signs in on `loginPage` and expects the consent page. */
export async function signIn(browser: Browser, loginPage: string, credentials: { username: string; password: string } = customer): Promise<string> {
  const { response } = await browser.follow(await browser.submit(loginPage, "/login", credentials));
  expect(response.status).toBe(200);
  const page = await response.text();
  expect(page).toContain("/confirm");
  return page;
}

/** Approves on the consent page; returns the callback URL the browser is sent to. */
export async function approve(browser: Browser, consentPage: string, fields: Record<string, string> = {}): Promise<URL> {
  // A customer ticks something when nothing is preselected: the first entry of each such list.
  for (const m of consentPage.matchAll(/<input type="checkbox" id="[^"]*" name="(s\d+\.selected)" value="([^"]*)"/g)) {
    const [, name = "", value = ""] = m;
    const anyChecked = new RegExp(`name="${name.replace(".", "\\.")}" value="[^"]*" checked`).test(consentPage);
    if (!anyChecked && !(name in fields)) fields = { ...fields, [name]: value };
  }
  // A customer with nothing listed can still share what they add later (§9.2.3.1, §9.2.3.2).
  for (const m of consentPage.matchAll(/name="(s\d+)\.future" value="yes"/g)) {
    const section = m[1]!;
    if (!new RegExp(`name="${section}\\.selected"`).test(consentPage) && !(`${section}.selected` in fields)) fields = { ...fields, [`${section}.future`]: "yes" };
  }
  const { location } = await browser.follow(await browser.submit(consentPage, "/confirm", fields));
  expect(location).toBeDefined();
  return new URL(location!);
}

/**
 * A demo utility with Alex signed in once in a cookie-keeping browser: later
 * requests in that browser go straight to the form (§9.1.2 keeps the
 * session). `prepare` runs after seeding, before the demo app is discovered.
 */
export async function seededWithAlexSignedIn(db: Db, issuer: string, prepare: () => Promise<void> = async () => {}): Promise<{ config: oauth.Configuration; browser: Browser; form: string }> {
  const secret = generateClientSecret();
  await seedDemoData(db, secret);
  await prepare();
  const config = await discoverApp(issuer, secret);
  const browser = new Browser(issuer);
  const started = await pushAuthorization(config, { authorization_details: JSON.stringify([{ type: demoApp.scope }]) });
  return { config, browser, form: await signIn(browser, await openLogin(browser, started.url)) };
}

/** The whole customer side: login, consent, callback. */
export async function authorizeInBrowser(browser: Browser, url: URL, fields: Record<string, string> = {}): Promise<URL> {
  return approve(browser, await signIn(browser, await openLogin(browser, url)), fields);
}
