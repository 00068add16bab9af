/** The committed SQL migrations describe exactly the schema in src/db/schema.ts. */
import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const run = promisify(execFile);
const root = path.join(import.meta.dirname, "..");

it("has a migration for every schema change (run `pnpm --filter @cds-toolkit/server db:generate`)", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "cds-migrations-"));
  try {
    await cp(path.join(root, "migrations"), path.join(dir, "migrations"), { recursive: true });
    // drizzle-kit writes `--out` relative to the working directory, so run it from the copy.
    const { stdout } = await run(
      process.execPath,
      [path.join(root, "node_modules/drizzle-kit/bin.cjs"), "generate", "--dialect=postgresql", `--schema=${path.join(root, "src/db/schema.ts")}`, "--out=migrations"],
      { cwd: dir },
    );
    expect(stdout).toContain("No schema changes");
    expect((await readdir(path.join(dir, "migrations"))).sort()).toEqual((await readdir(path.join(root, "migrations"))).sort());
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
