/**
 * The demo client a start reports, apart from the database: the public `@cds-toolkit/server` types
 * name these, so they must not reach drizzle's or oidc-provider's types
 * (tools/checks/consumer-install.test.ts).
 */

export interface DemoClientInfo {
  clientId: string;
  /** Set only when this start generated the secret: the one moment it can be shown. */
  generatedSecret: string | null;
  /** The demo app (authorization code), seeded with the demo client. */
  app?: DemoClientInfo;
  /** The demo Direct Access client (client_credentials, CDS-WG3-01 §6.2) and its Server-made Grants. */
  direct?: DemoClientInfo;
}
