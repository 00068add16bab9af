/**
 * Issue 18, defect 3: a password-guessing burst from one address must not
 * starve everyone else's login. Measured in one run: other customers' login
 * latency alone (the baseline), then the same logins while one address
 * fires wrong passwords as fast as it can, 16 at a time. Target: p99 under
 * 2 s during the burst; the ratio to the baseline is printed, since on a
 * shared machine the absolute figure mostly measures the other load.
 *
 * The server runs in a child process (login-burst-server.ts, from `dist/`),
 * so the burst's HTTP client does not share the server's event loop.
 * `CDS_BENCH_CPU_PROF=<dir>` runs it under `node --cpu-prof` (read the
 * profile with profile-top.ts).
 */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import * as oauth from "openid-client";
import { afterAll, beforeAll, expect, test } from "vitest";
import { demoApp } from "../src/demo/demo-app.ts";

const customer = { username: "alex.demo", password: "sandbox-alex-2024" };
const SECRET = "bench-secret-0123456789abcdefghijklmnopqrstuvwxyz";
const CPU_PROF = process.env.CDS_BENCH_CPU_PROF;

let child: ChildProcess;
let serverUrl: string;
let config: oauth.Configuration;

beforeAll(async () => {
  const script = fileURLToPath(new URL("./login-burst-server.ts", import.meta.url));
  child = fork(script, [SECRET], { execArgv: CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${CPU_PROF}`] : [], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  serverUrl = await new Promise<string>((resolve, reject) => {
    child.once("message", (message: { ready: string }) => resolve(message.ready));
    child.once("exit", (code) => reject(new Error(`the bench server exited with ${code} before it was ready`)));
  });
  config = await oauth.discovery(new URL(serverUrl), demoApp.clientId, undefined, oauth.ClientSecretBasic(SECRET), { algorithm: "oauth2", execute: [oauth.allowInsecureRequests] });
}, 120_000);
afterAll(async () => {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.send("stop");
  await exited;
});

/** A login form ready to post, as a browser has it after opening the sign-in page: action URL, cookie and form token. */
async function openInteraction(address: string): Promise<{ action: string; cookie: string; csrf: string }> {
  const verifier = oauth.randomPKCECodeVerifier();
  const url = await oauth.buildAuthorizationUrlWithPAR(config, {
    redirect_uri: demoApp.redirectUri,
    scope: demoApp.scope,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state: oauth.randomState(),
  });
  const res = await fetch(url, { redirect: "manual", headers: { "x-forwarded-for": address } });
  const location = new URL(res.headers.get("location")!, serverUrl);
  const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const page = await fetch(location, { headers: { cookie, "x-forwarded-for": address } });
  const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (page.status !== 200 || !csrf) throw new Error(`sign-in page answered ${page.status}`);
  return { action: `${location.toString()}/login`, cookie, csrf };
}

async function login(form: { action: string; cookie: string; csrf: string }, address: string, credentials: { username: string; password: string }): Promise<number> {
  const res = await fetch(form.action, {
    method: "POST",
    redirect: "manual",
    headers: { cookie: form.cookie, "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": address },
    body: new URLSearchParams({ ...credentials, csrf: form.csrf }).toString(),
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

const p50 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
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
    `login p50/p99: idle ${p50(baseline).toFixed(0)}/${p99(baseline).toFixed(0)} ms, during a 16-way guessing burst from one address ${p50(during).toFixed(0)}/${p99(during).toFixed(0)} ms (p99 ${ratio.toFixed(2)}x the baseline); ` +
      `attacker answers: ${[...outcomes].map(([s, n]) => `${n}x ${s}`).join(", ")}`,
  );
  // A bench reports against its target (other customers' p99 < 2 s); it never fails on numbers.
  console.log(`target: p99 during the burst < 2000 ms: ${p99(during) < 2000 ? "met" : "missed"}`);
  // That the burst is refused, not served, is behaviour rather than speed: it stays an assertion.
  expect(outcomes.get(429) ?? 0).toBeGreaterThan(outcomes.get(200) ?? 0);
}, 300_000);
