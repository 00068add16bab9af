/**
 * Prism (`@stoplight/prism-cli`) mocking our CDS-WG3-01 OpenAPI document: the
 * "generic mock server" baseline issue 12 compares the Usage Segments
 * listing with (target: the reference server ≥ 5× Prism). Not a workspace
 * dependency (~100 MB for a baseline): `npx` fetches it from the npm registry
 * into its cache on first use. `CDS_BENCH_PRISM=0` leaves it out.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const PRISM_VERSION = "5.16.0";
const openapi = fileURLToPath(new URL("../../../generated/openapi/CDS.CustomerData.openapi.json", import.meta.url));

export const prismEnabled = process.env.CDS_BENCH_PRISM !== "0";

export interface PrismServer {
  url: string;
  stop(): void;
}

/** npx runs Prism under a shell: end the whole process group it leads (only what this bench started). */
function killGroup(child: ChildProcess): void {
  try {
    if (child.pid) process.kill(-child.pid, "SIGTERM");
  } catch {
    // already gone
  }
}

export async function startPrism(port: number): Promise<PrismServer> {
  const child = spawn("npx", ["--yes", `@stoplight/prism-cli@${PRISM_VERSION}`, "mock", "-h", "127.0.0.1", "-p", String(port), "--errors", "false", openapi], { stdio: ["ignore", "pipe", "pipe"], detached: true });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 300_000;
  let log = "";
  child.stdout!.on("data", (d: Buffer) => (log += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (log += d.toString()));
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`prism exited: ${log.slice(-500)}`);
    // Listening once any answer comes back (its banner's wording and colours vary by version).
    if (await fetch(`${url}/`).then(() => true, () => false)) return { url, stop: () => killGroup(child) };
    await new Promise((r) => setTimeout(r, 500));
  }
  killGroup(child);
  throw new Error("prism did not start in 300 s");
}
