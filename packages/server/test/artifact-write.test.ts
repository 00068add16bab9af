/**
 * The artifact upsert as raw SQL (src/oauth/artifact-write.ts) stores exactly
 * what drizzle's query builder stored before it: the builder's statement is
 * kept here as the reference, both write the same artifact under two ids,
 * and the rows are compared as the database returns them as text — so a
 * difference in JSON or timestamp encoding cannot hide behind parsing.
 */
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import type { Db } from "../src/db/index.ts";
import { clientSecrets, oauthClients, oidcArtifacts as t, registrations } from "../src/db/schema.ts";
import { MAX_ROWS_PER_STATEMENT, sweepExpiredArtifacts, upsertArtifact, type ArtifactRow } from "../src/oauth/artifact-write.ts";
import { describeEachDatabase } from "./helpers/databases.ts";

/** The builder statement ArtifactAdapter.upsert used until issue 10. */
async function builderUpsert(db: Db, row: ArtifactRow): Promise<void> {
  const values = { ...row, consumedAt: null, credentialId: row.credentialId ?? undefined };
  await db
    .insert(t)
    .values(values)
    .onConflictDoUpdate({ target: [t.model, t.id], set: { ...values, model: undefined, id: undefined } });
}

/** Every column as the database prints it, for the row `(model, id)`. */
async function storedText(db: Db, model: string, id: string): Promise<Record<string, string | null> | undefined> {
  const result = await db.execute(sql`select payload::text as payload, grant_id, user_code, uid, expires_at::text as expires_at,
      consumed_at::text as consumed_at, credential_id from oidc_artifacts where model = ${model} and id = ${id}`);
  return (result as unknown as { rows: Record<string, string | null>[] }).rows[0];
}

async function storedRow(db: Db, model: string, id: string) {
  const [row] = await db.select().from(t).where(sql`${t.model} = ${model} and ${t.id} = ${id}`);
  return row;
}

/** Credentials the artifacts may point at (credential_id is a foreign key). */
async function seedCredentials(db: Db): Promise<void> {
  await db.insert(registrations).values({ id: "reg-1" }).onConflictDoNothing();
  await db
    .insert(oauthClients)
    .values({ clientId: "client-1", registrationId: "reg-1", metadata: {} as (typeof oauthClients.$inferInsert)["metadata"] })
    .onConflictDoNothing();
  for (const id of ["cred-a", "cred-b"]) {
    await db.insert(clientSecrets).values({ id, clientId: "client-1", secretSha256: `hash-${id}` }).onConflictDoNothing();
  }
}

/**
 * Payloads as oidc-provider hands them over: plain JSON objects. The JSON round
 * trip gives every nested object the ordinary prototype (the builder throws on
 * null-prototype objects, which oidc-provider never makes).
 */
const jsonObject = fc
  .dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 })
  .map((value) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>);

const artifact = fc.record({
  model: fc.constantFrom("AccessToken", "ClientCredentials", "AuthorizationCode", "Grant", "Session"),
  payload: jsonObject,
  grantId: fc.option(fc.string({ minLength: 1, maxLength: 12 }), { nil: null }),
  userCode: fc.option(fc.string({ minLength: 1, maxLength: 12 }), { nil: null }),
  uid: fc.option(fc.string({ minLength: 1, maxLength: 12 }), { nil: null }),
  // Whole milliseconds across a wide range, the precision the column keeps.
  expiresAt: fc.option(fc.date({ min: new Date("1990-01-01T00:00:00Z"), max: new Date("2200-01-01T00:00:00Z"), noInvalidDate: true }), { nil: null }),
  credentialId: fc.constantFrom(null, "cred-a", "cred-b"),
});

/** Outcome of a write: the stored text, or the database's refusal (e.g. a NUL character jsonb cannot hold). */
async function attempt(write: () => Promise<void>, read: () => Promise<unknown>): Promise<{ ok: true; row: unknown } | { ok: false }> {
  try {
    await write();
  } catch {
    return { ok: false };
  }
  return { ok: true, row: await read() };
}

describeEachDatabase("oidc artifact upsert as raw SQL", (under) => {
  it("stores the row the query builder stored, for any artifact, including rewrites of an existing row", async () => {
    const db = under.database.db;
    await seedCredentials(db);
    let n = 0;
    await fc.assert(
      fc.asyncProperty(artifact, artifact, async (first, second) => {
        n += 1;
        const builderId = `builder-${n}`;
        const rawId = `raw-${n}`;
        // A first write, then a rewrite of the same row (the path a refreshed or consumed artifact takes).
        for (const version of [first, { ...second, model: first.model }]) {
          const viaBuilder = await attempt(
            () => builderUpsert(db, { ...version, id: builderId }),
            () => storedText(db, version.model, builderId),
          );
          const viaRaw = await attempt(
            () => upsertArtifact(db, { ...version, id: rawId }),
            () => storedText(db, version.model, rawId),
          );
          expect(viaRaw).toEqual(viaBuilder);
          if (viaRaw.ok) {
            const [a, b] = [await storedRow(db, version.model, builderId), await storedRow(db, version.model, rawId)];
            expect({ ...b, id: "x" }).toEqual({ ...a, id: "x" });
          }
        }
      }),
      { numRuns: 60 },
    );
    expect(n).toBeGreaterThanOrEqual(60);
  });

  it("keeps the stored Credential when a rewrite has none, replaces it when it has one, and clears consumed_at", async () => {
    const db = under.database.db;
    await seedCredentials(db);
    const base: ArtifactRow = { model: "Grant", id: "g-1", payload: { a: 1 }, grantId: "g", userCode: null, uid: null, expiresAt: new Date(Date.now() + 60_000), credentialId: "cred-a" };
    await upsertArtifact(db, base);
    await db.execute(sql`update oidc_artifacts set consumed_at = now() where id = 'g-1'`);
    await upsertArtifact(db, { ...base, payload: { a: 2 }, credentialId: null });
    let row = await storedRow(db, "Grant", "g-1");
    expect(row).toMatchObject({ credentialId: "cred-a", consumedAt: null, payload: { a: 2 } });
    await upsertArtifact(db, { ...base, credentialId: "cred-b" });
    row = await storedRow(db, "Grant", "g-1");
    expect(row?.credentialId).toBe("cred-b");
  });

  it("keeps a payload that looks like SQL as data", async () => {
    const db = under.database.db;
    const hostile = "'); drop table oidc_artifacts; --";
    await upsertArtifact(db, { model: "Session", id: hostile, payload: { [hostile]: hostile }, grantId: hostile, userCode: null, uid: hostile, expiresAt: null, credentialId: null });
    expect(await storedRow(db, "Session", hostile)).toMatchObject({ payload: { [hostile]: hostile }, grantId: hostile, uid: hostile, expiresAt: null });
  });

  it("sweeps only rows that expired before the cut-off", async () => {
    const db = under.database.db;
    const now = Date.now();
    const row = (id: string, expiresAt: Date | null): ArtifactRow => ({ model: "AccessToken", id, payload: {}, grantId: null, userCode: null, uid: null, expiresAt, credentialId: null });
    await upsertArtifact(db, row("long-gone", new Date(now - 7200_000)));
    await upsertArtifact(db, row("just-expired", new Date(now - 60_000)));
    await upsertArtifact(db, row("alive", new Date(now + 60_000)));
    await upsertArtifact(db, row("forever", null));
    await sweepExpiredArtifacts(db, new Date(now - 3600_000));
    const ids = (await db.select({ id: t.id }).from(t)).map((r) => r.id).sort();
    expect(ids).toEqual(["alive", "forever", "just-expired"]);
  });
});

/** The driver under `db` (PGlite, or node-postgres's Pool), whose `query` every statement goes through. */
const driverOf = (db: Db) => (db as unknown as { $client: { query: (...args: unknown[]) => Promise<unknown> } }).$client;
/** The SQL text of a driver call: PGlite takes it first, node-postgres as `text` of a config object. */
const textOf = (args: unknown[]) => (typeof args[0] === "string" ? args[0] : String((args[0] as { text?: unknown }).text));
const isArtifactUpsert = (args: unknown[]) => textOf(args).startsWith(`insert into "oidc_artifacts"`);

/**
 * Counts the artifact upserts sent to the driver; while `gate` is pending,
 * each waits for it before it reaches the database.
 */
function watchUpserts(db: Db, gate: Promise<void> = Promise.resolve()) {
  const driver = driverOf(db);
  const original = driver.query.bind(driver);
  const statements: unknown[][] = [];
  const spy = vi.spyOn(driver, "query").mockImplementation(async (...args: unknown[]) => {
    if (!isArtifactUpsert(args)) return original(...args);
    statements.push(args);
    await gate;
    return original(...args);
  });
  return { statements, restore: () => spy.mockRestore() };
}

const token = (id: string, extra: Partial<ArtifactRow> = {}): ArtifactRow => ({
  model: "ClientCredentials",
  id,
  payload: { jti: id, kind: "ClientCredentials" },
  grantId: null,
  userCode: null,
  uid: null,
  expiresAt: new Date(Date.now() + 3600_000),
  credentialId: null,
  ...extra,
});

describeEachDatabase("grouped artifact writes (issue 10)", (under) => {
  it("sends concurrent writes as one statement, and settles each only once that statement has committed", async () => {
    const db = under.database.db;
    let open!: () => void;
    const watch = watchUpserts(db, new Promise<void>((resolve) => (open = resolve)));
    try {
      const ids = Array.from({ length: 25 }, (_, i) => `group-${i}`);
      const settled: string[] = [];
      const writes = ids.map((id) => upsertArtifact(db, token(id)).then(() => settled.push(id)));
      // Let the group go out and reach the gate: nothing may count as written before the database has it.
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
      expect(watch.statements).toHaveLength(1);
      expect(settled).toEqual([]);
      open();
      await Promise.all(writes);
      expect(settled.sort()).toEqual([...ids].sort());
      const stored = await db.select({ id: t.id }).from(t).where(sql`${t.id} like 'group-%'`);
      expect(stored.map((r) => r.id).sort()).toEqual([...ids].sort());
    } finally {
      watch.restore();
    }
  });

  it("splits a larger burst into statements of at most MAX_ROWS_PER_STATEMENT rows, and stores every row", async () => {
    const db = under.database.db;
    const watch = watchUpserts(db);
    try {
      const count = MAX_ROWS_PER_STATEMENT * 2 + 7;
      await Promise.all(Array.from({ length: count }, (_, i) => upsertArtifact(db, token(`burst-${i}`))));
      const rowsPerStatement = watch.statements.map((args) => {
        const values = (Array.isArray(args[1]) ? args[1] : (args[0] as { values: unknown[] }).values) as unknown[][];
        return values[0]!.length;
      });
      expect(rowsPerStatement.every((n) => n >= 1 && n <= MAX_ROWS_PER_STATEMENT)).toBe(true);
      expect(rowsPerStatement.reduce((a, b) => a + b, 0)).toBe(count);
      expect(watch.statements.length).toBeLessThan(count);
      const stored = await db.select({ id: t.id }).from(t).where(sql`${t.id} like 'burst-%'`);
      expect(stored).toHaveLength(count);
    } finally {
      watch.restore();
    }
  });

  it("fails only the write the database refuses, not the others of its group", async () => {
    const db = under.database.db;
    const ids = Array.from({ length: 6 }, (_, i) => `mixed-${i}`);
    // jsonb cannot hold U+0000: the database refuses this one row.
    const results = await Promise.allSettled(ids.map((id, i) => upsertArtifact(db, token(id, i === 3 ? { payload: { bad: "\u0000" } } : {}))));
    expect(results.map((r) => r.status)).toEqual(ids.map((_, i) => (i === 3 ? "rejected" : "fulfilled")));
    const stored = await db.select({ id: t.id }).from(t).where(sql`${t.id} like 'mixed-%'`);
    expect(stored.map((r) => r.id).sort()).toEqual(ids.filter((_, i) => i !== 3).sort());
  });

  it("leaves, for writes of one row in one group, what writing them one after another leaves", async () => {
    const db = under.database.db;
    await seedCredentials(db);
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(artifact, { minLength: 2, maxLength: 5 }), async (versions) => {
        n += 1;
        const model = versions[0]!.model;
        const sequential = `seq-${n}`;
        const grouped = `grp-${n}`;
        const inOrder: string[] = [];
        for (const v of versions) {
          inOrder.push(
            await upsertArtifact(db, { ...v, model, id: sequential }).then(
              () => "fulfilled",
              () => "rejected",
            ),
          );
        }
        const outcomes = await Promise.allSettled(versions.map((v) => upsertArtifact(db, { ...v, model, id: grouped })));
        expect(outcomes.map((o) => o.status)).toEqual(inOrder);
        expect(await storedText(db, model, grouped)).toEqual(await storedText(db, model, sequential));
      }),
      { numRuns: 40 },
    );
    expect(n).toBeGreaterThanOrEqual(40);
  });
});

describe("artifact writes on a Db openDatabase did not make", () => {
  it("refuse with a clear error instead of guessing the driver", async () => {
    const row: ArtifactRow = { model: "Session", id: "s", payload: {}, grantId: null, userCode: null, uid: null, expiresAt: null, credentialId: null };
    await expect(upsertArtifact({} as Db, row)).rejects.toThrow(/openDatabase/);
  });
});
