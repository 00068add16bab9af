/**
 * What browsers may do with the OAuth endpoints' answers.
 *
 * - No CORS on the endpoints where a client authenticates (token,
 *   introspection, revocation, PAR): every CDS client is confidential and
 *   calls them from a server (CDS-WG1-02 §4.2, client_secret_basic), so no
 *   web page needs to read their answers. oidc-provider answers them with
 *   `Access-Control-Allow-Origin: *` (or the request's Origin); those headers
 *   are removed, and a preflight gets none. ERRATA E-WG1-02-53.
 * - The authorization endpoint's pages (the `form_post` response that carries
 *   the code, RFC 9700 §4.16 and OAuth 2.0 Form Post Response Mode §5): a
 *   strict CSP that allows no script but the page's own inline submit script
 *   (oidc-provider adds its hash to `script-src`), may not be framed
 *   (`frame-ancestors 'none'`, `X-Frame-Options: DENY`), and sends no
 *   referrer. Pages that set their own headers (the Authorization Form's
 *   error pages) replace these. ERRATA E-WG1-02-54.
 */
import type { KoaContextWithOIDC } from "oidc-provider";

/** oidc-provider appends `'sha256-…'` of its inline script to the empty `script-src` (helpers/script_src_sha.js). */
export const authorizationPageHeaders = {
  "content-security-policy": "default-src 'none'; base-uri 'none'; frame-ancestors 'none'; script-src",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
} as const;

export function browserHeaders(routes: { authorization: string; confidential: readonly string[] }) {
  const confidential = new Set(routes.confidential);
  return async (ctx: KoaContextWithOIDC, next: () => Promise<unknown>): Promise<void> => {
    if (ctx.path === routes.authorization || ctx.path.startsWith(`${routes.authorization}/`)) ctx.set(authorizationPageHeaders);
    await next();
    if (confidential.has(ctx.path)) {
      for (const name of Object.keys(ctx.response.headers)) if (name.toLowerCase().startsWith("access-control-")) ctx.remove(name);
    }
  };
}
