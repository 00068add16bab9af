/** One server per PGlite data directory. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { DataDirInUseError, lockDataDir } from "../src/db/data-dir-lock.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "cds-lock-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

it("refuses a second holder, naming the directory and the process, until released", async () => {
  const release = await lockDataDir(dir);
  await expect(lockDataDir(dir)).rejects.toThrow(DataDirInUseError);
  await expect(lockDataDir(dir)).rejects.toThrow(`${dir} is in use by process ${process.pid}`);
  await release();
  const again = await lockDataDir(dir);
  await again();
});

it("takes over a lock left by a process that no longer runs", async () => {
  // Above the kernel's pid_max, so certainly not a running process.
  await writeFile(path.join(dir, "server.lock"), "99999999");
  const release = await lockDataDir(dir);
  await release();
});
