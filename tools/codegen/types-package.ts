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
// one name per model and the property's own documentation. Local `$defs`
// (TypeSpec emits them for `Record<T>`) are inlined.
const SCHEMA_MAPS = ["properties", "patternProperties", "dependentSchemas"];
const SCHEMA_VALUES = ["items", "additionalProperties", "unevaluatedProperties", "not", "if", "then", "else", "contains", "propertyNames"];
const SCHEMA_LISTS = ["anyOf", "oneOf", "allOf", "prefixItems"];

function prepare(schema: unknown, defs: JsonObject): unknown {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return schema;
  const source = schema as JsonObject;
  if (typeof source.$ref === "string" && source.$ref.startsWith("#/$defs/")) {
    const def = defs[source.$ref.slice("#/$defs/".length)];
    if (def === undefined) throw new Error(`unresolved $ref ${source.$ref}`);
    const { $ref: _ref, ...siblings } = source;
    return prepare({ ...(def as JsonObject), ...siblings }, defs);
  }
  if (isUntyped(source)) return { ...source, tsType: "unknown" };
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(source)) {
    if (key === "$defs") continue;
    if (key === "$ref" && typeof value === "string") {
      const name = value.replace(/\.json$/, "");
      if (!modelNames.has(name)) throw new Error(`unresolved $ref ${value}`);
      out.tsType = name;
    } else if (SCHEMA_MAPS.includes(key) && typeof value === "object" && value !== null) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, prepare(v, defs)]));
    } else if (SCHEMA_VALUES.includes(key)) {
      out[key] = prepare(value, defs);
    } else if (SCHEMA_LISTS.includes(key) && Array.isArray(value)) {
      out[key] = value.map((v) => prepare(v, defs));
    } else out[key] = value;
  }
  return out;
}

/** A schema that constrains nothing (TypeSpec `unknown`); json-schema-to-typescript would call it an object. */
const TYPING_KEYWORDS = ["type", "$ref", "tsType", "enum", "const", "anyOf", "oneOf", "allOf", "properties", "items", "additionalProperties", "unevaluatedProperties", "not", "if"];
function isUntyped(schema: JsonObject): boolean {
  return !TYPING_KEYWORDS.some((k) => k in schema);
}

/**
 * Both generators read `additionalProperties` but not `unevaluatedProperties`;
 * both get the same normalised input, so "other members allowed" becomes an
 * index signature on both sides.
 */
const RULE_KEYWORDS = ["allOf", "if", "then", "else", "not", "dependentRequired", "dependentSchemas", "contains"];

function openMembersAsAdditional(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(openMembersAsAdditional);
  if (typeof node !== "object" || node === null) return node;
  const source = node as JsonObject;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(source)) {
    if (key === "unevaluatedProperties" && typeof value === "object" && value !== null && !("additionalProperties" in source)) {
      out.additionalProperties = openMembersAsAdditional(value);
    } else if (key.startsWith("x-")) {
      // Tooling annotations (such as `x-cds-value-model`) are not part of a shape.
      continue;
    } else if (RULE_KEYWORDS.includes(key)) {
      // Cross-field rules (from `@JsonSchema.extension`) constrain values, not
      // shapes: the validators enforce them; the types carry structure only.
      continue;
    } else if (key === "contentSchema") {
      // What a JSON string decodes to (a request's `authorization_details`):
      // the member's type is still `string`; the validators check the content.
      continue;
    } else if (key === "patternProperties") {
      // A JSON-Schema-only extension (TypeSpec's OpenAPI emitter never sees
      // it): left out of the types on both sides, so members such as a
      // registration's `cds_*` fields are added by intersection where used.
      continue;
    } else out[key] = openMembersAsAdditional(value);
  }
  return out;
}

const modelSources: string[] = [];
for (const model of models) {
  const { $id: _id, $schema: _schema, ...schema } = model.schema;
  const normalized = openMembersAsAdditional(schema) as JsonObject;
  const ts = await compile(prepare(normalized, (normalized.$defs ?? {}) as JsonObject) as never, model.name, {
    bannerComment: "",
    additionalProperties: false,
    declareExternallyReferenced: false,
    format: false,
    strictIndexSignatures: false,
    unknownAny: true,
    ignoreMinAndMaxItems: true,
    customName: (_s, keyName) => keyName,
  });
  modelSources.push(ts.trim());
}
await writeFile(path.join(out, "models.ts"), `${GENERATED_BANNER}/* eslint-disable */\n\n${modelSources.join("\n\n")}\n`);

const docs = await readOpenApiDocuments();
const checks: string[] = [];
const indexLines: string[] = [`export type * from "./models.js";`];
for (const doc of docs) {
  const ast = await openapiTS(openMembersAsAdditional(doc.document) as never, { alphabetize: false, exportType: true, defaultNonNullable: false });
  await writeFile(path.join(out, "openapi", `${doc.module}.ts`), `${GENERATED_BANNER}${astToString(ast)}`);
  const ns = `${pascalCase(doc.module)}Api`;
  indexLines.push(`export type * as ${ns} from "./openapi/${doc.module}.js";`);
  const components = Object.keys(((doc.document.components as JsonObject | undefined)?.schemas ?? {}) as JsonObject);
  for (const component of components) {
    const model = componentModelName(component);
    if (!modelNames.has(model)) throw new Error(`${doc.file}: component ${component} has no JSON Schema model ${model}`);
    checks.push(`  Same<${ns}.components["schemas"][${JSON.stringify(component)}], M.${model}>, // ${doc.module}: ${component}`);
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
// Flattens intersections (openapi-typescript writes \`{...} & { [key: string]: unknown }\`
// where json-schema-to-typescript writes one interface) without hiding any
// difference in keys, optionality or property types.
type Normalize<T> = T extends object ? { [K in keyof T]: Normalize<T[K]> } : T;
export type Same<A, B> = Identical<Normalize<A>, Normalize<B>> extends true ? true : { error: "types differ"; openapi: A; jsonSchema: B };

export type Agreement = [
${checks.join("\n")}
];
type AllTrue<T extends readonly true[]> = T;
export type Checked = AllTrue<Agreement>;
`,
);
console.log(`types: ${models.length} models, ${docs.length} OpenAPI documents, ${checks.length} agreement checks`);
