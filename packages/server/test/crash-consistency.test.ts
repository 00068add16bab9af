/**
 * Issue 16, crash consistency: the `cds-server` process is killed with
 * SIGKILL in the middle of a burst of multi-row writes (registration,
 * Credential creation, Credential expiry with its tokens, Messages), then
 * started again on the same data, on PostgreSQL and on PGlite on disk. The
 * restart succeeds (a PGlite data directory survives the kill; its lock,
 * left by a dead process, is taken over), every listing answers 200, and the
 * stored data keeps its invariants: no Client Object without a Credential,
 * no registration without its Client Objects, no token of a compromised
 * Credential, no CDS Grant from an approval without its receipt; and every
 * access token a Client was handed before the kill is stored, and active
 * after the restart (token rows are written in groups, and a request answers
 * only once its group has committed: src/oauth/artifact-write.ts).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, describe, expect, inject, it } from "vitest";
import type { DatabaseConfig } from "../src/config/index.ts";
import { openDatabase } from "../src/db/index.ts";
import { oidcArtifacts } from "../src/db/schema.ts";
import { createPostgresDatabase } from "./helpers/databases.ts";

const cli = path.join(import.meta.dirname, "../dist/cli.js");
const secret = `crash-${randomBytes(12).toString("hex")}`;

interface Started {
  child: ChildProcess;
  url: string;
  exit: Promise<number | null>;
}

function start(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, [cli, "--demo-data"], {
    env: { ...process.env, PORT: "0", LOG_LEVEL: "warn", CDS_DEMO_CLIENT_SECRET: secret, CDS_RATE_LIMIT_PER_MINUTE: "1000000", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 90 s; stderr: ${stderr}`)), 90_000);
    void exit.then((code) => reject(new Error(`exited with ${code}; stderr: ${stderr}`)));
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes("\n")) {
        clearTimeout(timer);
        resolve({ child, url: stdout.trim(), exit });
      }
    });
  });
}

async function adminToken(url: string): Promise<string> {
  const res = await fetch(`${url}/oauth/token`, {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from(`demo-client:${secret}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials&scope=cds_client_admin",
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** A Client of its own for the token requests: the restart seeds the demo data again, demo-client's Credential with it. */
interface TokenClient {
  client_id: string;
  client_secret: string;
}

/** A client_credentials request of `client`; its token, when one was handed out (200). */
async function tokenIfHanded(url: string, client: TokenClient): Promise<string | null> {
  const res = await fetch(`${url}/oauth/token`, {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials&scope=cds_client_admin",
  });
  if (res.status !== 200) return null;
  return ((await res.json()) as { access_token: string }).access_token;
}

/** One round of every multi-row write; errors (the connection cut by the kill) are expected and ignored. Tokens handed out go to `handed`. */
async function writeRound(url: string, token: string, round: number, tokens: { client: TokenClient; handed: string[] }): Promise<void> {
  const json = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const writes = [
    // Concurrent token requests: their rows are written as one group.
    ...Array.from({ length: 3 }, () => tokenIfHanded(url, tokens.client).then((t) => (t ? tokens.handed.push(t) : undefined))),
    fetch(`${url}/oauth/register`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ client_name: `Crash ${round}`, scope: "cds_client_admin" }) }),
    fetch(`${url}/cds-api/v1/messages`, { method: "POST", headers: json, body: JSON.stringify({ type: "support_request", previous_uri: null, name: `Round ${round}`, description: "Burst." }) }),
    (async () => {
      // A Credential, a token obtained with it, then the Credential compromised (its tokens deleted with it).
      const created = await fetch(`${url}/cds-api/v1/credentials`, { method: "POST", headers: json, body: JSON.stringify({ client_id: "demo-client" }) });
      if (created.status !== 201) return;
      const credential = (await created.json()) as { credential_id: string; client_secret: string };
      await fetch(`${url}/oauth/token`, {
        method: "POST",
        headers: { authorization: `Basic ${Buffer.from(`demo-client:${credential.client_secret}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
        body: "grant_type=client_credentials&scope=cds_client_admin",
      });
      await fetch(`${url}/cds-api/v1/credentials/${credential.credential_id}`, { method: "PATCH", headers: json, body: JSON.stringify({ client_secret_expires_at: Math.floor(Date.now() / 1000) - 1 }) });
    })(),
  ];
  await Promise.allSettled(writes.map((w) => Promise.resolve(w).then((r) => (r instanceof Response ? r.arrayBuffer() : undefined))));
}

/** Counts of rows that break an invariant, by invariant: every one must be 0. */
async function brokenInvariants(config: DatabaseConfig): Promise<Record<string, number>> {
  const database = await openDatabase(config);
  try {
    const count = async (query: ReturnType<typeof sql>) => {
      const result = (await database.db.execute(query)) as unknown as { rows: { n: unknown }[] };
      return Number(result.rows[0]!.n);
    };
    return {
      clientWithoutCredential: await count(sql`SELECT count(*) AS n FROM oauth_clients c
        WHERE coalesce(c.metadata->>'token_endpoint_auth_method', 'none') <> 'none'
          -- Seeded without one on purpose: the operator gives the demo Grant Admin client its Credential (demo/demo-files.ts).
          AND c.client_id <> 'demo-grant-admin'
          AND NOT EXISTS (SELECT 1 FROM client_secrets s WHERE s.client_id = c.client_id)`),
      registrationWithoutClient: await count(sql`SELECT count(*) AS n FROM registrations r WHERE NOT EXISTS (SELECT 1 FROM oauth_clients c WHERE c.registration_id = r.id)`),
      tokenOfCompromisedCredential: await count(sql`SELECT count(*) AS n FROM oidc_artifacts a JOIN client_secrets s ON s.id = a.credential_id
        WHERE s.expires_at IS NOT NULL AND s.expires_at <= now()`),
      tokenOfMissingCredential: await count(sql`SELECT count(*) AS n FROM oidc_artifacts a
        WHERE a.credential_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM client_secrets s WHERE s.id = a.credential_id)`),
      approvedGrantWithoutReceipt: await count(sql`SELECT count(*) AS n FROM grants g
        WHERE g.oidc_grant_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM authorization_receipts r WHERE r.grant_id = g.id)`),
      credentialWithoutChangelog: await count(sql`SELECT count(*) AS n FROM client_secrets s JOIN oauth_clients c ON c.client_id = s.client_id
        WHERE c.client_id = 'demo-client' AND s.created_at > (SELECT min(created_at) FROM client_secrets WHERE client_id = 'demo-client')
          AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.name = 'Credential ' || s.id || ' created')`),
    };
  } finally {
    await database.close();
  }
}

/** The tokens of `handed` that have no row: each one a token a Client holds but the server lost. */
async function missingTokens(config: DatabaseConfig, handed: string[]): Promise<string[]> {
  const database = await openDatabase(config);
  try {
    const stored = new Set<string>();
    for (let i = 0; i < handed.length; i += 500) {
      const rows = await database.db
        .select({ id: oidcArtifacts.id })
        .from(oidcArtifacts)
        .where(and(eq(oidcArtifacts.model, "ClientCredentials"), inArray(oidcArtifacts.id, handed.slice(i, i + 500))));
      for (const row of rows) stored.add(row.id);
    }
    // Counted, never printed: a token is a secret.
    return handed.filter((t) => !stored.has(t)).map((_, i) => `missing #${i}`);
  } finally {
    await database.close();
  }
}

async function killMidBurstAndRestart(env: Record<string, string>, config: DatabaseConfig): Promise<void> {
  const first = await start(env);
  const token = await adminToken(first.url);
  let round = 0;
  let bursting = true;
  const handed: string[] = [];
  const registered = await fetch(`${first.url}/oauth/register`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ client_name: "Token burst", scope: "cds_client_admin" }) });
  expect(registered.status).toBe(201);
  const client = (await registered.json()) as TokenClient;
  const burst = Promise.all(
    Array.from({ length: 4 }, async () => {
      while (bursting) await writeRound(first.url, token, round++, { client, handed });
    }),
  );
  await new Promise((r) => setTimeout(r, 2500));
  first.child.kill("SIGKILL");
  await first.exit;
  bursting = false;
  await burst;
  expect(round, "the burst wrote before the kill").toBeGreaterThan(4);

  const second = await start(env);
  try {
    const again = await adminToken(second.url);
    for (const listing of ["/cds-api/v1/clients", "/cds-api/v1/credentials", "/cds-api/v1/grants", "/cds-api/v1/messages"]) {
      const res = await fetch(`${second.url}${listing}`, { headers: { authorization: `Bearer ${again}` } });
      expect(res.status, listing).toBe(200);
    }
    expect((await fetch(`${second.url}/ready`)).status).toBe(200);
    // The last tokens handed out before the kill, seen by the restarted server as live.
    for (const handedToken of handed.slice(-5)) {
      const res = await fetch(`${second.url}/cds-api/v1/clients`, { headers: { authorization: `Bearer ${handedToken}` } });
      expect(res.status, "a token handed out before the kill").toBe(200);
    }
  } finally {
    second.child.kill("SIGTERM");
    expect(await second.exit).toBe(0);
  }
  expect(handed.length, "tokens were handed out during the burst").toBeGreaterThan(0);
  expect(await missingTokens(config, handed)).toEqual([]);
  const broken = await brokenInvariants(config);
  expect(broken).toEqual(Object.fromEntries(Object.keys(broken).map((k) => [k, 0])));
}

describe("crash consistency: SIGKILL mid-burst, then restart", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it("keeps every invariant on PGlite on disk, and the data directory reopens", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cds-crash-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await killMidBurstAndRestart({ CDS_DATA_DIR: dir }, { kind: "pglite", dataDir: dir });
  }, 300_000);

  const adminUrl = inject("postgresUrl");
  it.skipIf(!adminUrl)(`keeps every invariant on PostgreSQL${adminUrl ? "" : ` (skipped: ${inject("postgresSkipReason")})`}`, async () => {
    const created = await createPostgresDatabase(adminUrl!);
    cleanups.push(created.drop);
    const config = created.config as Extract<DatabaseConfig, { kind: "postgres" }>;
    await killMidBurstAndRestart({ DATABASE_URL: config.url }, config);
  }, 300_000);
});
