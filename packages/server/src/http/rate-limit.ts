/**
 * Rate limiting (CDS-WG1-01 §8.2, CDS-WG1-02 §11.3): a fixed window per client
 * address, counted in the database so every instance behind a load balancer
 * sees the same count. Answers carry the IETF draft `RateLimit-Limit`,
 * `RateLimit-Remaining` and `RateLimit-Reset` headers (the specs name none),
 * and `Retry-After` with the 429.
 */
import rateLimit, { type FastifyRateLimitStore } from "@fastify/rate-limit";
import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import type { Db } from "../db/index.js";
import { rateLimitCounters } from "../db/schema.js";

/** Thrown by the limiter; the error handler shapes it for the endpoint (problem or OAuth error). */
export class RateLimitedError extends Error {
  readonly statusCode = 429;
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super(`Too many requests; retry after ${retryAfterSeconds} s`);
    this.name = "RateLimitedError";
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The database-backed store @fastify/rate-limit calls for every request. */
export function databaseStore(db: Db, namespace = "") {
  return class DatabaseStore implements FastifyRateLimitStore {
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
      increment(db, `${namespace}${key}`, timeWindow).then(
        (result) => callback(null, result),
        (error: Error) => callback(error),
      );
    }

    child(routeOptions: Parameters<FastifyRateLimitStore["child"]>[0]): FastifyRateLimitStore {
      // Routes with their own limits count apart from the global budget.
      const route = (routeOptions as { routeInfo?: { method?: unknown; url?: unknown } }).routeInfo;
      const Child = databaseStore(db, `${namespace}${String(route?.method ?? "")}${String(route?.url ?? "")}:`);
      return new Child();
    }
  };
}

/**
 * One atomic upsert: a new key or an expired window starts at 1, otherwise the
 * count goes up. The database clock decides, so instances with skewed clocks agree.
 */
export async function increment(db: Db, key: string, windowMs: number): Promise<{ current: number; ttl: number }> {
  const t = rateLimitCounters;
  const resetAt = sql`now() + ${windowMs} * interval '1 millisecond'`;
  const expired = sql`${t.resetAt} <= now()`;
  const [row] = await db
    .insert(t)
    .values({ key, count: 1, resetAt })
    .onConflictDoUpdate({
      target: t.key,
      set: {
        count: sql`CASE WHEN ${expired} THEN 1 ELSE ${t.count} + 1 END`,
        resetAt: sql`CASE WHEN ${expired} THEN excluded.reset_at ELSE ${t.resetAt} END`,
      },
    })
    .returning({ count: t.count, ttlMs: sql<string>`ceil(extract(epoch from (${t.resetAt} - now())) * 1000)` });
  // Old windows are dead weight; a rare sweep keeps the table small without a scheduler.
  if (Math.random() < 0.01) await db.delete(t).where(sql`${t.resetAt} < now() - interval '1 hour'`);
  return { current: row!.count, ttl: Math.max(0, Number(row!.ttlMs)) };
}

export async function registerRateLimit(app: FastifyInstance, db: Db, perMinute: number): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    max: perMinute,
    timeWindow: 60_000,
    hook: "onRequest",
    store: databaseStore(db),
    // The limiter guards the database; if the database is down, requests fail anyway.
    skipOnError: true,
    keyGenerator: (request) => request.ip,
    enableDraftSpec: true,
    errorResponseBuilder: (_request, context) => new RateLimitedError(Math.ceil(context.ttl / 1000)),
  });
}
