/**
 * Soak benchmark (issue 16 item 5), the last step of `pnpm bench`: a mixed
 * workload at a fixed rate (300 req/s by default) for 60 s against the
 * reference server (its own process, demo data) on PGlite in a temp dir and
 * on PostgreSQL (a throwaway cluster of its own), then once more on
 * PostgreSQL with the database stopped for a few seconds in the middle.
 *
 * The mix, in every 10 requests: 2 metadata documents, 2 client_credentials
 * tokens, 2 Clients listings, 1 Grants listing, 2 Customer Data reads
 * (usage segments through Direct Access) and 1 registration (registration has
 * its own limit of 10 a minute per address, so most are 429: counted as
 * expected). Requests are sent on schedule whatever the answers take (an
 * open model: a slow server gets a queue, not a politer client).
 *
 * Printed: requests sent, errors (5xx other than the restart's 503s, network
 * errors, any status the operation does not expect), 503s, p50 and p99 of
 * every answer, RSS of the server process at the start and at the end (a
 * leak shows as growth). A bench reports: it never fails on numbers.
 *
 *   CDS_SOAK_RATE=300 CDS_SOAK_DURATION=60   requests per second, seconds per run
 *   CDS_SOAK_DATABASES=pglite,postgres,postgres-restart
 */
import { fork, type ChildProcess } from "node:child_process";
import { Agent, request as httpRequest } from "node:http";
import { readFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { startOwnPostgres, type OwnPostgres } from "../test/helpers/own-postgres.ts";
import { clientCredentialsRequest, type LoadRequest, type TargetMessage } from "./load-shared.ts";

const RATE = Number(process.env.CDS_SOAK_RATE ?? 300);
const DURATION = Number(process.env.CDS_SOAK_DURATION ?? 60);
const RUNS = (process.env.CDS_SOAK_DATABASES ?? "pglite,postgres,postgres-restart").split(",");
/**
 * Kept-alive connections to the server, at most this many: beyond them, requests wait in the client's
 * queue (their latency counts from when they were due). Unbounded, a slow server made the generator
 * open thousands of sockets, and the failures measured were the client's own.
 */
const SOCKETS = Number(process.env.CDS_SOAK_SOCKETS ?? 64);
/** How long the database stays stopped in the restart run. */
const OUTAGE_MS = 3000;

interface Op {
  key: string;
  request: LoadRequest;
  expect: number[];
}

async function startReference(databaseUrl: string | undefined): Promise<{ url: string; child: ChildProcess }> {
  const script = fileURLToPath(new URL("./load-target.ts", import.meta.url));
  const child = fork(script, ["reference", "1000000", ...(databaseUrl ? [databaseUrl] : [])], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("message", (message: TargetMessage) => ("ready" in message ? resolve(message.ready) : reject(new Error("error" in message ? message.error : "unexpected message"))));
    child.once("exit", (code) => reject(new Error(`the reference server exited with ${code} before it was ready`)));
  });
  return { url, child };
}

async function stopReference(target: { child: ChildProcess }): Promise<void> {
  if (target.child.exitCode !== null) return;
  const exited = new Promise((resolve) => target.child.once("exit", resolve));
  target.child.send("stop");
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
  if (target.child.exitCode === null) target.child.kill();
}

/** Resident set size of a process in MiB (Linux /proc), or NaN elsewhere. */
async function rssMiB(pid: number | undefined): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return kib / 1024;
}

async function token(url: string, clientId: string, scope: string): Promise<string> {
  const request = clientCredentialsRequest(clientId, scope);
  const res = await fetch(`${url}${request.path}`, { method: "POST", headers: request.headers, body: request.body! });
  const body = (await res.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`token for ${clientId} answered ${res.status}`);
  return body.access_token;
}

async function mix(url: string): Promise<Op[]> {
  const admin = { authorization: `Bearer ${await token(url, "demo-client", "cds_client_admin")}` };
  const direct = { authorization: `Bearer ${await token(url, "demo-direct-access", "cds_query_usage_1")}` };
  const metadata: Op = { key: "metadata", request: { method: "GET", path: "/.well-known/cds-server-metadata.json", headers: {} }, expect: [200] };
  const tokenOp: Op = { key: "token", request: clientCredentialsRequest("demo-client", "cds_client_admin"), expect: [200] };
  const clients: Op = { key: "clients", request: { method: "GET", path: "/cds-api/v1/clients", headers: admin }, expect: [200] };
  const grants: Op = { key: "grants", request: { method: "GET", path: "/cds-api/v1/grants", headers: admin }, expect: [200] };
  const usage: Op = { key: "usage", request: { method: "GET", path: "/cds-customerdata-api/v1/usage-segments?page_size=100", headers: direct }, expect: [200] };
  const register: Op = {
    key: "register",
    request: { method: "POST", path: "/oauth/register", headers: { "content-type": "application/json" }, body: JSON.stringify({ client_name: "Soak", scope: "cds_client_admin" }) },
    expect: [201, 429],
  };
  return [metadata, tokenOp, clients, usage, register, metadata, tokenOp, clients, grants, usage];
}

interface Result {
  run: string;
  /** Answers received per second of the run (the rate the server kept up with). */
  answeredPerSecond: number;
  sent: number;
  errors: number;
  unavailable: number;
  p50: number;
  p99: number;
  rssStart: number;
  rssEnd: number;
  firstErrors: string[];
  perOp: Record<string, number>;
  load: number;
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN);

async function soak(run: string, databaseUrl: string | undefined, cluster: OwnPostgres | null): Promise<Result> {
  const target = await startReference(databaseUrl);
  try {
    const ops = await mix(target.url);
    // A short warm-up (JIT, pools), not measured.
    for (let i = 0; i < 50; i++) {
      const op = ops[i % ops.length]!;
      await (await fetch(`${target.url}${op.request.path}`, { method: op.request.method, headers: op.request.headers, ...(op.request.body ? { body: op.request.body } : {}) })).arrayBuffer();
    }
    const rssStart = await rssMiB(target.child.pid);
    const latencies: number[] = [];
    const perOp: Record<string, number> = {};
    const firstErrors: string[] = [];
    let errors = 0;
    let unavailable = 0;
    let sent = 0;
    const inFlight = new Set<Promise<void>>();
    let stopped = false;
    const agent = new Agent({ keepAlive: true, maxSockets: SOCKETS });
    const base = new URL(target.url);
    /** One request on the bounded agent: its status once the whole body has arrived. */
    const send = (op: Op) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest({ host: base.hostname, port: base.port, path: op.request.path, method: op.request.method, headers: op.request.headers, agent, timeout: 30_000 }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
          res.on("error", reject);
        });
        req.on("timeout", () => req.destroy(new Error("no answer within 30 s")));
        req.on("error", reject);
        req.end(op.request.body);
      });
    const fire = (op: Op) => {
      sent++;
      const started = performance.now();
      const done = send(op)
        .then((status) => {
          latencies.push(performance.now() - started);
          if (status === 503 && cluster) unavailable++;
          else if (!op.expect.includes(status)) {
            errors++;
            perOp[op.key] = (perOp[op.key] ?? 0) + 1;
            if (firstErrors.length < 5) firstErrors.push(`${op.key} ${status}`);
          }
        })
        .catch((error: Error & { code?: string }) => {
          // After the run, the agent's destruction fails what it still held: counted as unanswered.
          if (stopped) return;
          errors++;
          perOp[op.key] = (perOp[op.key] ?? 0) + 1;
          if (firstErrors.length < 5) firstErrors.push(`${op.key} ${error.code ?? error.message}`);
        })
        .finally(() => inFlight.delete(done));
      inFlight.add(done);
    };
    const start = performance.now();
    let restart: Promise<void> | undefined;
    // Every 10 ms, as many requests as the schedule owes: an open-model rate, however slow the answers.
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const elapsed = (performance.now() - start) / 1000;
        if (elapsed >= DURATION) {
          clearInterval(timer);
          resolve();
          return;
        }
        const owed = Math.floor(elapsed * RATE) - sent;
        for (let i = 0; i < owed; i++) fire(ops[sent % ops.length]!);
        if (cluster && !restart && elapsed >= DURATION / 2) {
          restart = (async () => {
            await cluster.stop("fast");
            await new Promise((r) => setTimeout(r, OUTAGE_MS));
            await cluster.start();
          })();
        }
      }, 10);
    });
    await restart;
    // Answers still owed 10 s after the schedule ends are errors: the server did not keep up.
    const drained = await Promise.race([Promise.all(inFlight).then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 10_000))]);
    const unanswered = drained ? 0 : inFlight.size;
    const rssEnd = await rssMiB(target.child.pid);
    stopped = true;
    agent.destroy();
    errors += unanswered;
    if (unanswered) firstErrors.push(`${unanswered} unanswered 10 s after the run`);
    latencies.sort((a, b) => a - b);
    const answeredPerSecond = latencies.length / DURATION;
    return { run, answeredPerSecond, sent, errors, unavailable, p50: percentile(latencies, 50), p99: percentile(latencies, 99), rssStart, rssEnd, firstErrors, perOp, load: loadavg()[0]! };
  } finally {
    await stopReference(target);
  }
}

const results: Result[] = [];
if (RUNS.includes("pglite")) results.push(await soak("PGlite", undefined, null));
if (RUNS.some((r) => r.startsWith("postgres"))) {
  let cluster: OwnPostgres | null = null;
  try {
    cluster = await startOwnPostgres();
  } catch (error) {
    console.log(`[soak bench] PostgreSQL skipped: ${(error as Error).message}`);
  }
  if (cluster) {
    try {
      if (RUNS.includes("postgres")) results.push(await soak("PostgreSQL", cluster.url, null));
      if (RUNS.includes("postgres-restart")) results.push(await soak(`PostgreSQL, stopped ${OUTAGE_MS / 1000} s mid-run`, cluster.url, cluster));
    } finally {
      await cluster.destroy();
    }
  }
}

const ms = (v: number) => `${v.toFixed(1)} ms`;
const mib = (v: number) => (Number.isNaN(v) ? "n/a" : `${v.toFixed(0)} MiB`);
console.log(`\nSoak benchmark: ${RATE} req/s for ${DURATION} s, mixed workload (metadata, token, Clients and Grants listings, usage segments, registration), open model, at most ${SOCKETS} connections`);
console.log("| run | sent | answered/s | errors | 503 (outage) | p50 | p99 | RSS start | RSS end | load avg | first errors |");
console.log("|---|---|---|---|---|---|---|---|---|---|---|");
for (const r of results) {
  console.log(`| ${r.run} | ${r.sent} | ${r.answeredPerSecond.toFixed(0)} | ${r.errors} | ${r.unavailable} | ${ms(r.p50)} | ${ms(r.p99)} | ${mib(r.rssStart)} | ${mib(r.rssEnd)} | ${r.load.toFixed(1)} | ${r.firstErrors.join("; ")} |`);
}
