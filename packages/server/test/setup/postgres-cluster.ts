/**
 * vitest global setup: a throwaway PostgreSQL cluster for the whole run, so
 * every database test runs a second time on a real PostgreSQL. Started from
 * the Debian binaries on 127.0.0.1 at a free port, data in a temp folder,
 * stopped and deleted after the run. Where the binaries are missing and the
 * run is root on Debian, Debian's `postgresql` package is installed first
 * (the test command must set up everything it needs; `CDS_TEST_INSTALL_POSTGRES=0`
 * turns that off). Where they still cannot be had, the PostgreSQL runs are
 * skipped and the reason is printed (and shown in the skipped suites' names).
 * `CDS_TEST_DATABASE_URL` uses an existing server instead.
 */
import { execFile } from "node:child_process";
import { access, chown, mkdtemp, readdir, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** Admin connection URL of the test cluster, or null when PostgreSQL runs are skipped. */
    postgresUrl: string | null;
    postgresSkipReason: string;
  }
}

const run = promisify(execFile);
let BIN = process.env.CDS_TEST_POSTGRES_BIN ?? "/usr/lib/postgresql/15/bin";

export default async function setup(project: TestProject) {
  const existing = process.env.CDS_TEST_DATABASE_URL;
  if (existing) {
    project.provide("postgresUrl", existing);
    project.provide("postgresSkipReason", "");
    return;
  }
  if (!process.env.CDS_TEST_POSTGRES_BIN) BIN = (await installedBin()) ?? (await installFromDebian()) ?? BIN;
  const reason = await unavailable();
  if (reason) {
    console.log(`\n[server tests] PostgreSQL runs skipped: ${reason}\n`);
    project.provide("postgresUrl", null);
    project.provide("postgresSkipReason", reason);
    return;
  }

  const dir = await mkdtemp(path.join(tmpdir(), "cds-test-pg-"));
  const data = path.join(dir, "data");
  // initdb refuses to run as root; as root, run the cluster as the `postgres` user.
  const asRoot = process.getuid?.() === 0;
  const exec = (bin: string, args: string[]) =>
    asRoot ? run("runuser", ["-u", "postgres", "--", path.join(BIN, bin), ...args]) : run(path.join(BIN, bin), args);
  try {
    if (asRoot) {
      const { stdout } = await run("id", ["-u", "postgres"]);
      const { stdout: gid } = await run("id", ["-g", "postgres"]);
      await chown(dir, Number(stdout.trim()), Number(gid.trim()));
    }
    await exec("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"]);
    const port = await freePort();
    // Durability is pointless for a throwaway cluster; turning it off makes the tests faster.
    const options = `-c listen_addresses=127.0.0.1 -p ${port} -c unix_socket_directories=${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    await exec("pg_ctl", ["-D", data, "-o", options, "-l", path.join(dir, "server.log"), "-w", "start"]);
    project.provide("postgresUrl", `postgres://postgres@127.0.0.1:${port}/postgres`);
    project.provide("postgresSkipReason", "");
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`could not start the test PostgreSQL cluster: ${(error as Error).message}`);
  }

  return async () => {
    await exec("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  };
}

async function unavailable(): Promise<string | null> {
  for (const bin of ["initdb", "pg_ctl"]) {
    try {
      await access(path.join(BIN, bin));
    } catch {
      return `${path.join(BIN, bin)} not found (install Debian's postgresql package, or set CDS_TEST_DATABASE_URL)`;
    }
  }
  if (process.getuid?.() === 0) {
    try {
      await run("id", ["-u", "postgres"]);
    } catch {
      return "running as root, but there is no `postgres` user to run the cluster as";
    }
  }
  return null;
}

/** The newest `/usr/lib/postgresql/<major>/bin` that has `initdb`, if any. */
async function installedBin(): Promise<string | null> {
  const root = "/usr/lib/postgresql";
  const majors = await readdir(root).catch(() => [] as string[]);
  for (const major of majors.filter((m) => /^\d+$/.test(m)).sort((a, b) => Number(b) - Number(a))) {
    const bin = path.join(root, major, "bin");
    if (await access(path.join(bin, "initdb")).then(() => true, () => false)) return bin;
  }
  return null;
}

/** Installs Debian's `postgresql` package when the run may (root, apt-get present, not turned off). */
async function installFromDebian(): Promise<string | null> {
  if (process.env.CDS_TEST_INSTALL_POSTGRES === "0" || process.getuid?.() !== 0) return null;
  if (!(await access("/usr/bin/apt-get").then(() => true, () => false))) return null;
  console.log("\n[server tests] PostgreSQL binaries not found: installing Debian's postgresql package (apt-get, about a minute)…");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  try {
    await run("apt-get", ["update", "-qq"], { env, timeout: 300_000 });
    await run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "postgresql"], { env, timeout: 600_000 });
  } catch (error) {
    console.log(`[server tests] installing postgresql failed: ${(error as Error).message.split("\n")[0]}`);
    return null;
  }
  const bin = await installedBin();
  console.log(`[server tests] PostgreSQL installed: ${bin ?? "but no initdb found"}\n`);
  return bin;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
