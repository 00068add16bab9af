/**
 * The Authorization Form in a real browser (headless Debian Chromium through
 * playwright-core), end to end as issue 11 tells it: a Client pushes a request
 * with preselected accounts, a duration and a purpose; the customer signs in,
 * changes the selection and approves (twice, quickly: one Grant); the Client
 * exchanges the code; the Grant matches the selection; the receipt loads
 * without sign-in and the receipt email reaches a real SMTP server
 * (`smtp-server`). Every page is checked with axe-core (no serious or
 * critical violations) and screenshotted at desktop and mobile widths into
 * test-artifacts/.
 */
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import * as oauth from "openid-client";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { authorizationReceipts } from "../../src/db/schema.ts";
import { demoApp } from "../../src/demo/demo-app.ts";
import { seedDemoData } from "../../src/demo/seed.ts";
import { generateClientSecret } from "../../src/oauth/client-secrets.ts";
import type { CdsServer } from "../../src/server.ts";
import { discoverApp, pushAuthorization } from "../helpers/authorization-code.ts";
import { launchChromium } from "../helpers/chromium.ts";
import { describeEachDatabase } from "../helpers/databases.ts";
import { grantsMadeSinceSeeding } from "../helpers/grants-made.ts";
import { testServer } from "../helpers/servers.ts";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const ARTIFACTS = join(import.meta.dirname, "..", "..", "test-artifacts");
const DESKTOP = { width: 1280, height: 900 };
const MOBILE = { width: 390, height: 844 };

interface Mail {
  to: string;
  raw: string;
}

describeEachDatabase("Authorization Form in Chromium", (under) => {
  let server: CdsServer;
  let browser: Browser;
  let smtp: SMTPServer;
  const mails: Mail[] = [];
  let config: oauth.Configuration;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      onData(stream, session, callback) {
        let raw = "";
        stream.on("data", (c: Buffer) => (raw += c.toString("utf8")));
        stream.on("end", () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(","), raw });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
    const port = (smtp.server.address() as AddressInfo).port;
    server = await testServer({ database: under.database, settings: { smtpUrl: `smtp://127.0.0.1:${port}` } });
    await server.listen();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  });
  beforeEach(async () => {
    const secret = generateClientSecret();
    await seedDemoData(under.database.db, secret);
    config = await discoverApp(server.url, secret);
    mails.length = 0;
  });

  /** A context whose requests to the demo app's redirect URI are answered here (nothing listens there). */
  const newContext = async (viewport = DESKTOP): Promise<{ context: BrowserContext; page: Page; callbacks: URL[]; cspViolations: string[] }> => {
    const context = await browser.newContext({ viewport });
    const callbacks: URL[] = [];
    await context.route(`${new URL(demoApp.redirectUri).origin}/**`, async (route) => {
      callbacks.push(new URL(route.request().url()));
      await route.fulfill({ status: 200, contentType: "text/plain", body: "back at the app" });
    });
    const page = await context.newPage();
    const cspViolations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    return { context, page, callbacks, cspViolations };
  };

  /** axe-core in the page (page.evaluate is not subject to the page's CSP); serious and critical findings only. */
  const seriousViolations = async (page: Page) => {
    await page.evaluate(AXE);
    const result = await page.evaluate(async () => {
      const run = await (globalThis as unknown as { axe: { run: (o: object) => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe.run({ resultTypes: ["violations"] });
      return run.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
    });
    return result.filter((v) => v.impact === "serious" || v.impact === "critical");
  };

  const shoot = async (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}-${under.name.toLowerCase()}.png`), fullPage: true });

  const request = () =>
    pushAuthorization(config, {
      authorization_details: JSON.stringify([{ type: demoApp.scope, account_numbers: ["001001-001"], segment_start: "P1Y", segment_end: "P1Y", sync_until: "P1Y", purpose: "dge_own_use" }]),
    });

  const signIn = async (page: Page, username = "alex.demo", password = "sandbox-alex-2024") => {
    await page.getByLabel("Username").fill(username);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
  };

  it("§9.2 runs sign-in → form → change selection → approve once → code → Grant as selected → receipt → email", async () => {
    const { context, page, callbacks, cspViolations } = await newContext();
    const started = await request();
    await page.goto(started.url.toString());
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, "login-desktop");
    await signIn(page);

    // §9.2.1: the sections in order, each a landmark or heading a screen reader finds.
    await expect.poll(() => page.getByRole("heading", { name: "Authorization request" }).count(), { timeout: 15_000 }).toBe(1);
    const text = await page.locator("main").innerText();
    const order = ["Demo Gas & Electric", "Demo energy app is asking", "What you would share", "For how long", "For these services", "For this purpose", "agree to the", "Approve", "Signed in as"];
    const positions = order.map((t) => text.indexOf(t));
    expect(positions.every((p) => p >= 0), JSON.stringify(positions)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // §9.2.2.2 in plain words, no field names or ISO durations.
    expect(text).toContain("your meter usage from the past 1 year");
    expect(text).not.toMatch(/P1Y|segment_start|sync_until/);
    expect(await seriousViolations(page)).toEqual([]);
    expect(cspViolations).toEqual([]);
    await shoot(page, "form-desktop");

    // §7.1: both of Alex's services of the preselected account are ticked; untick the gas one (keyboard).
    const gas = page.getByLabel(/Service #SA-1001-001-GAS/);
    await expect.poll(() => gas.isChecked()).toBe(true);
    await gas.focus();
    await page.keyboard.press("Space");
    expect(await gas.isChecked()).toBe(false);

    // §9.2.1.6: a double click submits once.
    await page.getByRole("button", { name: "Approve" }).dblclick();
    await expect.poll(() => callbacks.length, { timeout: 15_000 }).toBeGreaterThan(0);
    await page.waitForTimeout(300);
    expect(callbacks).toHaveLength(1);
    const tokens = await oauth.authorizationCodeGrant(config, callbacks[0]!, { pkceCodeVerifier: started.verifier, expectedState: started.state });
    expect(tokens.authorization_details).toEqual([expect.objectContaining({ type: demoApp.scope, purpose: "dge_own_use" })]);

    // The Grant this approval made, not the one the demo data seeds.
    const rows = await grantsMadeSinceSeeding(under.database.db);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.customerSelection).toEqual([expect.objectContaining({ ids: ["sc-1001-001-electric"], numbers: ["SA-1001-001-ELECTRIC"] })]);

    // §9.4: the receipt, in a browser with no session.
    const [receipt] = await under.database.db.select().from(authorizationReceipts).where(eq(authorizationReceipts.grantId, rows[0]!.id));
    expect(rows[0]!.receiptConfirmations).toEqual([receipt!.confirmation]);
    const anonymous = await newContext();
    await anonymous.page.goto(`${server.url}/authorization-receipts/${receipt!.id}`);
    expect(await anonymous.page.locator(".confirmation").innerText()).toBe(receipt!.confirmation);
    expect(await seriousViolations(anonymous.page)).toEqual([]);
    await shoot(anonymous.page, "receipt-desktop");
    await anonymous.page.setViewportSize(MOBILE);
    expect(await anonymous.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(MOBILE.width);
    expect(await seriousViolations(anonymous.page)).toEqual([]);
    await shoot(anonymous.page, "receipt-mobile");

    // §9.4: the email, through nodemailer, at the SMTP server.
    await expect.poll(() => mails.length, { timeout: 10_000 }).toBe(1);
    expect(mails[0]!.to).toBe("alex.demo@example.org");
    expect(mails[0]!.raw).toContain(receipt!.confirmation);
    expect(mails[0]!.raw.replace(/=\r?\n/g, "")).toContain(`/authorization-receipts/${receipt!.id}`);
    expect(mails[0]!.raw).toContain("Demo Gas & Electric");
    await anonymous.context.close();
    await context.close();
  });

  it("§9.2 has a mobile layout: full-width, prominent Approve and Decline, no horizontal scrolling", async () => {
    const { context, page, callbacks } = await newContext(MOBILE);
    await page.goto((await request()).url.toString());
    await signIn(page);
    await expect.poll(() => page.getByRole("button", { name: "Approve" }).count(), { timeout: 15_000 }).toBe(1);
    const approve = page.getByRole("button", { name: "Approve" });
    const decline = page.getByRole("button", { name: "Decline" });
    const a = (await approve.boundingBox())!;
    const d = (await decline.boundingBox())!;
    expect(a.width).toBeGreaterThan(MOBILE.width * 0.8);
    expect(a.height).toBeGreaterThanOrEqual(44);
    expect(d.height).toBeGreaterThanOrEqual(44);
    // Distinct: one filled, one outlined.
    const colors = await Promise.all([approve, decline].map((b) => b.evaluate((el) => getComputedStyle(el).backgroundColor)));
    expect(colors[0]).not.toBe(colors[1]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(MOBILE.width);
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, "form-mobile");
    // §9.2.1.6: Decline needs nothing ticked.
    for (const box of await page.locator('input[name="s0.selected"]').all()) await box.setChecked(false);
    await decline.click();
    await expect.poll(() => callbacks.length, { timeout: 15_000 }).toBe(1);
    expect(callbacks[0]!.searchParams.get("error")).toBe("access_denied");
    await context.close();
  });

  it("§9.3.1 the Preselection Error page, and the error pages, pass axe at both widths", async () => {
    const { context, page } = await newContext();
    const started = await pushAuthorization(config, { authorization_details: JSON.stringify([{ type: demoApp.scope, account_numbers: ["001002-001"], error_if_no_preselections: true }]) });
    await page.goto(started.url.toString());
    await signIn(page);
    await expect.poll(() => page.getByText("do not appear to be in the profile").count(), { timeout: 15_000 }).toBe(1);
    /** Checks the page at desktop and mobile widths and saves both screenshots. */
    const both = async (name: string) => {
      for (const [width, viewport] of [["desktop", DESKTOP], ["mobile", MOBILE]] as const) {
        await page.setViewportSize(viewport);
        expect(await seriousViolations(page), `${name} at ${width}`).toEqual([]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} at ${width}`).toBeLessThanOrEqual(viewport.width);
        await shoot(page, `${name}-${width}`);
      }
      await page.setViewportSize(DESKTOP);
    };
    await both("preselection-error");

    await page.goto(`${server.url}/oauth/authorize?response_type=code&client_id=nobody&scope=cds_usage_1`);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toContain("not valid");
    await both("invalid-request-error");

    // §9.3.3: a decline, and any other error, sent to the default redirect URI.
    await page.goto(`${server.url}/oauth/default-redirect?error=access_denied`);
    expect(await page.locator("main").innerText()).toContain("You declined the request");
    await both("default-redirect-declined");
    await page.goto(`${server.url}/oauth/default-redirect?error=invalid_scope&error_description=scope%3A+not+offered`);
    expect(await page.locator("main").innerText()).toContain("could not be completed");
    await both("default-redirect-error");

    // A form another website posts to this server's pages is refused with a page saying nothing changed.
    await context.route("http://attacker.example/**", (route) =>
      route.fulfill({ status: 200, contentType: "text/html", body: `<!doctype html><title>x</title><form method="post" action="${server.url}/oauth/interaction/anything/confirm"><input type="hidden" name="decision" value="approve"><button>Win a prize</button></form>` }),
    );
    await page.goto("http://attacker.example/");
    await page.getByRole("button", { name: "Win a prize" }).click();
    await expect.poll(() => page.getByText("This form was sent from another website").count(), { timeout: 15_000 }).toBe(1);
    expect(page.url()).toContain(`${server.url}/oauth/interaction/anything/confirm`);
    await both("cross-site-post-refused");

    // An interaction that no longer exists (expired, answered, or from another browser).
    await page.goto(`${server.url}/oauth/interaction/no-such-interaction`);
    expect(await page.locator("main").innerText()).toContain("expired");
    await both("expired-request-error");
    await context.close();
  });
});
