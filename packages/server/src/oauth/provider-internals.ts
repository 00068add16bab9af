/**
 * The one place that relies on oidc-provider behaviour its documentation does
 * not promise. Each hook is checked when installed, so an upgrade that moves
 * it fails at startup, not at the first token request; `test/oauth/
 * provider-internals.test.ts` pins each one. oidc-provider's version is pinned
 * exactly in package.json for the same reason.
 */
import type Provider from "oidc-provider";

/** The oidc-provider release these hooks were written against. */
export const SUPPORTED_OIDC_PROVIDER_VERSION = "9.13.3";

/**
 * oidc-provider requires a `client_secret` in the metadata of every
 * `client_secret_basic` client, but the server keeps only hashes of the real
 * secrets. This value fills the field and authenticates nothing: the secret
 * check is replaced (below), and no HMAC algorithm is enabled that could use
 * it as a key (see `enabledJWA` in provider.ts).
 */
export const CLIENT_SECRET_PLACEHOLDER = "unused-placeholder-the-server-verifies-hashed-secrets";

/** Decides whether `presented` is a current secret of `clientId`. */
export type ClientSecretVerifier = (clientId: string, presented: string) => Promise<boolean>;

interface ClientPrototype {
  clientId: string;
  compareClientSecret(presented: string): boolean | Promise<boolean>;
}

/**
 * Replaces oidc-provider's single-secret comparison (the undocumented
 * `Client.prototype.compareClientSecret`, awaited by its client authentication
 * for `client_secret_basic` and `client_secret_post`) with `verify`, so a
 * client may hold several secrets, stored hashed.
 */
export function installClientSecretVerifier(provider: Provider, verify: ClientSecretVerifier): void {
  const prototype = (provider.Client as unknown as { prototype: ClientPrototype }).prototype;
  if (typeof prototype.compareClientSecret !== "function") {
    throw new Error(
      `oidc-provider no longer has Client.prototype.compareClientSecret; the client secret check in src/oauth/provider-internals.ts must be ported (written for ${SUPPORTED_OIDC_PROVIDER_VERSION})`,
    );
  }
  Object.defineProperty(prototype, "compareClientSecret", {
    configurable: true,
    writable: true,
    value: function compareClientSecret(this: ClientPrototype, presented: string): Promise<boolean> {
      return verify(this.clientId, presented);
    },
  });
}
