/**
 * The OAuth 2.0 authorization server: oidc-provider, configured for what CDS
 * needs and what RFC 9700 (OAuth 2.0 Security BCP) recommends. Everything
 * stateful lives in the database (adapter.ts, keys.ts).
 */
import { loggableError } from "../http/loggable-error.js";
import { DATABASE_RETRY_AFTER_SECONDS, databaseUnavailableDetail, isDatabaseUnavailable } from "../http/database-unavailable.js";
import Provider, { errors, type Configuration, type KoaContextWithOIDC } from "oidc-provider";
import type { FastifyBaseLogger } from "fastify";
import type { Db } from "../db/index.js";
import { entityTag, ifNoneMatchMatches } from "../http/etag.js";
import { securityHeaders } from "../http/security-headers.js";
import { findCustomerByAccountId } from "../customers/index.js";
import { adapterFactory } from "./adapter.js";
// The CDS-WG3-01 form (§5): its scope descriptions use the §7 field formats.
import { validateCustomerDataAuthorizationServerMetadata as validateAuthorizationServerMetadata } from "@cds-toolkit/validators";
import { describedScopes } from "../cds/scopes.js";
import { toAuthorizationServerMetadata } from "./authorization-server-metadata.js";
import { cdsGrantIdValidator, dropEmptyCdsGrantIds } from "./cds-grant-id.js";
import { findClientSecret } from "./client-secrets.js";
import { clientNotice, credentialNotice, type ClientCaches } from "./client-cache.js";
import { recordAuthenticatingCredential, withCredentialContext } from "./credential-context.js";
import type { ProviderKeys } from "./keys.js";
import { installClientSecretVerifier } from "./provider-internals.js";
import { authorizationDetailsTypes } from "./detail-types.js";
import { grantAdminDetailsForToken, refuseGrantAdminWithoutDetails } from "./grant-admin-tokens.js";
import { authorizationDetailsForCode } from "./consent-details.js";
import { oneClientAuthMethod } from "./one-auth-method.js";
import { oauthErrorBodyOnContract } from "./oauth-error-body.js";
import { redirectsWithoutBody } from "./redirect-body.js";
import { acceptRedirectUriOmitted, REDIRECT_URI_OMITTED_PARAM, redirectUriBinding } from "./redirect-uri-binding.js";
import { consumeCodeOnFailedExchange } from "./code-consumption.js";
import { grantIdsInTokenResponses } from "./grants-in-token-response.js";
import { describedScopesOnly, refuseUndescribedScopes, scopeNamedInDescription } from "./scope-check.js";
import { browserHeaders } from "./browser-headers.js";
import { InvalidRequestError } from "../authorization-form/InvalidRequestError.js";
import { invalidResponseTypeAsPage } from "./response-type-page.js";
import { loadBrand } from "../authorization-form/brand.js";
import { newNonce, pageHeaders, renderPage } from "../authorization-form/render.js";

/** Scopes this server grants: every scope it describes (CDS-WG1-02 §3.3, CDS-WG3-01 §6.1). */
export const supportedScopes = [...describedScopes];

/** Where oidc-provider's endpoints live (all under `/oauth/`). */
export const oauthRoutes = {
  authorization: "/oauth/authorize",
  token: "/oauth/token",
  introspection: "/oauth/token/info",
  revocation: "/oauth/token/revoke",
  pushed_authorization_request: "/oauth/par",
  jwks: "/oauth/jwks",
  registration: "/oauth/register",
  userinfo: "/oauth/userinfo",
  end_session: "/oauth/logout",
  code_verification: "/oauth/device",
  device_authorization: "/oauth/device/auth",
  backchannel_authentication: "/oauth/backchannel",
  challenge: "/oauth/challenge",
  credential: "/oauth/credential",
} as const;

export const tokenLifetimes = {
  /** The lifetime of CDS-WG1-02 §12.4's example token. */
  accessToken: 3600,
  authorizationCode: 60,
  refreshToken: 30 * 24 * 3600,
  pushedAuthorizationRequest: 60,
  interaction: 600,
  session: 24 * 3600,
  grant: 365 * 24 * 3600,
} as const;

export interface ProviderOptions {
  issuer: string;
  db: Db;
  keys: ProviderKeys;
  log: FastifyBaseLogger;
  /** The CDS-WG1-02 §3.2 fields of the RFC 8414 document; null when the server has no metadata yet. */
  cdsFields: () => Promise<Record<string, unknown> | null>;
  /** Client Objects and accepted secret checks in memory until a change is announced (client-cache.ts); without, read every time. */
  clientCaches?: ClientCaches | null;
  /** Where the last RFC 8414 document answered 200 is kept, for the early answer (http/public-document-fast-path.ts). */
  discovery?: HeldDiscovery | null;
}

/** The last RFC 8414 document answered 200, with the CDS fields (the very object) it was built from; null before the first. */
export interface HeldDiscovery {
  current: { cds: Record<string, unknown>; bytes: Buffer; etag: string } | null;
}

export function createProvider({ issuer, db, keys, log, cdsFields, clientCaches = null, discovery = null }: ProviderOptions): Provider {
  // Tokens are audience-restricted (RFC 9700 §2.3) to this server's own APIs, its one resource server.
  const resource = issuer;

  /** The Invalid Request Error page (CDS-WG3-01 §9.3.2), with the OAuth error as its reason; no internals. */
  const showInvalidRequest = async (ctx: KoaContextWithOIDC, out: { error: string; error_description?: string | undefined }) => {
    const nonce = newNonce();
    ctx.set(pageHeaders(nonce));
    ctx.type = "text/html; charset=utf-8";
    const reason = `${out.error}${out.error_description ? `: ${out.error_description}` : ""}`;
    ctx.body = renderPage(InvalidRequestError({ nonce, brand: await loadBrand(db), reason }));
  };

  const configuration: Configuration = {
    adapter: adapterFactory(db, clientCaches),
    jwks: keys.jwks,
    cookies: { keys: keys.cookieKeys },
    scopes: [...supportedScopes],
    // Authorization code only: no implicit or hybrid flows (RFC 9700 §2.1.2).
    responseTypes: ["code"],
    // CDS-WG1-02 §4.2: every CDS client authenticates with client_secret_basic.
    clientAuthMethods: ["client_secret_basic"],
    // PKCE with S256 on every authorization request (RFC 9700 §2.1.1); oidc-provider supports S256 only.
    pkce: { required: () => true },
    routes: oauthRoutes,
    // No HMAC algorithms: the client_secret placeholder must never become a key.
    enabledJWA: {
      idTokenSigningAlgValues: ["RS256"],
      requestObjectSigningAlgValues: ["RS256", "PS256", "ES256"],
      clientAuthSigningAlgValues: ["RS256", "PS256", "ES256"],
    },
    // Validators run in this order, after oidc-provider's own checks, for front-channel and pushed requests.
    // scope: a scope this server does not describe is refused, not dropped (scope-check.ts, CDS-WG3-01 §9.1.1).
    // cds_grant_id: CDS-WG1-02 §8.3; validated after every other parameter (cds-grant-id.ts).
    // cds_redirect_uri_omitted: the server's own record of a left-out redirect_uri (redirect-uri-binding.ts).
    extraParams: { scope: describedScopesOnly(supportedScopes), cds_grant_id: cdsGrantIdValidator(db), [REDIRECT_URI_OMITTED_PARAM]: acceptRedirectUriOmitted },
    // RFC 6749 §4.1.3: redirect_uri may be left out at the token endpoint only if it was at authorization;
    // redirect-uri-binding.ts fills defaults itself and remembers which codes may omit it.
    allowOmittingSingleRegisteredRedirectUri: false,
    // A customer removed from the store ends every session of theirs.
    findAccount: async (_ctx, sub) => ((await findCustomerByAccountId(db, sub)) ? { accountId: sub, claims: async () => ({ sub }) } : undefined),
    // @types/oidc-provider models the feature combinations as a union that lags 9.13 (RAR hook names); checked at runtime instead.
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: {
        enabled: true,
        // Until resource servers are registered, a client may introspect only its own tokens.
        allowedPolicy: async (_ctx: unknown, client: { clientId: string }, token: { clientId?: string }) => token.clientId === client.clientId,
      },
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx: unknown, client: { clientId: string }, token: { clientId?: string }) => token.clientId === client.clientId,
      },
      pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: false },
      // CDS-WG1-02 §3.2 requires RAR; the CDS authorization details types arrive with registration.
      richAuthorizationRequests: {
        enabled: true,
        types: authorizationDetailsTypes,
        authorizationDetailsForGrantSource: authorizationDetailsForCode,
        // client_credentials tokens carry details only as Grant Admin tokens (CDS-WG1-02 §3.3.2); the others inherit their grant's.
        authorizationDetailsForAccessToken: async (ctx: KoaContextWithOIDC, _token: unknown, source: { rar?: unknown } | undefined, grantType: string) =>
          grantType === "client_credentials" ? grantAdminDetailsForToken(db, ctx) : source?.rar,
        authorizationDetailsForIntrospection: async (_ctx: unknown, token: { rar?: unknown }) => token.rar,
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => resource,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (ctx: KoaContextWithOIDC, indicator: string) => {
          if (indicator !== resource) throw new errors.InvalidTarget("unknown resource");
          refuseGrantAdminWithoutDetails(ctx);
          // The one hook client_credentials requests reach before their scopes are narrowed to the known ones.
          if (ctx.oidc.params?.grant_type === "client_credentials") refuseUndescribedScopes(ctx.oidc.params.scope, supportedScopes);
          // Opaque tokens: resource servers introspect them, and revocation takes effect at once.
          return { scope: supportedScopes.join(" "), audience: resource, accessTokenFormat: "opaque", accessTokenTTL: tokenLifetimes.accessToken };
        },
      },
      // Sender-constrained tokens need the resource servers to check proofs; they arrive together.
      dPoP: { enabled: false },
      userinfo: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      registration: { enabled: false },
    } as Configuration["features"],
    // Refresh tokens for authorization-code grants of clients allowed the refresh_token grant, without OIDC's offline_access.
    issueRefreshToken: async (_ctx, client, code) => client.grantTypeAllowed("refresh_token") && code.kind === "AuthorizationCode",
    rotateRefreshToken: true,
    ttl: {
      AccessToken: tokenLifetimes.accessToken,
      ClientCredentials: tokenLifetimes.accessToken,
      AuthorizationCode: tokenLifetimes.authorizationCode,
      RefreshToken: tokenLifetimes.refreshToken,
      PushedAuthorizationRequest: tokenLifetimes.pushedAuthorizationRequest,
      Interaction: tokenLifetimes.interaction,
      Session: tokenLifetimes.session,
      Grant: tokenLifetimes.grant,
    },
    // Every authorization request asks the customer (a new CDS Grant each time, CDS-WG1-02 §8.3); a grant is
    // reused only to finish the request its consent was given for, never from an earlier request in the session.
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId;
      return grantId ? ctx.oidc.provider.Grant.find(String(grantId)) : undefined;
    },
    // Login and consent pages: interactions/routes.ts.
    interactions: { url: async (_ctx, interaction) => `/oauth/interaction/${interaction.uid}` },
    // Confidential clients call the token endpoints from servers, never from browsers.
    clientBasedCORS: () => false,
    // CDS-WG3-01 §9.3.2: a request that cannot go back to the Client (bad client_id, redirect_uri,
    // response_type) is shown to the person as the Invalid Request Error page; no internals.
    renderError: async (ctx, out) => showInvalidRequest(ctx, out),
  };

  const provider = new Provider(issuer, configuration);
  // Every URL it advertises is built from forwarded headers that the mount sets from the issuer URL (mount.ts).
  provider.proxy = true;

  installClientSecretVerifier(provider, async (clientId, presented) => {
    const key = clientCaches?.secretKey(clientId, presented);
    if (clientCaches && key) {
      const accepted = await clientCaches.secrets.find(key, clientCaches.sync);
      if (accepted !== undefined) {
        recordAuthenticatingCredential(accepted);
        return true;
      }
    }
    const generation = clientCaches?.secrets.generation ?? 0;
    const match = await findClientSecret(db, clientId, presented);
    if (!match) return false;
    // Only an acceptance is kept, until its Credential or Client Object changes or the Credential expires.
    if (clientCaches && key) clientCaches.secrets.set(key, match.id, [credentialNotice(match.id), clientNotice(clientId)], generation, match.expiresAt?.getTime() ?? null);
    recordAuthenticatingCredential(match.id);
    return true;
  });

  // Outermost, so every reply oidc-provider writes (it bypasses Fastify's onSend hook, mount.ts) gets
  // these headers. An error escaping to Koa's last-resort handler loses every header but its own `headers`.
  provider.use(async (ctx, next) => {
    ctx.set(securityHeaders);
    try {
      await next();
    } catch (err) {
      // A database outage met in this server's own middleware (client secrets, code consumption): 503, not Koa's 500.
      if (isDatabaseUnavailable(err)) return answerDatabaseUnavailable(ctx, log, err);
      if (err instanceof Error) Object.assign(err, { headers: { ...(err as { headers?: object }).headers, ...securityHeaders } });
      throw err;
    }
    // oidc-provider's own handler turned an outage into server_error (marked by the listener below): 503 with Retry-After.
    if ((ctx.state as { databaseUnavailable?: unknown }).databaseUnavailable && ctx.status >= 500) answerDatabaseUnavailable(ctx, null, null);
  });

  // Issue 18 item 7 (RFC 6749, RFC 7636, RFC 9700): see each module.
  const clientAuthenticated = [oauthRoutes.token, oauthRoutes.introspection, oauthRoutes.revocation, oauthRoutes.pushed_authorization_request];
  provider.use(oauthErrorBodyOnContract());
  provider.use(redirectsWithoutBody());
  provider.use(browserHeaders({ authorization: oauthRoutes.authorization, confidential: clientAuthenticated }));
  provider.use(oneClientAuthMethod(clientAuthenticated));
  provider.use(consumeCodeOnFailedExchange(db, oauthRoutes.token));
  provider.use(redirectUriBinding(db, oauthRoutes));
  // CDS-WG3-01 §13's token responses name the token's Grants (ERRATA E-WG3-01-410).
  provider.use(grantIdsInTokenResponses(db, oauthRoutes.token));
  provider.use(scopeNamedInDescription([oauthRoutes.token, oauthRoutes.pushed_authorization_request]));

  /** The last RFC 8414 document sent, already validated, with its tag. */
  let validDiscovery: { payload: string; etag: string } | undefined;
  provider.use(async (ctx, next) => {
    await withCredentialContext(next);
    if (ctx.oidc?.route === "discovery" && ctx.status === 200) {
      const cds = await cdsFields();
      if (!cds) {
        ctx.status = 503;
        ctx.body = { error: "temporarily_unavailable", error_description: "This Server has no metadata document configured yet." };
        return;
      }
      const metadata = toAuthorizationServerMetadata(ctx.body as Record<string, unknown>, cds);
      const payload = JSON.stringify(metadata);
      // The strict check runs once per distinct document, not per request: the bytes are known valid.
      const checked = payload === validDiscovery?.payload ? { ok: true as const } : validateAuthorizationServerMetadata(metadata, "strict");
      if (!checked.ok) {
        // Pointers and rules only, as for every contract body (http/contract-response.ts).
        log.error({ model: "CustomerDataAuthorizationServerMetadata", violations: checked.errors.map((e) => ({ pointer: e.pointer, rule: e.rule })) }, "response body fails the contract; answering 500 instead");
        ctx.status = 500;
        ctx.body = { error: "server_error" };
        return;
      }
      // Tagged like the CDS metadata document (http/contract-response.ts): same tag for the same bytes.
      if (payload !== validDiscovery?.payload) validDiscovery = { payload, etag: entityTag(payload) };
      // The rest of the document comes from the configuration: while these CDS fields are current, these are the bytes.
      if (discovery && (discovery.current?.cds !== cds || discovery.current.etag !== validDiscovery.etag)) {
        discovery.current = { cds, bytes: Buffer.from(payload, "utf8"), etag: validDiscovery.etag };
      }
      ctx.set({ etag: validDiscovery.etag, "cache-control": "no-cache" });
      if (ifNoneMatchMatches(ctx.headers["if-none-match"], validDiscovery.etag)) {
        ctx.status = 304;
        ctx.body = null;
        return;
      }
      ctx.body = payload;
      ctx.type = "application/json; charset=utf-8";
    } else if (ctx.status === 404 && ctx.body === undefined && clientAuthenticated.includes(ctx.path as (typeof clientAuthenticated)[number])) {
      // A POST-only endpoint asked with another method: 405 with Allow (RFC 9110 §15.5.6), as on the contract's overlay.
      ctx.status = 405;
      ctx.set("allow", "POST");
      ctx.body = { error: "invalid_request", error_description: `${ctx.method} is not allowed here; use POST` };
    } else if (ctx.status === 404 && ctx.body === undefined) {
      ctx.status = 404;
      ctx.body = { error: "invalid_request", error_description: "no such OAuth endpoint" };
    }
  });

  provider.use(dropEmptyCdsGrantIds(oauthRoutes.authorization));
  provider.use(invalidResponseTypeAsPage(oauthRoutes.authorization, showInvalidRequest));

  // Koa prints errors to stderr with stack traces unless someone listens; log them, without request data.
  const events = provider as unknown as { on(event: string, listener: (...args: never[]) => void): void };
  // loggableError: a failed query's message carries its parameters (an Interaction's payload holds the session id).
  events.on("error", (err: Error) => log.error({ error: loggableError(err) }, "oauth provider error"));
  events.on("server_error", (ctx: KoaContextWithOIDC, err: Error) => {
    if (isDatabaseUnavailable(err)) {
      // Answered 503 by the outermost middleware; an outage is a warning, not a server bug.
      (ctx.state as { databaseUnavailable?: boolean }).databaseUnavailable = true;
      log.warn({ error: loggableError(err) }, "database unavailable");
      return;
    }
    log.error({ error: loggableError(err) }, "oauth server error");
  });
  // Client mistakes (bad secret, unknown grant) are worth a line at info, with the OAuth error code only.
  for (const event of ["grant.error", "introspection.error", "revocation.error", "pushed_authorization_request.error", "authorization.error"]) {
    events.on(event, (_ctx: KoaContextWithOIDC, err: Error & { error?: string; error_description?: string }) =>
      log.info({ oauthError: err.error ?? err.name, description: err.error_description }, event),
    );
  }
  return provider;
}

/**
 * 503 with `Retry-After` for a request the database could not serve
 * (http/database-unavailable.ts): the RFC 6749 body with
 * `temporarily_unavailable`, or, where oidc-provider rendered the error page
 * for a browser, that page with the status changed.
 */
function answerDatabaseUnavailable(ctx: Pick<KoaContextWithOIDC, "status" | "set" | "type" | "body">, log: FastifyBaseLogger | null, err: unknown): void {
  if (log) log.warn({ error: loggableError(err) }, "database unavailable");
  ctx.status = 503;
  ctx.set({ ...securityHeaders, "retry-after": String(DATABASE_RETRY_AFTER_SECONDS), "cache-control": "no-store" });
  if (ctx.type === "text/html" && typeof ctx.body === "string") return;
  ctx.body = { error: "temporarily_unavailable", error_description: databaseUnavailableDetail };
  ctx.type = "application/json; charset=utf-8";
}
