/**
 * The one statement every token request makes: storing an oidc-provider
 * artifact. Written as fixed SQL sent straight to the driver, because
 * building it with drizzle's query builder cost more than running it on
 * PostgreSQL (issue 10). On node-postgres it is a named prepared statement,
 * so each pooled connection parses and plans it once.
 *
 * The values are encoded exactly as drizzle encodes them for `oidc_artifacts`
 * (schema.ts): `jsonb` as `JSON.stringify`, `timestamptz` as
 * `Date.toISOString()` — so a row written here is byte-for-byte the row the
 * builder wrote (test/artifact-write.test.ts checks it on both databases).
 */
import { PGlite } from "@electric-sql/pglite";
import type { Db } from "../db/index.js";

export interface ArtifactRow {
  model: string;
  id: string;
  payload: Record<string, unknown>;
  grantId: string | null;
  userCode: string | null;
  uid: string | null;
  expiresAt: Date | null;
  /** null leaves an existing row's Credential as it was (a later request may not authenticate). */
  credentialId: string | null;
}

/**
 * Rewriting a row clears `consumed_at`, as the builder's version did. `coalesce`
 * keeps the stored Credential when this request has none, in the same
 * statement rather than two statement shapes.
 */
const UPSERT = `insert into "oidc_artifacts" ("model", "id", "payload", "grant_id", "user_code", "uid", "expires_at", "consumed_at", "credential_id")
values ($1, $2, $3, $4, $5, $6, $7, null, $8)
on conflict ("model", "id") do update set
  "payload" = excluded."payload", "grant_id" = excluded."grant_id", "user_code" = excluded."user_code",
  "uid" = excluded."uid", "expires_at" = excluded."expires_at", "consumed_at" = null,
  "credential_id" = coalesce(excluded."credential_id", "oidc_artifacts"."credential_id")`;

const SWEEP = `delete from "oidc_artifacts" where "expires_at" < $1`;

/** A name unique to this statement text: node-postgres prepares it once per connection under it. */
const UPSERT_NAME = "cds_oidc_artifact_upsert_v1";
const SWEEP_NAME = "cds_oidc_artifact_sweep_v1";

type Values = (string | null)[];
type Run = (name: string, text: string, values: Values) => Promise<unknown>;

/** How to send one parameterised statement to whatever driver drizzle was opened on. */
function runnerFor(db: Db): Run {
  const client = (db as unknown as { $client?: unknown }).$client;
  if (client instanceof PGlite) return (_name, text, values) => client.query(text, values);
  if (client && typeof (client as { query?: unknown }).query === "function") {
    // node-postgres Pool or Client: the config form carries the prepared statement's name.
    const pgClient = client as { query(config: { name: string; text: string; values: Values }): Promise<unknown> };
    return (name, text, values) => pgClient.query({ name, text, values });
  }
  // openDatabase makes only the two above; anything else is a programming error, said plainly.
  throw new Error("oidc_artifacts writes need a Db opened by openDatabase (PGlite or node-postgres)");
}

const runners = new WeakMap<object, Run>();

function run(db: Db): Run {
  let runner = runners.get(db);
  if (!runner) {
    runner = runnerFor(db);
    runners.set(db, runner);
  }
  return runner;
}

export async function upsertArtifact(db: Db, row: ArtifactRow): Promise<void> {
  await run(db)(UPSERT_NAME, UPSERT, [
    row.model,
    row.id,
    JSON.stringify(row.payload),
    row.grantId,
    row.userCode,
    row.uid,
    row.expiresAt ? row.expiresAt.toISOString() : null,
    row.credentialId,
  ]);
}

/** Deletes artifacts that expired before `before`; find() already ignores them, this only keeps the table small. */
export async function sweepExpiredArtifacts(db: Db, before: Date): Promise<void> {
  await run(db)(SWEEP_NAME, SWEEP, [before.toISOString()]);
}
