/**
 * A PostgreSQL cluster of a test's own, for tests that stop, restart or
 * slow down the database (the shared cluster of the global setup serves
 * every other file). Started like the setup's (test/setup/postgres-cluster.ts):
 * Debian's binaries, trust auth, 127.0.0.1 on a free port, data in a temp
 * folder, run as the `postgres` user when the tests run as root.
 */
import { execFile } from "node:child_process";
import { access, chown, mkdtemp, readdir, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface OwnPostgres {
  url: string;
  /** `pg_ctl stop` in `mode` (fast: sessions are terminated; immediate: as a crash). */
  stop(mode?: "fast" | "immediate"): Promise<void>;
  start(): Promise<void>;
  /** Stops the cluster and deletes its files. */
  destroy(): Promise<void>;
}

async function postgresBin(): Promise<string | null> {
  if (process.env.CDS_TEST_POSTGRES_BIN) return process.env.CDS_TEST_POSTGRES_BIN;
  const root = "/usr/lib/postgresql";
  const majors = (await readdir(root).catch(() => [] as string[])).filter((m) => /^\d+$/.test(m)).sort((a, b) => Number(b) - Number(a));
  for (const major of majors) {
    const bin = path.join(root, major, "bin");
    if (await access(path.join(bin, "initdb")).then(() => true, () => false)) return bin;
  }
  return null;
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const bin = await postgresBin();
  if (!bin) throw new Error("no PostgreSQL binaries (initdb) found");
  const dir = await mkdtemp(path.join(tmpdir(), "cds-own-pg-"));
  const data = path.join(dir, "data");
  const asRoot = process.getuid?.() === 0;
  const exec = (name: string, args: string[]) => (asRoot ? run("runuser", ["-u", "postgres", "--", path.join(bin, name), ...args]) : run(path.join(bin, name), args));
  if (asRoot) {
    const uid = Number((await run("id", ["-u", "postgres"])).stdout.trim());
    const gid = Number((await run("id", ["-g", "postgres"])).stdout.trim());
    await chown(dir, uid, gid);
  }
  await exec("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"]);
  const port = await freePort();
  const options = `-c listen_addresses=127.0.0.1 -p ${port} -c unix_socket_directories=${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const start = async () => {
    await exec("pg_ctl", ["-D", data, "-o", options, "-l", path.join(dir, "server.log"), "-w", "start"]);
  };
  const stop = async (mode: "fast" | "immediate" = "fast") => {
    await exec("pg_ctl", ["-D", data, "-m", mode, "-w", "stop"]);
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop,
    start,
    async destroy() {
      await stop("immediate").catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
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
