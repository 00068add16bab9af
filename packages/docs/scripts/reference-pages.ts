/**
 * The API reference: one page per specification listing its operations, and
 * one page per operation with its parameters, bodies, responses and the
 * spec's own examples exercising it (repaired bodies, ERRATA notes).
 */
import { cell, codeBlock, errataAnchor, frontMatter, text } from "./markdown.ts";
import { refModel } from "./schema-text.ts";
import { operationsOf, type Contract, type JsonObject, type Operation, type SpecDocument } from "./contract.ts";
import { examplesByOperation, type ShownExample, type ShownMessage } from "./examples-by-operation.ts";

export interface Page {
  /** Path under the site root, e.g. `reference/cds-wg3-01/listAccounts.md`. */
  path: string;
  content: string;
}

export function referencePages(contract: Contract): Page[] {
  const pages: Page[] = [];
  for (const spec of contract.specs) {
    const examples = examplesByOperation(contract, spec);
    const operations = operationsOf(spec);
    pages.push({ path: `reference/${spec.slug}/index.md`, content: specIndex(spec, operations, examples) });
    for (const op of operations) {
      pages.push({ path: `reference/${spec.slug}/${op.operationId}.md`, content: operationPage(op, examples.get(op.operationId) ?? []) });
    }
  }
  return pages;
}

function specIndex(spec: SpecDocument, operations: Operation[], examples: Map<string, ShownExample[]>): string {
  const info = (spec.document.info ?? {}) as JsonObject;
  const rows = operations.map(
    (op) =>
      `| [\`${op.method.toUpperCase()} ${op.path}\`](./${op.operationId}.md) | ${cell(op.operation.summary)} | ${examples.get(op.operationId)?.length ?? 0} |`,
  );
  return `${frontMatter({ title: spec.title })}
# ${text(spec.title)}

${text(info.description ?? "")}

Contract version \`${text(info.version)}\`, generated from \`spec/\` (TypeSpec).
The OpenAPI 3.1 document: [${spec.slug}.json](/openapi/${spec.slug}.json){target="_self"}
(served by the reference server at \`/openapi/${spec.slug}.json\`).
The whole document rendered by Redoc, with the spec's examples attached to
their operations: <a href="/docs/redoc/${spec.slug}.html" target="_self">${text(spec.title)} in Redoc</a>.

| Operation | Summary | Spec examples |
|---|---|---|
${rows.join("\n")}
`;
}

function modelLink(name: string): string {
  return `[${name}](/models/${name}.md)`;
}

function schemaCell(schema: JsonObject | undefined): string {
  if (!schema) return "";
  if (typeof schema.$ref === "string") return modelLink(refModel(schema.$ref));
  if (typeof schema.contentMediaType === "string" || schema.format === "binary") return "raw bytes";
  return cell(schema.type ?? "");
}

function operationPage(op: Operation, shown: ShownExample[]): string {
  const o = op.operation;
  const params = (o.parameters ?? []) as JsonObject[];
  const body = o.requestBody as JsonObject | undefined;
  const responses = (o.responses ?? {}) as Record<string, JsonObject>;
  const urlFrom = typeof o["x-cds-url-from"] === "string" ? o["x-cds-url-from"] : null;
  const security = ((o.security ?? []) as JsonObject[]).map((s) => (Object.keys(s).length ? Object.entries(s).map(([k, v]) => `${k} (${(v as string[]).join(", ") || "any"})`).join(" + ") : "none"));

  const parts = [
    frontMatter({ title: `${op.operationId}: ${String(o.summary ?? "")}` }),
    `# ${text(o.summary ?? op.operationId)}`,
    "",
    `<p class="cds-operation"><code class="cds-method">${op.method.toUpperCase()}</code> <code>${text(op.path)}</code> · operationId <code>${op.operationId}</code> · ${op.spec.spec}</p>`,
    "",
    text(o.description ?? ""),
    "",
  ];
  if (urlFrom) parts.push(`The URL is not fixed: a Client reads it from \`${urlFrom}\`; the path above is the reference server's.`, "");
  if (security.length) parts.push(`**Authentication:** ${cell(security.join(" or "))}`, "");
  if (params.length) {
    parts.push("## Parameters", "", "| Name | In | Required | Type | Description |", "|---|---|---|---|---|");
    for (const p of params) parts.push(`| \`${p.name}\` | ${p.in} | ${p.required ? "yes" : "no"} | ${schemaCell(p.schema as JsonObject)} | ${cell(p.description)} |`);
    parts.push("");
  }
  if (body) {
    parts.push("## Request body", "", "| Media type | Model |", "|---|---|");
    for (const [media, content] of Object.entries((body.content ?? {}) as Record<string, JsonObject>)) {
      parts.push(`| \`${media}\` | ${schemaCell(content.schema as JsonObject)} |`);
    }
    parts.push("");
  }
  parts.push("## Responses", "", "| Status | Description | Media type | Model |", "|---|---|---|---|");
  for (const [status, response] of Object.entries(responses)) {
    const content = Object.entries((response.content ?? {}) as Record<string, JsonObject>);
    if (!content.length) parts.push(`| ${status} | ${cell(response.description)} | | |`);
    for (const [media, c] of content) parts.push(`| ${status} | ${cell(response.description)} | \`${media}\` | ${schemaCell(c.schema as JsonObject)} |`);
  }
  parts.push("", "## Examples from the specification", "");
  if (!shown.length) parts.push(`${op.spec.spec}'s Examples section has no example of this operation.`, "");
  for (const ex of shown) parts.push(...exampleSection(ex));
  return parts.join("\n");
}

function exampleSection({ example, messages }: ShownExample): string[] {
  const out = [`### ${text(example.spec)} §${example.section} ${text(example.heading)} {#example-${example.id.replace(/[^a-z0-9]+/gi, "-")}}`, ""];
  out.push(`Example \`${example.id}\`, from \`${example.source.document}\` lines ${example.source.lines[0]}–${example.source.lines[1]} at \`${example.source.revision}\`.`, "");
  for (const m of messages) out.push(...messageSection(m));
  return out;
}

function messageSection(m: ShownMessage): string[] {
  const head = [m.line, ...m.headers.map(([k, v]) => `${k}: ${v}`)].join("\n");
  const out = [`**${m.kind === "request" ? "Request" : "Response"}** (\`${m.key}\`)`, "", codeBlock(head, "http")];
  if (m.body !== null) out.push("", codeBlock(m.body, m.mediaType?.includes("json") || m.value !== null && typeof m.value === "object" ? "json" : ""));
  if (m.erratum || m.repaired) {
    out.push("", "::: warning ERRATA");
    if (m.repaired) out.push("The specification prints this body as something other than strict JSON; it is shown here as the tests read it (JSON5, without `...` elision lines).");
    if (m.erratum) {
      out.push(
        `Recorded as [${m.erratum.id}](/errata.md#${errataAnchor(m.erratum.id)}): the checks find ${m.erratum.findings.map((f) => `\`${f}\``).join(", ")}.`,
      );
    }
    out.push(":::");
  }
  out.push("");
  return out;
}

/**
 * A copy of the OpenAPI document with the spec's example bodies attached as
 * media-type `examples`, for the Redoc rendering. The served documents under
 * /openapi/ stay exactly as generated.
 */
export function documentWithExamples(contract: Contract, spec: SpecDocument): JsonObject {
  const doc = structuredClone(spec.document);
  const shownBy = examplesByOperation(contract, spec);
  for (const op of operationsOf({ ...spec, document: doc })) {
    for (const { example, messages } of shownBy.get(op.operationId) ?? []) {
      for (const m of messages) {
        if (m.value === null || m.body === null) continue;
        const media = m.mediaType ?? "application/json";
        const target =
          m.kind === "request"
            ? (op.operation.requestBody as JsonObject | undefined)
            : ((op.operation.responses ?? {}) as Record<string, JsonObject>)[String(m.status)];
        const content = (target?.content ?? {}) as Record<string, JsonObject>;
        const slot = content[media] ?? Object.values(content)[0];
        if (!slot) continue;
        const examples = (slot.examples ?? {}) as Record<string, JsonObject>;
        examples[m.key.replace(/[^a-z0-9]+/gi, "-")] = {
          summary: `${example.spec} §${example.section} (${m.key})`,
          ...(m.erratum ? { description: `ERRATA ${m.erratum.id}: ${m.erratum.findings.join(", ")}` } : {}),
          value: m.value,
        };
        slot.examples = examples;
      }
    }
  }
  return doc;
}
