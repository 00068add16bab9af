/**
 * Reads, from the emitted contract, which models make up each Usage Segment
 * Value Type (CDS-WG3-01 §10.8.5): the variants of the `ValueFormat` union are
 * the Value Format models, each one's discriminator `const` is its Value Type,
 * and its `x-cds-value-model` extension references the model of the Value
 * Objects that its column holds in every Value Set. The validators package
 * turns this into the table that `decodeUsageSegment` dispatches on, so the
 * table is never written by hand.
 */
import type { JsonObject, ModelSchema } from "./contract.ts";

/** The extension keyword, on a Value Format model, that references its Value Object model. */
export const VALUE_MODEL = "x-cds-value-model";

export interface ValueTypeModels {
  /** The Value Type: the variant's discriminator value, such as `electric_usage`. */
  type: string;
  /** The Value Format model, such as `ElectricUsageValueFormat`. */
  format: string;
  /** The Value Object model, such as `ElectricUsageValue`. */
  value: string;
}

export function readValueTypeModels(models: readonly ModelSchema[], unionName: string): ValueTypeModels[] {
  const byName = new Map(models.map((m) => [m.name, m.schema]));
  const union = byName.get(unionName);
  if (!union) throw new Error(`${unionName}: no such model in the contract`);
  const discriminator = union.discriminator as JsonObject | undefined;
  const tag = discriminator?.propertyName;
  if (typeof tag !== "string" || !Array.isArray(union.oneOf)) {
    throw new Error(`${unionName}: expected a union with oneOf and a discriminator propertyName`);
  }
  const seen = new Map<string, string>();
  return union.oneOf.map((variant: unknown) => {
    const format = refName(variant);
    const schema = format ? byName.get(format) : undefined;
    if (!format || !schema) throw new Error(`${unionName}: every variant must reference a model of the contract, found ${JSON.stringify(variant)}`);
    const type = ((schema.properties as JsonObject | undefined)?.[tag] as JsonObject | undefined)?.const;
    if (typeof type !== "string") throw new Error(`${format}: the ${tag} property must be a string const (its Value Type)`);
    const value = refName(schema[VALUE_MODEL]);
    if (!value) throw new Error(`${format}: has no ${VALUE_MODEL} extension; every Value Format must reference the model of its Value Objects`);
    if (!byName.has(value)) throw new Error(`${format}: ${VALUE_MODEL} references ${value}, which is not a model of the contract`);
    const previous = seen.get(type);
    if (previous) throw new Error(`${unionName}: ${previous} and ${format} both claim the ${tag} ${JSON.stringify(type)}`);
    seen.set(type, format);
    return { type, format, value };
  });
}

/** `{ "$ref": "X.json" }` → `X`. */
function refName(node: unknown): string | null {
  if (typeof node !== "object" || node === null || Array.isArray(node)) return null;
  const ref = (node as JsonObject).$ref;
  return typeof ref === "string" && /^[A-Za-z0-9_]+\.json$/.test(ref) ? ref.slice(0, -".json".length) : null;
}
