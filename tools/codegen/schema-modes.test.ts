import { describe, expect, it } from "vitest";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { JsonObject } from "./contract.ts";
import { schemaForMode, type SchemaMode } from "./schema-modes.ts";

describe("schemaForMode", () => {
  const object = {
    $id: "Thing.json",
    type: "object",
    properties: {
      kind: { type: "string", enum: ["a", "b"] },
      nested: { type: "object", properties: { x: { type: "number" } } },
      map: { type: "object", additionalProperties: { type: "string" } },
    },
  };

  it("strict closes every object that declares properties, and only those", () => {
    const strict = schemaForMode(object, "strict") as any;
    expect(strict.unevaluatedProperties).toBe(false);
    expect(strict.properties.nested.unevaluatedProperties).toBe(false);
    expect(strict.properties.map).toEqual({ type: "object", additionalProperties: { type: "string" } });
    expect(strict.properties.kind).toEqual({ type: "string", enum: ["a", "b"] });
  });

  it("lenient opens string enumerations and keeps the known values as examples", () => {
    const lenient = schemaForMode(object, "lenient") as any;
    expect(lenient.properties.kind).toEqual({ type: "string", examples: ["a", "b"] });
    expect(lenient.unevaluatedProperties).toBeUndefined();
  });

  it("lenient keeps the enumerations of conditions (if, not): a then binds only the values it names", () => {
    const conditional = {
      $id: "Msg.json",
      type: "object",
      properties: { type: { type: "string", enum: ["ask", "tell", "note"] }, asks: { type: "array" } },
      required: ["type"],
      allOf: [{ if: { properties: { type: { enum: ["ask", "tell"] } }, required: ["type"] }, then: { required: ["asks"] } }],
    };
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(schemaForMode(conditional, "lenient"));
    expect(validate({ type: "note" })).toBe(true);
    expect(validate({ type: "something-new" })).toBe(true);
    expect(validate({ type: "ask" })).toBe(false);
    expect(validate.errors?.map((e) => e.params)).toContainEqual({ missingProperty: "asks" });
  });

  it("leaves the input untouched", () => {
    const copy = structuredClone(object);
    schemaForMode(object, "strict");
    schemaForMode(object, "lenient");
    expect(object).toEqual(copy);
  });

  it("refuses base models composed with allOf, which strict mode cannot close", () => {
    const derived = { $id: "Derived.json", type: "object", properties: { y: {} }, allOf: [{ $ref: "Base.json" }] };
    expect(() => schemaForMode(derived, "strict")).toThrow(/Derived\.json.*use a spread/);
  });
});

describe("schemaForMode on discriminated unions", () => {
  // A union in the shape the TypeSpec emitters give `ValueFormat`: variants by
  // $ref, each naming its discriminator value as a const.
  const union = {
    $id: "Shape.json",
    oneOf: [{ $ref: "Circle.json" }, { $ref: "Square.json" }],
    discriminator: { propertyName: "kind" },
    "x-cds-unknown-variant": { $ref: "OtherShape.json" },
  };
  const circle = {
    $id: "Circle.json",
    type: "object",
    properties: { kind: { type: "string", const: "circle" }, r: { type: "number" }, unit: { type: "string", enum: ["m", "cm"] } },
    required: ["kind", "r"],
  };
  const square = {
    $id: "Square.json",
    type: "object",
    properties: { kind: { type: "string", const: "square" }, side: { type: "number" } },
    required: ["kind", "side"],
  };
  const other = { $id: "OtherShape.json", type: "object", properties: { kind: { type: "string" }, id: { type: "string" } }, required: ["kind", "id"] };

  function validator(mode: SchemaMode, shape: JsonObject = union) {
    const ajv = new Ajv2020({ schemas: [shape, circle, square, other].map((s) => schemaForMode(s, mode)), allErrors: true, strict: true, strictRequired: false, discriminator: true });
    return (value: unknown) => {
      const validate = ajv.getSchema("Shape.json")!;
      return validate(value) ? [] : (validate.errors ?? []).filter((e) => e.keyword !== "if").map((e) => `${e.instancePath} ${e.keyword}`).sort();
    };
  }

  it("strict dispatches on the discriminator and drops the unknown-variant schema", () => {
    const strict = schemaForMode(union, "strict") as any;
    expect(strict).toEqual({ $id: "Shape.json", type: "object", oneOf: union.oneOf, discriminator: union.discriminator });
  });

  it("lenient checks known values against their variant and the rest against the unknown-variant schema", () => {
    const lenient = schemaForMode(union, "lenient") as any;
    expect(lenient).toEqual({
      $id: "Shape.json",
      type: "object",
      if: { required: ["kind"], properties: { kind: { anyOf: [{ $ref: "Circle.json#/properties/kind" }, { $ref: "Square.json#/properties/kind" }] } } },
      then: { oneOf: union.oneOf, discriminator: union.discriminator },
      else: { $ref: "OtherShape.json" },
    });
  });

  const cases: Array<{ name: string; value: unknown; strict: string[]; lenient: string[] }> = [
    { name: "a known variant", value: { kind: "circle", r: 1 }, strict: [], lenient: [] },
    { name: "a known variant breaking its own schema (errors from that variant only)", value: { kind: "square", r: 1 }, strict: [" required", " unevaluatedProperties"], lenient: [" required"] },
    { name: "a known variant with an unknown enumeration value", value: { kind: "circle", r: 1, unit: "ft" }, strict: ["/unit enum"], lenient: [] },
    { name: "an unknown discriminator value", value: { kind: "triangle", id: "t1" }, strict: [" discriminator"], lenient: [] },
    { name: "an unknown discriminator value breaking the unknown-variant schema", value: { kind: "triangle" }, strict: [" discriminator"], lenient: [" required"] },
    { name: "no discriminator at all", value: { r: 1 }, strict: [" discriminator"], lenient: [" required", " required"] },
  ];

  it.each(cases)("$name", ({ value, strict, lenient }) => {
    expect(validator("strict")(value)).toEqual(strict);
    expect(validator("lenient")(value)).toEqual(lenient);
  });

  it("without an unknown-variant schema, lenient asks only for a string discriminator", () => {
    const { "x-cds-unknown-variant": _, ...plain } = union;
    expect(validator("lenient", plain)({ kind: "triangle" })).toEqual([]);
    expect(validator("lenient", plain)({ kind: 3 })).toEqual(["/kind type"]);
  });

  it("refuses discriminator mappings and discriminators without oneOf", () => {
    expect(() => schemaForMode({ ...union, discriminator: { propertyName: "kind", mapping: {} } }, "strict")).toThrow(/mappings are not supported/);
    expect(() => schemaForMode({ $id: "X.json", anyOf: union.oneOf, discriminator: { propertyName: "kind" } }, "lenient")).toThrow(/variants in oneOf/);
  });
});

describe("schemaForMode respects where a subschema stands", () => {
  // The condition patterns the specs use, each as a small schema, and values
  // whose acceptance must follow `strict ⇒ emitted ⇒ lenient`.
  const patterns: Array<{ name: string; schema: JsonObject; values: unknown[] }> = [
    {
      name: "if/then on an enum (CDS-WG1-02 §12.10 Message)",
      schema: {
        $id: "P.json",
        type: "object",
        properties: { kind: { type: "string", enum: ["a", "b"] }, extra: { type: "string" } },
        if: { properties: { kind: { enum: ["a"] } }, required: ["kind"] },
        then: { required: ["extra"] },
      },
      values: [{ kind: "b" }, { kind: "a", extra: "x" }, { kind: "zzz" }, { kind: "a" }],
    },
    {
      name: "not/required (a field forbidden unless another is present)",
      schema: {
        $id: "P.json",
        type: "object",
        properties: { include: { type: "boolean" }, api: { type: "string" } },
        if: { properties: { include: { const: true } }, required: ["include"] },
        then: { required: ["api"] },
        else: { not: { type: "object", properties: { api: { type: "string" } }, required: ["api"] } },
      },
      values: [{ include: true, api: "x" }, { include: false }, { include: false, api: "x" }, { include: true }],
    },
    {
      name: "not over an enumeration",
      schema: { $id: "P.json", type: "object", properties: { t: { type: "string" } }, not: { properties: { t: { type: "string", enum: ["forbidden"] } }, required: ["t"] } },
      values: [{ t: "ok" }, { t: "forbidden" }, { t: "other", x: 1 }],
    },
    {
      name: "dependentRequired",
      schema: { $id: "P.json", type: "object", properties: { start: { type: "string" }, end: { type: "string" } }, dependentRequired: { end: ["start"] } },
      values: [{ start: "1" }, { end: "2" }, { start: "1", end: "2", more: true }],
    },
  ];

  function compile(schema: JsonObject, mode: SchemaMode | "emitted") {
    const ajv = new Ajv2020({ strict: true, strictRequired: false, discriminator: true, allowUnionTypes: true });
    return ajv.compile(mode === "emitted" ? schema : schemaForMode(schema, mode));
  }

  it.each(patterns)("$name: strict accepts ⇒ emitted accepts ⇒ lenient accepts", ({ schema, values }) => {
    const strict = compile(schema, "strict");
    const emitted = compile(schema, "emitted");
    const lenient = compile(schema, "lenient");
    for (const value of values) {
      if (strict(value)) expect(emitted(value), JSON.stringify(value)).toBe(true);
      if (emitted(value)) expect(lenient(value), JSON.stringify(value)).toBe(true);
    }
  });

  it("the position-blind rewrite (before issue 9) breaks the promise on the if/then-on-an-enum and not patterns", () => {
    const blind = (schema: JsonObject, mode: SchemaMode) =>
      new Ajv2020({ strict: false, discriminator: true }).compile(schemaForMode(schema, mode, { positions: false }));
    const broken = patterns.filter(({ schema, values }) => {
      const emitted = compile(schema, "emitted");
      const [strict, lenient] = [blind(schema, "strict"), blind(schema, "lenient")];
      return values.some((v) => (strict(v) && !emitted(v)) || (emitted(v) && !lenient(v)));
    });
    expect(broken.map((p) => p.name)).toEqual(expect.arrayContaining(["if/then on an enum (CDS-WG1-02 §12.10 Message)", "not/required (a field forbidden unless another is present)", "not over an enumeration"]));
  });

  it("keeps if conditions exactly as emitted in both modes", () => {
    const schema = patterns[0]!.schema;
    expect((schemaForMode(schema, "lenient") as any).if).toEqual(schema.if);
    expect((schemaForMode(schema, "strict") as any).if).toEqual(schema.if);
    // the §12.10 shape: an unknown kind needs no `extra` in lenient mode
    expect(compile(schema, "lenient")({ kind: "b" })).toBe(true);
  });

  it("rewrites a not's subschema in the opposite direction", () => {
    const schema = patterns[2]!.schema;
    // lenient must not open the forbidden enum (that would forbid every string)…
    expect((schemaForMode(schema, "lenient") as any).not.properties.t).toEqual({ type: "string", enum: ["forbidden"] });
    // …and strict opens it, so the not still forbids at least what was forbidden
    expect((schemaForMode(schema, "strict") as any).not.properties.t).toEqual({ type: "string", examples: ["forbidden"] });
    // strict closes objects inside a not only in lenient mode (where that loosens)
    const closedInNot = patterns[1]!.schema;
    expect((schemaForMode(closedInNot, "strict") as any).else.not.unevaluatedProperties).toBeUndefined();
    expect((schemaForMode(closedInNot, "lenient") as any).else.not.unevaluatedProperties).toBe(false);
  });

  it("refuses a $ref where it would carry the wrong mode, and a plain oneOf", () => {
    expect(() => schemaForMode({ $id: "R.json", if: { $ref: "X.json" }, then: {} }, "lenient")).toThrow(/R\.json.*inline/);
    expect(() => schemaForMode({ $id: "R.json", not: { $ref: "X.json" } }, "strict")).toThrow(/R\.json.*inline/);
    expect(() => schemaForMode({ $id: "R.json", oneOf: [{ type: "string" }, { type: "number" }] }, "strict")).toThrow(/oneOf/);
  });
});

describe("schemaForMode on Server rules (x-cds-server-rule)", () => {
  // The §5.2 shape: every choice of one field names a format, which Servers must send and Clients need not see.
  const schema: JsonObject = {
    $id: "S.json",
    type: "object",
    properties: { id: { type: "string" }, choices: { type: "array", items: { type: "object", properties: { format: { type: "string" } } } } },
    if: { properties: { id: { const: "with_formats" } }, required: ["id"] },
    then: { properties: { choices: { type: "array", items: { type: "object", required: ["format"], "x-cds-server-rule": "§5.2" } } } },
  };
  const values = [
    { id: "with_formats", choices: [{ format: "x" }] },
    { id: "with_formats", choices: [{}] },
    { id: "other", choices: [{}] },
  ];
  function compile(mode: SchemaMode | "emitted") {
    const ajv = new Ajv2020({ strict: true, strictRequired: false, allowUnionTypes: true, keywords: ["x-cds-server-rule"] });
    return ajv.compile(mode === "emitted" ? schema : schemaForMode(schema, mode));
  }

  it("asserts the rule in strict and emitted, drops it in lenient, keeping strict ⇒ emitted ⇒ lenient", () => {
    const [strict, emitted, lenient] = [compile("strict"), compile("emitted"), compile("lenient")];
    expect(values.map((v) => [strict(v), emitted(v), lenient(v)])).toEqual([
      [true, true, true],
      [false, false, true],
      [true, true, true],
    ]);
  });

  it("refuses the marker under a not or an if, where dropping it would move the schema the wrong way", () => {
    const rule = { required: ["format"], "x-cds-server-rule": "§5.2" };
    expect(() => schemaForMode({ $id: "N.json", not: rule }, "strict")).toThrow(/N\.json.*x-cds-server-rule/);
    expect(() => schemaForMode({ $id: "I.json", if: rule, then: {} }, "lenient")).toThrow(/I\.json.*x-cds-server-rule/);
  });
});
