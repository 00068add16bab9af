/**
 * One page per model of generated/json-schema: what it is, the section it
 * comes from, its fields (type, required, nullable) or enumeration values,
 * where it is used (operations and other models), and a validator box that
 * runs @cds-toolkit/validators in the browser.
 */
import { cell, frontMatter, text } from "./markdown.ts";
import { citedSection, isNullable, referencedModels, refModel, typeText } from "./schema-text.ts";
import { operationsOf, type Contract, type JsonObject, type ModelSchema, type Operation } from "./contract.ts";
import type { Page } from "./reference-pages.ts";

interface Usage {
  operations: Array<{ op: Operation; where: string }>;
  models: Set<string>;
}

export function modelPages(contract: Contract): Page[] {
  const usage = usages(contract);
  return contract.models.map((model) => ({ path: `models/${model.name}.md`, content: modelPage(contract, model, usage.get(model.name)) }));
}

/** Which spec a model belongs to: the one its description cites, else the first OpenAPI document that holds it. */
export function modelSpec(contract: Contract, model: ModelSchema): string {
  const cited = citedSection(model.schema.description);
  if (cited) return cited.spec;
  for (const spec of contract.specs) {
    const names = Object.keys(((spec.document.components ?? {}) as JsonObject).schemas ?? {}).map(refModel);
    if (names.includes(model.name)) return spec.spec;
  }
  return "Common";
}

function usages(contract: Contract): Map<string, Usage> {
  const map = new Map<string, Usage>();
  const get = (name: string) => {
    let u = map.get(name);
    if (!u) map.set(name, (u = { operations: [], models: new Set() }));
    return u;
  };
  for (const spec of contract.specs) {
    for (const op of operationsOf(spec)) {
      const body = op.operation.requestBody as JsonObject | undefined;
      for (const name of referencedModels(body)) get(name).operations.push({ op, where: "request body" });
      for (const [status, response] of Object.entries((op.operation.responses ?? {}) as Record<string, JsonObject>)) {
        for (const name of referencedModels(response.content)) get(name).operations.push({ op, where: `${status} response` });
      }
      for (const p of (op.operation.parameters ?? []) as JsonObject[]) {
        for (const name of referencedModels(p.schema)) get(name).operations.push({ op, where: `parameter \`${String(p.name)}\`` });
      }
    }
  }
  for (const model of contract.models) {
    for (const name of referencedModels(model.schema)) if (name !== model.name) get(name).models.add(model.name);
  }
  return map;
}

const link = (name: string) => `[${name}](./${name}.md)`;

function modelPage(contract: Contract, model: ModelSchema, usage: Usage | undefined): string {
  const s = model.schema;
  const cited = citedSection(s.description);
  const spec = modelSpec(contract, model);
  const parts = [frontMatter({ title: model.name }), `# ${model.name}`, ""];
  parts.push(
    `<p class="cds-model-meta">${spec}${cited ? ` · §${cited.section}` : ""} · JSON Schema <code>${model.file}</code></p>`,
    "",
    text(s.description ?? ""),
    "",
  );

  const properties = (s.properties ?? {}) as Record<string, JsonObject>;
  const required = new Set((s.required ?? []) as string[]);
  if (Object.keys(properties).length) {
    parts.push("## Fields", "", "| Field | Type | Required | Nullable | Description |", "|---|---|---|---|---|");
    for (const [name, node] of Object.entries(properties)) {
      parts.push(`| \`${name}\` | ${typeText(node, link, s)} | ${required.has(name) ? "required" : "optional"} | ${isNullable(node) ? "nullable" : "no"} | ${cell(node.description)} |`);
    }
    parts.push("");
    if (s.additionalProperties === false) parts.push("No other fields are allowed.", "");
  }
  if (Array.isArray(s.enum)) {
    parts.push("## Values", "", ...s.enum.map((v) => `- \`${String(v)}\``), "");
  } else if (!Object.keys(properties).length) {
    parts.push("## Type", "", typeText(s, link, s), "");
  }
  const variants = (s.anyOf ?? s.oneOf) as JsonObject[] | undefined;
  if (Array.isArray(variants) && Object.keys(properties).length === 0 && variants.length > 1) {
    parts.push("One of:", "", ...variants.map((v) => `- ${typeText(v, link, s)}`), "");
  }

  parts.push("## Where it is used", "");
  const ops = usage?.operations ?? [];
  const models = [...(usage?.models ?? [])].sort();
  if (!ops.length && !models.length) parts.push("Not referenced by an operation or another model (it stands alone, for instance as a bare document in the examples).", "");
  for (const { op, where } of ops) {
    parts.push(`- [\`${op.method.toUpperCase()} ${op.path}\`](/reference/${op.spec.slug}/${op.operationId}.md) (${op.spec.spec}), ${where}`);
  }
  if (models.length) parts.push(`- Fields of: ${models.map(link).join(", ")}`);
  parts.push("", "## Try it", "", "Paste a JSON value and check it against this model with `@cds-toolkit/validators`, running in your browser.", "", `<ValidatorBox model="${model.name}" />`, "");
  return parts.join("\n");
}
