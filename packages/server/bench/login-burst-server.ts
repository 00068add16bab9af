/**
 * The reference server the login-burst bench (login-burst.bench.ts) drives, in
 * a child process of its own: the guessing burst's HTTP client then does not
 * run on the event loop of the server it measures, as a real attacker's
 * would not. PGlite in memory, demo data, the general rate limit raised so
 * only the login limits apply, and `trustProxy` so each simulated customer
 * has its own address through `X-Forwarded-For`.
 *
 *   node login-burst-server.ts <client secret>
 *
 * It tells the parent `{ ready: url }` over IPC and exits on `"stop"` (a
 * clean exit, so `--cpu-prof` writes its profile).
 */
import { createServer, openDatabase, parseConfig } from "../dist/index.js";

const [secret] = process.argv.slice(2);
const database = await openDatabase({ kind: "pglite", dataDir: null });
const server = await createServer({
  config: parseConfig({ port: "0", host: "127.0.0.1", logLevel: "warn", rateLimitPerMinute: "1000000", trustProxy: "true", demoData: "true", demoClientSecret: secret! }),
  database,
  logStream: { write() {} },
});
process.on("message", (message: unknown) => {
  if (message !== "stop") return;
  void (async () => {
    await server.close();
    await database.close();
    process.exit(0);
  })();
});
// The parent going away (Ctrl-C, a crash) takes the server with it.
process.on("disconnect", () => process.exit(0));
process.send?.({ ready: await server.listen() });
