/**
 * vitest global setup: one migrated PGlite database, dumped to a file that
 * every test file starts from. Creating a PGlite cluster takes seconds; loading
 * a dump takes about one.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import type { TestProject } from "vitest/node";
import { migrationsFolder } from "../../src/db/database.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** A PGlite data-directory dump with every migration applied. */
    pgliteSnapshot: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = await mkdtemp(path.join(tmpdir(), "cds-test-pglite-"));
  const file = path.join(dir, "migrated.tar");
  const client = await PGlite.create();
  try {
    await migrate(drizzle({ client }), { migrationsFolder });
    await writeFile(file, Buffer.from(await (await client.dumpDataDir("none")).arrayBuffer()));
  } finally {
    await client.close();
  }
  project.provide("pgliteSnapshot", file);
  return () => rm(dir, { recursive: true, force: true });
}
