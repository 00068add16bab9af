/**
 * The spec examples as fixtures a consumer can import
 * (`@cds-toolkit/schemas/examples`): every example body that has a model,
 * parsed into plain JSON, with where it comes from (spec, section, message),
 * the model it is checked against, how its text had to be repaired to parse,
 * and the ERRATA entries and findings recorded for it. The spec-examples
 * check proves those findings are exactly what strict validation reports.
 */
import JSON5 from "json5";
import { readExampleErrata } from "../checks/errata.ts";
import { resolveMessage } from "../checks/example-messages.ts";
import { loadExamples, loadOperationHints, withoutElisions } from "../checks/examples.ts";
import type { OperationMatch } from "../checks/operations.ts";
import type { SpecExampleFixture } from "../../packages/schemas/src/examples-type.ts";
import type { JsonObject } from "./contract.ts";

/** The shape the package declares for its consumers; written here, read there. */
export type ExampleFixture = SpecExampleFixture;

/** How a body the spec printed as invalid JSON was read (examples.ts `parseBody`). */
function repairsOf(text: string): string[] {
  const repairs: string[] = [];
  const trimmed = text.trim();
  const elided = withoutElisions(trimmed);
  if (elided !== trimmed) repairs.push("dropped the lines that only hold `...` (left-out content)");
  try {
    JSON5.parse(elided);
    repairs.push("read as JSON5: trailing commas or other non-JSON syntax");
  } catch {
    repairs.push("restored the commas missing between members, then read as JSON5");
  }
  return repairs;
}

/** A schema finding (`<pointer> <rule>`) rather than one about syntax, status or operation. */
const isSchemaFinding = (f: string) => f.startsWith("/") || f.startsWith(" ");

export async function exampleFixtures(documents: Record<string, JsonObject>): Promise<ExampleFixture[]> {
  const [examples, errata, hints] = await Promise.all([loadExamples(), readExampleErrata(), loadOperationHints()]);
  const fixtures: ExampleFixture[] = [];
  for (const example of examples) {
    let lastRequest: OperationMatch | null = null;
    example.messages.forEach((message, index) => {
      const resolved = resolveMessage(example, index, lastRequest, hints, documents);
      if (message.kind === "request") lastRequest = resolved.match;
      if (!resolved.model) return;
      const key = `${example.id} #${index + 1}`;
      const listed = errata.filter((e) => e.message === key);
      const json = resolved.body?.kind === "json" ? resolved.body : null;
      const repairs = json?.strictJsonError ? repairsOf(message.body ?? "") : [];
      for (const [prefix, value] of resolved.values) {
        fixtures.push({
          id: prefix ? `${key}${prefix}` : key,
          spec: example.spec,
          section: example.section,
          heading: example.heading,
          message: index + 1,
          kind: message.kind,
          ...(message.kind === "request" ? { method: message.method, target: message.target } : {}),
          ...(message.kind === "response" ? { status: message.status } : {}),
          ...(resolved.match ? { operationId: resolved.match.operationId } : {}),
          model: resolved.model as SpecExampleFixture["model"],
          repairs,
          errata: listed.map((e) => e.id),
          findings: listed
            .flatMap((e) => e.findings)
            .filter(isSchemaFinding)
            // A JSON-array document's findings carry the item's pointer first; each item keeps its own.
            .filter((f) => !prefix || f.startsWith(`${prefix}/`) || f.startsWith(`${prefix} `))
            .map((f) => f.slice(prefix.length))
            .sort(),
          value,
        });
      }
    });
  }
  return fixtures;
}
