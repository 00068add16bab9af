/**
 * `@cds-toolkit/schemas/examples` as a consumer gets it: every fixture is
 * plain JSON, names a real model, carries exactly the findings strict
 * validation reports (none for a valid one), and points at ERRATA entries
 * that exist; a repaired body is one the spec printed as invalid JSON.
 */
import { modelNames, type ModelName } from "@cds-toolkit/schemas";
import { specExamples } from "@cds-toolkit/schemas/examples";
import { validate } from "@cds-toolkit/validators";
import { describe, expect, it } from "vitest";
import { readExampleErrata } from "./errata.ts";
import { loadExamples } from "./examples.ts";

const errataIds = new Set((await readExampleErrata()).map((e) => e.id));
const examples = new Map((await loadExamples()).map((e) => [e.id, e]));

describe.each(specExamples.map((f) => [f.id, f] as const))("example fixture %s", (_id, fixture) => {
  it("is plain JSON, parses, and validates with exactly the recorded findings", () => {
    expect(JSON.parse(JSON.stringify(fixture.value))).toEqual(fixture.value);
    expect(modelNames).toContain(fixture.model);
    const result = validate(fixture.model as ModelName, fixture.value, "strict");
    const findings = result.ok ? [] : [...new Set(result.errors.map((e) => `${e.pointer} ${e.rule}`))].sort();
    expect(findings).toEqual(fixture.findings);
    if (fixture.findings.length) expect(fixture.errata.length, "an invalid fixture names its ERRATA entry").toBeGreaterThan(0);
    for (const id of fixture.errata) expect(errataIds).toContain(id);
  });

  it("records a repair exactly when the spec's text is not JSON", () => {
    const example = examples.get(fixture.id.split(" ")[0]!)!;
    expect(example.section).toBe(fixture.section);
    const text = example.messages[fixture.message - 1]!.body ?? "";
    const strict = (() => {
      try {
        JSON.parse(text);
        return true;
      } catch {
        return false;
      }
    })();
    // Form bodies are decoded and bare documents read as their hint says: neither is repaired.
    const json = fixture.kind !== "document" && /^[[{]/.test(text.trim());
    expect(fixture.repairs.length > 0).toBe(json && !strict);
  });
});

it("ships a fixture for most spec examples, and a valid one for most of those", () => {
  expect(specExamples.length).toBeGreaterThan(60);
  expect(specExamples.filter((f) => f.findings.length === 0).length).toBeGreaterThan(specExamples.length / 2);
});
