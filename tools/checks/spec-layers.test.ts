/**
 * The spec-layer table of @cds-toolkit/validators (src/layers.ts) and the
 * hint a strict failure carries: every listed extension keeps all of its
 * base model's fields, the CDS-WG1-02 §12.1 metadata example gets a hint
 * naming the right validator, and — over generated variations of the spec's
 * layered documents — a hint is given exactly when the base model rejects a
 * value that the named extension accepts.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { compiledValidators, specLayers, validate, validateOAuthServerMetadata, validateServerMetadata } from "@cds-toolkit/validators";
import type { ModelName } from "@cds-toolkit/schemas";
import { readModelSchemas, type JsonObject } from "../codegen/contract.ts";
import { loadExamples, parseBody } from "./examples.ts";

const schemas = new Map((await readModelSchemas()).map((m) => [m.name, m.schema]));

/** Field names a model schema declares, at the top and in `allOf` members. */
function fieldNames(schema: JsonObject): Set<string> {
  const names = new Set(Object.keys((schema.properties as JsonObject | undefined) ?? {}));
  for (const member of (schema.allOf as JsonObject[] | undefined) ?? []) for (const n of fieldNames(member)) names.add(n);
  return names;
}

/** Request and response bodies of the spec examples, as JSON values. */
const exampleBodies = (await loadExamples()).flatMap((example) =>
  example.messages.flatMap((message) => {
    const body = parseBody(message);
    return body.kind === "json" && body.value && typeof body.value === "object" && !Array.isArray(body.value) ? [body.value as Record<string, unknown>] : [];
  }),
);

describe("spec layers", () => {
  it.each(specLayers.map((l) => [l.base, l.extension] as const))("%s → %s: the extension keeps every field of its base", (base, extension) => {
    const baseSchema = schemas.get(base);
    const extensionSchema = schemas.get(extension);
    expect(baseSchema, `${base} is a generated model`).toBeDefined();
    expect(extensionSchema, `${extension} is a generated model`).toBeDefined();
    const extensionFields = fieldNames(extensionSchema!);
    expect([...fieldNames(baseSchema!)].filter((f) => !extensionFields.has(f))).toEqual([]);
  });

  it("points a CDS-WG1-02 Server's metadata (§12.1 example) from validateServerMetadata to validateOAuthServerMetadata", () => {
    const document = exampleBodies.find((b) => "oauth_metadata" in b && "cds_metadata_version" in b);
    expect(document, "a spec example of CDS-WG1-02 Server Metadata").toBeDefined();
    expect(validateOAuthServerMetadata(document).ok).toBe(true);
    const base = validateServerMetadata(document);
    expect(base.ok).toBe(false);
    if (base.ok) return;
    expect(base.hint).toMatch(/validateOAuthServerMetadata/);
    expect(base.hint).toMatch(/CDS-WG1-02 §3\.1/);
    // Lenient mode accepts the extension's fields, so it has nothing to hint.
    expect(validateServerMetadata(document, "lenient").ok).toBe(true);
  });

  it("gives no hint when no extension accepts the value either", () => {
    const result = validateServerMetadata({ cds_metadata_version: "v1" });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.hint).toBeUndefined();
  });

  // Values shaped like each layered document: the spec examples the base or an
  // extension accepts, with fields dropped, or fields copied in from other examples.
  const layered = specLayers.flatMap((layer) =>
    exampleBodies.filter((b) => compiledValidators.strict[layer.base]!(b) || compiledValidators.strict[layer.extension]!(b)).map((b) => [layer.base, b] as const),
  );

  it("hints exactly when the base rejects a value an extension accepts (generated variations)", () => {
    expect(layered.length).toBeGreaterThan(3);
    const variation = fc
      .tuple(fc.constantFrom(...layered), fc.array(fc.nat(), { maxLength: 3 }), fc.constantFrom(...exampleBodies), fc.array(fc.nat(), { maxLength: 2 }))
      .map(([[model, value], drops, donor, adds]) => {
        const copy: Record<string, unknown> = structuredClone(value);
        const keys = Object.keys(copy);
        for (const d of drops) if (keys.length) delete copy[keys[d % keys.length]!];
        const donorKeys = Object.keys(donor);
        for (const a of adds) if (donorKeys.length) copy[donorKeys[a % donorKeys.length]!] = donor[donorKeys[a % donorKeys.length]!];
        return [model, copy] as const;
      });
    let hinted = 0;
    fc.assert(
      fc.property(variation, ([model, value]) => {
        const result = validate(model as ModelName, value);
        const accepting = specLayers.filter((l) => l.base === model || specLayers.some((p) => p.base === model && p.extension === l.base)).map((l) => l.extension).find((e) => compiledValidators.strict[e]!(value));
        if (result.ok) return true;
        if (accepting) {
          hinted++;
          expect(result.hint).toContain(`validate${accepting}`);
        } else {
          expect(result.hint).toBeUndefined();
        }
        return true;
      }),
      { numRuns: 400, seed: 20_261_202 },
    );
    expect(hinted).toBeGreaterThan(0);
  });
});
