/**
 * Fetch middleware: each layer is a function from a fetch to a fetch, so the
 * same stack serves openapi-fetch's typed calls and the `next` links a
 * listing hands back (which must be fetched exactly as given).
 */
import { InvalidTokenError } from "../errors.js";

/** What openapi-fetch calls and what every layer wraps. */
export type Fetch = (input: Request) => Promise<Response>;

export interface RetryOptions {
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** Longest wait the client accepts, in ms; a longer `Retry-After` is not waited for (default 60 s). */
  maxDelayMs?: number;
  /** Base of the exponential back-off when no `Retry-After` is given, in ms (default 500). */
  baseDelayMs?: number;
  /** Test hook: how to wait. */
  sleep?: (ms: number) => Promise<void>;
  /** Test hook: a number in [0, 1). */
  random?: () => number;
}

const RETRIED_STATUSES = new Set([429, 503]);

/**
 * Retries 429 and 503 answers (RFC 6585 §4, RFC 9110 §15.6.4), waiting what
 * `Retry-After` asks, plus up to 20% jitter so many clients do not return in
 * lockstep; without it, exponential back-off with full jitter. Bounded by
 * `retries` and `maxDelayMs`: past either, the last answer is returned as is.
 */
export function withRetries(inner: Fetch, options: RetryOptions = {}): Fetch {
  const retries = options.retries ?? 3;
  const maxDelay = options.maxDelayMs ?? 60_000;
  const base = options.baseDelayMs ?? 500;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  return async (request) => {
    for (let attempt = 0; ; attempt++) {
      // A Request's body can be read once; keep a copy for the next attempt.
      const spare = attempt < retries ? request.clone() : null;
      const response = await inner(request);
      if (!RETRIED_STATUSES.has(response.status) || !spare) return response;
      const asked = retryAfterMs(response.headers.get("retry-after"));
      const delay = asked !== null ? asked + asked * 0.2 * random() : random() * base * 2 ** attempt;
      if (delay > maxDelay) return response;
      await response.body?.cancel();
      await sleep(delay);
      request = spare;
    }
  };
}

/** `Retry-After` as delay-seconds or an HTTP date (RFC 9110 §10.2.3), in ms; null when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number = Date.now()): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Where a layer gets the bearer token, and how it asks for a new one. */
export interface AccessTokenSource {
  /** A token that is valid now (cached, or freshly obtained when the cached one is about to expire). */
  accessToken(): Promise<string>;
  /** A new token, whatever the cache holds (after a Server said `invalid_token`). */
  refresh(): Promise<string>;
}

/**
 * Adds `Authorization: Bearer` and, when the Server answers 401 with
 * `error="invalid_token"` (RFC 6750 §3.1), refreshes once and retries; a
 * second refusal is returned to the caller, which turns it into a typed error.
 */
export function withBearer(inner: Fetch, tokens: AccessTokenSource): Fetch {
  return async (request) => {
    const spare = request.clone();
    const first = new Request(request, { headers: withAuthorization(request.headers, await tokens.accessToken()) });
    const response = await inner(first);
    if (response.status !== 401 || !isInvalidToken(response.headers.get("www-authenticate"))) return response;
    await response.body?.cancel();
    const second = await inner(new Request(spare, { headers: withAuthorization(spare.headers, await tokens.refresh()) }));
    if (second.status === 401 && isInvalidToken(second.headers.get("www-authenticate"))) {
      await second.body?.cancel();
      throw new InvalidTokenError(`${request.url}: the access token was refused again after a refresh (invalid_token)`, request.url);
    }
    return second;
  };
}

function withAuthorization(headers: Headers, token: string): Headers {
  const copy = new Headers(headers);
  copy.set("authorization", `Bearer ${token}`);
  return copy;
}

/** A 401 without a challenge is treated as an expired token too: some Servers omit it. */
export function isInvalidToken(challenge: string | null): boolean {
  if (challenge === null) return true;
  return /error\s*=\s*"?invalid_token"?/i.test(challenge);
}

/** The base layer: the platform fetch, never following redirects silently for metadata. */
export const platformFetch: Fetch = (request) => fetch(request);
