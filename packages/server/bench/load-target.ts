/**
 * One process the load benchmark (load.ts) drives: the reference server, or a
 * bare Fastify answering fixed bytes. A child process of its own, so the
 * load generator (autocannon, in the parent) does not share its event loop
 * with the server it measures, and so a CPU profile covers the server alone.
 *
 *   node load-target.ts reference <rateLimitPerMinute> [<postgres url>]
 *   node load-target.ts bare        (fixtures arrive over IPC)
 *
 * Both listen on a free port. `CDS_BENCH_NEEDS=<json>` (load-shared.ts
 * `ServerNeeds`) seeds the demo utility with longer usage on some meters
 * before the reference server starts, and narrows the Value Types of the
 * first demo customer's Direct Access Grant once it has. The target tells the parent `{ ready: url }`
 * over IPC, profiles on `{ profile: "start" }` / `{ profile: "stop", file }`
 * (the inspector, so a profile holds exactly one measured run), tells its CPU
 * time so far on `"cpu"`, and exits on `"stop"`.
 */
import { writeFile } from "node:fs/promises";
import { mkdtemp, rm } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import Fastify, { type FastifyInstance } from "fastify";
import { createServer, openDatabase, parseConfig, type CdsServer } from "../dist/index.js";
import { runSeed } from "../dist/seed-command.js";
import { currentDemoSize } from "../dist/demo/customer-data/seed.js";
import { grants } from "../dist/db/schema.js";
import { demoCustomers } from "../dist/demo/customers.js";
import { demoDirectAccess, demoDirectAccessDetails } from "../dist/demo/demo-direct-access.js";
import { BENCH_CLIENT_SECRET, CPU_COMMAND, type Fixture, type ProfileCommand, type ServerNeeds, type TargetMessage } from "./load-shared.ts";

const send = (message: TargetMessage) => process.send?.(message);

async function reference(rateLimitPerMinute: string, databaseUrl: string | undefined): Promise<() => Promise<void>> {
  const dataDir = databaseUrl ? null : await mkdtemp(path.join(tmpdir(), "cds-bench-pglite-"));
  const database = databaseUrl ? { databaseUrl } : { dataDir: dataDir! };
  const needs = JSON.parse(process.env.CDS_BENCH_NEEDS ?? "{}") as ServerNeeds;
  if (needs.meterIntervalDays) {
    // The demo as a server started today seeds it, with the longer meters; --replace, since a PostgreSQL bench database is shared by both reference servers.
    const demo = currentDemoSize();
    await runSeed({ size: { ...demo, meterIntervalDays: { ...demo.meterIntervalDays, ...needs.meterIntervalDays } }, replace: true, database }, () => {});
  }
  const config = parseConfig({ port: "0", host: "127.0.0.1", logLevel: "warn", rateLimitPerMinute, demoData: "true", demoClientSecret: BENCH_CLIENT_SECRET, ...database });
  // The server's own database handle: the Grant is narrowed after the server has seeded it.
  const opened = await openDatabase(config.database);
  // CDS_BENCH_PUBLIC_FAST_PATH=0: the public documents through the whole hook chain, to measure what the early answer saves.
  const publicDocumentFastPath = process.env.CDS_BENCH_PUBLIC_FAST_PATH !== "0";
  // An internal option (src/server.ts), not in the published CreateServerOptions: the published createServer passes it through.
  const options = { config, database: opened, logStream: { write() {} }, publicDocumentFastPath } as Parameters<typeof createServer>[0];
  const server: CdsServer = await createServer(options);
  if (needs.usageValueTypes) {
    const details = demoDirectAccessDetails.map((d: { type: string }) => (d.type === "cds_query_usage_1" ? { ...d, include_usage_segment_value_types: needs.usageValueTypes } : d));
    const db = opened.db as unknown as { update: (t: unknown) => { set: (v: unknown) => { where: (c: unknown) => Promise<unknown> } } };
    await db.update(grants).set({ enabledAuthorizationDetails: details }).where(eq(grants.id, demoDirectAccess.grantId(demoCustomers[0]!.accountId)));
  }
  send({ ready: await server.listen() });
  return async () => {
    await server.close();
    await opened.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
}

async function bare(fixtures: Fixture[]): Promise<() => Promise<void>> {
  const app: FastifyInstance = Fastify({ logger: false });
  // The token request is a form post; the bare server reads the body and ignores it.
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
  for (const fixture of fixtures) {
    const body = Buffer.from(fixture.body, "base64");
    app.route({
      method: fixture.method as "GET" | "POST",
      url: fixture.path,
      handler: (_request, reply) => {
        reply.code(fixture.status).headers(fixture.headers);
        return reply.send(body);
      },
    });
  }
  send({ ready: await app.listen({ port: 0, host: "127.0.0.1" }) });
  return () => app.close();
}

const session = new Session();
async function profile(command: ProfileCommand): Promise<void> {
  if (command.profile === "start") {
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 200 });
    await session.post("Profiler.start");
    return;
  }
  const { profile: result } = await session.post("Profiler.stop");
  await writeFile(command.file, JSON.stringify(result));
  session.disconnect();
  send({ profiled: command.file });
}

const [mode, ...rest] = process.argv.slice(2);
let stop: (() => Promise<void>) | undefined;
process.on("message", (message: unknown) => {
  if (message === CPU_COMMAND) {
    send({ cpu: process.cpuUsage() });
  } else if (message === "stop") {
    void (async () => {
      await stop?.();
      process.exit(0);
    })();
  } else if (typeof message === "object" && message !== null && "profile" in message) {
    profile(message as ProfileCommand).catch((error: Error) => send({ error: error.message }));
  } else if (mode === "bare" && !stop && Array.isArray(message)) {
    bare(message as Fixture[]).then((close) => (stop = close), (error: Error) => send({ error: error.message }));
  }
});
// The parent going away (Ctrl-C, a crash) takes the target with it.
process.on("disconnect", () => process.exit(0));

if (mode === "reference") {
  reference(rest[0]!, rest[1]).then((close) => (stop = close), (error: Error) => send({ error: error.stack ?? error.message }));
} else if (mode !== "bare") {
  console.error(`usage: load-target.ts reference|bare …`);
  process.exit(2);
}
