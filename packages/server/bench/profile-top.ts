/**
 * Top self-time functions of a `.cpuprofile`, over its last `<seconds>`
 * (all of it by default). Profiles written by `CDS_BENCH_CPU_PROF` in
 * load.ts cover exactly one measured run; for one taken with
 * `node --cpu-prof`, give the seconds of load at its end, so the server's
 * start (WASM PostgreSQL, migrations, demo data) does not drown the request
 * path.
 *
 *   node packages/server/bench/profile-top.ts <file.cpuprofile> [<seconds>=all] [<top>=25]
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const [file, secondsArg, topArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: profile-top.ts <file.cpuprofile> [seconds] [top]");
  process.exit(2);
}
const profile = JSON.parse(await readFile(file, "utf8")) as Profile;
const from = secondsArg ? profile.endTime - Number(secondsArg) * 1e6 : profile.startTime;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));

/** Where a function lives, short: the package (or our file) and line. */
function where(url: string, line: number): string {
  if (!url) return "";
  const modules = url.lastIndexOf("node_modules/");
  const short = modules >= 0 ? url.slice(modules + "node_modules/".length).replace(/^\.pnpm\/[^/]+\/node_modules\//, "") : url.includes("/packages/") ? url.slice(url.indexOf("/packages/") + 1) : path.basename(url);
  return `${short}:${line + 1}`;
}

/** The package (or our package's folder) a function belongs to, for the per-package summary. */
function owner(url: string, name: string): string {
  if (url.startsWith("wasm://") || name.startsWith("wasm-function")) return "@electric-sql/pglite (WebAssembly)";
  const modules = url.lastIndexOf("node_modules/");
  if (modules >= 0) {
    const rest = url.slice(modules + "node_modules/".length).split("/");
    return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const ours = url.match(/\/packages\/([^/]+)\/dist\/([^/]+)/);
  if (ours) return `${ours[1]}/${ours[2]!.endsWith(".js") ? ours[2] : ours[2] + "/"}`;
  if (url.startsWith("node:") || /^[a-z_/]+$/.test(url)) return "node (JavaScript)";
  return name.startsWith("(") ? name : "node (native: sockets, buffers, fs)";
}

const self = new Map<string, number>();
const byOwner = new Map<string, number>();
let t = profile.startTime;
let total = 0;
for (const [i, id] of profile.samples.entries()) {
  t += profile.timeDeltas[i]!;
  if (t < from) continue;
  const node = byId.get(id)!;
  if (node.callFrame.functionName === "(idle)") continue;
  const key = `${node.callFrame.functionName || "(anonymous)"} ${where(node.callFrame.url, node.callFrame.lineNumber)}`;
  const dt = profile.timeDeltas[i + 1] ?? 0;
  self.set(key, (self.get(key) ?? 0) + dt);
  const who = owner(node.callFrame.url, node.callFrame.functionName);
  byOwner.set(who, (byOwner.get(who) ?? 0) + dt);
  total += dt;
}
console.log(`${path.basename(file)}: ${(total / 1e3).toFixed(0)} ms busy in ${secondsArg ? `the last ${secondsArg} s` : "the whole profile"}`);
for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg ?? 25))) {
  console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1e3).toFixed(0).padStart(6)} ms  ${key}`);
}
console.log("by package:");
for (const [who, us] of [...byOwner].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
  console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1e3).toFixed(0).padStart(6)} ms  ${who}`);
}
