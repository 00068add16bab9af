/**
 * Customer Data usage bench (issue 12 item 5), a step of `pnpm bench`.
 *
 * The operation: an authorized Usage Segments listing of one meter, a year
 * back, 15-minute intervals, three Value Formats shared by the Grant
 * (`GET /cds-customerdata-api/v1/usage-segments?cds_meterdevice_ids=…&after=…`,
 * a Direct Access token; 100 days a page, ~0.4 MB). Measured in one run,
 * each in its own process, one after the other on the same machine:
 *
 * - the reference server (customer-data-target.ts, PGlite; PostgreSQL too
 *   where the test cluster script can start one);
 * - a bare Fastify answering the same bytes (the ceiling: target ≥ 50%);
 * - Prism (`@stoplight/prism-cli` mocking our CDS-WG3-01 OpenAPI document),
 *   fetched from the npm registry by `npx` on first use (target: the
 *   reference server ≥ 5× Prism). `CDS_BENCH_PRISM=0` leaves it out.
 *
 * It reports; it never fails on numbers.
 *   CDS_BENCH_DURATION=5 CDS_BENCH_CONNECTIONS=10 CDS_BENCH_DATABASES=pglite
 */
import { fork, spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import postgresCluster from "../test/setup/postgres-cluster.ts";
import type { Fixture, TargetMessage } from "./load-shared.ts";
import { USAGE_BENCH_SECRET } from "./customer-data-target.ts";

const DURATION = Number(process.env.CDS_BENCH_DURATION ?? 5);
const CONNECTIONS = Number(process.env.CDS_BENCH_CONNECTIONS ?? 10);
const DATABASES = (process.env.CDS_BENCH_DATABASES ?? "pglite,postgres").split(",");
const PRISM = process.env.CDS_BENCH_PRISM !== "0";
const PRISM_VERSION = "5.16.0";
const PORTS = { reference: 8140, bare: 8141, prism: 8142 } as const;
const METER = "md-1001-001-electric";
const targetScript = fileURLToPath(new URL("./customer-data-target.ts", import.meta.url));
const openapi = fileURLToPath(new URL("../../../generated/openapi/CDS.CustomerData.openapi.json", import.meta.url));

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  bytes: number;
}

async function start(args: string[], fixture?: Fixture): Promise<ChildProcess & { url: string }> {
  const child = fork(targetScript, args, { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  if (fixture) child.send(fixture);
  const url = await new Promise<string>((resolve, reject) => {
    child.once("message", (m: TargetMessage) => ("ready" in m ? resolve(m.ready) : reject(new Error("error" in m ? m.error : "unexpected message"))));
    child.once("exit", (code) => reject(new Error(`${args[0]} exited with ${code}`)));
  });
  return Object.assign(child, { url });
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  if (child.connected) child.send("stop");
  else child.kill();
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
  if (child.exitCode === null) child.kill("SIGKILL");
}

async function drive(url: string, headers: Record<string, string>): Promise<Figures> {
  const r = await autocannon({ url, headers, connections: CONNECTIONS, duration: DURATION });
  const stats: Record<string, { count?: number }> = r.statusCodeStats ?? {};
  const answered = Object.values(stats).reduce((n, s) => n + (s.count ?? 0), 0);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, ok: answered ? (stats["200"]?.count ?? 0) / answered : 0, bytes: r.throughput.average };
}

/** npx runs Prism under a shell: end the whole process group it leads (only what this bench started). */
function killGroup(child: ChildProcess): void {
  try {
    if (child.pid) process.kill(-child.pid, "SIGTERM");
  } catch {
    // already gone
  }
}

async function prism(): Promise<ChildProcess & { url: string }> {
  // npx installs it from the npm registry into its cache on first use (not a workspace dependency: ~100 MB for a baseline).
  const child = spawn("npx", ["--yes", `@stoplight/prism-cli@${PRISM_VERSION}`, "mock", "-h", "127.0.0.1", "-p", String(PORTS.prism), "--errors", "false", openapi], { stdio: ["ignore", "pipe", "pipe"], detached: true });
  const url = `http://127.0.0.1:${PORTS.prism}`;
  const deadline = Date.now() + 300_000;
  let log = "";
  child.stdout!.on("data", (d: Buffer) => (log += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (log += d.toString()));
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`prism exited: ${log.slice(-500)}`);
    // Listening once any answer comes back (its banner's wording and colours vary by version).
    if (await fetch(`${url}/`).then(() => true, () => false)) return Object.assign(child, { url });
    await new Promise((r) => setTimeout(r, 500));
  }
  killGroup(child);
  throw new Error("prism did not start in 300 s");
}

interface Row {
  database: string;
  reference: Figures;
  bare: Figures;
  prism: Figures | null;
  prismNote: string;
  pageBytes: number;
  segments: number;
}
const rows: Row[] = [];

async function bench(database: string, databaseUrl: string | undefined): Promise<void> {
  let reference: (ChildProcess & { url: string }) | undefined;
  let bare: (ChildProcess & { url: string }) | undefined;
  let mock: (ChildProcess & { url: string }) | undefined;
  try {
    const t0 = Date.now();
    reference = await start(["reference", String(PORTS.reference), ...(databaseUrl ? [databaseUrl] : [])]);
    console.log(`[usage bench] ${database}: reference server seeded and ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const tokenRes = await fetch(`${reference.url}/oauth/token`, {
      method: "POST",
      headers: { authorization: `Basic ${Buffer.from(`demo-direct-access:${USAGE_BENCH_SECRET}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials&scope=cds_query_usage_1",
    });
    const token = ((await tokenRes.json()) as { access_token: string }).access_token;
    const year = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
    const path = `/cds-customerdata-api/v1/usage-segments?cds_meterdevice_ids=${METER}&after=${year}T00:00:00Z`;
    const headers = { authorization: `Bearer ${token}` };
    const first = await fetch(`${reference.url}${path}`, { headers });
    const body = Buffer.from(await first.arrayBuffer());
    if (first.status !== 200) throw new Error(`the listing answered ${first.status}: ${body.toString().slice(0, 300)}`);
    const page = JSON.parse(body.toString()) as { usage_segments: { interval: number; formats: unknown[] }[] };
    const quarter = page.usage_segments.filter((s) => s.interval === 900);
    console.log(`[usage bench] ${database}: a page holds ${page.usage_segments.length} segments (${quarter.length} 15-minute days, ${quarter[0]?.formats.length} formats), ${body.length} bytes`);
    const fixtureHeaders: Record<string, string> = {};
    first.headers.forEach((v, k) => {
      if (!["date", "connection", "keep-alive", "content-length", "transfer-encoding"].includes(k)) fixtureHeaders[k] = v;
    });
    bare = await start(["bare", String(PORTS.bare)], { method: "GET", path: "/cds-customerdata-api/v1/usage-segments", status: 200, headers: fixtureHeaders, body: body.toString("base64") });
    // Warm both before measuring.
    await autocannon({ url: `${reference.url}${path}`, headers, connections: CONNECTIONS, duration: 1 });
    await autocannon({ url: `${bare.url}${path}`, headers, connections: CONNECTIONS, duration: 1 });
    const ref = await drive(`${reference.url}${path}`, headers);
    const ceiling = await drive(`${bare.url}${path}`, headers);
    await stop(reference);
    await stop(bare);
    let prismFigures: Figures | null = null;
    let prismNote = "";
    if (PRISM && database === "PGlite") {
      try {
        mock = await prism();
        const probe = await fetch(`${mock.url}${path}`, { headers });
        prismNote = `answers ${probe.status}, ${(await probe.arrayBuffer()).byteLength} bytes`;
        prismFigures = await drive(`${mock.url}${path}`, headers);
      } catch (error) {
        prismNote = `not measured: ${(error as Error).message.split("\n")[0]}`;
      }
    }
    rows.push({ database, reference: ref, bare: ceiling, prism: prismFigures, prismNote, pageBytes: body.length, segments: page.usage_segments.length });
  } finally {
    await Promise.all([stop(reference), stop(bare)]);
    if (mock) killGroup(mock);
  }
}

if (DATABASES.includes("pglite")) await bench("PGlite", undefined);
if (DATABASES.includes("postgres")) {
  let url: string | null = null;
  const teardown = await postgresCluster({
    provide(key: string, value: unknown) {
      if (key === "postgresUrl") url = value as string | null;
    },
  } as unknown as Parameters<typeof postgresCluster>[0]).catch(() => undefined);
  try {
    if (url) await bench("PostgreSQL", url);
    else console.log("[usage bench] PostgreSQL skipped: no cluster");
  } finally {
    await teardown?.();
  }
}

console.log(`\nCustomer Data usage listing (one meter, a year back, 15-minute, 3 formats): autocannon, ${CONNECTIONS} connections, ${DURATION} s per run`);
console.log("| database | page | reference req/s (p50/p99) | bare Fastify req/s | ratio to bare (target ≥ 50%) | Prism req/s | reference ÷ Prism (target ≥ 5×) |");
console.log("|---|---|---|---|---|---|---|");
for (const r of rows) {
  const prismCell = r.prism ? `${Math.round(r.prism.rps)} (${r.prismNote})` : r.prismNote || "—";
  const times = r.prism && r.prism.rps > 0 ? `${(r.reference.rps / r.prism.rps).toFixed(1)}×` : "—";
  console.log(
    `| ${r.database} | ${r.segments} segments, ${Math.round(r.pageBytes / 1024)} KiB | ${Math.round(r.reference.rps)} (${r.reference.p50}/${r.reference.p99} ms, ${(100 * r.reference.ok).toFixed(0)}% 200) | ${Math.round(r.bare.rps)} | ${((100 * r.reference.rps) / r.bare.rps).toFixed(1)}% | ${prismCell} | ${times} |`,
  );
}
