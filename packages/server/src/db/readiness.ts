/**
 * Whether this instance can serve: the database answers, and its schema has
 * every migration this build ships (an instance started against a database
 * another, newer instance migrated is still ready; one whose migrations have
 * not run is not). One query; concurrent probes share it, and an answer is
 * reused for a second, so a flood of probes costs the database nothing.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import type { Db } from "./database.js";
import { migrationsFolder } from "./database.js";

export type Readiness = { ready: true } | { ready: false; reason: "database-unreachable" | "migrations-pending"; detail: string };

/** The `when` of the newest migration this build ships: drizzle records it as `created_at` once applied. */
function newestMigration(): number {
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")) as { entries: { when: number }[] };
  return Math.max(...journal.entries.map((e) => e.when));
}

export function readinessCheck(db: Db, reuseMs = 1000): () => Promise<Readiness> {
  const newest = newestMigration();
  let last: { at: number; result: Readiness } | null = null;
  let inFlight: Promise<Readiness> | null = null;
  const check = async (): Promise<Readiness> => {
    try {
      const rows = (await db.execute(sql`SELECT max(created_at) AS latest FROM drizzle.__drizzle_migrations`)) as unknown as { rows?: { latest: unknown }[] } | { latest: unknown }[];
      const list = Array.isArray(rows) ? rows : (rows.rows ?? []);
      const latest = Number(list[0]?.latest ?? 0);
      if (latest < newest) return { ready: false, reason: "migrations-pending", detail: "The database schema lacks migrations this server needs; restart the server to apply them." };
      return { ready: true };
    } catch {
      // Whatever failed (unreachable, timed out, no migrations table), this instance cannot serve.
      return { ready: false, reason: "database-unreachable", detail: "The database is unreachable, too slow, or its schema cannot be read." };
    }
  };
  return () => {
    const now = Date.now();
    if (last && now - last.at < reuseMs) return Promise.resolve(last.result);
    inFlight ??= check().then((result) => {
      last = { at: Date.now(), result };
      inFlight = null;
      return result;
    });
    return inFlight;
  };
}
