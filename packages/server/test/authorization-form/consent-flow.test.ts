/**
 * CDS-WG3-01 §9 over real HTTP, each test named after the section whose MUST
 * it checks: the request checks before and after sign-in (§9.1.1), the
 * Preselection Error (§9.3.1), the Authorization Form's Selection against the
 * signed-in customer's own resources (§9.2.3, §7.1), approval (§9.2.1.6),
 * Grants as approved (§7.3), receipts (§9.4) and the default redirect URI
 * (§9.1.1, §9.3.3). The customer is a cookie-keeping HTTP client; the
 * browser-level checks (layout, accessibility) are in form-browser.test.ts.
 */
import { eq } from "drizzle-orm";
import * as oauth from "openid-client";
import { and } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { authorizationReceipts, oauthClients, oidcArtifacts } from "../../src/db/schema.ts";
import { demoApp } from "../../src/demo/demo-app.ts";
import { seedDemoData } from "../../src/demo/seed.ts";
import { generateClientSecret } from "../../src/oauth/client-secrets.ts";
import type { CdsServer } from "../../src/server.ts";
import { approve, discoverApp, openLogin, pushAuthorization, signIn } from "../helpers/authorization-code.ts";
import { Browser } from "../helpers/browser.ts";
import { grantsMadeSinceSeeding } from "../helpers/grants-made.ts";
import { describeEachDatabase } from "../helpers/databases.ts";
import { useListeningServer } from "../helpers/servers.ts";

const sam = { username: "sam.demo", password: "sandbox-sam-2024" };

describeEachDatabase("CDS-WG3-01 §9 customer authorization", (under) => {
  let server: CdsServer;
  let config: oauth.Configuration;
  useListeningServer(under, (started) => (server = started));
  beforeEach(async () => {
    const secret = generateClientSecret();
    await seedDemoData(under.database.db, secret);
    // The demo seeds Grants of its own; the tests look at the ones they make (and the helper knows every seeded one).
    expect(await grantsMadeSinceSeeding(under.database.db)).toEqual([]);
    config = await discoverApp(server.url, secret);
  });

  const details = (entry: Record<string, unknown>) => ({ authorization_details: JSON.stringify([{ type: demoApp.scope, ...entry }]) });
  const formFor = async (entry: Record<string, unknown>, who?: { username: string; password: string }) => {
    const browser = new Browser(server.url);
    const started = await pushAuthorization(config, details(entry));
    const page = await signIn(browser, await openLogin(browser, started.url), who).catch(async () => "");
    return { browser, started, page };
  };
  /** Signs in and returns whatever page comes next (form or error). */
  const afterSignIn = async (entry: Record<string, unknown>, who = { username: "alex.demo", password: "sandbox-alex-2024" }) => {
    const browser = new Browser(server.url);
    const started = await pushAuthorization(config, details(entry));
    const login = await openLogin(browser, started.url);
    const { response, location } = await browser.follow(await browser.submit(login, "/login", who));
    return { browser, started, status: response.status, page: await response.text(), location };
  };
  const grantRows = () => grantsMadeSinceSeeding(under.database.db);

  describe("§9.2.3 Selection: the signed-in customer's own resources, preselections applied (§7.1)", () => {
    it("§9.2.3.2 lists only this customer's services and ticks those of the preselected account", async () => {
      const { page } = await formFor({ account_numbers: ["001001-001"] });
      expect(page).toMatch(/name="s0\.selected" value="sc-1001-001-electric" checked/);
      expect(page).toMatch(/name="s0\.selected" value="sc-1001-001-gas" checked/);
      expect(page).not.toContain("SA-1002-001-ELECTRIC");
      expect(page).not.toContain("001002-001");
    });

    it("§7.1 intersects preselection fields: account and service type together tick only the electric service", async () => {
      const { page } = await formFor({ account_numbers: ["001001-001"], service_types: ["electric"] });
      expect(page).toMatch(/value="sc-1001-001-electric" checked/);
      expect(page).not.toMatch(/value="sc-1001-001-gas" checked/);
    });

    it("§9.2.3.1 account_numbers `_include_future` ticks the include-future option", async () => {
      const { page } = await formFor({ account_numbers: ["_include_future"], authorization_form_selection_type: "account_selection" });
      expect(page).toMatch(/name="s0\.future" value="yes" checked/);
    });

    it("§7.4.5 allow_scope_modifications false renders the selection non-editable", async () => {
      const { page } = await formFor({ account_numbers: ["001001-001"], allow_scope_modifications: false });
      expect(page).toMatch(/value="sc-1001-001-electric" checked disabled/);
      expect(page).toContain("This request cannot be changed");
    });
  });

  describe("a customer can approve only what is theirs", () => {
    // Every preselection field, with Sam's identifiers, while Alex is signed in.
    const samsIdentifiers: [string, Record<string, unknown>][] = [
      ["account_numbers", { account_numbers: ["001002-001"] }],
      ["contract_numbers", { contract_numbers: ["SA-1002-001-ELECTRIC"] }],
      ["servicepoint_numbers", { servicepoint_numbers: ["SP-1002-001-ELECTRIC"], authorization_form_selection_type: "servicepoint_selection" }],
      ["premise_numbers", { premise_numbers: ["PR-001002-001"], authorization_form_selection_type: "servicepoint_selection" }],
      ["meter_numbers", { meter_numbers: ["M001002001E"], authorization_form_selection_type: "meter_device_selection" }],
      ["addresses", { addresses: ["200 Cedar Lane, Unit 1, Demo Springs, DM 55001"], authorization_form_selection_type: "servicepoint_selection" }],
    ];

    it.each(samsIdentifiers)("§9.3.1 Preselection Error, never a redirect, for another customer's %s", async (field, entry) => {
      const { status, page, location, browser } = await afterSignIn({ ...entry, error_if_no_preselections: true });
      expect(location, "no redirect reveals the outcome to the Client").toBeUndefined();
      expect(status).toBe(200);
      expect(page).toContain("do not appear to be in the profile");
      expect(page).toContain("Demo energy app");
      // Only what the Client sent is repeated; nothing else of Sam's (name, address) appears.
      expect(page).not.toContain("Holdings");
      if (field !== "addresses") expect(page).not.toContain("Cedar");
      expect(page).not.toContain('name="s0.selected"');
      // Declining sends the Client the ERRATA E-WG3-01-4 error.
      const { location: back } = await browser.follow(await browser.submit(page, "/preselection-decline"));
      const callback = new URL(back!);
      expect(callback.searchParams.get("error")).toBe("invalid_authorization_details");
      expect(callback.searchParams.get("error_description")).toContain("no_preselections");
      expect(await grantRows()).toEqual([]);
    });

    it.each(samsIdentifiers)("§7.1 another customer's %s preselects nothing, and the form lists none of theirs", async (_field, entry) => {
      const { page } = await afterSignIn(entry);
      expect(page).toContain('name="s0.selected"');
      expect(page).not.toMatch(/name="s0\.selected" value="[^"]*" checked/);
      for (const theirs of ["001002-001", "SA-1002-001-ELECTRIC", "SP-1002-001-ELECTRIC", "M001002001E", "PR-001002-001"]) expect(page).not.toContain(`#${theirs}`);
    });

    it.each([
      ["service_contract_selection", "sc-1002-001-electric"],
      ["account_selection", "acct-1002-001"],
      ["servicepoint_selection", "sp-1002-001-electric"],
      ["meter_device_selection", "md-1002-001-electric"],
    ])("a submitted %s naming another customer's resource (%s) is refused and grants nothing", async (type, theirs) => {
      const { browser, page } = await afterSignIn({ authorization_form_selection_type: type });
      const res = await browser.submit(page, "/confirm", { "s0.selected": theirs });
      expect(res.status).toBe(400);
      const again = await res.text();
      expect(again).toContain("Choose only from the");
      expect(res.headers.get("location")).toBeNull();
      expect(await grantRows()).toEqual([]);
    });

    it("Sam's form lists Sam's services only", async () => {
      const { page } = await afterSignIn({}, sam);
      expect(page).toContain("SA-1002-001-ELECTRIC");
      expect(page).not.toContain("SA-1001-001-ELECTRIC");
    });
  });

  describe("§9.2.1.6 Approval", () => {
    it("§9.2.1.6 approving with nothing selected shows an error marking the section and lets the customer resubmit", async () => {
      const { browser, page, started } = await afterSignIn({});
      const res = await browser.submit(page, "/confirm");
      expect(res.status).toBe(400);
      const errored = await res.text();
      expect(errored).toContain('role="alert"');
      expect(errored).toContain('aria-invalid="true"');
      expect(errored).toContain("Select at least one service");
      const callback = await approve(browser, errored, { "s0.selected": "sc-1001-001-electric" });
      expect(callback.searchParams.get("state")).toBe(started.state);
      expect(callback.searchParams.get("code")).toBeTruthy();
    });

    it("§9.2.1.6 declining needs nothing selected", async () => {
      const { browser, page } = await afterSignIn({});
      const { location } = await browser.follow(await browser.submit(page, "/confirm", { decision: "decline" }));
      expect(new URL(location!).searchParams.get("error")).toBe("access_denied");
    });

    it("§9.2.1.6 a second submission of the form makes no second Grant", async () => {
      const { browser, page } = await afterSignIn({ account_numbers: ["001001-001"] });
      await approve(browser, page);
      const replay = await browser.submit(page, "/confirm");
      expect(replay.status).toBeGreaterThanOrEqual(400);
      expect(await grantRows()).toHaveLength(1);
    });

    it("refuses a form posted without its interaction-bound token (CSRF)", async () => {
      const { browser, page } = await afterSignIn({ account_numbers: ["001001-001"] });
      const res = await browser.submit(page, "/confirm", { csrf: "forged" });
      expect(res.status).toBe(403);
      expect(await grantRows()).toEqual([]);
    });
  });

  describe("§7 Grants as approved", () => {
    it("§7.3 resolves relative durations to absolute dates at approval; the selection is recorded by type (§6)", async () => {
      const { browser, page } = await afterSignIn({ account_numbers: ["001001-001"], service_types: ["electric"], segment_start: "P2Y", segment_end: "PT0S", sync_until: "infinite" });
      const before = Date.now();
      await approve(browser, page);
      const [grant] = await grantRows();
      const [entry] = grant!.enabledAuthorizationDetails as Record<string, unknown>[];
      expect(entry).toMatchObject({ type: demoApp.scope, sync_until: "infinite" });
      const start = Date.parse(entry!.segment_start as string);
      const twoYears = 2 * 365.25 * 24 * 3600 * 1000;
      expect(Math.abs(before - twoYears - start)).toBeLessThan(3 * 24 * 3600 * 1000);
      expect(Math.abs(Date.parse(entry!.segment_end as string) - before)).toBeLessThan(60_000);
      // §6.1.9: no preselection fields in the Grant; what was ticked is beside it.
      expect(entry).not.toHaveProperty("account_numbers");
      expect(grant!.customerSelection).toEqual([{ scopes: [demoApp.scope], type: "service_contract_selection", ids: ["sc-1001-001-electric"], numbers: ["SA-1001-001-ELECTRIC"], includeFuture: false }]);
      expect(grant!.enabledScope).toBe(demoApp.scope);
    });
  });

  describe("§9.4 Authorization Receipt and the default redirect URI", () => {
    const defaultRedirect = () => `${server.url}/oauth/default-redirect`;
    const allowDefaultRedirect = async () => {
      const [row] = await under.database.db.select().from(oauthClients).where(eq(oauthClients.clientId, demoApp.clientId));
      const metadata = { ...(row!.metadata as Record<string, unknown>), redirect_uris: [demoApp.redirectUri, defaultRedirect()] };
      await under.database.db.update(oauthClients).set({ metadata }).where(eq(oauthClients.clientId, demoApp.clientId));
    };

    it("§9.1.1 a code sent to the default redirect URI ends on the receipt: random URL, confirmation in the Grant, noindex, no sign-in", async () => {
      await allowDefaultRedirect();
      const browser = new Browser(server.url);
      const started = await pushAuthorization(config, { ...details({ account_numbers: ["001001-001"] }), redirect_uri: defaultRedirect() });
      const form = await signIn(browser, await openLogin(browser, started.url));
      const { response } = await browser.follow(await browser.submit(form, "/confirm"));
      expect(response.status).toBe(200);
      const receiptUrl = new URL(response.url);
      expect(receiptUrl.pathname).toMatch(/^\/authorization-receipts\/[0-9a-f]{32}$/);
      const [grant] = await grantRows();
      const [receipt] = await under.database.db.select().from(authorizationReceipts);
      expect(grant!.receiptConfirmations).toEqual([receipt!.confirmation]);
      expect(receiptUrl.pathname).not.toContain(receipt!.confirmation.replaceAll("-", ""));
      // Loadable by anyone with the link (a fresh browser, no session).
      const anonymous = await fetch(receiptUrl);
      const html = await anonymous.text();
      expect(anonymous.status).toBe(200);
      expect(html).toContain('<meta name="robots" content="noindex, nofollow"/>');
      expect(html).toContain(receipt!.confirmation);
      expect(html).toContain("Demo energy app");
      expect(html).toContain('rel="noopener nofollow noreferrer"');
      // §9.4: the customer's numbers are not shown to an unauthenticated visitor.
      expect(html).not.toContain("SA-1001-001-ELECTRIC");
      // (This HTTP client sends one value per field name: one of the two ticked services.)
      expect(html).toContain("1 service selected");
    });

    /** Approves with the default redirect URI and returns the browser on the receipt page. */
    const approvedReceipt = async () => {
      await allowDefaultRedirect();
      const browser = new Browser(server.url);
      const started = await pushAuthorization(config, { ...details({ account_numbers: ["001001-001"] }), redirect_uri: defaultRedirect() });
      const form = await signIn(browser, await openLogin(browser, started.url));
      const { response } = await browser.follow(await browser.submit(form, "/confirm"));
      return { browser, receiptUrl: response.url, page: await response.text() };
    };

    it("§9.4 the receipt lets the customer revoke the Grant without signing in; the Grant is revoked at once and its tokens are gone", async () => {
      const { receiptUrl } = await approvedReceipt();
      // A fresh browser: no session, only the receipt link.
      const visitor = new Browser(server.url);
      const page = await (await visitor.get(receiptUrl)).text();
      expect(page).toContain("Stop this access");
      const { response } = await visitor.follow(await visitor.submit(page, "/revoke"));
      const after = await response.text();
      expect(after).toContain("You stopped this access");
      expect(after).toContain('data-status="revoked"');
      expect(after).not.toContain("Stop this access");
      const [grant] = await grantRows();
      expect(grant!.status).toBe("revoked");
      const tokens = await under.database.db.select().from(oidcArtifacts).where(eq(oidcArtifacts.grantId, grant!.oidcGrantId!));
      expect(tokens).toEqual([]);
    });

    it("§9.4 revocation refuses a post without the receipt's token or cookie (CSRF) and leaves the Grant active", async () => {
      const { receiptUrl, browser, page } = await approvedReceipt();
      const forged = await browser.submit(page, "/revoke", { csrf: "forged" });
      expect(forged.status).toBe(403);
      // The right token, but from a browser without the receipt's cookie.
      const stranger = new Browser(server.url);
      const noCookie = await stranger.submit(page, "/revoke");
      expect(noCookie.status).toBe(403);
      expect((await grantRows())[0]!.status).toBe("active");
      expect(new URL(receiptUrl).pathname).toMatch(/^\/authorization-receipts\//);
    });

    it("refuses a revocation or consent post sent from another website, with an error page, before anything changes", async () => {
      const { browser, page } = await approvedReceipt();
      const senders: Record<string, string>[] = [{ origin: "https://attacker.example", "sec-fetch-site": "cross-site" }, { origin: "https://attacker.example" }, { "sec-fetch-site": "same-site" }, { origin: "null" }];
      for (const from of senders) {
        const res = await browser.submit(page, "/revoke", {}, from);
        expect(res.status).toBe(403);
        const html = await res.text();
        expect(html).toContain("This form was sent from another website");
        expect(html).toContain("nothing was approved, declined or changed");
      }
      expect((await grantRows())[0]!.status).toBe("active");
      // The consent form too: a cross-site approval is refused and grants nothing more.
      const other = new Browser(server.url);
      const started = await pushAuthorization(config, details({ account_numbers: ["001001-001"] }));
      const form = await signIn(other, await openLogin(other, started.url));
      const res = await other.submit(form, "/confirm", {}, { origin: "https://attacker.example", "sec-fetch-site": "cross-site" });
      expect(res.status).toBe(403);
      expect(res.headers.get("location")).toBeNull();
      expect(await grantRows()).toHaveLength(1);
    });

    it("§9.3.3 a decline sent to the default redirect URI shows the Default Redirect Error confirming the decline", async () => {
      await allowDefaultRedirect();
      const browser = new Browser(server.url);
      const started = await pushAuthorization(config, { ...details({}), redirect_uri: defaultRedirect() });
      const form = await signIn(browser, await openLogin(browser, started.url));
      const { response } = await browser.follow(await browser.submit(form, "/confirm", { decision: "decline" }));
      const html = await response.text();
      expect(html).toContain("You declined the request");
      expect(html).toContain("Nothing was shared");
    });

    it("§9.3.3 another error at the default redirect URI explains it and says to contact the app", async () => {
      const res = await fetch(`${defaultRedirect()}?error=invalid_scope&error_description=scope%3A+nope`);
      const html = await res.text();
      expect(html).toContain("could not be completed");
      expect(html).toContain("contact the website or app");
    });
  });

  describe("§9.1.1 checks before sign-in", () => {
    it("§9.3.2 an unknown client_id shows the Invalid Request Error page", async () => {
      const res = await fetch(`${server.url}/oauth/authorize?response_type=code&client_id=nobody&redirect_uri=${encodeURIComponent(demoApp.redirectUri)}&scope=${demoApp.scope}`);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.headers.get("content-type")).toContain("text/html");
      const html = await res.text();
      expect(html).toContain("This authorization request is not valid");
      expect(html).toContain("contact the website or app");
    });

    it("§9.3.2 a redirect_uri the Client Object does not list shows the Invalid Request Error page, never a redirect", async () => {
      const res = await fetch(`${server.url}/oauth/authorize?response_type=code&client_id=${demoApp.clientId}&redirect_uri=${encodeURIComponent("https://attacker.example/cb")}&scope=${demoApp.scope}`, { redirect: "manual" });
      expect(res.headers.get("location")).toBeNull();
      expect(await res.text()).toContain("This authorization request is not valid");
    });

    it("§9.1.1 other invalid parameters go back to the Client's redirect_uri with an error naming the field", async () => {
      const verifier = oauth.randomPKCECodeVerifier();
      const url = oauth.buildAuthorizationUrl(config, {
        redirect_uri: demoApp.redirectUri,
        scope: demoApp.scope,
        code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
        code_challenge_method: "S256",
        state: "s1",
        authorization_details: JSON.stringify([{ type: demoApp.scope, segment_start: "last year" }]),
      });
      const { location } = await new Browser(server.url).follow(url.toString());
      const callback = new URL(location!);
      expect(callback.searchParams.get("error")).toBe("invalid_authorization_details");
      expect(callback.searchParams.get("error_description")).toContain("segment_start");
      expect(callback.searchParams.get("state")).toBe("s1");
    });

    it("§9.1.1 a merge_selection_with naming no other requested scope goes back with invalid_authorization_details", async () => {
      const browser = new Browser(server.url);
      const started = await pushAuthorization(config, details({ merge_selection_with: "cds_accounts_1" }));
      const { location } = await browser.follow(started.url.toString());
      expect(new URL(location!).searchParams.get("error")).toBe("invalid_authorization_details");
      expect(new URL(location!).searchParams.get("error_description")).toContain("merge_selection_with");
    });

    it("§9.1.2 cancelling sign-in sends the customer back with access_denied", async () => {
      const browser = new Browser(server.url);
      const started = await pushAuthorization(config, details({}));
      const login = await openLogin(browser, started.url);
      const { location } = await browser.follow(await browser.submit(login, "/abort"));
      expect(new URL(location!).searchParams.get("error")).toBe("access_denied");
    });

    it("§9.2 the sign-in page shows nothing of any customer, only what the Client asked", async () => {
      const browser = new Browser(server.url);
      const started = await pushAuthorization(config, details({ account_numbers: ["001001-001"] }));
      const login = await openLogin(browser, started.url);
      for (const secret of ["Alex", "Harbor", "SA-1001", "001001-001"]) expect(login).not.toContain(secret);
      expect(login).toContain("Demo energy app");
    });
  });

  describe("§9.1.2 the customer's authenticated session", () => {
    afterEach(() => {
      vi.useRealTimers();
    });
    /** Sets the clock of server and test alike to `ms` after the test began (only `Date`: timers and I/O run as usual). */
    let began = 0;
    beforeEach(() => {
      began = Date.now();
    });
    const advance = (ms: number) => {
      vi.useFakeTimers({ toFake: ["Date"], now: began + ms });
    };
    /** A new request from the Client in `browser`: the page it opens, and whether it asks to sign in. */
    const newRequest = async (browser: Browser) => {
      const started = await pushAuthorization(config, details({}));
      const { response, location } = await browser.follow(started.url.toString());
      expect(location).toBeUndefined();
      const page = await response.text();
      return { page, asksSignIn: page.includes('name="password"') };
    };

    it("§9.1.2 keeps the session for at least 10 minutes after the customer was last on the form: no second sign-in", async () => {
      const { browser, page } = await afterSignIn({});
      // Active on the form: declining is the last thing the customer did.
      await browser.follow(await browser.submit(page, "/confirm", { decision: "decline" }));
      advance(11 * 60_000);
      const again = await newRequest(browser);
      expect(again.asksSignIn).toBe(false);
      expect(again.page).toContain("Alex Demo");
      // Still there half an hour after that new activity.
      advance(11 * 60_000 + 30 * 60_000);
      expect((await newRequest(browser)).asksSignIn).toBe(false);
      // Not for ever: a day later, sign-in is asked again.
      advance(11 * 60_000 + 30 * 60_000 + 25 * 3600_000);
      expect((await newRequest(browser)).asksSignIn).toBe(true);
    });

    it("§9.1.2 ends the session at once when the customer signs out (the footer's sign in as someone else)", async () => {
      const { browser, page } = await afterSignIn({});
      const sessionId = browser.cookie("_session");
      expect(sessionId).toBeTruthy();
      const sessionRow = () => under.database.db.select().from(oidcArtifacts).where(and(eq(oidcArtifacts.model, "Session"), eq(oidcArtifacts.id, sessionId!)));
      expect(await sessionRow()).toHaveLength(1);
      await browser.follow(await browser.submit(page, "/switch"));
      // Gone from the store at once: the old cookie authenticates no one, even replayed.
      expect(await sessionRow()).toEqual([]);
      expect((await newRequest(browser)).asksSignIn).toBe(true);
    });
  });

  describe("§9.2.1.7 Footer: sign in as someone else", () => {
    it("ends the session at once and shows the form to the new customer", async () => {
      const { browser, page } = await afterSignIn({});
      expect(page).toContain("Alex Demo");
      const { response } = await browser.follow(await browser.submit(page, "/switch"));
      const login = await response.text();
      expect(login).toContain('name="password"');
      const { response: next } = await browser.follow(await browser.submit(login, "/login", sam));
      const form = await next.text();
      expect(form).toContain("Sam Demo");
      expect(form).not.toContain("Alex Demo");
    });
  });
});
