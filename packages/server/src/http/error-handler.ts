/**
 * Every failure becomes the right status with a JSON body: problem details on
 * REST endpoints, the RFC 6749 error body on OAuth endpoints. Unexpected
 * errors are logged for the operator and answered with a generic 500.
 */
import type { ProblemFieldError } from "@cds-toolkit/types";
import type { FastifyError, FastifyInstance, FastifyRequest } from "fastify";
import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { problem, PROBLEM_CONTENT_TYPE, ProblemError, sendOAuthError, sendProblem } from "./problem.js";
import { RateLimitedError } from "./rate-limit.js";
import { EdgeRuleError, sendEdgeError } from "./edge-validation.js";
import { DATABASE_RETRY_AFTER_SECONDS, databaseUnavailableDetail, isDatabaseUnavailable } from "./database-unavailable.js";
import { loggableError } from "./loggable-error.js";

/** Whether a request is for an OAuth endpoint, whose errors use the RFC 6749 body. */
export type IsOAuthRequest = (request: { url: string }) => boolean;

/** `isOAuth400`: where a 400 uses the RFC 6749/7591 body even though other errors are problem details (registration). */
export function installErrorHandlers(app: FastifyInstance, isOAuth: IsOAuthRequest, isOAuth400: IsOAuthRequest = isOAuth): void {
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    if (error instanceof RateLimitedError) {
      // The per-Credential limit (bearer-auth.ts) throws this itself; @fastify/rate-limit has set it already.
      if (!reply.hasHeader("retry-after")) reply.header("retry-after", String(error.retryAfterSeconds));
      if (isOAuth(request)) {
        return sendOAuthError(reply, 429, { error: "too_many_requests", error_description: error.message });
      }
      return sendProblem(reply, problem(429, error.message));
    }
    if (error instanceof EdgeRuleError) return sendEdgeError(reply, request, error, isOAuth400);
    if (error instanceof ProblemError) {
      return sendProblem(reply, problem(error.status, error.detail, error.errors));
    }
    if ("validation" in error && Array.isArray(error.validation)) {
      return sendProblem(reply, problem(400, "The request breaks the contract.", requestErrors(error)));
    }
    if (isDatabaseUnavailable(error)) {
      // An outage, not a bug: 503 with Retry-After (http/database-unavailable.ts); one warn line, no query text.
      request.log.warn({ error: loggableError(error) }, "database unavailable");
      reply.header("retry-after", String(DATABASE_RETRY_AFTER_SECONDS));
      if (isOAuth(request)) return sendOAuthError(reply, 503, { error: "temporarily_unavailable", error_description: databaseUnavailableDetail });
      return sendProblem(reply, problem(503, databaseUnavailableDetail));
    }
    const status = "statusCode" in error && typeof error.statusCode === "number" && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) {
      request.log.error({ err: error }, "unhandled error");
    }
    if (isOAuth(request) || (status === 400 && isOAuth400(request))) {
      return sendOAuthError(reply, status, status === 500 ? { error: "server_error" } : { error: "invalid_request", error_description: error.message });
    }
    // Fastify's own 4xx errors (bad JSON, body too large) have safe, useful messages.
    return sendProblem(reply, problem(status, status === 500 ? "The server failed to handle the request." : error.message));
  });

  const allowed = methodsByPath(app);
  app.setNotFoundHandler((request, reply) => {
    // A path that exists under other methods: 405 with `Allow` (RFC 9110 §15.5.6), not 404.
    const methods = allowed(request.url.split("?")[0] ?? "/");
    if (methods.length && !methods.includes(request.method)) {
      reply.header("allow", methods.join(", "));
      if (isOAuth(request)) return sendOAuthError(reply, 405, { error: "invalid_request", error_description: `${request.method} is not allowed here; use ${methods.join(", ")}` });
      return sendProblem(reply, problem(405, `${request.method} is not allowed on ${request.url.split("?")[0]}; use ${methods.join(", ")}.`));
    }
    if (isOAuth(request)) return sendOAuthError(reply, 404, { error: "invalid_request", error_description: "no such OAuth endpoint" });
    return sendProblem(reply, problem(404, `No resource at ${request.method} ${request.url.split("?")[0]}`));
  });
}

/** Fastify's schema errors as problem `errors`: `query:<name>` for parameters, JSON Pointers for bodies. */
function requestErrors(error: FastifyError): ProblemFieldError[] {
  const where = error.validationContext ?? "body";
  return (error.validation ?? []).map((v) => {
    const missing = (v.params as { missingProperty?: unknown }).missingProperty;
    const path = typeof missing === "string" ? `${v.instancePath}/${missing}` : v.instancePath;
    const pointer = where === "body" ? path : `${where === "querystring" ? "query" : where}:${path.replace(/^\//, "").replace(/\//g, ".")}`;
    return { pointer, rule: v.keyword, message: `${pointer}: ${v.message ?? `fails ${v.keyword}`}` };
  });
}

/** Every route's methods by path pattern (`:param` one segment, `*` the rest), collected as routes are added. */
function methodsByPath(app: FastifyInstance): (path: string) => string[] {
  const routes: { pattern: RegExp; methods: string[] }[] = [];
  app.addHook("onRoute", (route) => {
    const source = route.url
      .split("/")
      .map((segment) => (segment.startsWith(":") ? "[^/]+" : segment.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")))
      .join("/");
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).map(String);
    routes.push({ pattern: new RegExp(`^${source}$`), methods });
  });
  return (path) => {
    const methods = new Set<string>();
    for (const route of routes) if (route.pattern.test(path)) for (const m of route.methods) methods.add(m);
    return [...methods].sort();
  };
}

/**
 * Errors Node's HTTP parser meets before any route (a request line or headers
 * over the size limit: 431; a malformed request: 400), answered as problem
 * details, never echoing the request.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === "HPE_HEADER_OVERFLOW" ? 431 : error.code === "HPE_URI_TOO_LONG" ? 414 : 400;
  const body = JSON.stringify(problem(status, status === 431 ? "The request line and headers are too large." : "The request could not be parsed."));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
  );
}
