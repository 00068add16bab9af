/**
 * oidc-provider's redirects (the authorization endpoint's 302 and 303) carry
 * Koa's "Redirecting to …" body, HTML or text, which repeats the Location
 * (code and state included) and which the contract does not declare: its
 * 302 and 303 have no content (found by the contract fuzzer, test/fuzz/).
 * The body is emptied; status and Location are unchanged.
 */
import type { KoaContextWithOIDC } from "oidc-provider";

const redirects = new Set([301, 302, 303, 307, 308]);

export function redirectsWithoutBody() {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<unknown>): Promise<void> => {
    await next();
    if (!redirects.has(ctx.status) || !ctx.response.get("location") || typeof ctx.body !== "string") return;
    // An empty string, not null: Koa turns a null body into a 204.
    ctx.body = "";
    ctx.remove("content-type");
  };
}
