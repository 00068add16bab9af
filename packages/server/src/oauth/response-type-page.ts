/**
 * CDS-WG3-01 §9.1.1: an invalid `response_type` is shown to the person as the
 * Invalid Request Error page (§9.3.2), like a bad client_id or redirect_uri,
 * and never sent back to the Client. oidc-provider would instead redirect
 * (`unsupported_response_type`, in the fragment for `token`), so this
 * middleware answers first. Front-channel requests carry the value in the
 * query: with `request_uri` (RFC 9126) the pushed request was checked at the
 * PAR endpoint, which answers the Client directly.
 *
 * The authorization endpoint takes GET only (RFC 6749 §3.1 makes POST a
 * MAY; oidc-provider's POST support needs `SameSite=None` session cookies,
 * which this server will not weaken). A POST is shown the same page: for its
 * `response_type` when that is wrong, as a GET would be, else as a 405 that
 * says to use GET (spec/ERRATA.md E-WG3-01-411).
 */
import type { KoaContextWithOIDC } from "oidc-provider";
import { readForm } from "./request-form.js";

/** The one response type this server supports (CDS-WG1-02 §3.2: authorization code). */
const SUPPORTED = "code";

type ShowPage = (ctx: KoaContextWithOIDC, out: { error: string; error_description: string }) => Promise<void>;

/** What is wrong with the request's `response_type` values, or null when it is the one supported. */
function responseTypeProblem(values: readonly string[]): { error: string; error_description: string } | null {
  if (values.length === 1 && values[0] === SUPPORTED) return null;
  const reason = values.length === 0 ? "response_type: missing" : values.length > 1 ? "response_type: given more than once" : `response_type: only ${SUPPORTED} is supported`;
  return { error: values.length === 1 ? "unsupported_response_type" : "invalid_request", error_description: reason };
}

export function invalidResponseTypeAsPage(authorizationPath: string, showPage: ShowPage) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<unknown>): Promise<void> => {
    if (ctx.path === authorizationPath && ctx.method === "GET") {
      const query = new URLSearchParams(ctx.querystring);
      const problem = query.has("request_uri") ? null : responseTypeProblem(query.getAll("response_type"));
      if (problem) {
        ctx.status = 400;
        await showPage(ctx, problem);
        return;
      }
    } else if (ctx.path === authorizationPath && ctx.method === "POST") {
      const form = readForm(ctx.req);
      const problem = form.has("request_uri") ? null : responseTypeProblem(form.getAll("response_type"));
      if (problem) {
        ctx.status = 400;
        await showPage(ctx, problem);
        return;
      }
      ctx.status = 405;
      ctx.set("allow", "GET");
      await showPage(ctx, { error: "invalid_request", error_description: "the authorization request must be sent with GET (RFC 6749 §3.1), or pushed to the PAR endpoint first" });
      return;
    }
    await next();
  };
}
