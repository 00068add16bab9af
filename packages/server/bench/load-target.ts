/**
 * One process the load benchmark (load.ts) drives: the reference server, or a
 * bare Fastify answering fixed bytes. A child process of its own, so the
 * load generator (autocannon, in the parent) does not share its event loop
 * with the server it measures, and so `--cpu-prof` profiles the server alone.
 *
 *   node load-target.ts reference <port> <rateLimitPerMinute> [<postgres url>]
 *   node load-target.ts bare <port>        (fixtures arrive over IPC)
 *
 * It tells the parent `{ ready: url }` over IPC and exits on `"stop"`
 * (a clean exit, so `--cpu-prof` writes its profile).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import Fastify, { type FastifyInstance } from "fastify";
import { createServer, parseConfig, type CdsServer } from "../dist/index.js";
import { BENCH_CLIENT_SECRET, type Fixture, type TargetMessage } from "./load-shared.ts";

const send = (message: TargetMessage) => process.send?.(message);

async function reference(port: string, rateLimitPerMinute: string, databaseUrl: string | undefined): Promise<() => Promise<void>> {
  const dataDir = databaseUrl ? null : await mkdtemp(path.join(tmpdir(), "cds-bench-pglite-"));
  const server: CdsServer = await createServer({
    config: parseConfig({
      port,
      host: "127.0.0.1",
      logLevel: "warn",
      rateLimitPerMinute,
      demoData: "true",
      demoClientSecret: BENCH_CLIENT_SECRET,
      ...(databaseUrl ? { databaseUrl } : { dataDir: dataDir! }),
    }),
    logStream: { write() {} },
  });
  send({ ready: await server.listen() });
  return async () => {
    await server.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
}

async function bare(port: string, fixtures: Fixture[]): Promise<() => Promise<void>> {
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
  send({ ready: await app.listen({ port: Number(port), host: "127.0.0.1" }) });
  return () => app.close();
}

const [mode, port, ...rest] = process.argv.slice(2);
let stop: (() => Promise<void>) | undefined;
process.on("message", (message: unknown) => {
  if (message === "stop") {
    void (async () => {
      await stop?.();
      process.exit(0);
    })();
  } else if (mode === "bare" && !stop && Array.isArray(message)) {
    bare(port!, message as Fixture[]).then((close) => (stop = close), (error: Error) => send({ error: error.message }));
  }
});
// The parent going away (Ctrl-C, a crash) takes the target with it.
process.on("disconnect", () => process.exit(0));

if (mode === "reference") {
  reference(port!, rest[0]!, rest[1]).then((close) => (stop = close), (error: Error) => send({ error: error.stack ?? error.message }));
} else if (mode !== "bare") {
  console.error(`usage: load-target.ts reference|bare <port> …`);
  process.exit(2);
}
