/**
 * The spec documents the MUST catalogue is extracted from, and where each
 * catalogue is written. The revisions match shared/reference/README.md and
 * tools/examples/sources.ts.
 */
import type { FindOptions } from "./statements.ts";

export interface MustSource {
  /** Id prefix, e.g. "WG1-01" in "WG1-01-4.2-1". */
  short: string;
  spec: string;
  document: string;
  revision: string;
  /** File name under packages/conformance/musts/ and tools/musts/summaries/ (without extension). */
  slug: string;
  headingFixes?: FindOptions["headingFixes"];
  /**
   * Statements without a summary are catalogued as "pending" (placeholder
   * summary, provisional verdict by section and subject) instead of failing
   * the extraction. Only for a catalogue still being summarised; the check
   * test and the docs page count and show them as such.
   */
  allowPending?: boolean;
  /** Section → the object its field list describes, where the heading is ambiguous across specs. */
  objectNames?: Record<string, string>;
}

export const MUST_SOURCES: MustSource[] = [
  { short: "WG1-01", spec: "CDS-WG1-01", document: "specs/cds-wg1-01.md", revision: "lfe-cds/CDS-Registration@dccbb29", slug: "wg1-01" },
  { short: "WG1-02", spec: "CDS-WG1-02", document: "specs/cds-wg1-02.md", revision: "lfe-cds/CDS-Registration@dccbb29", slug: "wg1-02", objectNames: { "3.2": "Authorization Server Metadata" } },
  {
    short: "WG3-01",
    spec: "CDS-WG3-01",
    document: "specs/cds-wg3-01-dev.md",
    revision: "lfe-cds/CDS-Customer-Data@5bd11ad",
    slug: "wg3-01",
    // E-WG3-01-450: the Water Usage value-format heading repeats the Supply Mix number.
    headingFixes: {
      "10.8.5.3.1 Water Usage Value Format Objects": { section: "10.8.5.4.1", heading: "Water Usage Value Format Objects" },
    },
  },
];
