/**
 * Builds the sources of @cds-toolkit/types from generated/:
 *  - models.ts: one TypeScript type per JSON Schema model (json-schema-to-typescript);
 *  - openapi/<spec>.ts: the HTTP surface of each OpenAPI document (openapi-typescript);
 *  - agreement.check.ts: a type-level assertion, per model, that both generators
 *    produced the same type; the package build type-checks it, so a divergence
 *    fails the build.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { compile } from "json-schema-to-typescript";
import openapiTS, { astToString } from "openapi-typescript";
import {
  GENERATED_BANNER,
  componentModelName,
  pascalCase,
  readModelSchemas,
  readOpenApiDocuments,
  type JsonObject,
} from "./contract.ts";

const pkg = path.resolve(process.argv[2] ?? ".");
const out = path.join(pkg, "src/generated");
await rm(out, { recursive: true, force: true });
await mkdir(path.join(out, "openapi"), { recursive: true });

const models = await readModelSchemas();
const modelNames = new Set(models.map((m) => m.name));

// json-schema-to-typescript numbers a type each time a `$ref` is merged with a
// sibling `description`; naming the referenced model through `tsType` keeps
// one name per model and the property's own documentation.
function refsToNames(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(refsToNames);
  if (typeof node !== "object" || node === null) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "$ref" && typeof value === "string") {
      const name = value.replace(/\.json$/, "");
      if (!modelNames.has(name)) throw new Error(`unresolved $ref ${value}`);
      out.tsType = name;
    } else out[key] = refsToNames(value);
  }
  return out;
}

// TypeSpec emits a record (`Record<T>`, such as a model of arbitrary fields)
// as `unevaluatedProperties: T`, the JSON Schema 2020-12 / OpenAPI 3.1 form,
// which neither type generator reads: both would type it as an empty object.
// For typing only, read it as the equivalent `additionalProperties`.
function recordsAsAdditionalProperties(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(recordsAsAdditionalProperties);
  if (typeof node !== "object" || node === null) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) out[key] = recordsAsAdditionalProperties(value);
  if ("unevaluatedProperties" in out && !("additionalProperties" in out)) {
    out.additionalProperties = out.unevaluatedProperties;
    delete out.unevaluatedProperties;
  }
  return out;
}

const modelSources: string[] = [];
for (const model of models) {
  const { $id: _id, $schema: _schema, ...schema } = model.schema;
  const ts = await compile(refsToNames(recordsAsAdditionalProperties(schema)) as never, model.name, {
    bannerComment: "",
    additionalProperties: false,
    declareExternallyReferenced: false,
    format: false,
    strictIndexSignatures: true,
    unknownAny: true,
    customName: (_s, keyName) => keyName,
  });
  modelSources.push(ts.trim());
}
await writeFile(path.join(out, "models.ts"), `${GENERATED_BANNER}/* eslint-disable */\n\n${modelSources.join("\n\n")}\n`);

const docs = await readOpenApiDocuments();
const checks: string[] = [];
const indexLines: string[] = [`export type * from "./models.js";`];
for (const doc of docs) {
  const ast = await openapiTS(recordsAsAdditionalProperties(doc.document) as never, { alphabetize: false, exportType: true, defaultNonNullable: false });
  await writeFile(path.join(out, "openapi", `${doc.module}.ts`), `${GENERATED_BANNER}${astToString(ast)}`);
  const ns = `${pascalCase(doc.module)}Api`;
  indexLines.push(`export type * as ${ns} from "./openapi/${doc.module}.js";`);
  const components = Object.keys(((doc.document.components as JsonObject | undefined)?.schemas ?? {}) as JsonObject);
  for (const component of components) {
    const model = componentModelName(component);
    if (!modelNames.has(model)) throw new Error(`${doc.file}: component ${component} has no JSON Schema model ${model}`);
    checks.push(`  Same<${ns}.components["schemas"][${JSON.stringify(component)}], M.${model}>,`);
  }
}
await writeFile(path.join(out, "index.ts"), `${GENERATED_BANNER}${indexLines.join("\n")}\n`);
await writeFile(
  path.join(out, "agreement.check.ts"),
  `${GENERATED_BANNER}// Each line fails to compile when openapi-typescript and json-schema-to-typescript
// disagree about a model. Never imported at run time.
import type * as M from "./models.js";
${docs.map((d) => `import type * as ${pascalCase(d.module)}Api from "./openapi/${d.module}.js";`).join("\n")}

type Identical<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Same<A, B> = Identical<A, B> extends true ? true : { error: "types differ"; openapi: A; jsonSchema: B };

export type Agreement = [
${checks.join("\n")}
];
type AllTrue<T extends readonly true[]> = T;
export type Checked = AllTrue<Agreement>;
`,
);
console.log(`types: ${models.length} models, ${docs.length} OpenAPI documents, ${checks.length} agreement checks`);
