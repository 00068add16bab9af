/**
 * Access tokens that refresh themselves: `client_credentials` for the admin,
 * Grant Admin and direct-access scopes (CDS-WG1-02 §3.3, CDS-WG3-01 §6), and
 * authorization-code sessions refreshed with the refresh token, which a
 * rotating Server replaces on every use (RFC 9700 §4.14.2). A token is
 * renewed `refreshMarginSeconds` before it expires, so a call never carries
 * one that dies on the way.
 */
import * as oauth from "oauth4webapi";
import { OAuthError } from "../errors.js";
import type { AccessTokenSource } from "../http/fetch.js";
import { asOAuthError, clientAuth, requestOptions, type OAuthContext } from "./context.js";
import { MemoryTokenStore, type StoredTokens, type TokenStore } from "./token-store.js";

export interface TokenSourceOptions {
  store?: TokenStore;
  /** Renew this many seconds before expiry (default 60). */
  refreshMarginSeconds?: number;
  /** Test hook: seconds since the epoch. */
  now?: () => number;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

export function toStored(response: oauth.TokenEndpointResponse, now: number, previous?: StoredTokens): StoredTokens {
  const stored: StoredTokens = { access_token: response.access_token, token_type: response.token_type };
  if (typeof response.expires_in === "number") stored.expires_at = now + response.expires_in;
  // Rotation: a new refresh token replaces the old one; a Server that does not rotate sends none, and the old one stays.
  const refresh = response.refresh_token ?? previous?.refresh_token;
  if (refresh) stored.refresh_token = refresh;
  if (typeof response.scope === "string") stored.scope = response.scope;
  if (Array.isArray(response.authorization_details)) stored.authorization_details = response.authorization_details;
  return stored;
}

abstract class CachedTokens implements AccessTokenSource {
  protected readonly store: TokenStore;
  protected readonly margin: number;
  protected readonly now: () => number;
  #pending: Promise<string> | null = null;

  protected readonly context: OAuthContext;
  readonly key: string;

  constructor(context: OAuthContext, key: string, options: TokenSourceOptions) {
    this.context = context;
    this.key = key;
    this.store = options.store ?? new MemoryTokenStore();
    this.margin = options.refreshMarginSeconds ?? 60;
    this.now = options.now ?? nowSeconds;
  }

  async accessToken(): Promise<string> {
    const stored = await this.store.load(this.key);
    if (stored && (stored.expires_at === undefined || stored.expires_at - this.margin > this.now())) return stored.access_token;
    return this.refresh();
  }

  /** One request at a time: concurrent callers share the renewal. */
  refresh(): Promise<string> {
    this.#pending ??= this.renew().finally(() => {
      this.#pending = null;
    });
    return this.#pending;
  }

  async tokens(): Promise<StoredTokens | undefined> {
    return this.store.load(this.key);
  }

  protected abstract renew(): Promise<string>;
}

export interface ClientCredentialsOptions extends TokenSourceOptions {
  clientId: string;
  clientSecret: string;
  scope: string;
  /** RFC 9396 details, such as the `cds_grant_admin` detail naming a Grant (CDS-WG3-01 §13.4.4). */
  authorizationDetails?: unknown[];
}

/** `client_credentials` tokens for one Client Object and scope. */
export class ClientCredentialsTokens extends CachedTokens {
  readonly #options: ClientCredentialsOptions;
  constructor(context: OAuthContext, options: ClientCredentialsOptions) {
    super(context, `client_credentials ${options.clientId} ${options.scope} ${JSON.stringify(options.authorizationDetails ?? [])}`, options);
    this.#options = options;
  }

  protected async renew(): Promise<string> {
    const { clientId, clientSecret, scope, authorizationDetails } = this.#options;
    const client: oauth.Client = { client_id: clientId };
    const parameters = new URLSearchParams({ scope });
    if (authorizationDetails) parameters.set("authorization_details", JSON.stringify(authorizationDetails));
    const url = this.context.as.token_endpoint ?? "(no token_endpoint)";
    try {
      const response = await oauth.clientCredentialsGrantRequest(this.context.as, client, clientAuth(clientSecret), parameters, requestOptions(this.context));
      const result = await oauth.processClientCredentialsResponse(this.context.as, client, response);
      const stored = toStored(result, this.now());
      await this.store.save(this.key, stored);
      return stored.access_token;
    } catch (error) {
      throw asOAuthError(error, url);
    }
  }
}

export interface RefreshingTokensOptions extends TokenSourceOptions {
  clientId: string;
  clientSecret: string;
  /** The store key the authorization-code exchange saved under. */
  key: string;
}

/** The tokens of an authorization-code session: renewed with the refresh token, which rotates. */
export class RefreshingTokens extends CachedTokens {
  readonly #options: RefreshingTokensOptions;
  constructor(context: OAuthContext, options: RefreshingTokensOptions) {
    super(context, options.key, options);
    this.#options = options;
  }

  protected async renew(): Promise<string> {
    const previous = await this.store.load(this.key);
    const url = this.context.as.token_endpoint ?? "(no token_endpoint)";
    if (!previous?.refresh_token) throw new OAuthError("no_refresh_token", "no refresh token is stored for this session: authorize again", url);
    const client: oauth.Client = { client_id: this.#options.clientId };
    try {
      const response = await oauth.refreshTokenGrantRequest(this.context.as, client, clientAuth(this.#options.clientSecret), previous.refresh_token, requestOptions(this.context));
      const result = await oauth.processRefreshTokenResponse(this.context.as, client, response);
      const stored = toStored(result, this.now(), previous);
      await this.store.save(this.key, stored);
      return stored.access_token;
    } catch (error) {
      throw asOAuthError(error, url);
    }
  }
}
