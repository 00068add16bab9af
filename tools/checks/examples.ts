/** Loads the committed spec examples and parses their bodies the way a test needs them. */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import JSON5 from "json5";
import { repoRoot } from "../codegen/contract.ts";
import type { ExampleMessage, SpecExample } from "../examples/model.ts";

export const examplesDir = path.join(repoRoot, "spec/examples");

export async function loadExamples(): Promise<SpecExample[]> {
  const examples: SpecExample[] = [];
  for (const folder of (await readdir(examplesDir, { withFileTypes: true })).filter((d) => d.isDirectory())) {
    const dir = path.join(examplesDir, folder.name);
    for (const file of (await readdir(dir)).filter((f) => f.endsWith(".json")).sort(bySection)) {
      examples.push(JSON.parse(await readFile(path.join(dir, file), "utf8")) as SpecExample);
    }
  }
  return examples;
}

/** `7-2.json` before `7-10.json`, `12.2-1` before `12.10-1`. */
function bySection(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}

export type ParsedBody =
  | { kind: "none" }
  | { kind: "json"; value: unknown; strictJsonError: string | null }
  | { kind: "form"; value: Record<string, string> }
  | { kind: "text"; value: string };

export function contentType(message: ExampleMessage): string | null {
  if (message.kind === "document") return null;
  const header = message.headers.find(([name]) => name.toLowerCase() === "content-type");
  return header ? header[1].split(";")[0]!.trim().toLowerCase() : null;
}

/**
 * Parses a body as its media type says, or as JSON when it looks like JSON.
 * Bodies that are not strict JSON (the specs print some with trailing commas)
 * are read with JSON5 so the schema check can still run; the syntax error is
 * kept, because it is a defect of the example in its own right. Lines that
 * hold nothing but `...` (the specs' way of shortening a long body, such as
 * the Value Sets of CDS-WG3-01 §13.3.5) are dropped before that second read.
 */
export function parseBody(message: ExampleMessage): ParsedBody {
  const body = message.body;
  if (body === null || body.trim() === "") return { kind: "none" };
  const type = contentType(message);
  const trimmed = body.trim();
  if (type?.includes("json") || (!type && /^[[{]/.test(trimmed))) {
    try {
      return { kind: "json", value: JSON.parse(trimmed), strictJsonError: null };
    } catch (error) {
      return { kind: "json", value: readLeniently(withoutElisions(trimmed)), strictJsonError: (error as Error).message };
    }
  }
  if (type === "application/x-www-form-urlencoded" || (!type && /^[\w.-]+=/.test(trimmed))) {
    // The specs break long form bodies over lines "for readability".
    return { kind: "form", value: Object.fromEntries(new URLSearchParams(trimmed.replace(/\r?\n\s*/g, ""))) };
  }
  return { kind: "text", value: body };
}

/**
 * Reads a JSON body the spec printed with syntax slips: JSON5 takes trailing
 * commas; a comma missing between two members (a value, a line break, then a
 * quoted key) is put back first. Anything else is left to fail loudly.
 */
export function readLeniently(text: string): unknown {
  try {
    return JSON5.parse(text);
  } catch {
    return JSON5.parse(text.replace(/(["\]}]|\d|true|false|null)([ \t]*\r?\n\s*")/g, "$1,$2"));
  }
}

/** Drops the lines that stand for left-out content: `...`, alone or followed by a comma. */
export function withoutElisions(text: string): string {
  return text
    .split("\n")
    .filter((line) => !/^\s*\.\.\.\s*,?\s*$/.test(line))
    .join("\n");
}

/**
 * Operations for example requests whose URL the spec's own examples chose
 * (through metadata) rather than the reference path: `<example> #<n>` →
 * operationId, each with the reason (spec/examples/operation-hints.json).
 */
export async function loadOperationHints(): Promise<Record<string, ExampleHint>> {
  return JSON.parse(await readFile(path.join(examplesDir, "operation-hints.json"), "utf8")) as Record<string, ExampleHint>;
}

/**
 * What a hint says about one example message: the operation a request whose
 * URL no reference path matches exercises, or the model a bare document (a
 * URL's query, a JSON value, a JSON array of items) must match.
 */
export interface ExampleHint {
  operationId?: string;
  documentModel?: string;
  documentKind?: "url-query" | "json" | "json-array";
  why: string;
}

/** Reads a bare document the way its hint says, as `[pointer, value]` pairs to validate. */
export function readDocument(body: string, kind: NonNullable<ExampleHint["documentKind"]>): Array<[string, unknown]> {
  if (kind === "url-query") {
    const url = body.replace(/\s+/g, "");
    return [["", Object.fromEntries(new URL(url).searchParams)]];
  }
  const value = readLeniently(body.trim());
  if (kind === "json") return [["", value]];
  if (!Array.isArray(value)) throw new Error("document is not a JSON array");
  return value.map((item, i) => [`/${i}`, item]);
}
