/**
 * Error bodies. REST endpoints answer RFC 9457 problem details (the contract's
 * `Problem`, spec/ERRATA.md E-COMMON-1); OAuth endpoints answer the RFC 6749
 * §5.2 body (`OAuthError`). Neither ever carries a stack trace.
 */
import { STATUS_CODES } from "node:http";
import type { OAuthError, Problem, ProblemFieldError } from "@cds-toolkit/types";
import type { FastifyReply } from "fastify";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** An error a handler throws to answer with a specific problem. */
export class ProblemError extends Error {
  readonly status: number;
  readonly detail: string | undefined;
  readonly errors: ProblemFieldError[] | undefined;
  constructor(status: number, detail?: string, errors?: ProblemFieldError[]) {
    super(detail ?? STATUS_CODES[status] ?? "Error");
    this.name = "ProblemError";
    this.status = status;
    this.detail = detail;
    this.errors = errors;
  }
}

export function problem(status: number, detail?: string, errors?: ProblemFieldError[]): Problem {
  return {
    type: "about:blank",
    title: STATUS_CODES[status] ?? "Error",
    status,
    ...(detail === undefined ? {} : { detail }),
    ...(errors?.length ? { errors } : {}),
  };
}

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).header("cache-control", "no-store").send(JSON.stringify(body));
}

export function sendOAuthError(reply: FastifyReply, status: number, body: OAuthError): FastifyReply {
  // RFC 6749 §5.1: token endpoint responses must not be cached, errors included.
  return reply.code(status).type("application/json; charset=utf-8").header("cache-control", "no-store").send(JSON.stringify(body));
}
