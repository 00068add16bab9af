/**
 * Every URL the server publishes, built from the configured issuer URL only,
 * never from request headers, so a forged `Host` cannot change what the
 * server advertises.
 */
export interface PublicUrls {
  issuer: string;
  /** CDS-WG1-01 §3.1. */
  serverMetadata: string;
  /** CDS-WG1-01 §4 at the contract's path (spec/ERRATA.md E-WG1-01-4). */
  coverage: string;
  /** RFC 8414 §3 for an issuer without a path. */
  oauthMetadata: string;
}

export const paths = {
  serverMetadata: "/.well-known/cds-server-metadata.json",
  coverage: "/cds-coverage.json",
  oauthMetadata: "/.well-known/oauth-authorization-server",
  /** oidc-provider's endpoints all live under this prefix. */
  oauthPrefix: "/oauth/",
} as const;

export function publicUrls(issuer: string): PublicUrls {
  return {
    issuer,
    serverMetadata: `${issuer}${paths.serverMetadata}`,
    coverage: `${issuer}${paths.coverage}`,
    oauthMetadata: `${issuer}${paths.oauthMetadata}`,
  };
}
