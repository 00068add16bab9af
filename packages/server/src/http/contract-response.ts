/**
 * Sends a contract model: checked against the generated strict validator
 * first, since a body the contract rejects is a server bug, never something
 * to send. Then tagged for caching (`ETag`, `If-None-Match` → 304).
 */
import type { ValidationResult } from "@cds-toolkit/validators";
import type { FastifyReply, FastifyRequest } from "fastify";
import { tagRepresentation } from "./etag.js";
import { ProblemError } from "./problem.js";

export interface SendOptions {
  /** Add an `ETag` and answer 304 when the request's `If-None-Match` matches. */
  etag?: boolean;
  /** The success status: 200 unless said otherwise (201 for creations, 202 for changes still under review). */
  status?: 200 | 201 | 202;
  /** Add `Cache-Control: no-store`: for bodies holding secrets or private data. */
  noStore?: boolean;
  /**
   * The JSON to send, when the caller built it from parts already checked
   * against the contract (a listing's stored Usage Segments): `body` is then
   * what gets validated, the same body with those parts' checked contents
   * left out, and `payload` must be that body with them put back.
   */
  payload?: string;
}

export function sendModel<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  model: string,
  validator: (value: unknown, mode: "strict") => ValidationResult<T>,
  body: T,
  options: SendOptions = {},
): FastifyReply {
  const checked = validator(body, "strict");
  if (!checked.ok) {
    // Pointers and rules only: the offending values could be anything, secrets included.
    request.log.error(
      { model, violations: checked.errors.map((e) => ({ pointer: e.pointer, rule: e.rule })) },
      "response body fails the contract; answering 500 instead",
    );
    throw new ProblemError(500, "The server produced a response that breaks its own contract. This is a bug in the server.");
  }
  const payload = options.payload ?? JSON.stringify(body);
  reply.type("application/json; charset=utf-8");
  if (options.etag) {
    const tagged = tagRepresentation(payload, request.headers["if-none-match"]);
    reply.headers(tagged.headers);
    if (tagged.notModified) return reply.code(304).send();
  }
  if (options.noStore) reply.header("cache-control", "no-store");
  return reply.code(options.status ?? 200).send(payload);
}
