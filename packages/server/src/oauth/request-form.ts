/**
 * The form body and Basic credentials of an OAuth request, as the Koa
 * middlewares in front of oidc-provider see them. The mount (mount.ts) has
 * already read and checked the body and left the bytes on `req.body`; a
 * middleware that rewrites the form writes the new bytes back there. The
 * bytes reach oidc-provider as a stream (`replayBody`), read once, as if
 * nothing had read them before.
 */
import type { IncomingMessage } from "node:http";

type BodyRequest = IncomingMessage & { body?: Buffer };

/** Each body's form, parsed once however many middlewares read it (keyed by the bytes, so a rewrite parses anew). */
const parsed = new WeakMap<Buffer, URLSearchParams>();

/** The form fields of a POST, or an empty form when there is no body. Read-only: change a copy and `writeForm` it. */
export function readForm(req: IncomingMessage): URLSearchParams {
  const body = (req as BodyRequest).body;
  if (!Buffer.isBuffer(body)) return new URLSearchParams();
  let form = parsed.get(body);
  if (!form) parsed.set(body, (form = new URLSearchParams(body.toString("utf8"))));
  return new URLSearchParams(form);
}

/** Replaces the form oidc-provider will parse. */
export function writeForm(req: IncomingMessage, form: URLSearchParams): void {
  const body = Buffer.from(form.toString(), "utf8");
  (req as BodyRequest).body = body;
  req.headers["content-length"] = String(body.length);
}

/**
 * Lets oidc-provider read the body Fastify already consumed as if the stream
 * were fresh: its body parser (lib/shared/selective_body.js, 9.13.3) reads
 * `req.iterator()` while `req.readable` is true, and otherwise falls back to
 * `req.body` with an "already parsed request body detected" warning. The
 * replay yields whatever `req.body` holds when it is read (after our
 * middlewares' rewrites), once.
 */
export function replayBody(req: IncomingMessage): void {
  if (!Buffer.isBuffer((req as BodyRequest).body)) return;
  let read = false;
  Object.defineProperty(req, "readable", { configurable: true, get: () => !read });
  Object.defineProperty(req, "iterator", {
    configurable: true,
    value: async function* replay() {
      read = true;
      const body = (req as BodyRequest).body;
      if (body?.length) yield body;
    },
  });
}

/** The client id of an `Authorization: Basic` header (RFC 6749 §2.3.1: form-encoded, then base64), or undefined. */
export function basicClientId(authorization: string | undefined): string | undefined {
  const [scheme, value] = (authorization ?? "").split(" ");
  if (scheme?.toLowerCase() !== "basic" || !value) return undefined;
  const decoded = Buffer.from(value, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon <= 0) return undefined;
  try {
    return decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, "%20"));
  } catch {
    return undefined;
  }
}

/** An RFC 6749 §5.2 error answered by a middleware before oidc-provider runs. */
export function answerOAuthError(ctx: { status: number; body: unknown; set(headers: Record<string, string>): void }, error: string, description: string): void {
  ctx.status = 400;
  ctx.set({ "cache-control": "no-store" });
  ctx.body = { error, error_description: description };
}
