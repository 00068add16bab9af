/**
 * Issue 18, defect 3: a password-guessing burst from one address must not
 * starve everyone else's login. Measured in one run: other customers' login
 * latency alone (the baseline), then the same logins while one address
 * fires wrong passwords as fast as it can. Target: p99 under 2 s during the
 * burst; the ratio to the baseline is printed.
 */
import * as oauth from "openid-client";
import { afterAll, beforeAll, expect, test } from "vitest";
import { parseConfig } from "../src/config/index.ts";
import { openDatabase, type Database } from "../src/db/index.ts";
import { demoApp } from "../src/demo/demo-app.ts";
import { createServer, type CdsServer } from "../src/server.ts";

const customer = { username: "alex.demo", password: "sandbox-alex-2024" };
const SECRET = "bench-secret-0123456789abcdefghijklmnopqrstuvwxyz";

let database: Database;
let server: CdsServer;
let config: oauth.Configuration;

beforeAll(async () => {
  database = await openDatabase({ kind: "pglite", dataDir: null });
  // trust-proxy: each simulated customer gets its own address through X-Forwarded-For.
  server = await createServer({ config: parseConfig({ port: "0", logLevel: "warn", rateLimitPerMinute: "1000000", trustProxy: "true", demoData: "true", demoClientSecret: SECRET }), database, logStream: { write() {} } });
  await server.listen();
  config = await oauth.discovery(new URL(server.url), demoApp.clientId, undefined, oauth.ClientSecretBasic(SECRET), { algorithm: "oauth2", execute: [oauth.allowInsecureRequests] });
}, 120_000);
afterAll(async () => {
  await server?.close();
  await database?.close();
});

/** A login form ready to post: its action URL and the interaction cookie. */
async function openInteraction(address: string): Promise<{ action: string; cookie: string }> {
  const verifier = oauth.randomPKCECodeVerifier();
  const url = await oauth.buildAuthorizationUrlWithPAR(config, {
    redirect_uri: demoApp.redirectUri,
    scope: demoApp.scope,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state: oauth.randomState(),
  });
  const res = await fetch(url, { redirect: "manual", headers: { "x-forwarded-for": address } });
  const location = new URL(res.headers.get("location")!, server.url);
  const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  return { action: `${location.toString()}/login`, cookie };
}

async function login(form: { action: string; cookie: string }, address: string, credentials: { username: string; password: string }): Promise<number> {
  const res = await fetch(form.action, {
    method: "POST",
    redirect: "manual",
    headers: { cookie: form.cookie, "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": address },
    body: new URLSearchParams(credentials).toString(),
  });
  await res.arrayBuffer();
  return res.status;
}

/** Latencies (ms) of `count` customer logins, two at a time, each from its own address. */
async function customerLogins(count: number, tag: string): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const address = `10.${tag === "idle" ? 1 : 2}.${Math.floor(i / 250)}.${i % 250}`;
      const form = await openInteraction(address);
      const started = performance.now();
      const status = await login(form, address, customer);
      latencies.push(performance.now() - started);
      if (status !== 303) throw new Error(`customer login answered ${status}`);
    }
  };
  await Promise.all([worker(), worker()]);
  return latencies;
}

const p99 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(values.length * 0.99) - 1)]!;

test("customers' logins during a password-guessing burst from one address (p99 < 2 s)", async () => {
  const baseline = await customerLogins(12, "idle");

  const attacker = "10.66.66.66";
  const attackerForm = await openInteraction(attacker);
  let stop = false;
  const outcomes = new Map<number, number>();
  const guess = async (worker: number) => {
    for (let i = 0; !stop; i++) {
      const status = await login(attackerForm, attacker, { username: `guess-${worker}-${i % 7}`, password: `wrong-password-${i}` });
      outcomes.set(status, (outcomes.get(status) ?? 0) + 1);
    }
  };
  // Sixteen parallel guessers, as in the probe.
  const burst = Promise.all(Array.from({ length: 16 }, (_, w) => guess(w)));
  const during = await customerLogins(24, "burst");
  stop = true;
  await burst;

  const ratio = p99(during) / p99(baseline);
  console.log(
    `login p99: idle ${p99(baseline).toFixed(0)} ms, during a 16-way guessing burst from one address ${p99(during).toFixed(0)} ms (${ratio.toFixed(2)}x the baseline); ` +
      `attacker answers: ${[...outcomes].map(([s, n]) => `${n}x ${s}`).join(", ")}`,
  );
  // A bench reports against its target (other customers' p99 < 2 s); it never fails on numbers.
  console.log(`target: p99 during the burst < 2000 ms: ${p99(during) < 2000 ? "met" : "missed"}`);
  // That the burst is refused, not served, is behaviour rather than speed: it stays an assertion.
  expect(outcomes.get(429) ?? 0).toBeGreaterThan(outcomes.get(200) ?? 0);
}, 300_000);
