import { describe, expect, it } from "vitest";
import { schemaForMode } from "./schema-modes.ts";

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
