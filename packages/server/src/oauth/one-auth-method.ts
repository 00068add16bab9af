/**
 * RFC 6749 §2.3: a client uses one authentication method per request. CDS
 * clients authenticate with HTTP Basic only (CDS-WG1-02 §4.2), so
 * oidc-provider, configured with that one method, does not even read a body
 * `client_secret` and would accept Basic plus any body secret. This
 * middleware refuses a request that carries Basic credentials and a second
 * method in the body (`client_secret`, or a `client_assertion`), at every
 * endpoint where the client authenticates. ERRATA E-WG1-02-50.
 */
import type { KoaContextWithOIDC } from "oidc-provider";
import { answerOAuthError, readForm } from "./request-form.js";

const secondMethods = ["client_secret", "client_assertion", "client_assertion_type"] as const;

export function oneClientAuthMethod(authenticatedPaths: readonly string[]) {
  const paths = new Set(authenticatedPaths);
  return async (ctx: KoaContextWithOIDC, next: () => Promise<unknown>): Promise<void> => {
    if (ctx.method === "POST" && paths.has(ctx.path) && ctx.headers.authorization !== undefined) {
      const form = readForm(ctx.req);
      const extra = secondMethods.find((name) => form.has(name));
      if (extra) {
        answerOAuthError(ctx, "invalid_request", `client authentication must use one method: Authorization header or ${extra}, not both (RFC 6749 §2.3)`);
        return;
      }
    }
    await next();
  };
}
