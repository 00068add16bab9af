/**
 * What a Grant asks for (CDS-WG1-02 §8), apart from the database: the public `@cds-toolkit/server` types
 * name these, so they must not reach drizzle's or oidc-provider's types
 * (tools/checks/consumer-install.test.ts).
 */
import type { AuthorizationDetail } from "@cds-toolkit/types";

export interface RequestedAccess {
  scope: string;
  authorizationDetails: AuthorizationDetail[];
}

export interface AuthorizationNeeded extends RequestedAccess {
  clientId: string;
  /** The one customer who may authorize it, when the Server knows. */
  accountId?: string;
}
