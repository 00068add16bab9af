/**
 * Derives the two validation modes from the emitted (open) JSON Schemas.
 *
 * The CDS specs make object fields and enumerations open for Clients: a Client
 * MUST ignore fields and enumerated strings it does not know (CDS-WG1-01 §6,
 * CDS-WG3-01 §11). A Server, on the other hand, must only produce what the
 * specs define. So:
 *  - strict: every object schema rejects properties it does not declare;
 *  - lenient: every string enumeration also accepts unknown strings (the known
 *    values stay in the schema as `examples`, for documentation).
 *
 * Discriminated unions are the third case. A union that carries the OpenAPI
 * `discriminator` keyword next to `oneOf` (such as `ValueFormat`, whose
 * variants are told apart by `type`, CDS-WG3-01 §10.8.5) is an enumeration of
 * object shapes: its discriminator values are an open list, but each known
 * value fixes the shape of the whole object. Its variants spell their
 * discriminator as a `const`, which opening enumerations does not touch, so
 * the union needs its own rule:
 *  - strict: only the variants' discriminator values are accepted, and an
 *    object is checked against the one variant its value names (Ajv's
 *    `discriminator`), so errors come from that variant alone;
 *  - lenient: an object whose discriminator value is one of the variants' is
 *    still checked against that variant; any other value is checked against
 *    the union's `x-cds-unknown-variant` schema (by default: an object with a
 *    string discriminator), which is how Clients accept and then ignore types
 *    defined by Servers or extensions.
 */
import type { JsonObject } from "./contract.ts";

export type SchemaMode = "strict" | "lenient";

/** The keyword naming the schema that lenient mode applies to unknown discriminator values. */
export const UNKNOWN_VARIANT = "x-cds-unknown-variant";

export function schemaForMode(schema: JsonObject, mode: SchemaMode): JsonObject {
  return mode === "strict" ? closeObjects(schema) : openEnumerations(schema);
}

function closeObjects(node: unknown): any {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) out[key] = closeObjects(value);
  if (out.type === "object" && isObject(out.properties)) {
    if (Array.isArray(out.allOf) && out.allOf.some((s) => isObject(s) && "$ref" in s)) {
      // unevaluatedProperties on a base schema would reject the fields of the
      // model that extends it; models must spread (`...Base`) instead.
      throw new Error(`schema ${String(node.$id ?? "")}: composes a base model with allOf; use a spread so strict mode can close it`);
    }
    if (!("unevaluatedProperties" in out) && !("additionalProperties" in out)) out.unevaluatedProperties = false;
  }
  return discriminatedUnion(out) ? strictUnion(out) : out;
}

/**
 * Keywords whose subschema is a condition, not a constraint: `if: {type: {enum:
 * [a, b]}}` selects the values a and b, and opening it would select every
 * string, so a `then` meant for a and b would bind every value (a Message of
 * any type would need `updates_requested`). `not` likewise: opened, `not: {enum}`
 * would refuse every string. Conditions keep their enumerations as written.
 */
const CONDITIONS = new Set(["if", "not"]);

function openEnumerations(node: unknown): any {
  if (Array.isArray(node)) return node.map(openEnumerations);
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) out[key] = CONDITIONS.has(key) ? value : openEnumerations(value);
  if (Array.isArray(out.enum) && out.enum.every((v) => typeof v === "string")) {
    out.examples = out.enum;
    delete out.enum;
    out.type = "string";
  }
  const union = discriminatedUnion(out);
  return union ? lenientUnion(out, union) : out;
}

interface DiscriminatedUnion {
  propertyName: string;
  variants: unknown[];
}

/** `oneOf` plus `discriminator: { propertyName }`; anything else that uses `discriminator` is refused. */
function discriminatedUnion(node: JsonObject): DiscriminatedUnion | null {
  if (!("discriminator" in node) && !(UNKNOWN_VARIANT in node)) return null;
  const id = String(node.$id ?? "");
  const discriminator = node.discriminator;
  if (!isObject(discriminator) || typeof discriminator.propertyName !== "string") {
    throw new Error(`schema ${id}: ${UNKNOWN_VARIANT} needs a discriminator with a propertyName`);
  }
  if ("mapping" in discriminator) throw new Error(`schema ${id}: discriminator mappings are not supported; each variant states its value as a const`);
  if (!Array.isArray(node.oneOf) || node.oneOf.length === 0) throw new Error(`schema ${id}: a discriminator needs the variants in oneOf`);
  return { propertyName: discriminator.propertyName, variants: node.oneOf };
}

function strictUnion(node: JsonObject): JsonObject {
  const { [UNKNOWN_VARIANT]: _unknown, ...rest } = node;
  // Ajv's discriminator only applies to objects; strictTypes wants that said.
  return { ...rest, type: "object" };
}

function lenientUnion(node: JsonObject, union: DiscriminatedUnion): JsonObject {
  const { [UNKNOWN_VARIANT]: unknownVariant, oneOf, discriminator, ...rest } = node;
  const tag = union.propertyName;
  // The values the variants define, read from the variants themselves: a
  // pointer into a referenced variant, or the inline variant's own schema.
  const known = union.variants.map((variant) => {
    if (isObject(variant) && typeof variant.$ref === "string") return { $ref: `${variant.$ref}#/properties/${escapePointer(tag)}` };
    const inline = isObject(variant) && isObject(variant.properties) ? variant.properties[tag] : undefined;
    if (!isObject(inline)) throw new Error(`schema ${String(node.$id ?? "")}: a variant of the union does not declare ${tag}`);
    return inline;
  });
  return {
    ...rest,
    type: "object",
    if: { required: [tag], properties: { [tag]: { anyOf: known } } },
    then: { oneOf, discriminator },
    else: unknownVariant ?? { required: [tag], properties: { [tag]: { type: "string" } } },
  };
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
