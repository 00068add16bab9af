/**
 * Reads the machine-checked part of spec/ERRATA.md: the "Example defects"
 * table. Each row names an example message and the exact findings the tests
 * must produce for it, so an erratum can neither hide a new defect nor outlive
 * the defect it describes.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { repoRoot } from "../codegen/contract.ts";

export const errataFile = path.join(repoRoot, "spec/ERRATA.md");

export interface ExampleErratum {
  id: string;
  /** `<example id> <message index>`, e.g. `wg1-01/7-2 #2` (messages count from 1). */
  message: string;
  findings: string[];
}

export async function readExampleErrata(): Promise<ExampleErratum[]> {
  return parseExampleErrata(await readFile(errataFile, "utf8"));
}

export function parseExampleErrata(markdown: string): ExampleErratum[] {
  const lines = markdown.split("\n");
  const start = lines.findIndex((l) => /^##\s+Example defects/.test(l));
  if (start === -1) throw new Error("spec/ERRATA.md has no '## Example defects' section");
  const rows: ExampleErratum[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^##\s/.test(line)) break;
    if (!line.startsWith("|") || /^\|\s*(ID|-)/.test(line)) continue;
    const cells = line.split("|").slice(1, -1).map((c) => c.trim());
    const [id, message, findings] = cells;
    if (!id || !message || findings === undefined) throw new Error(`ERRATA row not understood: ${line}`);
    rows.push({
      id,
      message: stripCode(message),
      findings: findings.split("<br>").map(stripCode).filter(Boolean).sort(),
    });
  }
  return rows;
}

function stripCode(text: string): string {
  return text.replace(/`/g, "").trim();
}
