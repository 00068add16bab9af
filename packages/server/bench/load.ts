/**
 * Load benchmark (issue 10 item 5), the second step of `pnpm bench`.
 *
 * Starts the reference server (child process, demo data, rate limit raised so
 * nothing is refused; a second one with the default limit for the 429 case)
 * on PGlite in a temp dir and, where the test cluster script can start one,
 * on PostgreSQL; records one answer of each operation; starts a bare Fastify
 * replaying those exact bytes (status, headers, body); then drives each with
 * autocannon in turn and prints req/s, p50, p99 and the ratio to bare.
 *
 * A bench reports: it never fails on numbers (only when a server cannot start).
 *
 *   CDS_BENCH_ONLY=metadata,clients   run only these operations (by key)
 *   CDS_BENCH_DATABASES=pglite        skip PostgreSQL
 *   CDS_BENCH_CPU_PROF=<dir>          run the serving reference server under `node --cpu-prof`
 *   CDS_BENCH_DURATION=2 CDS_BENCH_CONNECTIONS=20   seconds per run, connections
 */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import postgresCluster from "../test/setup/postgres-cluster.ts";
import { BENCH_CLIENT_SECRET, type Fixture, type TargetMessage } from "./load-shared.ts";

const DURATION = Number(process.env.CDS_BENCH_DURATION ?? 2);
const CONNECTIONS = Number(process.env.CDS_BENCH_CONNECTIONS ?? 20);
const ONLY = process.env.CDS_BENCH_ONLY?.split(",").filter(Boolean);
const DATABASES = (process.env.CDS_BENCH_DATABASES ?? "pglite,postgres").split(",");
const CPU_PROF = process.env.CDS_BENCH_CPU_PROF;
const PORTS = { serving: 8130, limited: 8131, bare: 8132 } as const;
const DEMO_CLIENT = "demo-client";

interface Session {
  /** A client_credentials access token of the demo client, from the serving server. */
  token: string;
}

interface Request {
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * One measured operation. Adding one (e.g. a Customer Data listing, a year of
 * 15-minute usage) is one entry here: the server it runs against, the request,
 * and the status its answers should carry.
 */
interface Operation {
  key: string;
  label: string;
  server: "serving" | "limited";
  expect: number;
  request(session: Session): Request;
}

const basic = `Basic ${Buffer.from(`${DEMO_CLIENT}:${BENCH_CLIENT_SECRET}`).toString("base64")}`;
const tokenRequest = (): Request => ({
  method: "POST",
  path: "/oauth/token",
  headers: { authorization: basic, "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams({ grant_type: "client_credentials", scope: "cds_client_admin" }).toString(),
});

const allOperations: Operation[] = [
  { key: "metadata", label: "GET /.well-known/cds-server-metadata.json", server: "serving", expect: 200, request: () => ({ method: "GET", path: "/.well-known/cds-server-metadata.json", headers: {} }) },
  { key: "coverage", label: "GET /cds-coverage.json (a page)", server: "serving", expect: 200, request: () => ({ method: "GET", path: "/cds-coverage.json", headers: {} }) },
  { key: "token", label: "POST /oauth/token client_credentials", server: "serving", expect: 200, request: tokenRequest },
  { key: "clients", label: "GET /cds-api/v1/clients (bearer)", server: "serving", expect: 200, request: (s) => ({ method: "GET", path: "/cds-api/v1/clients", headers: { authorization: `Bearer ${s.token}` } }) },
  { key: "limited", label: "429: metadata, default limit, one address", server: "limited", expect: 429, request: () => ({ method: "GET", path: "/.well-known/cds-server-metadata.json", headers: {} }) },
];
const operations = allOperations.filter((op) => !ONLY || ONLY.includes(op.key));

// ---- child processes -------------------------------------------------------

const targetScript = fileURLToPath(new URL("./load-target.ts", import.meta.url));

interface Target {
  url: string;
  child: ChildProcess;
}

async function startTarget(args: string[], options: { execArgv?: string[]; fixtures?: Fixture[] } = {}): Promise<Target> {
  const child = fork(targetScript, args, { execArgv: [...process.execArgv, ...(options.execArgv ?? [])], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  if (options.fixtures) child.send(options.fixtures);
  const url = await new Promise<string>((resolve, reject) => {
    child.once("message", (message: TargetMessage) => ("ready" in message ? resolve(message.ready) : reject(new Error(message.error))));
    child.once("exit", (code) => reject(new Error(`${args[0]} target exited with ${code} before it was ready`)));
  });
  return { url, child };
}

async function stopTarget(target: Target | undefined): Promise<void> {
  if (!target || target.child.exitCode !== null) return;
  const exited = new Promise((resolve) => target.child.once("exit", resolve));
  target.child.send("stop");
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
  if (target.child.exitCode === null) target.child.kill();
}

// ---- measuring -------------------------------------------------------------

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  /** Share of answers with the expected status. */
  expectedShare: number;
  errors: number;
}

async function drive(url: string, request: Request, expect: number, duration = DURATION): Promise<Figures> {
  const result = await autocannon({
    url: `${url}${request.path}`,
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
    connections: CONNECTIONS,
    duration,
  });
  const stats: Record<string, { count?: number }> = result.statusCodeStats ?? {};
  const answered = Object.values(stats).reduce((sum, s) => sum + (s.count ?? 0), 0);
  const expected = stats[String(expect)]?.count ?? 0;
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, expectedShare: answered ? expected / answered : 0, errors: result.errors };
}

/** One answer of the reference server, to be replayed by the bare Fastify. */
async function record(url: string, request: Request, expect: number, barePath: string): Promise<Fixture> {
  // The 429 case: spend the window's budget first (the default limit is a few hundred a minute).
  for (let i = 0; i < 5000; i++) {
    const res = await fetch(`${url}${request.path}`, { method: request.method, headers: request.headers, ...(request.body === undefined ? {} : { body: request.body }) });
    const body = Buffer.from(await res.arrayBuffer());
    if (res.status !== expect && expect !== 429) throw new Error(`${request.method} ${request.path} answered ${res.status}, expected ${expect}: ${body.toString().slice(0, 300)}`);
    if (res.status !== expect) continue;
    const headers: Record<string, string> = {};
    const hopByHop = new Set(["date", "connection", "keep-alive", "content-length", "transfer-encoding"]);
    res.headers.forEach((value, name) => {
      if (!hopByHop.has(name)) headers[name] = value;
    });
    return { method: request.method, path: barePath, status: res.status, headers, body: body.toString("base64") };
  }
  throw new Error(`${request.path} never answered ${expect}`);
}

async function getToken(url: string): Promise<string> {
  const request = tokenRequest();
  const res = await fetch(`${url}${request.path}`, { method: "POST", headers: request.headers, body: request.body! });
  const body = (await res.json()) as { access_token?: string };
  if (!res.ok || !body.access_token) throw new Error(`token request answered ${res.status}`);
  return body.access_token;
}

// ---- the run ---------------------------------------------------------------

interface Row {
  database: string;
  op: Operation;
  reference: Figures;
  bare: Figures;
}

const rows: Row[] = [];

async function benchDatabase(database: string, databaseUrl: string | undefined): Promise<void> {
  const extra = databaseUrl ? [databaseUrl] : [];
  const profile = CPU_PROF ? ["--cpu-prof", "--cpu-prof-dir", CPU_PROF, "--cpu-prof-name", `server-${database}-${ONLY?.join("+") ?? "all"}-${Date.now()}.cpuprofile`] : [];
  const targets: Partial<Record<"serving" | "limited" | "bare", Target>> = {};
  try {
    const started = Date.now();
    targets.serving = await startTarget(["reference", String(PORTS.serving), "1000000", ...extra], { execArgv: profile });
    if (operations.some((op) => op.server === "limited")) targets.limited = await startTarget(["reference", String(PORTS.limited), "300", ...extra]);
    console.log(`[load bench] ${database}: reference server${targets.limited ? "s" : ""} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const session: Session = { token: await getToken(targets.serving.url) };

    // The bare Fastify replays this database's bytes, and is measured right after each
    // reference run, so both see the same machine (shared, two cores) at the same time.
    const fixtures: Fixture[] = [];
    for (const [i, op] of operations.entries()) fixtures.push(await record(targets[op.server]!.url, op.request(session), op.expect, `/op/${i}${op.request(session).path}`));
    targets.bare = await startTarget(["bare", String(PORTS.bare)], { fixtures });
    // A short unrecorded run against each, so neither is measured cold (JIT, connection pools).
    const first = operations.find((op) => op.server === "serving");
    if (first) {
      const request = first.request(session);
      await drive(targets.serving.url, request, first.expect, 1);
      await drive(targets.bare.url, { ...request, path: `/op/${operations.indexOf(first)}${request.path}` }, first.expect, 1);
    }
    for (const [i, op] of operations.entries()) {
      const request = op.request(session);
      const reference = await drive(targets[op.server]!.url, request, op.expect);
      const bare = await drive(targets.bare.url, { ...request, path: `/op/${i}${request.path}` }, op.expect);
      rows.push({ database, op, reference, bare });
      console.log(`[load bench] ${database} ${op.key}: ${Math.round(reference.rps)} req/s (bare ${Math.round(bare.rps)})`);
    }
  } finally {
    await Promise.all([stopTarget(targets.serving), stopTarget(targets.limited), stopTarget(targets.bare)]);
  }
}

function printTable(): void {
  const ms = (v: number) => `${v} ms`;
  const header = ["database", "operation", "reference req/s", "p50", "p99", "bare req/s", "p50", "p99", "ratio", "expected status"];
  const lines = rows.map((r) => [
    r.database,
    r.op.label,
    Math.round(r.reference.rps).toLocaleString("en"),
    ms(r.reference.p50),
    ms(r.reference.p99),
    Math.round(r.bare.rps).toLocaleString("en"),
    ms(r.bare.p50),
    ms(r.bare.p99),
    `${((100 * r.reference.rps) / r.bare.rps).toFixed(1)}%`,
    `${r.op.expect}: ${(100 * r.reference.expectedShare).toFixed(1)}%${r.reference.errors ? `, ${r.reference.errors} errors` : ""}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  console.log(`\nLoad benchmark: autocannon, ${CONNECTIONS} connections, ${DURATION} s per run, server and bare Fastify each in their own process`);
  console.log(row(header));
  console.log(row(widths.map((w) => "-".repeat(w))));
  for (const l of lines) console.log(row(l));
}

if (DATABASES.includes("pglite")) await benchDatabase("PGlite", undefined);
if (DATABASES.includes("postgres")) {
  // The test suite's throwaway cluster (Debian binaries, temp dir, free port), started the same way.
  let url: string | null = null;
  let reason = "";
  const teardown = await postgresCluster({
    provide(key: string, value: unknown) {
      if (key === "postgresUrl") url = value as string | null;
      if (key === "postgresSkipReason") reason = value as string;
    },
  } as unknown as Parameters<typeof postgresCluster>[0]).catch((error: Error) => {
    reason = error.message;
    return undefined;
  });
  try {
    if (url) await benchDatabase("PostgreSQL", url);
    else console.log(`[load bench] PostgreSQL skipped: ${reason}`);
  } finally {
    await teardown?.();
  }
}
printTable();
