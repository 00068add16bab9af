/**
 * Contract bodies built once and sent many times: the body is checked
 * against the strict validator and serialized when it is built (when the
 * data is loaded), so a request for an unchanged document costs only the
 * `If-None-Match` comparison and the write of bytes already made — bytes,
 * not a string, so no request encodes them again, and with their headers
 * made once too.
 */
import type { ValidationResult } from "@cds-toolkit/validators";
import type { FastifyReply, FastifyRequest } from "fastify";
import { entityTag, ifNoneMatchMatches } from "./etag.js";
import { ProblemError } from "./problem.js";

const JSON_TYPE = "application/json; charset=utf-8";

export type Prebuilt =
  | {
      ok: true;
      /** The serialized body, for whoever needs the text. */
      payload: string;
      /** The same, as the UTF-8 bytes sent. */
      bytes: Buffer;
      etag: string;
      /** The headers of a public, revalidated answer (200 and 304 alike). */
      tagged: Readonly<Record<string, string>>;
    }
  /** The body breaks the contract: a server bug, answered with 500 on every request until the data is fixed. */
  | { ok: false; model: string; violations: { pointer: string; rule: string }[] };

/** The headers of a private answer (`noStore`), the same for every body. */
const privateHeaders = Object.freeze({ "content-type": JSON_TYPE, "cache-control": "no-store" });

export function prebuild<T>(model: string, validator: (value: unknown, mode: "strict") => ValidationResult<T>, body: T): Prebuilt {
  const checked = validator(body, "strict");
  // Pointers and rules only: the offending values could be anything, secrets included.
  if (!checked.ok) return { ok: false, model, violations: checked.errors.map((e) => ({ pointer: e.pointer, rule: e.rule })) };
  const payload = JSON.stringify(body);
  const etag = entityTag(payload);
  // Clients may reuse a stored copy only after revalidating it with the tag (RFC 9111 §5.2.2.4).
  const tagged = Object.freeze({ etag, "cache-control": "no-cache", "content-type": JSON_TYPE });
  return { ok: true, payload, bytes: Buffer.from(payload, "utf8"), etag, tagged };
}

/**
 * Sends a prebuilt body with its `ETag` (304 when `If-None-Match` matches), as
 * `sendModel` does with `etag: true`; or, with `noStore`, as `sendModel` does
 * with `noStore: true` (a private body: no tag, `Cache-Control: no-store`).
 */
export function sendPrebuilt(request: FastifyRequest, reply: FastifyReply, built: Prebuilt, options: { noStore?: boolean } = {}): FastifyReply {
  if (!built.ok) {
    request.log.error({ model: built.model, violations: built.violations }, "response body fails the contract; answering 500 instead");
    throw new ProblemError(500, "The server produced a response that breaks its own contract. This is a bug in the server.");
  }
  if (options.noStore) return reply.code(200).headers(privateHeaders).send(built.bytes);
  reply.headers(built.tagged);
  if (ifNoneMatchMatches(request.headers["if-none-match"], built.etag)) return reply.code(304).send();
  return reply.code(200).send(built.bytes);
}
