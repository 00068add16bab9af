/**
 * The default customer driver: headless Chromium through playwright-core (an
 * optional peer dependency, loaded only when a scenario needs a customer).
 * It fills the first form with a password field, then on the consent page
 * ticks the first box of every group with nothing ticked and presses the
 * approve button. The selectors fit the reference server's Authorization
 * Form and can be overridden for another Server's pages.
 */
import type { Browser, Page, Request } from "playwright-core";
import type { AuthorizationAttempt, ConsentPageProbe, CustomerDriver, SessionStep } from "./customer-driver.js";

export interface ChromiumDriverOptions {
  /** The Chromium binary; `CHROMIUM_PATH` or Debian's `/usr/bin/chromium` by default. */
  executablePath?: string;
  usernameSelector?: string;
  passwordSelector?: string;
  /** The button that approves the request on the consent page. */
  approveSelector?: string;
  /** Form fields that carry an anti-forgery token (for the CSRF probe). */
  csrfFieldPattern?: RegExp;
  timeoutMs?: number;
}

// Off the network: no update checks, sync or component downloads.
const chromiumArgs = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export function chromiumDriver(options: ChromiumDriverOptions = {}): CustomerDriver {
  const usernameSelector = options.usernameSelector ?? 'input[name="username"], input[type="email"], input[type="text"]';
  const passwordSelector = options.passwordSelector ?? 'input[type="password"]';
  const approveSelector = options.approveSelector ?? 'button[name="decision"][value="approve"], button[value="approve"]';
  const csrfFieldPattern = options.csrfFieldPattern ?? /csrf|xsrf|authenticity/i;
  const timeout = options.timeoutMs ?? 15_000;
  let browser: Promise<Browser> | undefined;

  const launch = async (): Promise<Browser> => {
    let playwright: typeof import("playwright-core");
    try {
      playwright = await import("playwright-core");
    } catch {
      throw new Error("the default customer driver needs playwright-core installed (or pass your own customerDriver)");
    }
    return playwright.chromium.launch({ executablePath: options.executablePath ?? process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: chromiumArgs });
  };

  /** A fresh context per attempt (no session carried over); the redirect URI is answered locally, never fetched. */
  const open = async (attempt: AuthorizationAttempt) => {
    browser ??= launch();
    const context = await (await browser).newContext();
    context.setDefaultTimeout(timeout);
    const page = await context.newPage();
    let landed: string | null = null;
    await page.route(
      (url) => url.toString().startsWith(attempt.redirectUri),
      (route) => {
        landed = route.request().url();
        return route.fulfill({ status: 200, contentType: "text/plain", body: "authorization finished" });
      },
    );
    // A redirect URI on the Server's own origin (its default one, CDS-WG1-02 §4.2) can be followed by the
    // browser without reaching the route: the request is still seen, and the URL it carried is the answer.
    page.on("request", (request) => {
      if (!landed && request.url().startsWith(attempt.redirectUri)) landed = request.url();
    });
    return { context, page, landed: () => landed };
  };

  const signIn = async (page: Page, attempt: AuthorizationAttempt) => {
    if ((await page.locator(passwordSelector).count()) === 0) return;
    if (!attempt.customer) throw new Error("the Server asks the customer to sign in, but no customer credentials were given");
    await page.locator(usernameSelector).first().fill(attempt.customer.username);
    await page.locator(passwordSelector).first().fill(attempt.customer.password);
    // The *next* document's load: `waitForLoadState` resolves at once while the sign-in page itself is
    // still loaded, so on a slow Server the approve button was looked for before the answer arrived.
    const answered = page.waitForEvent("load");
    await page.locator(passwordSelector).first().press("Enter");
    await answered;
  };

  /** What a customer does when nothing is preselected: ticks the first box of each empty group. */
  const tickEmptyGroups = (page: Page) =>
    page.evaluate(() => {
      const groups = new Map<string, HTMLInputElement[]>();
      for (const box of Array.from(document.querySelectorAll<HTMLInputElement>('input[type="checkbox"], input[type="radio"]'))) {
        if (box.disabled || !box.name) continue;
        groups.set(box.name, [...(groups.get(box.name) ?? []), box]);
      }
      for (const boxes of groups.values()) if (!boxes.some((b) => b.checked)) boxes[0]!.checked = true;
    });

  /**
   * The Retry-After of the last page the Server refused with 429, if any (its main-frame navigations only).
   * A Server's rate limit is respected in the browser too: a full run can go past a per-address limit such
   * as `pnpm start`'s default, and a refused hop (say the resume after sign-in) would otherwise strand the flow.
   */
  const watchRateLimit = (page: Page) => {
    let retryAfter: number | null = null;
    page.on("response", (response) => {
      if (!response.request().isNavigationRequest() || response.frame() !== page.mainFrame()) return;
      const wait = Number(response.headers()["retry-after"]);
      retryAfter = response.status() === 429 && Number.isFinite(wait) && wait >= 0 && wait <= 60 ? wait : null;
    });
    return () => retryAfter;
  };

  const waitForLanding = async (page: Page, landed: () => string | null, limited: () => number | null = () => null) => {
    const started = Date.now();
    while (!landed() && limited() === null && Date.now() - started < timeout) await page.waitForTimeout(50);
    return landed();
  };

  /** Signs in and approves as the pages ask, until the redirect URI; a page refused with 429 is waited out and reloaded (three times at most). */
  const complete = async (page: Page, attempt: AuthorizationAttempt, landed: () => string | null, limited: () => number | null) => {
    for (let retries = 0; ; retries++) {
      if (!landed()) await signIn(page, attempt);
      if (!landed() && limited() === null && (await page.locator(approveSelector).count()) > 0) {
        await tickEmptyGroups(page);
        await page.locator(approveSelector).first().click();
      }
      const url = await waitForLanding(page, landed, limited);
      const wait = limited();
      if (url || wait === null || retries >= 3) return url;
      await page.waitForTimeout(wait * 1000 + 250);
      await page.reload();
    }
  };

  return {
    name: "chromium",
    async authorize(attempt) {
      const { context, page, landed } = await open(attempt);
      try {
        const limited = watchRateLimit(page);
        await page.goto(attempt.authorizationUrl.toString());
        const url = await complete(page, attempt, landed, limited);
        if (!url) throw new Error(`the browser never reached the redirect URI (stopped at ${new URL(page.url()).pathname}${limited() === null ? "" : ", refused 429 with Retry-After"})`);
        return new URL(url);
      } finally {
        await context.close();
      }
    },
    async probeConsentPage(attempt): Promise<ConsentPageProbe> {
      const { context, page, landed } = await open(attempt);
      try {
        let consentHeaders: Record<string, string> = {};
        page.on("response", (response) => {
          if (response.request().isNavigationRequest() && response.status() === 200) consentHeaders = response.headers();
        });
        await page.goto(attempt.authorizationUrl.toString());
        await signIn(page, attempt);
        if ((await page.locator(approveSelector).count()) === 0) throw new Error("no consent page with an approve button was reached");
        const headers = { ...consentHeaders };
        await tickEmptyGroups(page);
        await page.evaluate((pattern) => {
          const re = new RegExp(pattern, "i");
          for (const input of Array.from(document.querySelectorAll<HTMLInputElement>("form input[type=hidden]"))) if (re.test(input.name)) input.remove();
        }, csrfFieldPattern.source);
        let status = 0;
        const onRequest = async (request: Request) => {
          if (request.method() === "POST") status = (await request.response())?.status() ?? 0;
        };
        page.on("requestfinished", onRequest);
        await page.locator(approveSelector).first().click();
        await page.waitForLoadState("load");
        // A refused post ends on an error page; an accepted one redirects (3xx) on to the redirect URI.
        const started = Date.now();
        while (!landed() && !(status && (status < 300 || status >= 400)) && Date.now() - started < timeout) await page.waitForTimeout(50);
        return { headers, withoutCsrf: { status, redirectedTo: landed() } };
      } finally {
        await context.close();
      }
    },
    async authorizeInOneSession(attempts): Promise<SessionStep[]> {
      browser ??= launch();
      const context = await (await browser).newContext();
      context.setDefaultTimeout(timeout);
      let landed: string | null = null;
      // Routed on the context, so every page of the session stops at the redirect URIs.
      await context.route(
        (url) => attempts.some((a) => url.toString().startsWith(a.redirectUri)),
        (route) => {
          landed = route.request().url();
          return route.fulfill({ status: 200, contentType: "text/plain", body: "authorization finished" });
        },
      );
      try {
        const steps: SessionStep[] = [];
        for (const attempt of attempts) {
          landed = null;
          const page = await context.newPage();
          const limited = watchRateLimit(page);
          await page.goto(attempt.authorizationUrl.toString());
          const askedToSignIn = !landed && (await page.locator(passwordSelector).count()) > 0;
          const url = await complete(page, attempt, () => landed, limited);
          if (!url) throw new Error(`the browser never reached the redirect URI (stopped at ${new URL(page.url()).pathname}${limited() === null ? "" : ", refused 429 with Retry-After"})`);
          steps.push({ askedToSignIn, callback: new URL(url) });
          await page.close();
        }
        return steps;
      } finally {
        await context.close();
      }
    },
    async close() {
      if (browser) await (await browser).close();
      browser = undefined;
    },
  };
}
