/**
 * CDS-WG3-01 §9.1.1: an invalid `response_type` is shown to the person as the
 * Invalid Request Error page (§9.3.2), like a bad client_id or redirect_uri,
 * and never sent back to the Client. oidc-provider would instead redirect
 * (`unsupported_response_type`, in the fragment for `token`), so this
 * middleware answers first. Only front-channel requests carry the value in
 * the query: with `request_uri` (RFC 9126) the pushed request was checked at
 * the PAR endpoint, which answers the Client directly.
 */
import type { KoaContextWithOIDC } from "oidc-provider";

/** The one response type this server supports (CDS-WG1-02 §3.2: authorization code). */
const SUPPORTED = "code";

export function invalidResponseTypeAsPage(authorizationPath: string, showPage: (ctx: KoaContextWithOIDC, out: { error: string; error_description: string }) => Promise<void>) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<unknown>): Promise<void> => {
    if (ctx.method === "GET" && ctx.path === authorizationPath) {
      const query = new URLSearchParams(ctx.querystring);
      const values = query.getAll("response_type");
      if (!query.has("request_uri") && (values.length !== 1 || values[0] !== SUPPORTED)) {
        ctx.status = 400;
        const reason = values.length === 0 ? "response_type: missing" : values.length > 1 ? "response_type: given more than once" : `response_type: only ${SUPPORTED} is supported`;
        await showPage(ctx, { error: values.length === 1 ? "unsupported_response_type" : "invalid_request", error_description: reason });
        return;
      }
    }
    await next();
  };
}
