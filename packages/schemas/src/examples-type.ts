import type { ModelName } from "./generated/json-schema.js";

/**
 * One body from a specification's Examples section, parsed: what a consumer
 * can feed to a test without re-reading the spec's Markdown.
 */
export interface SpecExampleFixture {
  /** `<spec folder>/<section>-<n> #<message>`; a JSON-array document's items add `/<index>`. */
  id: string;
  /** `CDS-WG1-01`, `CDS-WG1-02` or `CDS-WG3-01`. */
  spec: string;
  /** The Examples subsection, e.g. `12.1`. */
  section: string;
  heading: string;
  /** Which message of the example (from 1): request, response, or a bare document. */
  message: number;
  kind: "request" | "response" | "document";
  method?: string;
  target?: string;
  status?: number;
  /** The OpenAPI operation the message exercises, when it is an HTTP exchange. */
  operationId?: string;
  /** The model `value` is checked against. */
  model: ModelName;
  /** How the printed text was read when it was not valid JSON (empty when it was). */
  repairs: string[];
  /** The spec/ERRATA.md entries about this message. */
  errata: string[];
  /**
   * What strict validation of `value` reports (`<pointer> <rule>`), as those
   * entries record it; empty means `value` is valid for a Server to send.
   */
  findings: string[];
  /** The body as plain JSON. */
  value: unknown;
}
