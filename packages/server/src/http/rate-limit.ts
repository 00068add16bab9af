/**
 * Rate limiting (CDS-WG1-01 §8.2, CDS-WG1-02 §11.3): a fixed window per client
 * address, counted in each instance's memory (a per-instance budget: no
 * database write per request, so a 429 costs less than any answer). Answers carry the IETF draft `RateLimit-Limit`,
 * `RateLimit-Remaining` and `RateLimit-Reset` headers (the specs name none),
 * and `Retry-After` with the 429.
 */
import rateLimit, { type FastifyRateLimitStore } from "@fastify/rate-limit";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { Db } from "../db/index.js";

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

/**
 * Fixed one-minute windows counted in this process's memory: no database
 * write per request, so counting (and refusing with 429) costs microseconds.
 * Each instance keeps its own counts; behind N instances the budget per key
 * is up to N × the configured limit (see the server README).
 */
export class WindowCounter {
  readonly #windows = new Map<string, { count: number; resetAt: number }>();
  readonly #windowMs: number;
  readonly #maxKeys: number;
  constructor(windowMs = 60_000, maxKeys = 100_000) {
    this.#windowMs = windowMs;
    this.#maxKeys = maxKeys;
  }

  /** Counts one request for `key`: the count in the current window and the milliseconds until it resets. */
  increment(key: string, windowMs = this.#windowMs, now = Date.now()): { current: number; ttl: number } {
    let window = this.#windows.get(key);
    if (!window || window.resetAt <= now) {
      if (window) this.#windows.delete(key);
      else if (this.#windows.size >= this.#maxKeys) this.#sweep(now);
      window = { count: 0, resetAt: now + windowMs };
      this.#windows.set(key, window);
    }
    window.count++;
    return { current: window.count, ttl: window.resetAt - now };
  }

  /**
   * Counts one request for `key` unless that would take it over `max`: then
   * counts nothing and answers null, so the caller can leave the request to
   * the limiter of the normal path, which counts it and refuses it exactly
   * as it would have (http/public-document-fast-path.ts).
   */
  incrementWithin(key: string, max: number, windowMs = this.#windowMs, now = Date.now()): { current: number; ttl: number } | null {
    const window = this.#windows.get(key);
    if (window && window.resetAt > now && window.count >= max) return null;
    return this.increment(key, windowMs, now);
  }

  /** Forgets every count (tests start each case with a fresh budget, as a truncated database did). */
  reset(): void {
    this.#windows.clear();
  }

  /** Drops expired windows, and the oldest ones if every window is live (a flood of distinct keys). */
  #sweep(now: number): void {
    for (const [key, window] of this.#windows) if (window.resetAt <= now) this.#windows.delete(key);
    for (const key of this.#windows.keys()) {
      if (this.#windows.size < this.#maxKeys) break;
      this.#windows.delete(key);
    }
  }
}

/** The store @fastify/rate-limit calls for every request: a WindowCounter, with routes' own limits counted apart. */
function memoryStore(counter: WindowCounter, namespace = "") {
  return class MemoryStore implements FastifyRateLimitStore {
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
      callback(null, counter.increment(`${namespace}${key}`, timeWindow));
    }

    child(routeOptions: Parameters<FastifyRateLimitStore["child"]>[0]): FastifyRateLimitStore {
      const route = (routeOptions as { routeInfo?: { method?: unknown; url?: unknown } }).routeInfo;
      const Child = memoryStore(counter, `${namespace}${String(route?.method ?? "")}${String(route?.url ?? "")}:`);
      return new Child();
    }
  };
}

/** A RateLimitedError without a stack trace: a refusal is routine, and capturing a stack is most of what making an Error costs. */
export function refusal(retryAfterSeconds: number): RateLimitedError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new RateLimitedError(retryAfterSeconds);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** The fixed window of the per-address limit. */
export const RATE_LIMIT_WINDOW_MS = 60_000;

/**
 * The headers @fastify/rate-limit (`enableDraftSpec`) sets on an answer it
 * lets through, in its order, with its values: for answers written without it.
 */
export function setRateLimitHeaders(reply: FastifyReply, max: number, counted: { current: number; ttl: number }): void {
  reply.header("ratelimit-limit", max);
  reply.header("ratelimit-remaining", Math.max(0, max - counted.current));
  reply.header("ratelimit-reset", Math.ceil(counted.ttl / 1000));
}

/** `counter`: where the per-address counts live (one per server, so its owner can reset them). */
export async function registerRateLimit(app: FastifyInstance, _db: Db, perMinute: number, counter = new WindowCounter()): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    max: perMinute,
    timeWindow: RATE_LIMIT_WINDOW_MS,
    hook: "onRequest",
    // In memory, per instance: no database work per request.
    store: memoryStore(counter),
    keyGenerator: (request) => request.ip,
    enableDraftSpec: true,
    errorResponseBuilder: (_request, context) => refusal(Math.ceil(context.ttl / 1000)),
  });
}
