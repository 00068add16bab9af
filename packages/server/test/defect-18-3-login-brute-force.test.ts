/**
 * Issue 18, defect 3: no brute-force limit on the customer login. Failed
 * attempts are now limited per account and per address with a doubling
 * delay, and password hashing runs in a bounded pool (queue, then 503).
 */
import { beforeEach, describe, expect, it } from "vitest";
import { HashPool, HashPoolBusyError } from "../src/customers/hash-pool.ts";
import { LoginThrottle } from "../src/customers/login-throttle.ts";
import { seedDemoData } from "../src/demo/seed.ts";
import { generateClientSecret } from "../src/oauth/client-secrets.ts";
import type { CdsServer } from "../src/server.ts";
import { customer, discoverApp, openLogin, pushAuthorization } from "./helpers/authorization-code.ts";
import { Browser } from "./helpers/browser.ts";
import { describeEachDatabase } from "./helpers/databases.ts";
import { useListeningServer } from "./helpers/servers.ts";

describe("LoginThrottle", () => {
  it("allows the free failures, then refuses with a doubling delay, right password or not", () => {
    let now = 1_000_000;
    const throttle = new LoginThrottle({ freeFailuresPerAccount: 3, freeFailuresPerAddress: 100, baseDelayMs: 1000 }, () => now);
    for (let i = 0; i < 3; i++) {
      const v = throttle.begin("Alex", "10.0.0.1");
      expect(v.allowed).toBe(true);
      if (v.allowed) v.release();
      throttle.recordFailure("alex", "10.0.0.1");
    }
    // The fourth attempt for the account, from any address, waits 1 s; after another failure, 2 s.
    const locked = throttle.begin("ALEX", "10.9.9.9");
    expect(locked).toMatchObject({ allowed: false, reason: "account", retryAfterSeconds: 1 });
    now += 1000;
    const again = throttle.begin("alex", "10.9.9.9");
    expect(again.allowed).toBe(true);
    if (again.allowed) again.release();
    throttle.recordFailure("alex", "10.9.9.9");
    expect(throttle.begin("alex", "10.9.9.9")).toMatchObject({ allowed: false, retryAfterSeconds: 2 });
    // Another account is not affected.
    expect(throttle.begin("sam", "10.9.9.9").allowed).toBe(true);
  });

  it("limits one address across accounts and caps its attempts in flight", () => {
    const throttle = new LoginThrottle({ freeFailuresPerAddress: 2, maxInFlightPerAddress: 1 });
    const first = throttle.begin("a", "10.0.0.2");
    expect(first.allowed).toBe(true);
    expect(throttle.begin("b", "10.0.0.2")).toMatchObject({ allowed: false, reason: "in-flight" });
    expect(throttle.begin("b", "10.0.0.3").allowed).toBe(true);
    if (first.allowed) first.release();
    throttle.recordFailure("a", "10.0.0.2");
    throttle.recordFailure("b", "10.0.0.2");
    expect(throttle.begin("c", "10.0.0.2")).toMatchObject({ allowed: false, reason: "address" });
  });
});

describe("HashPool", () => {
  it("runs at most `concurrency` at once, queues `maxQueued`, refuses the rest with a retry hint", async () => {
    const pool = new HashPool({ concurrency: 1, maxQueued: 1 });
    let running = 0;
    let peak = 0;
    const gates: (() => void)[] = [];
    const work = () =>
      pool.run(async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise<void>((resolve) => gates.push(resolve));
        running--;
      });
    const a = work();
    const b = work();
    await expect(work()).rejects.toBeInstanceOf(HashPoolBusyError);
    while (gates.length) {
      gates.shift()!();
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all([a, b]);
    expect(peak).toBe(1);
  });
});

describe("HashPool priorities", () => {
  /** Work that runs until its gate opens; records the order it started in. */
  const gated = (pool: HashPool, started: string[], name: string, priority: "clean" | "suspect") => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const done = pool.run(async () => {
      started.push(name);
      await gate;
    }, priority);
    return { open, done };
  };
  const tick = () => new Promise((r) => setTimeout(r, 5));

  it("starts suspect work only when no clean work runs or waits, and clean work first", async () => {
    const pool = new HashPool({ concurrency: 2, maxQueued: 8 });
    const started: string[] = [];
    const c1 = gated(pool, started, "c1", "clean");
    // A clean hash is running: the suspect waits even though a slot is free.
    const s1 = gated(pool, started, "s1", "suspect");
    await tick();
    expect(started).toEqual(["c1"]);
    const c2 = gated(pool, started, "c2", "clean");
    const c3 = gated(pool, started, "c3", "clean");
    await tick();
    expect(started).toEqual(["c1", "c2"]);
    c1.open();
    await tick();
    // The freed slot goes to the waiting clean hash, not to the suspect that came earlier.
    expect(started).toEqual(["c1", "c2", "c3"]);
    c2.open();
    c3.open();
    await Promise.all([c1.done, c2.done, c3.done]);
    await tick();
    expect(started).toEqual(["c1", "c2", "c3", "s1"]);
    s1.open();
    await s1.done;
  });

  it("keeps a slot free of suspect work, and gives up on a suspect that waits too long", async () => {
    const pool = new HashPool({ concurrency: 2, maxQueued: 8, suspectMaxWaitMs: 30 });
    const started: string[] = [];
    const s1 = gated(pool, started, "s1", "suspect");
    const s2 = gated(pool, started, "s2", "suspect");
    await tick();
    expect(started).toEqual(["s1"]);
    // A clean hash arriving while a suspect runs starts at once, in the slot suspects may not take.
    const c1 = gated(pool, started, "c1", "clean");
    await tick();
    expect(started).toEqual(["s1", "c1"]);
    await expect(s2.done).rejects.toBeInstanceOf(HashPoolBusyError);
    s1.open();
    c1.open();
    await Promise.all([s1.done, c1.done]);
    expect(started).not.toContain("s2");
  });
});

describe("LoginThrottle before the body is read", () => {
  it("refuses a locked address or one with an attempt in flight, whatever the username", () => {
    const throttle = new LoginThrottle({ freeFailuresPerAddress: 1, baseDelayMs: 4000 });
    expect(throttle.addressRefusal("10.0.0.7")).toBeNull();
    const first = throttle.begin("alex", "10.0.0.7");
    expect(throttle.addressRefusal("10.0.0.7")).toEqual({ retryAfterSeconds: 1, reason: "in-flight" });
    if (first.allowed) first.release();
    expect(throttle.hasRecentFailures("alex", "10.0.0.8")).toBe(false);
    throttle.recordFailure("alex", "10.0.0.7");
    expect(throttle.addressRefusal("10.0.0.7")).toEqual({ retryAfterSeconds: 4, reason: "address" });
    expect(throttle.addressRefusal("10.0.0.8")).toBeNull();
    // The account's failure marks it from any address, and the address for any account.
    expect(throttle.hasRecentFailures("ALEX", "10.0.0.8")).toBe(true);
    expect(throttle.hasRecentFailures("sam", "10.0.0.7")).toBe(true);
    expect(throttle.hasRecentFailures("sam", "10.0.0.8")).toBe(false);
  });
});

describeEachDatabase("issue 18 defect 3: login brute-force limit", (under) => {
  let server: CdsServer;
  let secret: string;
  useListeningServer(under, (started) => (server = started));
  beforeEach(async () => {
    secret = generateClientSecret();
    await seedDemoData(under.database.db, secret);
  });

  it("wrong passwords past the allowance, then the right one: 429 with Retry-After, not signed in", async () => {
    const browser = new Browser(server.url);
    const started = await pushAuthorization(await discoverApp(server.url, secret));
    let page = await openLogin(browser, started.url);
    for (let i = 0; i < 5; i++) {
      const res = await browser.submit(page, "/login", { username: customer.username, password: `wrong-${i}-password` });
      expect(res.status).toBe(200);
      page = await res.text();
      expect(page).toContain('name="password"');
    }
    const right = await browser.submit(page, "/login", customer);
    expect(right.status).toBe(429);
    expect(Number(right.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(right.headers.get("content-type")).toMatch(/^text\/html/);
    expect(browser.cookieNames().some((n) => n.startsWith("_session"))).toBe(false);
  });
});
