/**
 * Issue 16: the orchestrators' probes (routes/health.ts). `/health` answers
 * without the database; `/ready` says whether the database answers and has
 * every migration this build ships; neither is ever refused by the rate limit.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { CdsServer } from "../src/server.ts";
import { describeEachDatabase } from "./helpers/databases.ts";
import { testServer, type LogCapture } from "./helpers/servers.ts";

describeEachDatabase("health and readiness probes", (under) => {
  let server: CdsServer & { logs: LogCapture };
  beforeAll(async () => {
    // The tightest limit there is: any probe counted by it would be refused from the second on.
    server = await testServer({ database: under.database, settings: { rateLimitPerMinute: "1" } });
    await server.listen();
  });
  afterAll(async () => {
    await server.close();
  });

  it("answers /health and /ready 200 as plain text, uncached", async () => {
    for (const [path, body] of [["/health", "ok\n"], ["/ready", "ready\n"]] as const) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type"), path).toMatch(/^text\/plain/);
      expect(res.headers.get("cache-control"), path).toBe("no-store");
      expect(await res.text(), path).toBe(body);
    }
  });

  it("is never rate-limited, while the same address is refused elsewhere", async () => {
    await (await fetch(`${server.url}/cds-coverage.json`)).arrayBuffer();
    expect((await fetch(`${server.url}/cds-coverage.json`)).status).toBe(429);
    const statuses = await Promise.all(Array.from({ length: 40 }, (_, i) => fetch(`${server.url}${i % 2 ? "/health" : "/ready"}`).then((r) => r.status)));
    expect(new Set(statuses)).toEqual(new Set([200]));
  });

  it("answers /ready 503 problem details with Retry-After while the schema lacks a migration, and 200 again once it has it", async () => {
    const { db } = under.database;
    const newest = (await db.execute(sql`SELECT id, hash, created_at FROM drizzle.__drizzle_migrations ORDER BY created_at DESC LIMIT 1`)) as unknown as { rows: { id: number; hash: string; created_at: string }[] };
    const row = newest.rows[0]!;
    await db.execute(sql`DELETE FROM drizzle.__drizzle_migrations WHERE id = ${row.id}`);
    try {
      // A fresh instance: readiness answers are reused for a second.
      const other = await testServer({ database: under.database });
      try {
        const res = await other.app.inject({ method: "GET", url: "/ready" });
        expect(res.statusCode).toBe(503);
        expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
        expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
        const body = res.json() as { status: number; detail: string };
        expect(body.status).toBe(503);
        expect(body.detail).toMatch(/migrations/);
        // Liveness does not depend on the database.
        expect((await other.app.inject({ method: "GET", url: "/health" })).statusCode).toBe(200);
      } finally {
        await other.close();
      }
    } finally {
      await db.execute(sql`INSERT INTO drizzle.__drizzle_migrations (id, hash, created_at) VALUES (${row.id}, ${row.hash}, ${row.created_at})`);
    }
    const again = await testServer({ database: under.database });
    try {
      expect((await again.app.inject({ method: "GET", url: "/ready" })).statusCode).toBe(200);
    } finally {
      await again.close();
    }
  });
});
