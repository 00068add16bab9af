/**
 * Every example in the specs' Examples sections must exercise an operation of
 * our OpenAPI documents and validate (strictly: the examples show Server
 * output) against the model of that operation — or be listed, with the exact
 * findings, in spec/ERRATA.md.
 */
import { afterAll, describe, expect, it } from "vitest";
import { openapiDocuments, type ModelName } from "@cds-toolkit/schemas";
import { validate } from "@cds-toolkit/validators";
import type { JsonObject } from "../codegen/contract.ts";
import type { SpecExample } from "../examples/model.ts";
import { loadExamples, loadOperationHints, parseBody, readLeniently } from "./examples.ts";
import { readExampleErrata } from "./errata.ts";
import { resolveMessage } from "./example-messages.ts";
import type { OperationMatch } from "./operations.ts";

const examples = await loadExamples();
const errata = await readExampleErrata();
const hints = await loadOperationHints();
const documents = openapiDocuments as unknown as Record<string, JsonObject>;

/** What lenient (Client) validation refuses in each example body, keyed `<id> #<n>`. */
const clientRefusals = new Map<string, string[]>();

const tally = new Map<string, { examples: number; bodies: number; withErrata: number }>();

/** What checking one message of an example found; empty when it is correct. */
function check(example: SpecExample, index: number, lastRequest: OperationMatch | null): { findings: string[]; match: OperationMatch | null; validatedBody: boolean } {
  const { findings, match, model, values } = resolveMessage(example, index, lastRequest, hints, documents);
  if (!model) return { findings, match, validatedBody: false };
  for (const [prefix, value] of values) {
    const result = validate(model as ModelName, value, "strict");
    if (!result.ok) for (const error of result.errors) findings.push(`${prefix}${error.pointer} ${error.rule}`);
    const lenient = validate(model as ModelName, value, "lenient");
    if (!lenient.ok) {
      const key = `${example.id} #${index + 1}`;
      clientRefusals.set(key, [...(clientRefusals.get(key) ?? []), ...lenient.errors.map((e) => `${prefix}${e.pointer} ${e.rule}`)]);
    }
  }
  return { findings: [...new Set(findings)].sort(), match, validatedBody: true };
}

describe.each(examples.map((e) => [e.id, e] as const))("spec example %s", (_id, example) => {
  let lastRequest: OperationMatch | null = null;
  it.each(example.messages.map((m, i) => [i + 1, m.kind, i] as const))("message #%i (%s)", (n, _kind, index) => {
    const { findings, match, validatedBody } = check(example, index, lastRequest);
    if (example.messages[index]!.kind === "request") lastRequest = match;
    const key = `${example.id} #${n}`;
    const listed = errata.find((e) => e.message === key);
    const counts = tally.get(example.spec) ?? { examples: 0, bodies: 0, withErrata: 0 };
    counts.examples += index === 0 ? 1 : 0;
    counts.bodies += validatedBody ? 1 : 0;
    counts.withErrata += listed ? 1 : 0;
    tally.set(example.spec, counts);

    // A Client (lenient) refuses an example body only for a defect ERRATA records (a
    // missing REQUIRED member, a broken pattern): never for a rule a Server alone is
    // held to, nor for one that no ERRATA row owns.
    const refusals = [...new Set(clientRefusals.get(key) ?? [])];
    if (refusals.length > 0) expect(listed?.findings ?? [], `${key}: lenient refuses it; every refusal must be a recorded finding`).toEqual(expect.arrayContaining(refusals));
    if (listed) {
      expect(findings, `spec/ERRATA.md ${listed.id} lists ${key} with these findings`).toEqual(listed.findings);
    } else {
      expect(findings, `${key} (${example.spec} §${example.section}) fails; fix the model or record it in spec/ERRATA.md`).toEqual([]);
    }
  });
});

it("fails a deliberately broken example, naming the field", () => {
  const original = examples.find((e) => e.id === "wg1-01/7-1")!;
  const broken = structuredClone(original);
  const response = broken.messages[1]!;
  if (response.kind !== "response" || !response.body) throw new Error("wg1-01/7-1 #2 should be a response with a body");
  const body = readLeniently(response.body) as Record<string, unknown>;
  delete body.support;
  body.website = "not a url";
  response.body = JSON.stringify(body);
  const request = check(broken, 0, null);
  expect(check(broken, 1, request.match).findings).toEqual(["/support required", "/website format"]);
});

it("gives hints only for example requests and documents that exist", () => {
  const requests = new Set(examples.flatMap((e) => e.messages.flatMap((m, i) => (m.kind !== "response" ? [`${e.id} #${i + 1}`] : []))));
  expect(Object.keys(hints).filter((k) => !requests.has(k))).toEqual([]);
});

it("lists in ERRATA only examples that exist", () => {
  const known = new Set(examples.flatMap((e) => e.messages.map((_, i) => `${e.id} #${i + 1}`)));
  expect(errata.map((e) => e.message).filter((m) => !known.has(m))).toEqual([]);
});

afterAll(() => {
  console.log(`lenient (Client) validation refuses ${clientRefusals.size} example bodies, each for defects spec/ERRATA.md records`);
  for (const [spec, c] of tally) {
    console.log(`${spec}: ${c.examples} examples checked, ${c.bodies} bodies validated against their operation's schema, ${c.withErrata} messages with recorded errata`);
  }
});

it("the abbreviated §13.1.5 Authorization Server Metadata bodies break no field rule once the elided `issuer` is back (E-WG3-01-25, -27, -29)", () => {
  // Their `unevaluatedProperties` findings name declared members (`token_endpoint`,
  // `cds_*_api`): with `issuer` elided, Ajv leaves the members unevaluated that the §5
  // API-URL rule (a dependentSchemas on `issuer`) would have seen. Restoring only
  // `issuer` must leave nothing but the other elided REQUIRED members.
  for (const id of ["wg3-01/13.1.5-1", "wg3-01/13.1.5-2", "wg3-01/13.1.5-3"]) {
    const body = parseBody(examples.find((e) => e.id === id)!.messages[3]!);
    if (body.kind !== "json") throw new Error(`${id} #4 should be JSON`);
    const abbreviated = validate("CustomerDataClientAuthorizationServerMetadata", body.value, "strict");
    expect(abbreviated.ok ? [] : abbreviated.errors.filter((e) => e.rule === "unevaluatedProperties"), id).not.toEqual([]);
    const restored = validate("CustomerDataClientAuthorizationServerMetadata", { ...(body.value as object), issuer: "https://example.com" }, "strict");
    const rules = new Set(restored.ok ? [] : restored.errors.map((e) => e.rule));
    expect([...rules].filter((r) => r !== "required" && r !== "dependentRequired"), id).toEqual([]);
  }
});
