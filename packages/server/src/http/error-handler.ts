/**
 * Every failure becomes the right status with a JSON body: problem details on
 * REST endpoints, the RFC 6749 error body on OAuth endpoints. Unexpected
 * errors are logged for the operator and answered with a generic 500.
 */
import type { ProblemFieldError } from "@cds-toolkit/types";
import type { FastifyError, FastifyInstance, FastifyRequest } from "fastify";
import { problem, ProblemError, sendOAuthError, sendProblem } from "./problem.js";
import { RateLimitedError } from "./rate-limit.js";

/** Whether a request is for an OAuth endpoint, whose errors use the RFC 6749 body. */
export type IsOAuthRequest = (request: FastifyRequest) => boolean;

export function installErrorHandlers(app: FastifyInstance, isOAuth: IsOAuthRequest): void {
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    if (error instanceof RateLimitedError) {
      // The per-Credential limit (bearer-auth.ts) throws this itself; @fastify/rate-limit has set it already.
      if (!reply.hasHeader("retry-after")) reply.header("retry-after", String(error.retryAfterSeconds));
      if (isOAuth(request)) {
        return sendOAuthError(reply, 429, { error: "too_many_requests", error_description: error.message });
      }
      return sendProblem(reply, problem(429, error.message));
    }
    if (error instanceof ProblemError) {
      return sendProblem(reply, problem(error.status, error.detail, error.errors));
    }
    if ("validation" in error && Array.isArray(error.validation)) {
      return sendProblem(reply, problem(400, "The request breaks the contract.", requestErrors(error)));
    }
    const status = "statusCode" in error && typeof error.statusCode === "number" && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) {
      request.log.error({ err: error }, "unhandled error");
    }
    if (isOAuth(request)) {
      return sendOAuthError(reply, status, status === 500 ? { error: "server_error" } : { error: "invalid_request", error_description: error.message });
    }
    // Fastify's own 4xx errors (bad JSON, body too large) have safe, useful messages.
    return sendProblem(reply, problem(status, status === 500 ? "The server failed to handle the request." : error.message));
  });

  app.setNotFoundHandler((request, reply) => {
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
