import { describe, expect, it } from "vitest";
import type { JsonObject, ModelSchema } from "./contract.ts";
import { readValueTypeModels } from "./value-types.ts";

function model(name: string, schema: JsonObject): ModelSchema {
  return { name, file: `${name}.json`, schema: { $id: `${name}.json`, ...schema } };
}

const union = model("ValueFormat", { oneOf: [{ $ref: "AFormat.json" }, { $ref: "BFormat.json" }], discriminator: { propertyName: "type" } });
const aFormat = model("AFormat", { type: "object", properties: { type: { type: "string", const: "a" } }, "x-cds-value-model": { $ref: "AValue.json" } });
const bFormat = model("BFormat", { type: "object", properties: { type: { type: "string", const: "b" } }, "x-cds-value-model": { $ref: "BValue.json" } });
const values = [model("AValue", { type: "object" }), model("BValue", { type: "object" })];

describe("readValueTypeModels", () => {
  it("pairs each variant's discriminator value with its format and value models", () => {
    expect(readValueTypeModels([union, aFormat, bFormat, ...values], "ValueFormat")).toEqual([
      { type: "a", format: "AFormat", value: "AValue" },
      { type: "b", format: "BFormat", value: "BValue" },
    ]);
  });

  it("fails when a format does not name its value model", () => {
    const { "x-cds-value-model": _, ...bare } = bFormat.schema;
    expect(() => readValueTypeModels([union, aFormat, { ...bFormat, schema: bare }, ...values], "ValueFormat")).toThrow(
      /BFormat: has no x-cds-value-model extension/,
    );
  });

  it("fails when the value model does not exist", () => {
    expect(() => readValueTypeModels([union, aFormat, bFormat, values[0]!], "ValueFormat")).toThrow(/references BValue, which is not a model/);
  });

  it("fails when a variant's discriminator is not a const", () => {
    const open = model("BFormat", { ...bFormat.schema, properties: { type: { type: "string" } } });
    expect(() => readValueTypeModels([union, aFormat, open, ...values], "ValueFormat")).toThrow(/BFormat: the type property must be a string const/);
  });

  it("fails when two variants claim one value", () => {
    const twin = model("BFormat", { ...bFormat.schema, properties: { type: { type: "string", const: "a" } } });
    expect(() => readValueTypeModels([union, aFormat, twin, ...values], "ValueFormat")).toThrow(/AFormat and BFormat both claim the type "a"/);
  });

  it("fails when the union is missing or not discriminated", () => {
    expect(() => readValueTypeModels([aFormat], "ValueFormat")).toThrow(/no such model/);
    expect(() => readValueTypeModels([model("ValueFormat", { anyOf: [] })], "ValueFormat")).toThrow(/oneOf and a discriminator/);
  });
});
