/**
 * Builds the sources of @cds-toolkit/schemas from generated/: the JSON Schema
 * set (as emitted, and in strict and lenient form) and the OpenAPI documents,
 * as plain ES modules (no JSON import attributes, so Node 20 consumers work),
 * plus copies of the raw files for tools that want paths.
 */
import { cp, mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { GENERATED_BANNER, generatedDir, readModelSchemas, readOpenApiDocuments } from "./contract.ts";
import { exampleFixtures } from "./example-fixtures.ts";
import { schemaForMode } from "./schema-modes.ts";

const pkg = path.resolve(process.argv[2] ?? ".");
const out = path.join(pkg, "src/generated");
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });

const models = await readModelSchemas();
const docs = await readOpenApiDocuments();

const names = models.map((m) => JSON.stringify(m.name)).join(" | ");
const table = (pick: (m: (typeof models)[number]) => unknown) =>
  `{\n${models.map((m) => `  ${JSON.stringify(m.name)}: ${JSON.stringify(pick(m))},`).join("\n")}\n}`;

await writeFile(
  path.join(out, "json-schema.ts"),
  `${GENERATED_BANNER}import type { JsonSchema } from "../json-schema-type.js";

/** Name of every model in the CDS JSON Schema set; each is the \`$id\` \`<name>.json\`. */
export type ModelName = ${names};

export const modelNames: readonly ModelName[] = ${JSON.stringify(models.map((m) => m.name))};

/** The JSON Schema 2020-12 documents exactly as emitted from the TypeSpec models. */
export const jsonSchemas: Readonly<Record<ModelName, JsonSchema>> = ${table((m) => m.schema)};

/** Server mode: objects reject fields the specs do not define (see README). */
export const strictJsonSchemas: Readonly<Record<ModelName, JsonSchema>> = ${table((m) => schemaForMode(m.schema, "strict"))};

/** Client mode: unknown enumeration values are accepted, as the specs require of Clients. */
export const lenientJsonSchemas: Readonly<Record<ModelName, JsonSchema>> = ${table((m) => schemaForMode(m.schema, "lenient"))};
`,
);

await writeFile(
  path.join(out, "openapi.ts"),
  `${GENERATED_BANNER}import type { OpenApiDocument } from "../json-schema-type.js";

/** The OpenAPI 3.1 document of each CDS specification, keyed by module name. */
export const openapiDocuments = {
${docs.map((d) => `  ${JSON.stringify(d.module)}: ${JSON.stringify(d.document)} as OpenApiDocument,`).join("\n")}
} as const;

export type OpenApiModule = keyof typeof openapiDocuments;
`,
);

const fixtures = await exampleFixtures(Object.fromEntries(docs.map((d) => [d.module, d.document])));
await writeFile(
  path.join(out, "examples.ts"),
  `${GENERATED_BANNER}import type { SpecExampleFixture } from "../examples-type.js";

/** Every spec example body that has a model, parsed; see SpecExampleFixture. */
export const specExamples: readonly SpecExampleFixture[] = ${JSON.stringify(fixtures, null, 1)};
`,
);

await rm(path.join(pkg, "dist/json-schema"), { recursive: true, force: true });
await rm(path.join(pkg, "dist/openapi"), { recursive: true, force: true });
await cp(path.join(generatedDir, "json-schema"), path.join(pkg, "dist/json-schema"), { recursive: true });
await cp(path.join(generatedDir, "openapi"), path.join(pkg, "dist/openapi"), { recursive: true });
console.log(`schemas: ${models.length} models, ${docs.length} OpenAPI documents, ${fixtures.length} example fixtures`);
