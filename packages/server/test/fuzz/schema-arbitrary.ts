/**
 * JSON Schema (the OpenAPI 3.1 subset the TypeSpec emitter writes) → a
 * fast-check arbitrary of values the schema accepts. Only what the generated
 * documents use is understood: `$ref` into `components.schemas`, `type`,
 * `enum`, `anyOf`/`oneOf`, `properties`/`required`, `unevaluatedProperties`,
 * `items` with `minItems`/`maxItems`, string `pattern`/`minLength`/
 * `maxLength`/`format`, number `minimum`/`maximum`, and a JSON string's
 * `contentSchema`. Depth is bounded so recursive models (authorization
 * details inside Grants) stay small.
 *
 * `hints` override the value of a named property or parameter with one a
 * server can recognise (a real client id, a registered redirect URI): a
 * schema-valid random id only ever reaches the "not found" branch.
 */
import fc from "fast-check";

export type Schema = Record<string, any>;
export type Hints = Record<string, fc.Arbitrary<unknown>>;

export interface SchemaContext {
  components: Record<string, Schema>;
  hints: Hints;
}

const MAX_DEPTH = 4;

export function resolve(ctx: SchemaContext, schema: Schema): Schema {
  let current = schema;
  for (let i = 0; current?.$ref && i < 20; i++) current = ctx.components[String(current.$ref).split("/").pop()!] ?? {};
  return current ?? {};
}

const isoDate = fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2040-12-31T00:00:00Z"), noInvalidDate: true });

function stringArbitrary(schema: Schema): fc.Arbitrary<string> {
  if (schema.format === "date-time") return isoDate.map((d) => d.toISOString().replace(/\.\d{3}Z$/, "Z"));
  if (schema.format === "date") return isoDate.map((d) => d.toISOString().slice(0, 10));
  if (schema.format === "uri") return fc.webUrl({ validSchemes: ["https"] });
  if (schema.pattern) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= (schema.maxLength ?? 200) && s.length >= (schema.minLength ?? 0));
    } catch {
      // A pattern fast-check cannot generate from: plain strings below.
    }
  }
  return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 24, 24) });
}

function numberArbitrary(schema: Schema, integer: boolean): fc.Arbitrary<number> {
  const min = typeof schema.minimum === "number" ? schema.minimum : -1_000_000;
  const max = typeof schema.maximum === "number" ? schema.maximum : 1_000_000_000;
  return integer ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) }) : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/** An arbitrary of values valid for `schema`; `name` is the property or parameter the value is for (for `hints`). */
export function schemaArbitrary(ctx: SchemaContext, raw: Schema, name?: string, depth = 0): fc.Arbitrary<unknown> {
  const hint = name ? ctx.hints[name] : undefined;
  const generated = fromSchema(ctx, raw, depth);
  // Mostly the hint (a value the server knows), sometimes any schema-valid value.
  return hint ? fc.oneof({ arbitrary: hint, weight: 3 }, { arbitrary: generated, weight: 1 }) : generated;
}

function fromSchema(ctx: SchemaContext, raw: Schema, depth: number): fc.Arbitrary<unknown> {
  const schema = resolve(ctx, raw);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if ("const" in schema) return fc.constant(schema.const);
  const union = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
  if (union?.length) {
    // An object carrying its own properties beside the union (a discriminated form): merge each branch in.
    const branches = schema.properties ? union.map((b) => ({ ...resolve(ctx, b), properties: { ...schema.properties, ...resolve(ctx, b).properties } })) : union;
    return fc.oneof(...branches.map((b) => fromSchema(ctx, b, depth)));
  }
  if (schema.contentMediaType === "application/json" && schema.contentSchema) return fromSchema(ctx, schema.contentSchema, depth + 1).map((v) => JSON.stringify(v));
  const type = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : schema.properties ? ["object"] : [];
  if (type.length > 1) return fc.oneof(...type.map((t: string) => fromSchema(ctx, { ...schema, type: t }, depth)));
  switch (type[0]) {
    case "string":
      return stringArbitrary(schema);
    case "integer":
      return numberArbitrary(schema, true);
    case "number":
      return numberArbitrary(schema, false);
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array": {
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? 3, depth >= MAX_DEPTH ? minLength : 3));
      return fc.array(schemaArbitrary(ctx, schema.items ?? {}, undefined, depth + 1), { minLength, maxLength });
    }
    case "object":
      return objectArbitrary(ctx, schema, depth);
    default:
      // `{}`: any JSON value, kept small.
      return fc.jsonValue({ maxDepth: 1 });
  }
}

function objectArbitrary(ctx: SchemaContext, schema: Schema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set<string>(schema.required ?? []);
  // Past the depth bound only what is required, so recursion ends.
  const keys = Object.keys(properties).filter((k) => required.has(k) || depth < MAX_DEPTH);
  if (keys.length === 0 && schema.unevaluatedProperties && typeof schema.unevaluatedProperties === "object" && Object.keys(schema.unevaluatedProperties).length) {
    return fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), schemaArbitrary(ctx, schema.unevaluatedProperties, undefined, depth + 1), { maxKeys: depth < MAX_DEPTH ? 2 : 0 });
  }
  const record = Object.fromEntries(keys.map((k) => [k, schemaArbitrary(ctx, properties[k]!, k, depth + 1)]));
  return fc.record(record, { requiredKeys: keys.filter((k) => required.has(k)) }) as fc.Arbitrary<Record<string, unknown>>;
}
