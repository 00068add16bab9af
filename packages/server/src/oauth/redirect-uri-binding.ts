/**
 * `redirect_uri` at the code exchange (RFC 6749 §4.1.3): required, and equal,
 * whenever the authorization request carried one; it may be left out only
 * when the authorization request left it out too. oidc-provider cannot tell
 * the two cases apart (for a client with one registered URI it fills the
 * value in at both endpoints), so its filling is off
 * (`allowOmittingSingleRegisteredRedirectUri: false`) and this module does
 * the bookkeeping (ERRATA E-WG1-02-51):
 *
 * 1. At the authorization endpoint (without `request_uri`) and at PAR, a
 *    request without `redirect_uri` gets the Client's `cds_default_redirect_uri`
 *    (CDS-WG3-01 §9.1.1; a Client with one redirect URI has it as default)
 *    and the internal parameter `cds_redirect_uri_omitted`, which a client
 *    cannot send itself (it is removed from every incoming request).
 * 2. The parameter travels with the request (PAR object, Interaction); when
 *    the code is stored, the adapter marks the code (`redirectUriOmitted`).
 * 3. At the token endpoint, a code exchange without `redirect_uri` gets the
 *    code's own URI back only when the code is so marked; otherwise
 *    oidc-provider refuses it (`invalid_request`, missing parameter).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { and, eq } from "drizzle-orm";
import type { KoaContextWithOIDC } from "oidc-provider";
import type { Db } from "../db/index.js";
import { oauthClients, oidcArtifacts } from "../db/schema.js";
import { basicClientId, readForm, writeForm } from "./request-form.js";

/** The internal authorization parameter (an oidc-provider `extraParams` entry) that records an omitted redirect_uri. */
export const REDIRECT_URI_OMITTED_PARAM = "cds_redirect_uri_omitted";

/** oidc-provider's `extraParams` entry: the value is the server's own, so there is nothing to check. */
export async function acceptRedirectUriOmitted(): Promise<void> {}

const requestContext = new AsyncLocalStorage<KoaContextWithOIDC>();

/** For the adapter: whether the request storing an AuthorizationCode had left redirect_uri out. */
export function codeRedirectUriOmitted(): boolean {
  return requestContext.getStore()?.oidc?.params?.[REDIRECT_URI_OMITTED_PARAM] === "1";
}

async function clientDefaults(db: Db, clientId: string | undefined | null): Promise<{ cds_default_redirect_uri?: unknown; redirect_uris?: unknown; cds_default_scope?: unknown } | undefined> {
  if (!clientId) return undefined;
  const [row] = await db.select({ metadata: oauthClients.metadata }).from(oauthClients).where(eq(oauthClients.clientId, clientId));
  return row?.metadata as { cds_default_redirect_uri?: unknown; redirect_uris?: unknown; cds_default_scope?: unknown } | undefined;
}

async function defaultRedirectUri(db: Db, clientId: string | undefined | null): Promise<string | undefined> {
  const m = await clientDefaults(db, clientId);
  if (!m) return undefined;
  if (typeof m.cds_default_redirect_uri === "string") return m.cds_default_redirect_uri;
  return Array.isArray(m.redirect_uris) && m.redirect_uris.length === 1 && typeof m.redirect_uris[0] === "string" ? m.redirect_uris[0] : undefined;
}

/** Fills a missing redirect_uri with the Client's default and marks it; removes a client-sent marker. */
async function bindDefault(db: Db, params: URLSearchParams, clientId: string | undefined | null): Promise<boolean> {
  let changed = params.has(REDIRECT_URI_OMITTED_PARAM);
  params.delete(REDIRECT_URI_OMITTED_PARAM);
  if (!params.has("redirect_uri")) {
    const uri = await defaultRedirectUri(db, clientId);
    if (uri) {
      params.set("redirect_uri", uri);
      params.set(REDIRECT_URI_OMITTED_PARAM, "1");
      changed = true;
    }
  }
  // CDS-WG3-01 §9.1.1: a request without scope is for the Client's cds_default_scope. oidc-provider must see it
  // too (its grant and tokens are per scope), not only the form, or it ends the request with access_denied.
  if (!params.get("scope")?.trim()) {
    const scope = (await clientDefaults(db, clientId))?.cds_default_scope;
    if (typeof scope === "string" && scope.trim()) {
      params.set("scope", scope);
      changed = true;
    }
  }
  return changed;
}

export function redirectUriBinding(db: Db, routes: { authorization: string; pushed_authorization_request: string; token: string }) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<unknown>): Promise<void> => {
    if (ctx.method === "GET" && ctx.path === routes.authorization) {
      const query = new URLSearchParams(ctx.querystring);
      // With request_uri the pushed request's parameters count, and were bound at PAR.
      if (!query.has("request_uri") && (await bindDefault(db, query, query.get("client_id")))) ctx.querystring = query.toString();
    } else if (ctx.method === "POST" && ctx.path === routes.pushed_authorization_request) {
      const form = readForm(ctx.req);
      if (await bindDefault(db, form, form.get("client_id") ?? basicClientId(ctx.headers.authorization))) writeForm(ctx.req, form);
    } else if (ctx.method === "POST" && ctx.path === routes.token) {
      const form = readForm(ctx.req);
      const code = form.get("code");
      if (form.get("grant_type") === "authorization_code" && !form.has("redirect_uri") && code) {
        const [row] = await db
          .select({ payload: oidcArtifacts.payload })
          .from(oidcArtifacts)
          .where(and(eq(oidcArtifacts.model, "AuthorizationCode"), eq(oidcArtifacts.id, code)));
        const payload = row?.payload as { redirectUriOmitted?: unknown; redirectUri?: unknown } | undefined;
        if (payload?.redirectUriOmitted === true && typeof payload.redirectUri === "string") {
          form.set("redirect_uri", payload.redirectUri);
          writeForm(ctx.req, form);
        }
      }
    }
    await requestContext.run(ctx, next);
  };
}
