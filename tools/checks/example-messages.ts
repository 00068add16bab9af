/**
 * What one message of a spec example is, before any validation: the operation
 * it exercises, the model its body must match, and the body as JSON values.
 * The spec-examples check validates these; the schemas package's
 * `examples` export ships them (tools/codegen/example-fixtures.ts).
 */
import type { JsonObject } from "../codegen/contract.ts";
import type { SpecExample } from "../examples/model.ts";
import { SPEC_SOURCES } from "../examples/sources.ts";
import { contentType, parseBody, readDocument, type ExampleHint, type ParsedBody } from "./examples.ts";
import { findOperation, findOperationById, onlySuccessModel, RAW_BYTES, requestModel, responseModel, type OperationMatch } from "./operations.ts";

export interface ResolvedMessage {
  /** Findings that need no schema: syntax, an unknown operation or status. */
  findings: string[];
  match: OperationMatch | null;
  /** The model to validate `values` against; absent when there is nothing to validate. */
  model?: string;
  /** `[pointer prefix, value]` pairs: one for a body, one per item of a JSON-array document. */
  values: Array<[string, unknown]>;
  body?: ParsedBody;
}

const sources = new Map(SPEC_SOURCES.map((s) => [s.spec, s]));

/** A spec's examples run against that spec's own OpenAPI document: the full surface of a Server implementing it. */
export function documentsFor(example: SpecExample, documents: Record<string, JsonObject>): Record<string, JsonObject> {
  const module = sources.get(example.spec)?.openapi;
  const document = module ? documents[module] : undefined;
  return document ? { [module!]: document } : {};
}

export function resolveMessage(
  example: SpecExample,
  index: number,
  lastRequest: OperationMatch | null,
  hints: Record<string, ExampleHint>,
  documents: Record<string, JsonObject>,
): ResolvedMessage {
  const message = example.messages[index]!;
  const findings: string[] = [];
  const hint = hints[`${example.id} #${index + 1}`];
  if (message.kind === "document") {
    if (!hint?.documentModel || !hint.documentKind) return { findings: ["not-http"], match: null, values: [] };
    return { findings, match: null, model: hint.documentModel, values: readDocument(message.body, hint.documentKind) };
  }

  const own = documentsFor(example, documents);
  let match = message.kind === "request" ? findOperation(own, message.method, message.target) : lastRequest;
  if (message.kind === "request" && hint?.operationId) {
    // A hint is for URLs no reference path matches; one that is no longer needed is stale.
    if (match) return { findings: ["stale-operation-hint"], match, values: [] };
    match = findOperationById(own, hint.operationId);
    if (!match) return { findings: [`unknown-operation ${hint.operationId}`], match, values: [] };
  }
  if (!match) return { findings: [message.kind === "request" ? "no-operation" : "no-request"], match, values: [] };

  const body = parseBody(message);
  if (body.kind === "json" && body.strictJsonError) findings.push("json-syntax");
  const mediaType = contentType(message) ?? (body.kind === "json" ? "application/json" : body.kind === "form" ? "application/x-www-form-urlencoded" : "");
  let model: string | null | undefined;
  if (message.kind === "request") model = body.kind === "none" ? null : requestModel(match, mediaType);
  else {
    model = responseModel(match, message.status, mediaType);
    if (model === undefined) {
      findings.push(`status-${message.status}-undeclared`);
      // Still check the body against the one success response the operation declares.
      if (message.status < 300) model = onlySuccessModel(match, mediaType) ?? undefined;
    }
  }
  if (body.kind !== "none" && !model) {
    if (model !== undefined) findings.push(`no-body-schema ${mediaType}`);
    return { findings, match, values: [], body };
  }
  if (body.kind === "none" || !model || model === RAW_BYTES) return { findings, match, values: [], body };
  return { findings, match, model, values: [["", body.value]], body };
}
