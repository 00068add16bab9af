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
  /** CDS-WG1-02 §4, the server's own registration endpoint. */
  registration: string;
  /** CDS-WG1-02 §5–§8, at the contract's paths. */
  clientsApi: string;
  credentialsApi: string;
  grantsApi: string;
  messagesApi: string;
  /** CDS-WG1-02 §9. */
  serverProvidedFilesApi: string;
}

export const paths = {
  serverMetadata: "/.well-known/cds-server-metadata.json",
  coverage: "/cds-coverage.json",
  oauthMetadata: "/.well-known/oauth-authorization-server",
  /** oidc-provider's endpoints all live under this prefix (except registration, which is the server's own). */
  oauthPrefix: "/oauth/",
  registration: "/oauth/register",
  clientsApi: "/cds-api/v1/clients",
  credentialsApi: "/cds-api/v1/credentials",
  grantsApi: "/cds-api/v1/grants",
  messagesApi: "/cds-api/v1/messages",
  serverProvidedFilesApi: "/cds-api/v1/server-provided-files",
} as const;

export function publicUrls(issuer: string): PublicUrls {
  return {
    issuer,
    serverMetadata: `${issuer}${paths.serverMetadata}`,
    coverage: `${issuer}${paths.coverage}`,
    oauthMetadata: `${issuer}${paths.oauthMetadata}`,
    registration: `${issuer}${paths.registration}`,
    clientsApi: `${issuer}${paths.clientsApi}`,
    credentialsApi: `${issuer}${paths.credentialsApi}`,
    grantsApi: `${issuer}${paths.grantsApi}`,
    messagesApi: `${issuer}${paths.messagesApi}`,
    serverProvidedFilesApi: `${issuer}${paths.serverProvidedFilesApi}`,
  };
}
