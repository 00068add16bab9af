/**
 * What an operator gives to store and share Server-Provided Files (CDS-WG1-02 §9), apart from the database: the public `@cds-toolkit/server` types
 * name these, so they must not reach drizzle's or oidc-provider's types
 * (tools/checks/consumer-install.test.ts).
 */

export interface NewServerProvidedFile {
  /** Chosen when absent: 64 random bits in hex, like the spec's examples. */
  id?: string;
  name: string;
  mimeType: string;
  description?: string;
  content: Uint8Array;
}

export interface FileShare {
  /** A Client Object holding the Server-Provided Files scope (§3.3.3: the Grant's `client_id`). */
  clientId: string;
  fileIds: readonly string[];
  scope: string;
  grantId?: string;
}
