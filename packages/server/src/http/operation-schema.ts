/**
 * Request schemas for Fastify, read from the contract's OpenAPI documents, so
 * a parameter the contract adds or changes is validated without code changes.
 */
import { openapiDocuments, type OpenApiModule } from "@cds-toolkit/schemas";

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  style?: string;
  schema?: Record<string, unknown>;
}

interface Operation {
  operationId?: string;
  parameters?: Parameter[];
}

export interface QuerystringSchema {
  type: "object";
  properties: Record<string, unknown>;
  required: string[];
}

/**
 * The query parameters of one operation as a JSON Schema object, plus the
 * server's own parameters (`extra`), which the contract leaves to each Server
 * (such as page cursors, which Clients only ever follow as links).
 */
export function querystringSchema(module: OpenApiModule, operationId: string, extra: Record<string, unknown> = {}): QuerystringSchema {
  const operation = findOperation(module, operationId);
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const p of operation.parameters ?? []) {
    if (p.in !== "query") continue;
    // A spaceDelimited list arrives as one string (`a%20b`); the handlers split it,
    // so Fastify must not coerce it into a one-item array.
    properties[p.name] = p.style === "spaceDelimited" && p.schema?.type === "array" ? { type: "string" } : (p.schema ?? {});
    if (p.required) required.push(p.name);
  }
  return { type: "object", properties: { ...properties, ...extra }, required };
}

function findOperation(module: OpenApiModule, operationId: string): Operation {
  const document = openapiDocuments[module] as { paths?: Record<string, Record<string, Operation>> };
  for (const item of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(item)) {
      if (operation.operationId === operationId) return operation;
    }
  }
  throw new Error(`the contract has no operation ${operationId} in ${module}`);
}
