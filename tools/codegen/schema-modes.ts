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
 */
import type { JsonObject } from "./contract.ts";

export type SchemaMode = "strict" | "lenient";

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
  return out;
}

function openEnumerations(node: unknown): any {
  if (Array.isArray(node)) return node.map(openEnumerations);
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) out[key] = openEnumerations(value);
  if (Array.isArray(out.enum) && out.enum.every((v) => typeof v === "string")) {
    out.examples = out.enum;
    delete out.enum;
    out.type = "string";
  }
  return out;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
