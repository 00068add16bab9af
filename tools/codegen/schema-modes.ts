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
 *
 * Where a subschema stands decides how it is rewritten (its polarity). Each
 * mode is a promise about the whole schema: strict accepts no more than the
 * emitted schema, lenient accepts no less, so for every value
 * `strict accepts ⇒ emitted accepts ⇒ lenient accepts`. A rewrite keeps that
 * promise only if each subschema is moved in the direction its position
 * passes on to the whole:
 *  - asserting positions (the schema itself, `properties`, `items`, `allOf`,
 *    `anyOf`, `then`, `else`, `dependentSchemas`, `contentSchema` (our
 *    validators decode and check it, see json-content.ts), …) are rewritten in the
 *    mode's own direction: tightened for strict, loosened for lenient;
 *  - a subschema under `not` is rewritten in the opposite direction (a
 *    looser `not` subschema makes the `not` stricter, and the other way
 *    round), so inside a `not` strict opens enumerations and lenient closes
 *    objects;
 *  - selecting positions keep the emitted meaning exactly, in both modes:
 *    an `if` condition decides which of `then`/`else` applies, and loosening
 *    or tightening it would apply a branch to objects the spec does not mean
 *    (an opened enumeration in an `if` matches every string, so its `then`
 *    would bind every object). Everything under a selecting position is left
 *    as emitted.
 * A `$ref` in a negated or selecting position would point at a schema
 * rewritten for asserting use; the rewrite refuses it (no emitted schema has
 * one) rather than silently breaking the promise. A `oneOf` is only accepted
 * as a discriminated union: loosening or tightening the branches of a plain
 * `oneOf` moves it in no predictable direction.
 *
 * Server rules. Some rules bind only what a Server produces, and the specs'
 * own examples break them (CDS-WG3-01 §5.2: every choice of
 * `include_usage_segment_value_types` names its `usagesegment_format`, yet the
 * §13.1.1 example metadata has one without). A Client refusing such a document
 * would refuse a Server it can work with. A subschema marked with
 * `x-cds-server-rule` (its value says why, usually a section) asserts in the
 * emitted schema and in strict mode, and is replaced by the empty schema in
 * lenient mode; loosening an asserting position to "anything" keeps
 * `emitted ⇒ lenient`. The marker is refused under `not` and `if`, where
 * dropping the rule would move the whole schema the wrong way or change what
 * a condition selects.
 */
import type { JsonObject } from "./contract.ts";

export type SchemaMode = "strict" | "lenient";

/** The keyword naming the schema that lenient mode applies to unknown discriminator values. */
export const UNKNOWN_VARIANT = "x-cds-unknown-variant";

/** The annotation marking a subschema as a rule only Servers are held to (asserted in strict, dropped in lenient). */
export const SERVER_RULE = "x-cds-server-rule";

/** Options for tests: `positions: false` rewrites every subschema in the mode's direction, as the first version of this module did. */
export interface ModeOptions {
  positions?: boolean;
}

export function schemaForMode(schema: JsonObject, mode: SchemaMode, options: ModeOptions = {}): JsonObject {
  if (options.positions === false) return rewriteIgnoringPositions(schema, mode, String(schema.$id ?? ""));
  return rewrite(schema, mode, String(schema.$id ?? ""));
}

/** A position's effect: a mode's own direction, or the emitted meaning kept exactly. */
type Direction = SchemaMode | "exact";

const OPPOSITE: Record<Direction, Direction> = { strict: "lenient", lenient: "strict", exact: "exact" };

/** Keywords whose value is one subschema in an asserting position. */
// `contentSchema` asserts in our validators: they decode the string and check the
// decoded value against it (tools/codegen/json-content.ts).
const SUBSCHEMA = new Set(["additionalProperties", "items", "contains", "unevaluatedProperties", "unevaluatedItems", "propertyNames", "then", "else", "contentSchema", UNKNOWN_VARIANT]);
/** Keywords whose value is a list of subschemas in asserting positions. */
const SUBSCHEMA_LIST = new Set(["allOf", "anyOf", "oneOf", "prefixItems"]);
/** Keywords whose value maps names to subschemas in asserting positions. */
const SUBSCHEMA_MAP = new Set(["properties", "patternProperties", "dependentSchemas", "$defs"]);

function rewrite(node: unknown, direction: Direction, id: string, home: SchemaMode = direction as SchemaMode): any {
  if (!isObject(node)) return node;
  if (SERVER_RULE in node) {
    if (direction !== home) throw new Error(`schema ${id}: ${SERVER_RULE} under a not or an if; a Server rule must sit in an asserting position`);
    if (direction === "lenient") return {};
  }
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "not") out[key] = rewrite(value, OPPOSITE[direction], id, home);
    else if (key === "if") out[key] = rewrite(value, "exact", id, home);
    else if (SUBSCHEMA.has(key)) out[key] = rewrite(value, direction, id, home);
    else if (SUBSCHEMA_LIST.has(key) && Array.isArray(value)) out[key] = value.map((v) => rewrite(v, direction, id, home));
    else if (SUBSCHEMA_MAP.has(key) && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v, direction, id, home)]));
    }
    // Everything else (enum, const, required, default, examples, discriminator, …) is data, copied as is.
    else out[key] = structuredClone(value);
  }
  if ("$ref" in out && direction !== home) {
    throw new Error(`schema ${id}: $ref ${String(out.$ref)} under a not or an if would point at the ${home} schema; inline the subschema`);
  }
  if ("oneOf" in out && !("discriminator" in out)) {
    throw new Error(`schema ${id}: a oneOf that is not a discriminated union cannot be rewritten per mode; use anyOf or a discriminator`);
  }
  if (direction === "strict") closeObject(out, id);
  if (direction === "lenient") openEnumeration(out);
  const union = discriminatedUnion(out);
  if (!union) return out;
  return direction === "lenient" ? lenientUnion(out, union) : strictUnion(out);
}

/**
 * The rewrite before positions were respected: every subschema, `if` and `not`
 * included, moved in the mode's direction. Unsound (an opened enumeration in
 * an `if` binds its `then` to every object); kept only so that
 * tools/checks/mode-invariant.test.ts can show its check catches it.
 */
function rewriteIgnoringPositions(node: unknown, mode: SchemaMode, id: string): any {
  if (Array.isArray(node)) return node.map((n) => rewriteIgnoringPositions(n, mode, id));
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    const data = key === "enum" || key === "const" || key === "required" || key === "default" || key === "examples" || key === "discriminator";
    out[key] = data ? structuredClone(value) : rewriteIgnoringPositions(value, mode, id);
  }
  if (mode === "strict") closeObject(out, id);
  else openEnumeration(out);
  const union = discriminatedUnion(out);
  if (!union) return out;
  return mode === "lenient" ? lenientUnion(out, union) : strictUnion(out);
}

/** Strict: an object schema that declares properties rejects every other property. */
function closeObject(out: JsonObject, id: string): void {
  if (out.type !== "object" || !isObject(out.properties)) return;
  if (Array.isArray(out.allOf) && out.allOf.some((s) => isObject(s) && "$ref" in s)) {
    // unevaluatedProperties on a base schema would reject the fields of the
    // model that extends it; models must spread (`...Base`) instead.
    throw new Error(`schema ${id}: composes a base model with allOf; use a spread so strict mode can close it`);
  }
  if (!("unevaluatedProperties" in out) && !("additionalProperties" in out)) out.unevaluatedProperties = false;
}

/** Lenient: a string enumeration accepts any string; the known values stay as examples. */
function openEnumeration(out: JsonObject): void {
  if (!Array.isArray(out.enum) || !out.enum.every((v) => typeof v === "string")) return;
  out.examples = out.enum;
  delete out.enum;
  out.type = "string";
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
