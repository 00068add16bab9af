/**
 * One process the load benchmark (load.ts) drives: the reference server, or a
 * bare Fastify answering fixed bytes. A child process of its own, so the
 * load generator (autocannon, in the parent) does not share its event loop
 * with the server it measures, and so a CPU profile covers the server alone.
 *
 *   node load-target.ts reference <rateLimitPerMinute> [<postgres url>]
 *   node load-target.ts bare        (fixtures arrive over IPC)
 *
 * Both listen on a free port. `CDS_BENCH_USAGE_MONTHS=<m>` seeds m months of
 * usage at 15 minutes, every day (as `cds-server seed --months m`), before
 * the reference server starts. The target tells the parent `{ ready: url }`
 * over IPC, profiles on `{ profile: "start" }` / `{ profile: "stop", file }`
 * (the inspector, so a profile holds exactly one measured run), and exits on
 * `"stop"`.
 */
import { writeFile } from "node:fs/promises";
import { mkdtemp, rm } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import Fastify, { type FastifyInstance } from "fastify";
import { createServer, parseConfig, type CdsServer } from "../dist/index.js";
import { runSeed } from "../dist/seed-command.js";
import { defaultDemoSize } from "../dist/demo/customer-data/generator.js";
import { BENCH_CLIENT_SECRET, type Fixture, type ProfileCommand, type TargetMessage } from "./load-shared.ts";

const send = (message: TargetMessage) => process.send?.(message);

async function reference(rateLimitPerMinute: string, databaseUrl: string | undefined): Promise<() => Promise<void>> {
  const dataDir = databaseUrl ? null : await mkdtemp(path.join(tmpdir(), "cds-bench-pglite-"));
  const database = databaseUrl ? { databaseUrl } : { dataDir: dataDir! };
  const usageMonths = Number(process.env.CDS_BENCH_USAGE_MONTHS ?? 0);
  if (usageMonths > 0) {
    // The demo customers only, every day at 15 minutes; --replace, since a PostgreSQL bench database is shared by both reference servers.
    const size = { ...defaultDemoSize, customers: 2, months: usageMonths, intervalDays: Math.ceil(usageMonths * 30.5) };
    await runSeed({ size, replace: true, database }, () => {});
  }
  const server: CdsServer = await createServer({
    config: parseConfig({ port: "0", host: "127.0.0.1", logLevel: "warn", rateLimitPerMinute, demoData: "true", demoClientSecret: BENCH_CLIENT_SECRET, ...database }),
    logStream: { write() {} },
  });
  send({ ready: await server.listen() });
  return async () => {
    await server.close();
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
  if (message === "stop") {
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
