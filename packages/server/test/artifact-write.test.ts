/**
 * The artifact upsert as raw SQL (src/oauth/artifact-write.ts) stores exactly
 * what drizzle's query builder stored before it: the builder's statement is
 * kept here as the reference, both write the same artifact under two ids,
 * and the rows are compared as the database returns them as text — so a
 * difference in JSON or timestamp encoding cannot hide behind parsing.
 */
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "../src/db/index.ts";
import { clientSecrets, oauthClients, oidcArtifacts as t, registrations } from "../src/db/schema.ts";
import { sweepExpiredArtifacts, upsertArtifact, type ArtifactRow } from "../src/oauth/artifact-write.ts";
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

describe("artifact writes on a Db openDatabase did not make", () => {
  it("refuse with a clear error instead of guessing the driver", async () => {
    const row: ArtifactRow = { model: "Session", id: "s", payload: {}, grantId: null, userCode: null, uid: null, expiresAt: null, credentialId: null };
    await expect(upsertArtifact({} as Db, row)).rejects.toThrow(/openDatabase/);
  });
});
