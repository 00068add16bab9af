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
  /** CDS-WG3-01 §10, one per Customer Data API, at the contract's paths. */
  customerData: Record<CustomerDataKind, string>;
  /** The Server's default redirect URI for every Client Object with response types (CDS-WG1-02 §4.2, CDS-WG3-01 §9.1.1). */
  defaultRedirect: string;
  /** Where Authorization Receipts live (CDS-WG3-01 §9.4); each one at a random path below. */
  receipts: string;
}

import type { CustomerDataKind } from "./customer-data/data-source.js";

export const paths = {
  serverMetadata: "/.well-known/cds-server-metadata.json",
  coverage: "/cds-coverage.json",
  oauthMetadata: "/.well-known/oauth-authorization-server",
  /** oidc-provider's endpoints all live under this prefix (except registration, which is the server's own). */
  oauthPrefix: "/oauth/",
  registration: "/oauth/register",
  /** oidc-provider's authorization endpoint (oauth/provider.ts `oauthRoutes`), whose errors are pages. */
  oauthAuthorize: "/oauth/authorize",
  clientsApi: "/cds-api/v1/clients",
  credentialsApi: "/cds-api/v1/credentials",
  grantsApi: "/cds-api/v1/grants",
  messagesApi: "/cds-api/v1/messages",
  serverProvidedFilesApi: "/cds-api/v1/server-provided-files",
  defaultRedirect: "/oauth/default-redirect",
  receipts: "/authorization-receipts",
  customerData: {
    accounts: "/cds-customerdata-api/v1/accounts",
    service_contracts: "/cds-customerdata-api/v1/service-contracts",
    service_points: "/cds-customerdata-api/v1/service-points",
    meter_devices: "/cds-customerdata-api/v1/meter-devices",
    bill_statements: "/cds-customerdata-api/v1/bill-statements",
    bill_sections: "/cds-customerdata-api/v1/bill-sections",
    aggregations: "/cds-customerdata-api/v1/aggregations",
    usage_segments: "/cds-customerdata-api/v1/usage-segments",
    energy_attribute_certificates: "/cds-customerdata-api/v1/energy-attribute-certificates",
  },
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
    customerData: Object.fromEntries(Object.entries(paths.customerData).map(([kind, path]) => [kind, `${issuer}${path}`])) as Record<CustomerDataKind, string>,
    defaultRedirect: `${issuer}${paths.defaultRedirect}`,
    receipts: `${issuer}${paths.receipts}`,
  };
}

/** A Client Object's URL in the Clients API (CDS-WG1-02 §5.1 `cds_client_uri`). */
export function clientObjectUrl(urls: PublicUrls, clientId: string): string {
  return `${urls.clientsApi}/${encodeURIComponent(clientId)}`;
}

/**
 * The Client-specific metadata documents of CDS-WG1-02 §5.1, under the Client
 * Object's own URL so each one is unique and falls under the Clients API's
 * authentication: the CDS Server Metadata (`cds_server_metadata`) and the
 * RFC 8414 document its `oauth_metadata` names (§3.2).
 */
export const clientMetadataPaths = {
  serverMetadata: `${paths.clientsApi}/:client_id/cds-server-metadata`,
  oauthMetadata: `${paths.clientsApi}/:client_id/oauth-authorization-server`,
} as const;

export function clientMetadataUrls(urls: PublicUrls, clientId: string): { serverMetadata: string; oauthMetadata: string } {
  const client = clientObjectUrl(urls, clientId);
  return { serverMetadata: `${client}/cds-server-metadata`, oauthMetadata: `${client}/oauth-authorization-server` };
}
