/**
 * OAuth error bodies carry only what the contract's OAuth error model has:
 * `error`, `error_description`, `error_uri` (RFC 6749 §5.2). oidc-provider
 * adds the requested `scope` to `invalid_scope` and `insufficient_scope`
 * errors and a `state` to some others; a strict client validating the body
 * against the documented model would reject it (found by the contract fuzzer,
 * test/fuzz/). The other members are dropped; the error code and its
 * description are unchanged.
 */
import type { KoaContextWithOIDC } from "oidc-provider";

const contractFields = ["error", "error_description", "error_uri"] as const;

export function oauthErrorBodyOnContract() {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<unknown>): Promise<void> => {
    await next();
    const body = ctx.body as Record<string, unknown> | null | undefined;
    if (ctx.status < 400 || !body || typeof body !== "object" || Buffer.isBuffer(body) || typeof body.error !== "string") return;
    if (Object.keys(body).every((key) => (contractFields as readonly string[]).includes(key))) return;
    ctx.body = Object.fromEntries(contractFields.filter((key) => body[key] !== undefined).map((key) => [key, body[key]]));
  };
}
