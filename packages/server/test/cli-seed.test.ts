/**
 * `cds-server seed` through the built CLI on a temporary PGlite data
 * directory: it writes exactly the generated utility of the size asked for,
 * with progress on standard error, refuses a database that already holds
 * customer data (exit 2) unless `--replace`, and names a bad argument.
 */
import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openDatabase } from "../src/db/index.ts";
import { generateDemoUtility } from "../src/demo/customer-data/generator.ts";

const cli = path.join(import.meta.dirname, "../dist/cli.js");
let dir: string;
const seed = (...args: string[]) => spawnSync(process.execPath, [cli, "seed", ...args, "--data-dir", dir], { encoding: "utf8", env: { ...process.env, DATABASE_URL: "" }, timeout: 120_000 });

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "cds-seed-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it("seeds the asked-for utility, refuses to seed twice, and replaces on request", async () => {
  const first = seed("--customers", "12", "--months", "2", "--interval-days", "1", "--seed", "5");
  expect(first.status, first.stderr).toBe(0);
  expect(first.stdout).toBe("");
  expect(first.stderr).toMatch(/seed: 12\/12 customers/);
  expect(first.stderr).toMatch(/seed: done, \d+ objects/);

  const again = seed("--customers", "12", "--months", "2");
  expect(again.status).toBe(2);
  expect(again.stderr).toContain("--replace");

  const replaced = seed("--customers", "13", "--months", "2", "--interval-days", "1", "--seed", "6", "--replace");
  expect(replaced.status, replaced.stderr).toBe(0);

  const expected = generateDemoUtility({ customers: 13, months: 2, intervalSeconds: 900, seed: 6, until: "2025-03-01T06:00:00.000Z", intervalDays: 1 });
  const database = await openDatabase({ kind: "pglite", dataDir: dir });
  try {
    const rows = (await database.db.execute(sql`select kind, count(*)::int as n from customer_data_objects group by kind`)) as unknown as { rows: { kind: string; n: number }[] };
    const counts = Object.fromEntries(rows.rows.map((r) => [r.kind, r.n]));
    const wanted: Record<string, number> = {};
    for (const o of expected.objects) wanted[o.kind] = (wanted[o.kind] ?? 0) + 1;
    expect(counts).toEqual(wanted);
  } finally {
    await database.close();
  }
}, 240_000);

it("names a bad argument and exits 2", () => {
  const bad = seed("--customers", "12", "--months", "2", "--interval", "1000");
  expect(bad.status).toBe(2);
  expect(bad.stderr).toContain("--interval");
  const missing = seed("--months", "2");
  expect(missing.status).toBe(2);
  expect(missing.stderr).toContain("--customers");
});
