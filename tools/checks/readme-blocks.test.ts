/**
 * The READMEs cannot rot: every shell block of README.md and of each
 * packages/<name>/README.md runs, in document order and in one shell state per
 * README (variables carry from block to block, as in a reader's terminal),
 * against a server started as `pnpm start` starts it, and its output must
 * match the output the README shows. The conventions (markers, `# Needs:`,
 * output blocks, placeholders) are in ./readme-blocks.ts; new blocks are
 * picked up without touching this file.
 *
 * What differs from a reader's run, and why:
 * - the server listens on a free port, not 8080 (the machine is shared), so
 *   `http://127.0.0.1:8080` in a block is replaced by the real base URL;
 * - `SECRET=...` is the CDS_DEMO_CLIENT_SECRET the server was started with;
 * - in a `browser` block, `CODE=...` is the code the test's browser receives
 *   after signing in as the block says and approving;
 * - each block runs with `set -euo pipefail`, and curl fails on an HTTP
 *   error status (--fail-with-body), so a broken step stops its block.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, parseForms } from "../../packages/server/test/helpers/browser.ts";
import { openLogin, signIn } from "../../packages/server/test/helpers/authorization-code.ts";
import { repoRoot } from "../codegen/contract.ts";
import { assignedVariables, normaliseOutput, outputMatches, placeholderNames, shellBlocks, undeclaredNeeds, type ShellBlock } from "./readme-blocks.ts";

const README_ORIGIN = "http://127.0.0.1:8080";
const long = process.env.README_TEST_LONG === "1";

const readmes = ["README.md", ...(await readdir(path.join(repoRoot, "packages"))).sort().map((p) => `packages/${p}/README.md`)].filter((f) => existsSync(path.join(repoRoot, f)));
const parsed = await Promise.all(readmes.map(async (file) => ({ file, blocks: shellBlocks(await readFile(path.join(repoRoot, file), "utf8")) })));
const withBlocks = parsed.filter((r) => r.blocks.length > 0);
/** A block this run executes: not skipped, and a long one only with README_TEST_LONG=1. */
const runs = (b: { marker?: { kind: string } }) => b.marker?.kind !== "skip" && (b.marker?.kind !== "long" || long);
// A README whose every block is skipped (each marker names the test that runs it instead) starts no server.
const withRunnable = withBlocks.filter((r) => r.blocks.some(runs));

const label = (file: string, b: ShellBlock) => `${file}:${b.line}`;

describe("README shell blocks follow the conventions", () => {
  const all = withBlocks.flatMap(({ file, blocks }) => blocks.map((b) => [label(file, b), b] as const));
  it.each(all)("%s names every variable it reads but does not set in `# Needs:`", (_, block) => {
    expect(undeclaredNeeds(block.code)).toEqual([]);
  });
  it.each(all.filter(([, b]) => b.marker?.kind !== "skip"))("%s shows its expected output (a ```text output or ```json output block)", (_, block) => {
    expect(block.output?.length ?? 0).toBeGreaterThan(0);
  });
  it.each(all.filter(([, b]) => b.marker && b.marker.kind !== "browser"))("%s says why it is not run here", (_, block) => {
    expect(block.marker!.words.length).toBeGreaterThan(5);
  });
});

/** The `pnpm start` command line without its build step: what `start` execs. */
async function startCommand(): Promise<string[]> {
  const pkg = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as { scripts: { start: string } };
  const exec = /&& exec (.+)$/.exec(pkg.scripts.start);
  if (!exec) throw new Error("the start script no longer ends with `&& exec <server command>`");
  return exec[1]!.split(/\s+/);
}

interface Started {
  url: string;
  secret: string;
  dir: string;
  child: ChildProcess;
  stderr: string[];
}

async function startServer(): Promise<Started> {
  const dir = await mkdtemp(path.join(tmpdir(), "readme-blocks-"));
  const secret = randomBytes(18).toString("base64url");
  const [command, ...args] = await startCommand();
  const child = spawn(path.join(repoRoot, command!), [...args, "--port", "0", "--data-dir", path.join(dir, "data")], {
    cwd: repoRoot,
    // A reader's environment sets none of the server's variables but the secret.
    env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(CDS_|PORT$|HOST$|DATABASE_URL$|LOG_LEVEL$)/.test(k))), CDS_DEMO_CLIENT_SECRET: secret },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stderr: string[] = [];
  child.stderr!.on("data", (c: Buffer) => stderr.push(c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      const line = out.split("\n")[0];
      if (out.includes("\n") && line) resolve(line.trim());
    });
    child.once("exit", (code) => reject(new Error(`server exited (${code}): ${stderr.join("")}`)));
  });
  return { url, secret, dir, child, stderr };
}

/** A shell with the packages' commands on PATH (`cds`, `cds-server`) and a home of its own. */
async function shellHome(dir: string): Promise<NodeJS.ProcessEnv> {
  const bin = path.join(dir, "bin");
  await mkdir(bin, { recursive: true });
  await symlink(path.join(repoRoot, "packages/client/bin/cds.js"), path.join(bin, "cds"));
  await symlink(path.join(repoRoot, "packages/server/bin/cds-server.js"), path.join(bin, "cds-server"));
  const home = path.join(dir, "home");
  await mkdir(home, { recursive: true });
  return { PATH: `${bin}:${path.dirname(process.execPath)}:${process.env.PATH}`, HOME: home, LANG: "C.UTF-8", TERM: "dumb" };
}

function runShell(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("bash", ["-c", script], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** The person in a `browser` block: signs in as the block says, unticks what it says, approves; returns the code. */
async function consentInBrowser(origin: string, printed: string, block: ShellBlock): Promise<string> {
  const url = [...printed.matchAll(/https?:\/\/\S+\/oauth\/authorize\?\S+/g)].at(-1)?.[0];
  if (!url) throw new Error("the block printed no authorization URL to open");
  const who = /sign in as ([\w.]+) \/ (\S+?)[,;]?\s/.exec(block.code);
  if (!who) throw new Error('a browser block says whom to sign in as: "sign in as <username> / <password>"');
  const browser = new Browser(origin);
  const consent = await signIn(browser, await openLogin(browser, url), { username: who[1]!, password: who[2]! });
  const form = parseForms(consent).find((f) => f.action.endsWith("/confirm"));
  if (!form) throw new Error("the consent page has no approval form");
  // Every box the page ticks, as a browser submits them (repeated names), less the ones the block unticks.
  const untick = /untick the (\w+)/i.exec(block.code)?.[1];
  const body = new URLSearchParams(Object.entries(form.fields).filter(([name]) => !/\.selected$/.test(name)));
  for (const m of consent.matchAll(/<input type="checkbox"[^>]*>/g)) {
    const name = /\sname="([^"]*)"/.exec(m[0])?.[1];
    const value = /\svalue="([^"]*)"/.exec(m[0])?.[1];
    if (!name || value === undefined || !/\schecked(?=[\s>=/])/.test(m[0]) || !name.endsWith(".selected")) continue;
    if (untick && value.includes(untick)) continue;
    body.append(name, value);
  }
  if (form.button) body.set(form.button.name, form.button.value);
  const { location } = await browser.follow(await browser.post(new URL(form.action, origin).toString(), body));
  const code = location && new URL(location).searchParams.get("code");
  if (!code) throw new Error(`approval did not come back with a code: ${location}`);
  return code;
}

describe.each(withRunnable)("$file runs as written", ({ file, blocks }) => {
  let server: Started;
  let env: NodeJS.ProcessEnv;
  const state = () => path.join(server.dir, "state.sh");
  // Every variable any block sets, saved after each block for the next.
  const names = [...new Set(blocks.flatMap((b) => [...assignedVariables(b.code)]))];

  beforeAll(async () => {
    server = await startServer();
    env = await shellHome(server.dir);
    await writeFile(state(), "");
  }, 120_000);
  afterAll(async () => {
    if (!server) return;
    server.child.kill("SIGTERM");
    await new Promise((r) => server.child.once("exit", r));
    await rm(server.dir, { recursive: true, force: true });
  });

  const script = (code: string) =>
    [
      "set -euo pipefail",
      'curl() { command curl --fail-with-body "$@"; }',
      `source ${JSON.stringify(state())}`,
      code,
      `for v in ${names.join(" ") || ":"}; do declare -p "$v" 2>/dev/null || true; done > ${JSON.stringify(state())}`,
    ].join("\n");

  const runnable = blocks.filter(runs);
  it.each(runnable.map((b) => [label(file, b), b] as const))("%s", async (_, block) => {
    let code = block.code.replaceAll(README_ORIGIN, server.url);
    // CDS_DEMO_CLIENT_SECRET is the secret of every demo client the READMEs use.
    const supplied: Record<string, string> = { SECRET: server.secret, APP_SECRET: server.secret, DIRECT_SECRET: server.secret };
    for (const name of placeholderNames(code)) {
      if (name === "CODE") continue;
      if (!(name in supplied)) throw new Error(`no value for the placeholder ${name}=...; add one to readme-blocks.test.ts`);
      code = code.replace(new RegExp(`^(\\s*)${name}=\\.\\.\\.`, "m"), `$1${name}=${JSON.stringify(supplied[name])}`);
    }
    const parts = code.split(/^\s*CODE=\.\.\..*$/m);
    if (parts.length > 1 && block.marker?.kind !== "browser") throw new Error("CODE=... needs a browser: mark the block <!-- readme-test: browser -->");

    let stdout = "";
    for (let i = 0; i < parts.length; i++) {
      const prefix = i === 0 ? "" : `CODE=${JSON.stringify(await consentInBrowser(server.url, stdout, block))}\n`;
      const result = await runShell(script(prefix + parts[i]!), server.dir, env);
      stdout += result.stdout;
      expect(result.code, `exit status; stderr:\n${result.stderr}\nstdout:\n${result.stdout}`).toBe(0);
    }
    const actual = normaliseOutput(stdout);
    const expected = (block.output ?? []).map((line) => line.replaceAll(README_ORIGIN, server.url));
    expect(outputMatches(expected, actual), `output differs from the README's.\nREADME:\n${expected.join("\n")}\nactual:\n${actual.join("\n")}`).toBe(true);
  }, 120_000);
});
