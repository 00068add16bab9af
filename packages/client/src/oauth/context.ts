/**
 * What every OAuth call needs: the Authorization Server's metadata as
 * oauth4webapi reads it, the fetch stack, and whether plain http is allowed
 * (loopback only, unless the caller says otherwise).
 */
import * as oauth from "oauth4webapi";
import type { Discovery } from "../discovery/discover.js";
import { OAuthError } from "../errors.js";
import { platformFetch, type Fetch } from "../http/fetch.js";

export interface OAuthContext {
  as: oauth.AuthorizationServer;
  fetch: Fetch;
  allowInsecureHttp: boolean;
}

export function oauthContext(discovery: Discovery, fetch: Fetch = platformFetch, metadata?: Record<string, unknown>): OAuthContext {
  // The RFC 8414 document read in discovery, or a Client-specific one (CDS-WG1-02 §5.4), which may name other endpoints.
  return { as: (metadata ?? discovery.authorizationServer) as unknown as oauth.AuthorizationServer, fetch, allowInsecureHttp: discovery.allowInsecureHttp };
}

/** The oauth4webapi request options for this context. */
export function requestOptions(context: OAuthContext): oauth.HttpRequestOptions<"POST", URLSearchParams> {
  return {
    [oauth.allowInsecureRequests]: context.allowInsecureHttp,
    [oauth.customFetch]: (url: string, init: oauth.CustomFetchOptions<"POST", URLSearchParams>) =>
      context.fetch(new Request(url, { method: init.method, headers: init.headers, body: init.body, redirect: init.redirect, ...(init.signal ? { signal: init.signal } : {}) })),
  };
}

export function clientAuth(secret: string): oauth.ClientAuth {
  return oauth.ClientSecretBasic(secret);
}

/** oauth4webapi's errors as OAuthError: the error code and description, never a token or secret. */
export function asOAuthError(error: unknown, url: string): unknown {
  if (error instanceof oauth.ResponseBodyError) return new OAuthError(error.error, error.error_description, url, error.status, { cause: error });
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    const challenge = error.cause[0];
    return new OAuthError(challenge?.parameters.error ?? "unauthorized", challenge?.parameters.error_description, url, error.status, { cause: error });
  }
  if (error instanceof oauth.AuthorizationResponseError) return new OAuthError(error.error, error.error_description, url, undefined, { cause: error });
  if (error instanceof oauth.OperationProcessingError) return new OAuthError("invalid_response", error.message, url, undefined, { cause: error });
  return error;
}
