/**
 * The shape of an extracted spec example as committed under spec/examples/.
 * Bodies are kept exactly as the spec prints them, so syntax defects in the
 * spec (trailing commas, duplicate keys) stay visible to the tests.
 */
export type Header = [name: string, value: string];

export interface RequestMessage {
  kind: "request";
  method: string;
  target: string;
  headers: Header[];
  body: string | null;
}

export interface ResponseMessage {
  kind: "response";
  status: number;
  reason: string;
  headers: Header[];
  body: string | null;
}

/** A block that is not an HTTP exchange, such as a bare URL or JSON document. */
export interface DocumentMessage {
  kind: "document";
  body: string;
}

export type ExampleMessage = RequestMessage | ResponseMessage | DocumentMessage;

export interface SpecExample {
  /** `<spec folder>/<section>-<n>`: the n-th code block of that Examples subsection. */
  id: string;
  spec: string;
  section: string;
  heading: string;
  anchor: string | null;
  source: { document: string; revision: string; lines: [number, number] };
  messages: ExampleMessage[];
}
