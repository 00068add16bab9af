/**
 * The Node versions package.json declares (`engines`) are the ones the built
 * package runs on: its smoke test and CLI run under every other Node on this
 * machine's PATH (outside the Node 24 that pnpm scripts use), and each such
 * Node must satisfy `engines`, or the declaration is wrong.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, realpathSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const pkgDir = path.resolve(import.meta.dirname, "..");
const engines = (JSON.parse(readFileSync(path.join(pkgDir, "package.json"), "utf8")) as { engines: { node: string } }).engines.node;
const minimumMajor = Number(/^>=(\d+)/.exec(engines)?.[1]);

/** Every `node` on PATH except the one running the tests (pnpm's Node 24). */
function otherNodes(): Array<{ binary: string; version: string }> {
  const dirs = (process.env.PATH ?? "").split(path.delimiter).concat(["/usr/local/bin", "/usr/bin"]);
  const seen = new Set([realpathSync(process.execPath)]);
  const found: Array<{ binary: string; version: string }> = [];
  for (const dir of dirs) {
    const binary = path.join(dir, "node");
    let real: string;
    try {
      real = realpathSync(binary);
    } catch {
      continue;
    }
    if (seen.has(real)) continue;
    seen.add(real);
    const version = spawnSync(binary, ["--version"], { encoding: "utf8" }).stdout.trim();
    if (version) found.push({ binary, version });
  }
  return found;
}

const nodes = otherNodes();

describe("engines", () => {
  it(`declares a lower bound (${engines})`, () => {
    expect(minimumMajor).toBeGreaterThanOrEqual(20);
  });

  it("the Node running the tests satisfies it", () => {
    expect(Number(process.versions.node.split(".")[0])).toBeGreaterThanOrEqual(minimumMajor);
  });
});

describe.skipIf(nodes.length === 0)(`the built package under ${nodes.map((n) => n.version).join(", ") || "(no other Node on this machine: skipped)"}`, () => {
  it.each(nodes)("$version ($binary): satisfies engines, passes the smoke test, runs the CLI", ({ binary, version }) => {
    expect(Number(version.slice(1).split(".")[0])).toBeGreaterThanOrEqual(minimumMajor);
    const smoke = JSON.parse(execFileSync(binary, [path.join(pkgDir, "test/smoke/smoke.mjs")], { encoding: "utf8", timeout: 30_000 })) as Record<string, string>;
    expect(smoke.node).toBe(version);
    expect(smoke.discovery).toBe("moved");
    expect(smoke.query).toBe("ids=a%20b&after=2024-01-01T00%3A00%3A00Z");
    expect(smoke.csv!.split("\r\n")).toEqual(["interval_start,interval_end,cds_usagesegment_id,f (electric_usage kWh),f quality", "2024-01-01T00:00:00Z,2024-01-01T00:15:00Z,s,1,", "2024-01-01T00:15:00Z,2024-01-01T00:30:00Z,s,,", ""]);
    const cli = spawnSync(binary, [path.join(pkgDir, "dist/cli/main.js"), "--version"], { encoding: "utf8", timeout: 30_000 });
    expect(cli.status).toBe(0);
    expect(cli.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const usage = spawnSync(binary, [path.join(pkgDir, "dist/cli/main.js"), "list", "widgets"], { encoding: "utf8", timeout: 30_000 });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain("<resource>: must be one of");
  });
});
