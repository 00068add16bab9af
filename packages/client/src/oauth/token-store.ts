/**
 * Where tokens are kept between calls (and, in the CLI, between runs). The
 * key names the Client and the request (client id, scope, authorization
 * details), so one store holds the tokens of many Client Objects.
 */

export interface StoredTokens {
  access_token: string;
  token_type: string;
  /** Seconds since the epoch when the access token expires; absent when the Server did not say. */
  expires_at?: number;
  refresh_token?: string;
  scope?: string;
  authorization_details?: unknown[];
}

export interface TokenStore {
  load(key: string): Promise<StoredTokens | undefined>;
  save(key: string, tokens: StoredTokens): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Tokens in memory, for one process. */
export class MemoryTokenStore implements TokenStore {
  readonly #tokens = new Map<string, StoredTokens>();
  async load(key: string) {
    return this.#tokens.get(key);
  }
  async save(key: string, tokens: StoredTokens) {
    this.#tokens.set(key, tokens);
  }
  async delete(key: string) {
    this.#tokens.delete(key);
  }
}
