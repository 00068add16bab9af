/** Entity tags (RFC 9110 §8.8.3) and the `If-None-Match` precondition (§13.1.2). */
import { createHash } from "node:crypto";

/** A strong tag of the exact bytes sent: equal bodies, equal tags, on every instance. */
export function entityTag(body: string): string {
  return `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
}

/**
 * Whether `If-None-Match` matches the current tag, by weak comparison as
 * RFC 9110 §13.1.2 requires (a `W/` prefix is ignored). `*` matches any
 * current representation.
 */
export function ifNoneMatchMatches(header: string | string[] | undefined, current: string): boolean {
  if (header === undefined) return false;
  const value = Array.isArray(header) ? header.join(",") : header;
  if (value.trim() === "*") return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  const wanted = opaque(current);
  return value.split(",").some((tag) => opaque(tag) === wanted);
}

export interface TaggedRepresentation {
  /** The caching headers to send, with the 200 and with the 304 alike. */
  headers: { etag: string; "cache-control": "no-cache" };
  /** The request's `If-None-Match` matches: answer 304 with no body (RFC 9110 §15.4.5). */
  notModified: boolean;
}

/**
 * Tags a representation for conditional requests. Shared by the Fastify
 * routes and the RFC 8414 document that oidc-provider (Koa) sends, so both
 * kinds of metadata document cache the same way.
 */
export function tagRepresentation(payload: string, ifNoneMatch: string | string[] | undefined): TaggedRepresentation {
  const etag = entityTag(payload);
  // Clients may reuse a stored copy only after revalidating it with the tag (RFC 9111 §5.2.2.4).
  return { headers: { etag, "cache-control": "no-cache" }, notModified: ifNoneMatchMatches(ifNoneMatch, etag) };
}
