/**
 * The operations the fuzzer drives: every operation of the three generated
 * OpenAPI documents (CDS-WG1-01 Server Metadata, CDS-WG1-02 Client
 * Registration, CDS-WG3-01 Customer Data), once each. The reference server
 * is a CDS-WG3-01 Server, so each is checked against the Customer Data
 * document (which repeats and extends every CDS-WG1-02 and CDS-WG1-01
 * operation) with the server's overlay applied: the contract the server
 * answers to (helpers/contract.ts).
 */
import { openapiDocuments, type OpenApiModule } from "@cds-toolkit/schemas";
import { mergedContract } from "../helpers/contract.ts";
import type { Schema } from "./schema-arbitrary.ts";

export const contract = mergedContract("customer-data", ["client-registration", "server-metadata"]);

export interface Parameter {
  name: string;
  in: "query" | "path" | "header";
  required: boolean;
  schema: Schema;
}

export interface Operation {
  /** `operationId`. */
  id: string;
  method: string;
  template: string;
  parameters: Parameter[];
  body?: { mediaType: string; schema: Schema; required: boolean };
  /** Each alternative is a list of scheme names that must all be met; `[]` is "no authentication". */
  security: { scheme: string; scopes: string[] }[][];
  /** The documents that define it. */
  documents: OpenApiModule[];
}

function resolveParameter(parameter: Schema): Parameter {
  const resolved = parameter.$ref ? contract.components.parameters[String(parameter.$ref).split("/").pop()!] : parameter;
  return { name: resolved.name, in: resolved.in, required: resolved.required ?? false, schema: resolved.schema ?? {} };
}

function operationsOf(module: OpenApiModule): { method: string; template: string }[] {
  const doc = openapiDocuments[module] as unknown as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([template, item]) => Object.keys(item).filter((m) => m !== "parameters").map((method) => ({ method: method.toUpperCase(), template })));
}

const modules = Object.keys(openapiDocuments) as OpenApiModule[];

export const operations: Operation[] = (() => {
  const byKey = new Map<string, Operation>();
  for (const module of modules) {
    for (const { method, template } of operationsOf(module)) {
      const key = `${method} ${template}`;
      const known = byKey.get(key);
      if (known) {
        known.documents.push(module);
        continue;
      }
      const op = contract.paths[template]?.[method.toLowerCase()];
      if (!op) throw new Error(`${key} (${module}) is not in the merged contract`);
      const [mediaType, media] = Object.entries((op.requestBody?.content ?? {}) as Record<string, { schema: Schema }>)[0] ?? [];
      byKey.set(key, {
        id: op.operationId,
        method,
        template,
        parameters: [...(contract.paths[template].parameters ?? []), ...(op.parameters ?? [])].map(resolveParameter),
        ...(mediaType && media ? { body: { mediaType, schema: media.schema, required: op.requestBody.required ?? false } } : {}),
        security: ((op.security ?? contract.security ?? [{}]) as Record<string, string[]>[]).map((alternative) => Object.entries(alternative).map(([scheme, scopes]) => ({ scheme, scopes }))),
        documents: [module],
      });
    }
  }
  return [...byKey.values()];
})();
