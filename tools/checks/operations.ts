/**
 * Finds the OpenAPI operation an example request exercises, and the model its
 * request or response body must match. Paths are matched as templates on the
 * path part of the request target; the host is the Server's choice.
 */
import type { JsonObject } from "../codegen/contract.ts";
import { componentModelName } from "../codegen/contract.ts";

export interface OperationMatch {
  document: string;
  path: string;
  method: string;
  operationId: string;
  operation: JsonObject;
}

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];

export function findOperation(documents: Record<string, JsonObject>, method: string, target: string): OperationMatch | null {
  const pathname = new URL(target, "https://example.invalid").pathname;
  const wanted = method.toLowerCase();
  for (const [document, doc] of Object.entries(documents)) {
    for (const [template, item] of Object.entries((doc.paths ?? {}) as Record<string, JsonObject>)) {
      if (!templateRegExp(template).test(pathname)) continue;
      const operation = item[wanted];
      if (!METHODS.includes(wanted) || !operation) continue;
      const op = operation as JsonObject;
      return { document, path: template, method: wanted, operationId: String(op.operationId), operation: op };
    }
  }
  return null;
}

function templateRegExp(template: string): RegExp {
  const escaped = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith("{") ? "[^/]+" : part.replace(/[.*+?^$()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${escaped}$`);
}

/** The body model of a request, or null when the operation takes no body of that media type. */
export function requestModel(match: OperationMatch, mediaType: string): string | null {
  const body = match.operation.requestBody as JsonObject | undefined;
  return schemaModel((body?.content ?? {}) as JsonObject, mediaType);
}

/** The body model of a response with this status, falling back to the `4XX`/`5XX`/`default` entries. */
export function responseModel(match: OperationMatch, status: number, mediaType: string): string | null | undefined {
  const responses = (match.operation.responses ?? {}) as Record<string, JsonObject>;
  const response = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
  if (!response) return undefined; // the status is not declared at all
  return schemaModel((response.content ?? {}) as JsonObject, mediaType);
}

/** Marks a body the contract declares as raw bytes (any media type): there is no model to check it against. */
export const RAW_BYTES = "(raw bytes)";

function schemaModel(content: JsonObject, mediaType: string): string | null {
  const wildcard = `${mediaType.split("/")[0]}/*`;
  const media = (content[mediaType] ?? content[wildcard] ?? content["*/*"] ?? null) as JsonObject | null;
  const schema = media?.schema as JsonObject | undefined;
  if (!schema) return null;
  if (typeof schema.contentMediaType === "string" && schema.$ref === undefined) return RAW_BYTES;
  if (typeof schema.$ref !== "string") throw new Error(`inline body schema for ${mediaType}; name the model in TypeSpec`);
  return componentModelName(schema.$ref.replace("#/components/schemas/", ""));
}

/** The body model of the operation's only success response, when it has exactly one. */
export function onlySuccessModel(match: OperationMatch, mediaType: string): string | null {
  const responses = (match.operation.responses ?? {}) as Record<string, JsonObject>;
  const success = Object.keys(responses).filter((s) => /^2\d\d$/.test(s));
  if (success.length !== 1) return null;
  return schemaModel(((responses[success[0]!]!.content ?? {}) as JsonObject), mediaType);
}

/** The operation with this operationId in the given documents. */
export function findOperationById(documents: Record<string, JsonObject>, operationId: string): OperationMatch | null {
  for (const [document, doc] of Object.entries(documents)) {
    for (const [template, item] of Object.entries((doc.paths ?? {}) as Record<string, JsonObject>)) {
      for (const method of METHODS) {
        const op = item[method] as JsonObject | undefined;
        if (op?.operationId === operationId) return { document, path: template, method, operationId, operation: op };
      }
    }
  }
  return null;
}
