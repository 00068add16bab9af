/**
 * The authorization-code flow as CDS-WG1-02 §3.2 and CDS-WG3-01 §7 ask for
 * it: a pushed authorization request (RFC 9126) carrying PKCE S256 (RFC 7636),
 * a state, the scope and `authorization_details` (RFC 9396) built from typed
 * Customer Data details, and `cds_grant_id` to change an existing Grant; then
 * the code exchange, whose tokens are stored for `RefreshingTokens`.
 */
import type * as M from "@cds-toolkit/types";
import * as oauth from "oauth4webapi";
import { OAuthError } from "../errors.js";
import { asOAuthError, clientAuth, requestOptions, type OAuthContext } from "./context.js";
import { MemoryTokenStore, type StoredTokens, type TokenStore } from "./token-store.js";
import { toStored } from "./tokens.js";

export interface AuthorizationRequestInput {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scope: string;
  /** CDS-WG3-01 §7 details; typed from the contract, so a wrong field is a compile error. */
  authorizationDetails?: Array<M.CustomerDataAuthorizationDetail | M.AuthorizationDetail>;
  /** The Grant this request modifies (CDS-WG1-02 §3.2 `cds_grant_id`). */
  cdsGrantId?: string;
  /** Any other parameter the Server documents. */
  extra?: Record<string, string>;
}

/** What the caller keeps until the browser comes back: never log `codeVerifier`. */
export interface PendingAuthorization {
  url: URL;
  state: string;
  codeVerifier: string;
  redirectUri: string;
  clientId: string;
}

export async function buildAuthorizationRequest(context: OAuthContext, input: AuthorizationRequestInput): Promise<PendingAuthorization> {
  const { as } = context;
  if (!as.authorization_endpoint) throw new OAuthError("unsupported", "the Authorization Server advertises no authorization_endpoint", as.issuer);
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const parameters = new URLSearchParams({
    redirect_uri: input.redirectUri,
    response_type: "code",
    scope: input.scope,
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    ...input.extra,
  });
  if (input.authorizationDetails) parameters.set("authorization_details", JSON.stringify(input.authorizationDetails));
  if (input.cdsGrantId) parameters.set("cds_grant_id", input.cdsGrantId);

  const client: oauth.Client = { client_id: input.clientId };
  const parUrl = as.pushed_authorization_request_endpoint ?? "(no pushed_authorization_request_endpoint)";
  let requestUri: string;
  try {
    const response = await oauth.pushedAuthorizationRequest(as, client, clientAuth(input.clientSecret), parameters, requestOptions(context));
    requestUri = (await oauth.processPushedAuthorizationResponse(as, client, response)).request_uri;
  } catch (error) {
    throw asOAuthError(error, parUrl);
  }
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set("client_id", input.clientId);
  url.searchParams.set("request_uri", requestUri);
  return { url, state, codeVerifier, redirectUri: input.redirectUri, clientId: input.clientId };
}

export interface ExchangeOptions {
  clientSecret: string;
  store?: TokenStore;
  /** Where to save the tokens (default `authorization_code <client_id>`). */
  key?: string;
  now?: () => number;
}

/**
 * Checks the callback (state, `iss` when advertised, error responses) and
 * exchanges the code with the PKCE verifier. Returns the store key and tokens.
 */
export async function exchangeAuthorizationCode(context: OAuthContext, pending: PendingAuthorization, callback: URL | URLSearchParams, options: ExchangeOptions): Promise<{ key: string; tokens: StoredTokens; store: TokenStore }> {
  const { as } = context;
  const client: oauth.Client = { client_id: pending.clientId };
  const url = as.token_endpoint ?? "(no token_endpoint)";
  const store = options.store ?? new MemoryTokenStore();
  const key = options.key ?? `authorization_code ${pending.clientId}`;
  try {
    const params = oauth.validateAuthResponse(as, client, callback, pending.state);
    const response = await oauth.authorizationCodeGrantRequest(as, client, clientAuth(options.clientSecret), params, pending.redirectUri, pending.codeVerifier, requestOptions(context));
    const result = await oauth.processAuthorizationCodeResponse(as, client, response);
    const tokens = toStored(result, (options.now ?? (() => Math.floor(Date.now() / 1000)))());
    await store.save(key, tokens);
    return { key, tokens, store };
  } catch (error) {
    throw asOAuthError(error, error instanceof oauth.AuthorizationResponseError ? String(callback) : url);
  }
}

/** RFC 7009 revocation of an access or refresh token. */
export async function revokeToken(context: OAuthContext, clientId: string, clientSecret: string, token: string): Promise<void> {
  const url = context.as.revocation_endpoint ?? "(no revocation_endpoint)";
  try {
    const response = await oauth.revocationRequest(context.as, { client_id: clientId }, clientAuth(clientSecret), token, requestOptions(context));
    await oauth.processRevocationResponse(response);
  } catch (error) {
    throw asOAuthError(error, url);
  }
}

/** RFC 7662 introspection (CDS-WG1-02 §3.4): whether a token is active, its scope and authorization details. */
export async function introspectToken(context: OAuthContext, clientId: string, clientSecret: string, token: string): Promise<oauth.IntrospectionResponse> {
  const url = context.as.introspection_endpoint ?? "(no introspection_endpoint)";
  const client = { client_id: clientId };
  try {
    const response = await oauth.introspectionRequest(context.as, client, clientAuth(clientSecret), token, requestOptions(context));
    return await oauth.processIntrospectionResponse(context.as, client, response);
  } catch (error) {
    throw asOAuthError(error, url);
  }
}
