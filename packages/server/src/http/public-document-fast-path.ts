/**
 * The early answer of the public documents (CDS-WG1-01 §3 metadata, §4
 * coverage's first page): their route's first `onRequest` hook answers a
 * plain GET or HEAD from the prebuilt bytes in memory, so the request skips
 * the rest of the hook chain (the limiter plugin's promises, the query
 * schema, the async handler and its cache promise). Issue 10: these are the
 * hottest public reads, and that chain was most of their cost.
 *
 * It answers only when the answer is certain to be the normal path's: the
 * limiter is counted inline on the same per-address counter with the same
 * headers (http/rate-limit.ts), the document is already loaded and fresh
 * (`peek`, the same 1 s rule as the normal path), and the request target has
 * nothing the edge rules or the query schema would look at. In every other
 * case (over the limit, nothing loaded, a percent-encoding, a coverage query
 * parameter, a failed or missing document) it does nothing and the normal
 * path answers, so refusals, errors and loads stay in one place. The reply
 * still goes through `reply.send`: the `onSend` hooks (security headers,
 * HEAD's empty body) and Fastify's request logging are unchanged.
 */
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from "fastify";
import type { Prebuilt } from "./prebuilt-response.js";
import { ifNoneMatchMatches } from "./etag.js";
import { RATE_LIMIT_WINDOW_MS, setRateLimitHeaders, type WindowCounter } from "./rate-limit.js";
import { securityHeaders } from "./security-headers.js";
import type { HeldDiscovery } from "../oauth/provider.js";

export interface FastPathLimit {
  /** The per-address counter @fastify/rate-limit counts on (registerRateLimit's store). */
  counter: WindowCounter;
  perMinute: number;
}

/**
 * The query of `url` after `path`, or null when the target is not a plain
 * one: another path, or a character that routing, the edge rules or query
 * parsing treat specially (`%` decodes, `#` and `;` can end a path).
 */
function plainQuery(url: string, path: string): string | null {
  if (!url.startsWith(path)) return null;
  if (url.length === path.length) return "";
  if (url.charCodeAt(path.length) !== 63 /* ? */) return null;
  const query = url.slice(path.length + 1);
  return /[%#;\u0000]/.test(query) ? null : query;
}

/** Whether a query names any of `names` (raw names: without `%`, only `+` decodes, to a space no name here holds). */
function namesAny(query: string, names: readonly string[]): boolean {
  if (query === "") return false;
  for (const pair of query.split("&")) {
    const eq = pair.indexOf("=");
    if (names.includes(eq === -1 ? pair : pair.slice(0, eq))) return true;
  }
  return false;
}

export interface FastPathRoute {
  /** The route's path, exactly. */
  path: string;
  /** What the route would send, if it is held fresh in memory (no load). */
  document: () => { value: Prebuilt | null } | undefined;
  /** Whether the route answers this query (raw, without `?`) with that same document; any query by default. */
  accepts?: (query: string) => boolean;
}

/** Counts the request on the limiter and sets its headers, or answers false (over the limit: the normal path refuses it). */
function counted(limit: FastPathLimit, request: FastifyRequest, reply: FastifyReply): boolean {
  const window = limit.counter.incrementWithin(request.ip, limit.perMinute, RATE_LIMIT_WINDOW_MS);
  if (!window) return false;
  setRateLimitHeaders(reply, limit.perMinute, window);
  return true;
}

/** One route's early answer. */
export function fastPathHook(limit: FastPathLimit, { path, document, accepts = () => true }: FastPathRoute): onRequestHookHandler {
  return function publicDocumentFastPath(request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void): void {
    if (request.method !== "GET" && request.method !== "HEAD") return done();
    const query = plainQuery(request.url, path);
    if (query === null || !accepts(query)) return done();
    const held = document()?.value;
    if (!held?.ok) return done();
    // In the order the normal path sets them: the limiter's, then sendPrebuilt's.
    if (!counted(limit, request, reply)) return done();
    reply.headers(held.tagged);
    if (ifNoneMatchMatches(request.headers["if-none-match"], held.etag)) reply.code(304).send();
    else reply.code(200).send(held.bytes);
  };
}

/**
 * The RFC 8414 document's early answer. oidc-provider (Koa, oauth/provider.ts)
 * builds it from its configuration and the CDS fields; while the fields it
 * last answered with are the ones held fresh now, the bytes are the same.
 * Only requests without `Origin` (oidc-provider's CORS answers `*` to them
 * and varies on Origin); with one, oidc-provider answers.
 */
export function discoveryFastPathHook(limit: FastPathLimit, path: string, held: HeldDiscovery, cdsFields: () => { value: Record<string, unknown> | null } | undefined): onRequestHookHandler {
  return function discoveryFastPath(request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void): void {
    if (request.method !== "GET" && request.method !== "HEAD") return done();
    if (request.headers.origin !== undefined || plainQuery(request.url, path) === null) return done();
    const document = held.current;
    const cds = cdsFields();
    if (!document || !cds || cds.value !== document.cds) return done();
    const notModified = ifNoneMatchMatches(request.headers["if-none-match"], document.etag);
    // Fastify's HEAD route adds `Content-Length: 0` to an empty answer, which Koa's 304 has not: oidc-provider answers that one.
    if (notModified && request.method === "HEAD") return done();
    if (!counted(limit, request, reply)) return done();
    // In the order oidc-provider's answer has them (its outermost middleware, CORS, the body's type, the tag).
    reply.headers(securityHeaders);
    reply.header("vary", "Origin");
    reply.header("access-control-allow-origin", "*");
    if (notModified) {
      // Koa drops the type of a 304.
      reply.headers({ etag: document.etag, "cache-control": "no-cache" });
      reply.code(304).send();
      return;
    }
    reply.headers({ "content-type": JSON_TYPE, etag: document.etag, "cache-control": "no-cache" });
    reply.code(200).send(document.bytes);
  };
}

const JSON_TYPE = "application/json; charset=utf-8";

/** The coverage query parameters (CDS-WG1-01 §4.2, and the server's pagination): any of them leaves the request to the route. */
export const coverageParameters = ["ids", "page_size", "cursor"] as const;

/** A coverage query the route answers with the default first page: none of its parameters (unknown ones are ignored there too). */
export const isDefaultCoverageQuery = (query: string): boolean => !namesAny(query, coverageParameters);
