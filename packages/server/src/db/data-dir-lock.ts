/**
 * One process per PGlite data directory. PGlite is an embedded database with
 * no server to arbitrate: two processes writing the same files corrupt them,
 * and PGlite itself does not stop the second one.
 */
import { open, readFile, rm } from "node:fs/promises";
import path from "node:path";

export class DataDirInUseError extends Error {
  constructor(dir: string, pid: number) {
    super(`the data directory ${dir} is in use by process ${pid}; stop that server or choose another CDS_DATA_DIR (several instances need a PostgreSQL server: DATABASE_URL)`);
    this.name = "DataDirInUseError";
  }
}

/** Takes the directory's lock (a file holding our pid); resolves to its release. A lock left by a dead process is taken over. */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const file = path.join(dir, "server.lock");
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number((await readFile(file, "utf8").catch(() => "")).trim());
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) throw new DataDirInUseError(dir, holder);
      await rm(file, { force: true });
    }
  }
  throw new Error(`could not lock the data directory ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
