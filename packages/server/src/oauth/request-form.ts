/**
 * The form body and Basic credentials of an OAuth request, as the Koa
 * middlewares in front of oidc-provider see them. The mount (mount.ts) has
 * already read and checked the body and left the bytes on `req.body`, where
 * oidc-provider takes them from; a middleware that rewrites the form writes
 * the new bytes back there.
 */
import type { IncomingMessage } from "node:http";

type BodyRequest = IncomingMessage & { body?: Buffer };

/** The form fields of a POST, or an empty form when there is no body. */
export function readForm(req: IncomingMessage): URLSearchParams {
  const body = (req as BodyRequest).body;
  return new URLSearchParams(Buffer.isBuffer(body) ? body.toString("utf8") : "");
}

/** Replaces the form oidc-provider will parse. */
export function writeForm(req: IncomingMessage, form: URLSearchParams): void {
  (req as BodyRequest).body = Buffer.from(form.toString(), "utf8");
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
