/**
 * The spec documents examples are extracted from, with the upstream revision
 * recorded in every example file (see shared/reference/README.md).
 */
export interface SpecSource {
  /** Folder under spec/examples/ and prefix of example ids. */
  folder: string;
  spec: string;
  document: string;
  revision: string;
  /** The OpenAPI module (generated/openapi) whose operations this spec's examples exercise. */
  openapi: string;
}

export const SPEC_SOURCES: SpecSource[] = [
  { folder: "wg1-01", spec: "CDS-WG1-01", document: "cds-wg1-01.md", revision: "lfe-cds/CDS-Registration@dccbb29", openapi: "server-metadata" },
  { folder: "wg1-02", spec: "CDS-WG1-02", document: "cds-wg1-02.md", revision: "lfe-cds/CDS-Registration@dccbb29", openapi: "client-registration" },
  { folder: "wg3-01", spec: "CDS-WG3-01", document: "cds-wg3-01-dev.md", revision: "lfe-cds/CDS-Customer-Data@5bd11ad", openapi: "customer-data" },
];
