/**
 * The promise of the two validation modes, checked over every model: for every
 * value, `strict accepts ⇒ emitted (open) schema accepts ⇒ lenient accepts`
 * (tools/codegen/schema-modes.ts). Strict is for Servers (produce no more than
 * the specs define), lenient for Clients (refuse nothing a conforming Server
 * may send); a rewrite that breaks either implication breaks a mode.
 *
 * The values: every JSON body of every spec example and the server's demo
 * objects, each against every model, plus values generated (seeded) from each
 * model's schema by fast-check — near the schema on purpose: unknown fields,
 * unknown enumeration strings and missing fields are mixed in, so that both
 * implications are exercised by values on either side of each mode's line.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { compiledValidators } from "@cds-toolkit/validators";
import { readModelSchemas, type JsonObject } from "../codegen/contract.ts";
import { addJsonContent } from "../codegen/json-content.ts";
import { schemaForMode, type SchemaMode } from "../codegen/schema-modes.ts";
import { loadExamples, parseBody } from "./examples.ts";

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const models = await readModelSchemas();
const byFile = new Map(models.map((m) => [m.file, m.schema]));

/**
 * The emitted schemas as they are, read as plain JSON Schema (`discriminator` is an
 * OpenAPI annotation, not a JSON Schema keyword): the reference both modes are measured against.
 * `contentSchema` is read as our validators read it (the string is decoded and
 * checked, tools/codegen/json-content.ts): what a JSON string holds is part of
 * the contract both modes are measured against.
 */
function emittedValidators(): Map<string, (value: unknown) => boolean> {
  const ajv = new Ajv2020({ schemas: models.map((m) => m.schema), strict: false, allErrors: false });
  addFormats(ajv);
  addJsonContent(ajv);
  return new Map(models.map((m) => [m.name, ajv.getSchema(m.file)! as (value: unknown) => boolean]));
}
const emitted = emittedValidators();
const strict = compiledValidators.strict as Record<string, (value: unknown) => boolean>;
const lenient = compiledValidators.lenient as Record<string, (value: unknown) => boolean>;

type Validators = Record<string, (value: unknown) => boolean>;

/** The first broken implication for `value` against `model`, or null. */
function breach(model: string, value: unknown, modes: { strict: Validators; lenient: Validators } = { strict, lenient }): string | null {
  const s = modes.strict[model]!(value);
  const e = emitted.get(model)!(value);
  const l = modes.lenient[model]!(value);
  if (s && !e) return `${model}: strict accepts but the emitted schema rejects ${JSON.stringify(value)}`;
  if (e && !l) return `${model}: the emitted schema accepts but lenient rejects ${JSON.stringify(value)}`;
  return null;
}

async function corpus(): Promise<Array<{ source: string; value: unknown }>> {
  const values: Array<{ source: string; value: unknown }> = [];
  for (const example of await loadExamples()) {
    example.messages.forEach((message, index) => {
      if (message.kind === "document") return;
      const body = parseBody(message);
      if (body.kind === "json" || body.kind === "form") values.push({ source: `${example.id} #${index + 1}`, value: body.value });
    });
  }
  // The demo objects the server seeds and its tests use (rows: JSON-encoded as the server would).
  const demoModules = ["demo-utility", "demo-app", "customers"];
  for (const name of demoModules) {
    const module = (await import(`../../packages/server/dist/demo/${name}.js`)) as Record<string, unknown>;
    for (const [key, value] of Object.entries(module)) {
      if (typeof value === "function") continue;
      const json = JSON.parse(JSON.stringify(value)) as unknown;
      values.push({ source: `demo ${name}.${key}`, value: json });
      if (Array.isArray(json)) json.forEach((item, i) => values.push({ source: `demo ${name}.${key}[${i}]`, value: item }));
    }
  }
  // The customer-data demo (bills, usage, EACs, …): a few objects of each kind from a small seeded utility.
  const generator = await import("../../packages/server/dist/demo/customer-data/generator.js");
  const perKind = new Map<string, unknown[]>();
  for (const { kind, object } of generator.generateDemoUtility({ ...generator.defaultDemoSize, customers: 2, months: 2, intervalDays: 1 }).objects) {
    const seen = perKind.get(kind) ?? [];
    if (seen.length >= 3) continue;
    const json = JSON.parse(JSON.stringify(object)) as unknown;
    values.push({ source: `demo customer-data ${kind}[${seen.length}]`, value: json });
    perKind.set(kind, [...seen, json]);
  }
  // …and each kind's objects as the one page of a §10 listing (keyed by the kind, as the APIs answer).
  for (const [kind, objects] of perKind) values.push({ source: `demo customer-data ${kind} listing`, value: { [kind]: objects, next: null, previous: null } });
  // One step off a corpus document on each side of a conditional rule: metadata that
  // describes a Server-Provided Files scope but drops its API URL (a `not` rule, CDS-WG1-02 §3.3.3).
  for (const { source, value } of [...values]) {
    if (isObject(value) && "cds_server_provided_files_api" in value) {
      const { cds_server_provided_files_api: _dropped, ...rest } = value;
      values.push({ source: `${source} without cds_server_provided_files_api`, value: rest });
    }
  }
  return values;
}

/** A fast-check arbitrary for values near `schema`: mostly valid shapes, with the deviations a mode must judge. */
function near(schema: unknown, file: string, depth = 0): fc.Arbitrary<unknown> {
  if (schema === true || schema === undefined) return fc.jsonValue({ maxDepth: 1 });
  if (!isObject(schema)) return fc.constant(null);
  if (typeof schema.$ref === "string") {
    const [target, pointer] = schema.$ref.split("#");
    const doc = target ? byFile.get(target) : byFile.get(file);
    const resolved = pointer ? pointer.split("/").slice(1).reduce<unknown>((n, k) => (isObject(n) ? n[k] : undefined), doc) : doc;
    if (depth > 3) return fc.constant({});
    return near(resolved, target || file, depth + 1);
  }
  if ("const" in schema) return fc.oneof({ weight: 9, arbitrary: fc.constant(schema.const) }, { weight: 1, arbitrary: fc.string({ maxLength: 4 }) });
  if (Array.isArray(schema.enum)) {
    return fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...schema.enum) }, { weight: 1, arbitrary: fc.constantFrom("zz_unknown", "") });
  }
  const branches = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (Array.isArray(branches)) return fc.oneof(...branches.map((b) => near(b, file, depth)));
  if (Array.isArray(schema.type)) return fc.oneof(...(schema.type as string[]).map((t) => ofType(schema, t, file, depth)));
  // A JSON string (`contentSchema`): mostly the encoding of a value near its content schema, sometimes not JSON.
  if (schema.contentSchema !== undefined && depth <= 3) {
    return fc.oneof(
      { weight: 4, arbitrary: near(schema.contentSchema, file, depth + 1).map((v) => JSON.stringify(v) ?? "null") },
      { weight: 1, arbitrary: fc.string() },
    );
  }
  return ofType(schema, schema.type as string | undefined, file, depth);
}

function ofType(schema: JsonObject, type: string | undefined, file: string, depth: number): fc.Arbitrary<unknown> {
  {
    switch (type ?? (schema.properties ? "object" : undefined)) {
      case "object": return objectNear(schema, file, depth);
      case "array": {
        const min = typeof schema.minItems === "number" ? schema.minItems : 0;
        const max = Math.min(typeof schema.maxItems === "number" ? schema.maxItems : 3, min + 3);
        return fc.array(near(schema.items ?? true, file, depth + 1), { minLength: min, maxLength: max });
      }
      case "string": return stringNear(schema);
      case "integer": return fc.integer({ min: num(schema.minimum, -1000), max: num(schema.maximum, 100_000) });
      case "number": return fc.double({ noNaN: true, noDefaultInfinity: true, min: num(schema.minimum, -1e6), max: num(schema.maximum, 1e6) });
      case "boolean": return fc.boolean();
      case "null": return fc.constant(null);
      default: return fc.jsonValue({ maxDepth: 2 });
    }
  }
}

function objectNear(schema: JsonObject, file: string, depth: number): fc.Arbitrary<unknown> {
  const properties = isObject(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const shape = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, depth > 3 ? fc.constant(null) : near(v, file, depth + 1)]));
  const record = fc.record(shape, { requiredKeys: required.filter((k) => k in shape) });
  const extraFrom = isObject(schema.additionalProperties) ? near(schema.additionalProperties, file, depth + 1) : fc.jsonValue({ maxDepth: 1 });
  return fc.tuple(record, fc.option(fc.constantFrom("cds_extension_field", "unknown_field"), { freq: 5 }), extraFrom, fc.option(fc.constantFrom(...(required.length ? required : ["-"])), { freq: 8 })).map(([value, extra, extraValue, drop]) => {
    const out: Record<string, unknown> = { ...(value as object) };
    if (extra) out[extra] = extraValue;
    if (drop) delete out[drop];
    return out;
  });
}

function stringNear(schema: JsonObject): fc.Arbitrary<unknown> {
  switch (schema.format) {
    case "date-time": return fc.date({ min: new Date("1990-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }).map((d) => d.toISOString());
    case "date": return fc.date({ min: new Date("1990-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    case "uri": return fc.webUrl();
    case "email": return fc.emailAddress();
  }
  if (typeof schema.pattern === "string") {
    try {
      return fc.oneof({ weight: 4, arbitrary: fc.stringMatching(new RegExp(schema.pattern)) }, { weight: 1, arbitrary: fc.string({ maxLength: 6 }) });
    } catch {
      // a pattern fast-check cannot generate from: plain strings still probe both modes
    }
  }
  return fc.string({ minLength: num(schema.minLength, 0), maxLength: num(schema.minLength, 0) + 8 });
}

function num(value: unknown, fallback: number): number {
  return typeof value === "number" ? value : fallback;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const values = await corpus();

/**
 * Validators from the rewrite that ignores where a subschema stands (every `if`
 * and `not` moved in the mode's direction, as before issue 9), for the models
 * whose conditions the specs state: the check above must catch it.
 */
function positionBlindValidators(names: string[]): { strict: Validators; lenient: Validators } {
  const build = (mode: SchemaMode): Validators => {
    const ajv = new Ajv2020({ schemas: models.map((m) => schemaForMode(m.schema, mode, { positions: false })), strict: false, discriminator: true, allErrors: false });
    addFormats(ajv);
    addJsonContent(ajv);
    return Object.fromEntries(names.map((n) => [n, ajv.getSchema(models.find((m) => m.name === n)!.file)! as (value: unknown) => boolean]));
  };
  return { strict: build("strict"), lenient: build("lenient") };
}
/** 270 per model over 191+ models: over 50,000 generated values in all. */
const PER_MODEL = 270;

describe("strict accepts ⇒ emitted accepts ⇒ lenient accepts", () => {
  it("covers every model in both modes", () => {
    expect(models.length).toBeGreaterThanOrEqual(191);
    for (const m of models) {
      expect(typeof strict[m.name], m.name).toBe("function");
      expect(typeof lenient[m.name], m.name).toBe("function");
    }
  });

  it("holds for every spec example body and demo object, against every model", { timeout: 600_000 }, () => {
    expect(values.length).toBeGreaterThan(50);
    const breaches: string[] = [];
    for (const { source, value } of values) {
      for (const m of models) {
        const found = breach(m.name, value);
        if (found) breaches.push(`${source} → ${found}`);
      }
    }
    expect(breaches.slice(0, 20)).toEqual([]);
  });

  // Over 50,000 values through three validators each: minutes on a loaded machine.
  it(`holds for ${PER_MODEL} generated values per model (seeded)`, { timeout: 600_000 }, () => {
    let total = 0;
    const accepted = { strict: 0, lenient: 0 };
    const breaches: string[] = [];
    models.forEach((m, index) => {
      const samples = fc.sample(near(m.schema, m.file), { numRuns: PER_MODEL, seed: 9_000 + index });
      for (const value of samples) {
        total++;
        if (strict[m.name]!(value)) accepted.strict++;
        if (lenient[m.name]!(value)) accepted.lenient++;
        const found = breach(m.name, value);
        if (found) breaches.push(found);
      }
    });
    expect(total).toBeGreaterThanOrEqual(50_000);
    // The values must straddle the line: some accepted by strict, some rejected by lenient.
    expect(accepted.strict).toBeGreaterThan(total / 20);
    expect(accepted.lenient).toBeLessThan(total);
    expect(breaches.slice(0, 20)).toEqual([]);
  });

  it("fails, naming the model and printing the value, when the rewrite ignores positions", { timeout: 600_000 }, () => {
    // The models issue 9 found broken by the position-blind rewrite: if/then on an
    // enumeration (Message §12.10, Bill Sections, Authorization Details Fields, Scope
    // Descriptions) and a `not` that strict loosened (Server-Provided Files API URL).
    // (The `not` case, Server-Provided Files metadata without its API URL, needs a metadata
    // document strict accepts; tools/codegen/schema-modes.test.ts shows it on the pattern.)
    const names = ["Message", "MessageListing", "BillSection", "BillSectionListing", "CustomerDataScopeDescription"];
    const blind = positionBlindValidators(names);
    const breaches: string[] = [];
    for (const name of names) {
      const model = models.find((m) => m.name === name)!;
      const generated = fc.sample(near(model.schema, model.file), { numRuns: PER_MODEL, seed: 9_000 + models.indexOf(model) });
      for (const value of [...values.map((v) => v.value), ...generated]) {
        const found = breach(name, value, blind);
        if (found) breaches.push(found);
      }
    }
    const named = new Set(breaches.map((b) => b.slice(0, b.indexOf(":"))));
    expect([...named].sort()).toEqual([...names].sort());
    // The §12.10 example Message itself is among them, printed in full.
    const message1210 = values.filter((v) => v.source.startsWith("wg1-02/12.10-")).map((v) => JSON.stringify(v.value));
    expect(message1210.length).toBeGreaterThan(0);
    expect(breaches.some((b) => message1210.some((body) => b === `Message: the emitted schema accepts but lenient rejects ${body}`))).toBe(true);
  });
});
