/**
 * The `cds-server` command as `pnpm start` runs it: a first start that creates
 * the data and the demo client, a second start that finds them, on embedded
 * PGlite (file-backed) and on PostgreSQL.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { validateOAuthServerMetadata } from "@cds-toolkit/validators";
import { describe, expect, inject, it } from "vitest";
import { settings, type SettingKey } from "../src/config/settings.ts";
import { settingHelp } from "../src/config/setting-help.ts";
import { createPostgresDatabase } from "./helpers/databases.ts";

const cli = path.join(import.meta.dirname, "../dist/cli.js");

interface Started {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
}

/** Starts the CLI and resolves once it has printed its URL. */
function start(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, [cli, "--demo-data"], { env: { ...process.env, PORT: "0", LOG_LEVEL: "warn", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 60 s; stderr: ${stderr}`)), 60_000);
    child.once("exit", (code) => reject(new Error(`exited with ${code}; stderr: ${stderr}`)));
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes("\n")) {
        clearTimeout(timer);
        resolve({ child, url: stdout.trim(), stdout: () => stdout, stderr: () => stderr });
      }
    });
  });
}

/** Stops the CLI; SIGINT is what Ctrl-C sends, SIGTERM what a service manager sends. */
function stop(started: Started, signal: NodeJS.Signals = "SIGTERM", times = 1): Promise<number | null> {
  return new Promise((resolve) => {
    started.child.once("exit", (code) => resolve(code));
    for (let i = 0; i < times; i++) started.child.kill(signal);
  });
}

async function token(url: string, secret: string): Promise<number> {
  const res = await fetch(`${url}/oauth/token`, {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from(`demo-client:${secret}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials",
  });
  return res.status;
}

async function firstAndSecondStart(env: Record<string, string>, duringFirst: () => Promise<void> = async () => {}) {
  const first = await start(env);
  try {
    await duringFirst();
    expect(first.stdout()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\n$/);
    const metadata = await (await fetch(`${first.url}/.well-known/cds-server-metadata.json`)).json();
    expect(validateOAuthServerMetadata(metadata, "strict").ok).toBe(true);
    const secret = /client_secret=(\S+)/.exec(first.stderr())?.[1];
    expect(secret, first.stderr()).toBeTruthy();
    expect(await token(first.url, secret!)).toBe(200);
    expect(first.stderr()).toMatch(/Demo walkthrough: http:\/\/127\.0\.0\.1:\d+\/docs\/guides\/client-quickstart\.html/);
    // Ctrl-C: a clean exit (status 0), so `pnpm start` reports no failure; pnpm forwards the terminal's
    // SIGINT to its script, so the server gets it twice, and the second must not kill it mid-close.
    expect(await stop(first, "SIGINT", 2)).toBe(0);

    const second = await start(env);
    try {
      expect(second.stderr()).not.toContain("client_secret=");
      // The second start says how to get a usable secret back, and where the walkthrough is.
      expect(second.stderr()).toMatch(/Restart with CDS_DEMO_CLIENT_SECRET=<16\+ characters>/);
      expect(second.stderr()).toContain("Demo walkthrough:");
      expect(await token(second.url, secret!)).toBe(200);
    } finally {
      await stop(second);
    }
  } finally {
    if (first.child.exitCode === null) await stop(first);
  }
}

describe("cds-server --help and --version", () => {
  function run(args: string[]): Promise<{ code: number | null; stdout: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.once("exit", (code) => resolve({ code, stdout }));
    });
  }

  it("--help exits 0 and gives every flag its variable, description and default", async () => {
    const { code, stdout } = await run(["--help"]);
    expect(code).toBe(0);
    for (const key of Object.keys(settings) as SettingKey[]) {
      expect(stdout).toContain(`--${settings[key].flag}`);
      expect(stdout).toContain(`env ${settings[key].env}; default: ${settingHelp[key].default}`);
      expect(stdout).toContain(settingHelp[key].description);
    }
    expect(stdout).toContain("--version");
  });

  it("--version prints the package's version", async () => {
    const pkg = JSON.parse(await readFile(path.join(import.meta.dirname, "../package.json"), "utf8")) as { version: string };
    expect(await run(["--version"])).toEqual({ code: 0, stdout: `${pkg.version}\n` });
  });

  it("an unknown flag exits 2 with the usage", async () => {
    expect((await run(["--no-such-flag"])).code).toBe(2);
  });
});

describe("cds-server --demo-data", () => {
  it("runs on embedded PGlite in a data directory, and keeps its data across restarts", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "cds-cli-"));
    try {
      await firstAndSecondStart({ CDS_DATA_DIR: dataDir }, async () => {
        // PGlite is embedded: a second process on the same files would corrupt them.
        const rival = await start({ CDS_DATA_DIR: dataDir }).then(
          async (started) => {
            await stop(started);
            expect.fail("a second server started on the same data directory");
          },
          (error: Error) => error.message,
        );
        expect(rival).toMatch(/exited with 1; stderr: cds-server failed to start: the data directory .* is in use by process \d+/);
      });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  const adminUrl = inject("postgresUrl");
  it.skipIf(!adminUrl)(`runs on PostgreSQL with DATABASE_URL${adminUrl ? "" : ` (skipped: ${inject("postgresSkipReason")})`}`, async () => {
    const created = await createPostgresDatabase(adminUrl!);
    try {
      await firstAndSecondStart({ DATABASE_URL: (created.config as { url: string }).url });
    } finally {
      await created.drop();
    }
  });
});
