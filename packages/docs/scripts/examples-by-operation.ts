/**
 * Assigns each spec example message to the operation it exercises, the same
 * way tools/checks/spec-examples.test.ts does (path template match, or the
 * operation hint where the spec's URL is not the reference path), and parses
 * its body the way the tests do, so the docs show the repaired body next to
 * the ERRATA entry that records what had to be repaired.
 */
import { contentType, parseBody } from "../../../tools/checks/examples.ts";
import { findOperation, findOperationById } from "../../../tools/checks/operations.ts";
import type { Contract, ExampleErratum, JsonObject, SpecDocument, SpecExample } from "./contract.ts";

export interface ShownMessage {
  /** `wg1-01/7-1 #2`, the key ERRATA uses. */
  key: string;
  kind: "request" | "response" | "document";
  /** `GET /path` or `200 OK`. */
  line: string;
  headers: Array<[string, string]>;
  mediaType: string | null;
  /** The body as the docs show it: pretty JSON when it parsed, else the text as printed. */
  body: string | null;
  /** The parsed (repaired) body, for the OpenAPI `examples` the reference renderer shows. */
  value: unknown;
  /** Whether the spec printed the body as something other than strict JSON. */
  repaired: boolean;
  status: number | null;
  erratum: ExampleErratum | null;
}

export interface ShownExample {
  example: SpecExample;
  messages: ShownMessage[];
}

/** operationId → the examples whose requests exercise it, in spec order. */
export function examplesByOperation(contract: Contract, spec: SpecDocument): Map<string, ShownExample[]> {
  const documents: Record<string, JsonObject> = { [spec.module]: spec.document };
  const byOperation = new Map<string, ShownExample[]>();
  for (const example of contract.examples.filter((e) => e.spec === spec.spec)) {
    let current: { operationId: string; shown: ShownExample } | null = null;
    example.messages.forEach((message, index) => {
      const key = `${example.id} #${index + 1}`;
      if (message.kind === "request") {
        const hint = contract.hints[key];
        const match = findOperation(documents, message.method, message.target) ?? (hint?.operationId ? findOperationById(documents, hint.operationId) : null);
        current = match ? { operationId: match.operationId, shown: { example, messages: [] } } : null;
        if (current) {
          const list = byOperation.get(current.operationId) ?? [];
          list.push(current.shown);
          byOperation.set(current.operationId, list);
        }
      }
      if (!current || message.kind === "document") return;
      current.shown.messages.push(show(contract, key, message));
    });
  }
  return byOperation;
}

function show(contract: Contract, key: string, message: SpecExample["messages"][number]): ShownMessage {
  const parsed = parseBody(message);
  const erratum = contract.errata.find((e) => e.message === key) ?? null;
  const base = { key, erratum, mediaType: contentType(message) };
  const body =
    parsed.kind === "none" ? null : parsed.kind === "json" || parsed.kind === "form" ? JSON.stringify(parsed.value, null, 2) : parsed.value;
  const value = parsed.kind === "none" ? null : parsed.value;
  const repaired = parsed.kind === "json" && parsed.strictJsonError !== null;
  if (message.kind === "request") {
    return { ...base, kind: "request", line: `${message.method} ${message.target}`, headers: message.headers, body, value, repaired, status: null };
  }
  if (message.kind === "response") {
    return { ...base, kind: "response", line: `${message.status} ${message.reason}`, headers: message.headers, body, value, repaired, status: message.status };
  }
  return { ...base, kind: "document", line: "", headers: [], body: message.body, value: message.body, repaired: false, status: null };
}
