/**
 * Probes for orchestrators and load balancers (not CDS operations; documented
 * in the server's OpenAPI overlay so every response stays on a contract):
 *
 * - `GET /health`, liveness: the process answers HTTP. No database work, so a
 *   database outage does not get a healthy instance restarted.
 * - `GET /ready`, readiness: the database answers and has every migration
 *   this build ships (db/readiness.ts); otherwise 503 problem details with
 *   `Retry-After`. While the server shuts down, both answer 503 (Fastify's
 *   `return503OnClosing`), so traffic drains away.
 *
 * Registered before the rate limit: a probe every second from each of
 * several balancers must never be refused with 429 and take the instance out.
 * Readiness answers are reused for a second, so probes stay cheap.
 */
import type { FastifyInstance } from "fastify";
import type { Db } from "../db/index.js";
import { readinessCheck } from "../db/readiness.js";
import { DATABASE_RETRY_AFTER_SECONDS } from "../http/database-unavailable.js";
import { problem, sendProblem } from "../http/problem.js";

export const healthPaths = { liveness: "/health", readiness: "/ready" } as const;

export function registerHealthRoutes(app: FastifyInstance, db: Db): void {
  const ready = readinessCheck(db);
  app.get(healthPaths.liveness, async (_request, reply) => reply.header("cache-control", "no-store").type("text/plain; charset=utf-8").send("ok\n"));
  app.get(healthPaths.readiness, async (_request, reply) => {
    const result = await ready();
    if (result.ready) return reply.header("cache-control", "no-store").type("text/plain; charset=utf-8").send("ready\n");
    reply.header("retry-after", String(DATABASE_RETRY_AFTER_SECONDS));
    return sendProblem(reply, problem(503, result.detail));
  });
}
