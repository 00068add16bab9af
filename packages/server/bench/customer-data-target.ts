/**
 * One process the Customer Data usage bench (customer-data-usage.ts) drives:
 *
 *   node customer-data-target.ts reference <port> [<postgres url>]
 *       the reference server with the demo utility, Alex's electric meter
 *       holding a year and more of 15-minute usage, and the demo Direct
 *       Access Grant for Alex sharing three of its Value Formats
 *       (forward, reverse, net: §7.2.8.1), so the listing measured is an
 *       authorized one with its visibility rules applied;
 *   node customer-data-target.ts bare <port>
 *       a bare Fastify answering the fixture it gets over IPC.
 *
 * The data ends at the start of the current day, as `pnpm start` has it.
 * Tells the parent `{ ready: url }` over IPC; exits on "stop".
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import Fastify from "fastify";
import { createServer, openDatabase, parseConfig } from "../dist/index.js";
import { currentDemoSize } from "../dist/demo/customer-data/seed.js";
import { grants } from "../dist/db/schema.js";
import { seedDemoData } from "../dist/demo/seed.js";
import { demoDirectAccess, demoDirectAccessDetails } from "../dist/demo/demo-direct-access.js";
import type { Fixture, TargetMessage } from "./load-shared.ts";

export const USAGE_BENCH_SECRET = "bench-usage-secret-0123456789abcdefghijklmnop";
const send = (message: TargetMessage) => process.send?.(message);

async function reference(port: string, databaseUrl: string | undefined): Promise<() => Promise<void>> {
  const dataDir = databaseUrl ? null : await mkdtemp(path.join(tmpdir(), "cds-bench-usage-"));
  const databaseConfig = databaseUrl ? ({ kind: "postgres", url: databaseUrl } as const) : ({ kind: "pglite", dataDir: dataDir! } as const);
  const database = await openDatabase(databaseConfig);
  // A year and a month of 15-minute days on the measured meter; the rest as `pnpm start` has it.
  await (seedDemoData as (db: unknown, secret: string, size: unknown) => Promise<unknown>)(database.db, USAGE_BENCH_SECRET, { ...currentDemoSize(), firstMeterIntervalDays: 400 });
  const alex = demoDirectAccess.grantId("dge-customer-1001");
  const details = demoDirectAccessDetails.map((d) => (d.type === "cds_query_usage_1" ? { ...d, include_usage_segment_value_types: ["forward", "reverse", "net"] } : d));
  await (database.db as unknown as { update: (t: unknown) => { set: (v: unknown) => { where: (c: unknown) => Promise<unknown> } } }).update(grants).set({ enabledAuthorizationDetails: details }).where(eq(grants.id, alex));
  const server = await createServer({
    config: parseConfig({ port, host: "127.0.0.1", logLevel: "warn", rateLimitPerMinute: "1000000", ...(databaseUrl ? { databaseUrl } : { dataDir: dataDir! }) }),
    database,
    logStream: { write() {} },
  });
  send({ ready: await server.listen() });
  return async () => {
    await server.close();
    await database.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
}

async function bare(port: string, fixture: Fixture): Promise<() => Promise<void>> {
  const app = Fastify({ logger: false });
  const body = Buffer.from(fixture.body, "base64");
  app.get(fixture.path, (_request, reply) => reply.code(fixture.status).headers(fixture.headers).send(body));
  send({ ready: await app.listen({ port: Number(port), host: "127.0.0.1" }) });
  return () => app.close();
}

const [mode, port, databaseUrl] = process.argv.slice(2);
let stop: (() => Promise<void>) | undefined;
process.on("message", (message: unknown) => {
  if (message === "stop") {
    void (async () => {
      await stop?.();
      process.exit(0);
    })();
  } else if (mode === "bare" && !stop && message && typeof message === "object") {
    bare(port!, message as Fixture).then((close) => (stop = close), (error: Error) => send({ error: error.message }));
  }
});
process.on("disconnect", () => process.exit(0));
if (mode === "reference") reference(port!, databaseUrl).then((close) => (stop = close), (error: Error) => send({ error: error.stack ?? error.message }));
