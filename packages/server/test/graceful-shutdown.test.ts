/**
 * Issue 16, graceful shutdown of the `cds-server` command: on SIGTERM it
 * stops accepting connections, lets the request in flight finish, closes the
 * database (the PGlite data directory's lock is released, so the next start
 * opens it at once) and exits 0; `pnpm start` interrupted the way a terminal
 * does (SIGINT to the whole process group) exits 0 without pnpm's ELIFECYCLE.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { promisify } from "node:util";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const exec = promisify(execFile);
const packageDir = path.join(import.meta.dirname, "..");
const cli = path.join(packageDir, "dist/cli.js");

interface Running {
  child: ChildProcess;
  url: Promise<string>;
  output: () => string;
  exit: Promise<number | null>;
}

function run(command: string, args: string[], env: Record<string, string>, detached = false): Running {
  const child = spawn(command, args, { cwd: packageDir, env: { ...process.env, PORT: "0", LOG_LEVEL: "warn", ...env }, stdio: ["ignore", "pipe", "pipe"], detached });
  let stdout = "";
  let output = "";
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 90 s: ${output}`)), 90_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      output += chunk.toString();
      const found = /^(http:\/\/\S+)$/m.exec(stdout);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    });
    void exit.then((code) => reject(new Error(`exited with ${code} before listening: ${output}`)));
  });
  return { child, url, output: () => output, exit };
}

describe("graceful shutdown of cds-server", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "cds-shutdown-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("on SIGTERM refuses new connections, finishes the request in flight, releases the data directory and exits 0", async () => {
    const server = run(process.execPath, [cli], { CDS_DATA_DIR: dir, CDS_DEMO_DATA: "true" });
    const url = new URL(await server.url);
    expect(existsSync(path.join(dir, "server.lock"))).toBe(true);

    // A registration whose body is still arriving when the signal comes: in flight, routed, not yet answered.
    const body = JSON.stringify({ client_name: "In flight", scope: "cds_client_admin" });
    const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
      // `Expect: 100-continue`: the server answers 100 once it has parsed the headers and routed the
      // request, so the signal below is sent only when the request is truly in flight (a fixed pause
      // was not enough on a loaded machine: the headers were parsed after SIGTERM, and refused).
      const req = request({ host: url.hostname, port: url.port, path: "/oauth/register", method: "POST", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), expect: "100-continue" } }, (res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => (text += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on("error", reject);
      req.flushHeaders();
      req.once("continue", () => {
        req.write(body.slice(0, 10));
        setTimeout(async () => {
          server.child.kill("SIGTERM");
          // The listening socket closes: a new connection is refused (or, on a kept connection, answered 503).
          await new Promise((r) => setTimeout(r, 300));
          const late = await fetch(`${url.origin}/health`).then(
            (res) => res.status,
            () => "refused",
          );
          expect([503, "refused"]).toContain(late);
          req.end(body.slice(10));
        }, 300);
      });
    });
    const result = await answered;
    expect(result.status, result.text).toBe(201);
    expect((JSON.parse(result.text) as { client_id?: unknown }).client_id).toBeTypeOf("string");
    expect(await server.exit).toBe(0);
    // The database was closed: its lock is gone, and the next start opens the directory.
    expect(existsSync(path.join(dir, "server.lock"))).toBe(false);
    expect(server.output()).not.toMatch(/"level":50/);
  }, 120_000);

  it("`pnpm start` interrupted with Ctrl-C (SIGINT to the process group) exits 0 without ELIFECYCLE", async () => {
    // The root `start` script after its build step (dist/ is built already), run by pnpm's own lifecycle
    // in a scratch package: pnpm forwards the signal to a script that must exec the real node binary
    // (the `node` shim pnpm puts on PATH is a shell script that dies of SIGINT: ELIFECYCLE).
    const root = path.join(packageDir, "../..");
    const script = (JSON.parse(await readFile(path.join(root, "package.json"), "utf8")) as { scripts: { start: string } }).scripts.start;
    const command = script.slice(script.indexOf("&& exec ") + 3).replace(/(^|\s)(node_modules|packages)\//g, `$1${root}/$2/`).replace(/--demo-year/, "");
    expect(command).toMatch(/^exec \S+\/node_modules\/node\/bin\/node \S+\/packages\/server\/dist\/cli\.js/);
    const scratch = await mkdtemp(path.join(tmpdir(), "cds-pnpm-start-"));
    await writeFile(path.join(scratch, "package.json"), JSON.stringify({ name: "scratch", private: true, scripts: { start: command, where: "node -p process.env.npm_execpath" } }));
    try {
      // pnpm as the project runs it (the root README's `npx --yes pnpm@<version>`, from npm's cache); then
      // that pnpm alone, as a terminal would have it in its foreground group (npx itself dies of SIGINT).
      const pnpm = (await exec("npx", ["--yes", "pnpm@10.34.9", "--dir", scratch, "--silent", "run", "where"])).stdout.trim();
      expect(pnpm).toMatch(/pnpm\.c?js$/);
      const started = run(process.execPath, [pnpm, "--dir", scratch, "start"], { CDS_DATA_DIR: path.join(dir, "pnpm") }, true);
      await started.url;
      await new Promise((r) => setTimeout(r, 200));
      // What a terminal does on Ctrl-C: SIGINT to every process of the foreground group.
      process.kill(-started.child.pid!, "SIGINT");
      expect(await started.exit, started.output()).toBe(0);
      expect(started.output()).not.toContain("ELIFECYCLE");
      expect(started.output()).not.toMatch(/"level":50/);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }, 120_000);
});
