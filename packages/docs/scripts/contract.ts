/**
 * Reads the contract the docs are generated from: the OpenAPI documents and
 * JSON Schemas in generated/, the spec examples and spec/ERRATA.md. Parsing of
 * examples and errata is the same code the example tests use (tools/checks),
 * so the docs show exactly the bodies the tests validate.
 */
import { readModelSchemas, readOpenApiDocuments, type JsonObject, type ModelSchema } from "../../../tools/codegen/contract.ts";
import { loadExamples, loadOperationHints, type ExampleHint } from "../../../tools/checks/examples.ts";
import { readExampleErrata, type ExampleErratum } from "../../../tools/checks/errata.ts";
import { SPEC_SOURCES } from "../../../tools/examples/sources.ts";
import type { SpecExample } from "../../../tools/examples/model.ts";

export type { JsonObject, ModelSchema, SpecExample, ExampleErratum, ExampleHint };

/** One specification as the docs present it. */
export interface SpecDocument {
  /** `CDS-WG3-01` */
  spec: string;
  /** URL slug and file name: `cds-wg3-01`. */
  slug: string;
  /** Folder of its examples under spec/examples/: `wg3-01`. */
  folder: string;
  /** Module name in @cds-toolkit/schemas: `customer-data`. */
  module: string;
  /** File in generated/openapi/. */
  file: string;
  title: string;
  document: JsonObject;
}

export interface Contract {
  specs: SpecDocument[];
  models: ModelSchema[];
  examples: SpecExample[];
  errata: ExampleErratum[];
  hints: Record<string, ExampleHint>;
}

export async function readContract(): Promise<Contract> {
  const documents = await readOpenApiDocuments();
  const specs = SPEC_SOURCES.map((source): SpecDocument => {
    const doc = documents.find((d) => d.module === source.openapi);
    if (!doc) throw new Error(`no generated/openapi document for ${source.spec} (${source.openapi})`);
    const info = (doc.document.info ?? {}) as JsonObject;
    return {
      spec: source.spec,
      slug: source.spec.toLowerCase(),
      folder: source.folder,
      module: source.openapi,
      file: doc.file,
      title: String(info.title ?? source.spec),
      document: doc.document,
    };
  });
  return {
    specs,
    models: await readModelSchemas(),
    examples: await loadExamples(),
    errata: await readExampleErrata(),
    hints: await loadOperationHints(),
  };
}

export const HTTP_METHODS = ["get", "put", "post", "delete", "patch"] as const;

export interface Operation {
  spec: SpecDocument;
  operationId: string;
  method: string;
  path: string;
  operation: JsonObject;
}

export function operationsOf(spec: SpecDocument): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries((spec.document.paths ?? {}) as Record<string, JsonObject>)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method] as JsonObject | undefined;
      if (operation) out.push({ spec, operationId: String(operation.operationId), method, path, operation });
    }
  }
  return out;
}
