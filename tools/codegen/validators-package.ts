/**
 * Builds the sources of @cds-toolkit/validators from generated/: for each mode
 * (strict, lenient) one Ajv standalone module with a validating function per
 * model, compiled now so consumers never compile schemas at run time, a typed
 * `validate<Model>` wrapper per model, and the table of Usage Segment Value
 * Types (CDS-WG3-01 §10.8.5) that `decodeUsageSegment` dispatches on.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import standaloneCode from "ajv/dist/standalone/index.js";
import addFormatsModule from "ajv-formats";
import { GENERATED_BANNER, readModelSchemas, type JsonObject } from "./contract.ts";
import { addJsonContent } from "./json-content.ts";
import { schemaForMode, type SchemaMode } from "./schema-modes.ts";
import { readValueTypeModels } from "./value-types.ts";

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
// ajv's CommonJS entry points type their export as `default`; under Node's ESM
// interop the default import is the function itself.
type Standalone = (ajv: Ajv2020, refsOrFuncs: Record<string, string>) => string;
const standalone = ((standaloneCode as unknown as { default?: Standalone }).default ?? standaloneCode) as unknown as Standalone;

const pkg = path.resolve(process.argv[2] ?? ".");
const out = path.join(pkg, "src/generated");
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });

const models = await readModelSchemas();

/** `x-…` keywords (such as `x-cds-value-model`) annotate schemas; Ajv's strict mode must know them. */
function extensionKeywords(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const item of node) extensionKeywords(item, found);
  else if (typeof node === "object" && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith("x-")) found.add(key);
      extensionKeywords(value, found);
    }
  }
  return found;
}

for (const mode of ["strict", "lenient"] as const satisfies SchemaMode[]) {
  const ajv = new Ajv2020({
    schemas: models.map((m) => schemaForMode(m.schema, mode) as JsonObject),
    allErrors: true,
    strict: true,
    // `required` inside if/then and anyOf names fields declared by the parent schema.
    strictRequired: false,
    // Declared `cds_*` fields also match the `^cds_` pattern of registration extras.
    allowMatchingProperties: true,
    discriminator: true,
    code: { source: true, esm: true, lines: false },
  });
  addFormats(ajv);
  // Check what JSON strings hold (token and authorization requests' `authorization_details`).
  addJsonContent(ajv);
  for (const keyword of extensionKeywords(models.map((m) => schemaForMode(m.schema, mode)))) ajv.addKeyword({ keyword });
  const exports = Object.fromEntries(models.map((m) => [m.name, m.file]));
  const code = standalone(ajv, exports);
  // Ajv's standalone ESM output still loads its runtime helpers and formats
  // with require(); give the module one that resolves from this package.
  await writeFile(
    path.join(out, `${mode}.ts`),
    `${GENERATED_BANNER}// @ts-nocheck\n/* eslint-disable */\nimport { createRequire } from "node:module";\nconst require = createRequire(import.meta.url);\n${code}\n`,
  );
}

const lines = models.map((m) => {
  const doc = typeof m.schema.description === "string" ? m.schema.description.split("\n").join("\n * ") : m.name;
  return `/**
 * Validates a {@link M.${m.name}}: ${doc}
 *
 * Strict mode (the default, for Servers) rejects fields and enumeration values
 * the specs do not define; lenient mode (for Clients) accepts them.
 */
export function validate${m.name}(value: unknown, mode?: "strict"): ValidationResult<M.${m.name}>;
export function validate${m.name}(value: unknown, mode: "lenient"): ValidationResult<Lenient<M.${m.name}>>;
export function validate${m.name}(value: unknown, mode: Mode): ValidationResult<M.${m.name} | Lenient<M.${m.name}>>;
export function validate${m.name}(value: unknown, mode: Mode = "strict"): ValidationResult<M.${m.name} | Lenient<M.${m.name}>> {
  return run(mode === "strict" ? strict.${m.name} : lenient.${m.name}, value);
}`;
});

await writeFile(
  path.join(out, "validators.ts"),
  `${GENERATED_BANNER}import type * as M from "@cds-toolkit/types";
import type { ModelName } from "@cds-toolkit/schemas";
import * as strict from "./strict.js";
import * as lenient from "./lenient.js";
import { run, type CompiledValidator, type Lenient, type Mode, type ValidationResult } from "../result.js";

/** The compiled validating function of every model, per mode, for generic use. */
export const compiledValidators: Readonly<Record<Mode, Readonly<Record<ModelName, CompiledValidator>>>> = {
  strict: strict as unknown as Record<ModelName, CompiledValidator>,
  lenient: lenient as unknown as Record<ModelName, CompiledValidator>,
};

${lines.join("\n\n")}
`,
);
console.log(`validators: ${models.length} models x 2 modes`);

// CDS-WG3-01 §10.8.5: each Value Type with its format and value models, read
// from the ValueFormat union and the x-cds-value-model of its variants.
const valueTypes = readValueTypeModels(models, "ValueFormat");
await writeFile(
  path.join(out, "value-types.ts"),
  `${GENERATED_BANNER}import type * as M from "@cds-toolkit/types";

/**
 * Each Value Type that CDS-WG3-01 §10.8.5 defines, with the model of its Value
 * Format and the model of the Value Objects in its column of every Value Set.
 */
export const valueTypeModels = {
${valueTypes.map((t) => `  ${JSON.stringify(t.type)}: { format: ${JSON.stringify(t.format)}, value: ${JSON.stringify(t.value)} },`).join("\n")}
} as const;

/** The TypeScript types of {@link valueTypeModels}: for each Value Type, its format and value object types. */
export interface ValueTypeModelTypes {
${valueTypes.map((t) => `  ${JSON.stringify(t.type)}: { format: M.${t.format}; value: M.${t.value} };`).join("\n")}
}
`,
);
console.log(`validators: ${valueTypes.length} usage segment value types`);
