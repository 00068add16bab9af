/**
 * Load benchmark (issue 10 item 5), the second step of `pnpm bench`.
 *
 * Starts the reference server (child process, demo data, rate limit raised so
 * nothing is refused; a second one with the default limit for the 429 case)
 * on PGlite in a temp dir and, where the test cluster script can start one,
 * on PostgreSQL; records one answer of each operation; starts a bare Fastify
 * replaying those exact bytes (status, headers, body); then drives each with
 * autocannon as alternating reference/bare pairs of short runs, and prints
 * req/s, p50, p99 (medians over the pairs) and the median ratio to bare with
 * its spread. On a shared machine one window can be 2–5× slower than the
 * next; pairing each reference run with a bare run right after it, and
 * taking the median of several pairs, keeps one unlucky window from
 * deciding the figure, and the spread shows how far to trust it.
 *
 * The operations are the scenario modules in load-scenarios/ (each exports
 * `scenarios: LoadScenario[]`, see load-shared.ts), run in file name order:
 * adding a scenario is adding a file.
 *
 * A scenario marked `prism` is also measured against Prism mocking the
 * CDS-WG3-01 OpenAPI document (./prism.ts; first database only), the
 * generic-mock baseline of issue 12.
 *
 * A bench reports: it never fails on numbers (only when a server cannot start).
 *
 *   CDS_BENCH_PRISM=0                 leave Prism out
 *   CDS_BENCH_ONLY=metadata,clients   run only these operations (by key)
 *   CDS_BENCH_DATABASES=pglite        skip PostgreSQL
 *   CDS_BENCH_CPU_PROF=<dir>          a CPU profile of each reference run, <dir>/<database>-<key>.cpuprofile
 *                                     (summarise one with `node packages/server/bench/profile-top.ts <file> 999`)
 *   CDS_BENCH_DURATION=2 CDS_BENCH_CONNECTIONS=20   seconds per run (split across the pairs), connections
 *   CDS_BENCH_PAIRS=3                 reference/bare pairs per operation
 *   CDS_BENCH_PUBLIC_FAST_PATH=0      serve the public documents without their early answer (http/public-document-fast-path.ts), for a before/after
 *
 * Besides req/s, each server process's CPU time per request is measured
 * (IPC `"cpu"`), and the CPU ratio printed: on a shared machine where the
 * server waits for a core as much as it works, it moves far less than the
 * req/s ratio.
 */
import { fork, type ChildProcess } from "node:child_process";
import { mkdir, readdir } from "node:fs/promises";
import { loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import autocannon from "autocannon";
import postgresCluster from "../test/setup/postgres-cluster.ts";
import { clientCredentialsRequest, CPU_COMMAND, type Fixture, type LoadRequest, type LoadScenario, type ProfileCommand, type ScenarioContext, type ServerNeeds, type TargetMessage } from "./load-shared.ts";
import { prismEnabled, startPrism, type PrismServer } from "./prism.ts";

const DURATION = Number(process.env.CDS_BENCH_DURATION ?? 2);
const CONNECTIONS = Number(process.env.CDS_BENCH_CONNECTIONS ?? 20);
const ONLY = process.env.CDS_BENCH_ONLY?.split(",").filter(Boolean);
const DATABASES = (process.env.CDS_BENCH_DATABASES ?? "pglite,postgres").split(",");
const CPU_PROF = process.env.CDS_BENCH_CPU_PROF;
const PAIRS = Math.max(1, Math.floor(Number(process.env.CDS_BENCH_PAIRS ?? 3)));
/** Each run of a pair: the operation's time split across the pairs, never under a second (autocannon's resolution). */
const PAIR_DURATION = Math.max(1, Math.round(DURATION / PAIRS));

async function loadScenarios(): Promise<LoadScenario[]> {
  const dir = fileURLToPath(new URL("./load-scenarios/", import.meta.url));
  const files = (await readdir(dir)).filter((f) => f.endsWith(".ts")).sort();
  const all: LoadScenario[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(path.join(dir, file)).href)) as { scenarios?: LoadScenario[] };
    if (!Array.isArray(module.scenarios)) throw new Error(`load-scenarios/${file} exports no \`scenarios\` array`);
    all.push(...module.scenarios);
  }
  const keys = all.map((s) => s.key);
  const twice = keys.find((k, i) => keys.indexOf(k) !== i);
  if (twice) throw new Error(`two load scenarios share the key ${twice}`);
  return all.filter((s) => !ONLY || ONLY.includes(s.key));
}
const operations = await loadScenarios();

// ---- child processes -------------------------------------------------------

const targetScript = fileURLToPath(new URL("./load-target.ts", import.meta.url));

interface Target {
  url: string;
  child: ChildProcess;
}

async function startTarget(args: string[], options: { env?: Record<string, string>; fixtures?: Fixture[] } = {}): Promise<Target> {
  const child = fork(targetScript, args, { env: { ...process.env, ...options.env }, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  if (options.fixtures) child.send(options.fixtures);
  const url = await new Promise<string>((resolve, reject) => {
    child.once("message", (message: TargetMessage) => ("ready" in message ? resolve(message.ready) : reject(new Error("error" in message ? message.error : "unexpected message"))));
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

/** Sends a profile command; for "stop", waits until the file is written. */
async function profileCommand(target: Target, command: ProfileCommand): Promise<void> {
  const written = command.profile === "stop" ? new Promise<void>((resolve) => target.child.once("message", () => resolve())) : Promise.resolve();
  target.child.send(command);
  await written;
}

/** The target's CPU time so far (user + system), in microseconds. */
async function cpuMicros(target: Target): Promise<number> {
  const answer = new Promise<number>((resolve) =>
    target.child.once("message", (message: TargetMessage) => resolve("cpu" in message ? message.cpu.user + message.cpu.system : Number.NaN)),
  );
  target.child.send(CPU_COMMAND);
  return answer;
}

// ---- measuring -------------------------------------------------------------

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  /** Share of answers with the expected status. */
  expectedShare: number;
  errors: number;
  /** The server process's CPU time per answered request (µs); NaN when not measured. */
  cpuPerRequest: number;
}

/** `target`: the process serving `url`, whose CPU time the run is charged. */
async function drive(url: string, request: LoadRequest, expect: number, duration = DURATION, target?: Target): Promise<Figures> {
  const cpuBefore = target ? await cpuMicros(target) : Number.NaN;
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
  const cpuPerRequest = target && result.requests.total > 0 ? ((await cpuMicros(target)) - cpuBefore) / result.requests.total : Number.NaN;
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, expectedShare: answered ? expected / answered : 0, errors: result.errors, cpuPerRequest };
}

/** One answer of the reference server, to be replayed by the bare Fastify. */
async function record(url: string, request: LoadRequest, expect: number, barePath: string): Promise<Fixture> {
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

function scenarioContext(url: string): ScenarioContext {
  return {
    url,
    async token(clientId, scope) {
      const request = clientCredentialsRequest(clientId, scope);
      const res = await fetch(`${url}${request.path}`, { method: "POST", headers: request.headers, body: request.body! });
      const body = (await res.json()) as { access_token?: string };
      if (!res.ok || !body.access_token) throw new Error(`token request for ${clientId} answered ${res.status}`);
      return body.access_token;
    },
  };
}

// ---- the run ---------------------------------------------------------------

interface Row {
  database: string;
  op: LoadScenario;
  /** Medians over the pairs, figure by figure. */
  reference: Figures;
  bare: Figures;
  prism?: Figures | string;
  /** Reference req/s over bare req/s, one per pair, in run order. */
  ratios: number[];
  /**
   * Bare CPU per request over reference CPU per request, one per pair: the
   * req/s ratio the two would show if each had a core to itself. Steadier
   * than `ratios` on a loaded machine, where the server waits for the CPU
   * (and autocannon) as much as it works.
   */
  cpuRatios: number[];
  load: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function medianFigures(runs: Figures[]): Figures {
  return {
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    // Not a median: the worst run, so one bad window's wrong answers are not hidden.
    expectedShare: Math.min(...runs.map((r) => r.expectedShare)),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    cpuPerRequest: median(runs.map((r) => r.cpuPerRequest)),
  };
}

const rows: Row[] = [];

async function benchDatabase(database: string, databaseUrl: string | undefined): Promise<void> {
  const extra = databaseUrl ? [databaseUrl] : [];
  const needs: ServerNeeds = {};
  for (const op of operations) {
    if (op.needs?.meterIntervalDays) needs.meterIntervalDays = { ...needs.meterIntervalDays, ...op.needs.meterIntervalDays };
    if (op.needs?.usageValueTypes) needs.usageValueTypes = op.needs.usageValueTypes;
  }
  const env: Record<string, string> = Object.keys(needs).length ? { CDS_BENCH_NEEDS: JSON.stringify(needs) } : {};
  const targets: Partial<Record<"serving" | "limited" | "bare", Target>> = {};
  const requests = new Map<LoadScenario, LoadRequest>();
  try {
    const started = Date.now();
    targets.serving = await startTarget(["reference", "1000000", ...extra], { env });
    if (operations.some((op) => op.server === "limited")) targets.limited = await startTarget(["reference", "300", ...extra]);
    console.log(`[load bench] ${database}: reference server${targets.limited ? "s" : ""} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const context = scenarioContext(targets.serving.url);
    for (const op of operations) requests.set(op, await op.request(context));

    // The bare Fastify replays this database's bytes, and is measured right after each
    // reference run, so both see the same machine (shared, two cores) at the same time.
    const fixtures: Fixture[] = [];
    for (const [i, op] of operations.entries()) fixtures.push(await record(targets[op.server]!.url, requests.get(op)!, op.expect, `/op/${i}${requests.get(op)!.path.split("?")[0]}`));
    targets.bare = await startTarget(["bare"], { fixtures });
    const barePath = (i: number, request: LoadRequest) => `/op/${i}${request.path}`;
    // A short unrecorded run against each, so neither is measured cold (JIT, connection pools).
    const first = operations.find((op) => op.server === "serving");
    if (first) {
      const request = requests.get(first)!;
      await drive(targets.serving.url, request, first.expect, 1);
      await drive(targets.bare.url, { ...request, path: barePath(operations.indexOf(first), request) }, first.expect, 1);
    }
    if (CPU_PROF) await mkdir(CPU_PROF, { recursive: true });
    for (const [i, op] of operations.entries()) {
      const request = requests.get(op)!;
      const target = targets[op.server]!;
      // A refusal is measured only while the window's budget is spent: spend it again (a slow run may have outlived the window).
      const references: Figures[] = [];
      const bares: Figures[] = [];
      // The profile covers every reference run of the operation (the bare runs in between are another process).
      if (CPU_PROF) await profileCommand(target, { profile: "start" });
      for (let pair = 0; pair < PAIRS; pair++) {
        if (op.expect === 429) await record(target.url, request, 429, "");
        references.push(await drive(target.url, request, op.expect, PAIR_DURATION, target));
        bares.push(await drive(targets.bare.url, { ...request, path: barePath(i, request) }, op.expect, PAIR_DURATION, targets.bare));
      }
      if (CPU_PROF) await profileCommand(target, { profile: "stop", file: path.join(CPU_PROF, `${database}-${op.key}.cpuprofile`) });
      const row: Row = {
        database,
        op,
        reference: medianFigures(references),
        bare: medianFigures(bares),
        ratios: references.map((r, k) => r.rps / bares[k]!.rps),
        cpuRatios: references.map((r, k) => bares[k]!.cpuPerRequest / r.cpuPerRequest),
        load: loadavg()[0]!,
      };
      rows.push(row);
      const pairs = references.map((r, k) => `${Math.round(r.rps)}/${Math.round(bares[k]!.rps)}`).join(", ");
      console.log(`[load bench] ${database} ${op.key}: median ${Math.round(row.reference.rps)} req/s (bare ${Math.round(row.bare.rps)}); pairs ${pairs}`);
    }
  } finally {
    await Promise.all([stopTarget(targets.serving), stopTarget(targets.limited), stopTarget(targets.bare)]);
  }
  // Prism after the servers are gone, so it has the machine to itself as they had; once per bench run.
  if (prismEnabled && !rows.some((r) => r.prism !== undefined)) {
    for (const row of rows.filter((r) => r.database === database && r.op.prism)) await measurePrism(row, requests.get(row.op)!);
  }
}

async function measurePrism(row: Row, request: LoadRequest): Promise<void> {
  let prism: PrismServer | undefined;
  try {
    prism = await startPrism(8142);
    const probe = await fetch(`${prism.url}${request.path}`, { headers: request.headers });
    const bytes = (await probe.arrayBuffer()).byteLength;
    console.log(`[load bench] Prism ${row.op.key}: answers ${probe.status}, ${bytes} bytes a page`);
    // Prism mocks from the contract: an answer of another status is not the operation measured.
    if (probe.status !== row.op.expect) throw new Error(`answers ${probe.status}`);
    row.prism = await drive(prism.url, request, row.op.expect);
  } catch (error) {
    row.prism = `not measured: ${(error as Error).message.split("\n")[0]}`;
  } finally {
    prism?.stop();
  }
}

function printTable(): void {
  const ms = (v: number) => `${v} ms`;
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const header = ["database", "operation", "reference req/s", "p50", "p99", "bare req/s", "p50", "p99", "ratio", "spread", "CPU/req ref / bare", "CPU ratio", "CPU spread", "before", "Prism req/s", "÷ Prism", "expected status", "load avg"];
  const lines = rows.map((r) => {
    // The median of the per-pair ratios, not the ratio of the medians: each pair shares its window.
    const ratio = median(r.ratios);
    return [
      r.database,
      r.op.label,
      Math.round(r.reference.rps).toLocaleString("en"),
      ms(r.reference.p50),
      ms(r.reference.p99),
      Math.round(r.bare.rps).toLocaleString("en"),
      ms(r.bare.p50),
      ms(r.bare.p99),
      pct(ratio),
      r.ratios.length > 1 ? `${pct(Math.min(...r.ratios))}–${pct(Math.max(...r.ratios))}` : "",
      `${r.reference.cpuPerRequest.toFixed(0)} µs / ${r.bare.cpuPerRequest.toFixed(0)} µs`,
      pct(median(r.cpuRatios)),
      r.cpuRatios.length > 1 ? `${pct(Math.min(...r.cpuRatios))}–${pct(Math.max(...r.cpuRatios))}` : "",
      r.op.before ? `${(100 * r.op.before.ratio).toFixed(1)}% (${r.op.before.source}; now ${(ratio / r.op.before.ratio).toFixed(1)}×)` : "",
      typeof r.prism === "string" ? r.prism : r.prism ? Math.round(r.prism.rps).toLocaleString("en") : "",
      typeof r.prism === "object" && r.prism.rps > 0 ? `${(r.reference.rps / r.prism.rps).toFixed(1)}×` : "",
      `${r.op.expect}: ${(100 * r.reference.expectedShare).toFixed(1)}%${r.reference.errors ? `, ${r.reference.errors} errors` : ""}`,
      r.load.toFixed(1),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  console.log(
    `\nLoad benchmark: autocannon, ${CONNECTIONS} connections, ${PAIRS} alternating reference/bare pair${PAIRS > 1 ? "s" : ""} of ${PAIR_DURATION} s runs per operation, server and bare Fastify each in their own process.` +
      `\nreq/s and latencies are medians over the pairs; ratio is the median of the per-pair ratios, spread their lowest–highest; load avg: the machine's, after the last pair.` +
      `\nCPU/req: each server process's CPU time per answered request (median over the pairs); CPU ratio: bare's over the reference's, per pair (the ratio with a core each), median and spread.`,
  );
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
