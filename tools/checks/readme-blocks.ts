/**
 * The shell blocks of a README, read as `readme-blocks.test.ts` runs them:
 * every ```sh (or bash, shell) block in document order, each with the
 * expected output that follows it, the variables it needs and its marker.
 *
 * Conventions (also in the root README's "README blocks are tested"):
 * - A shell block runs unless the line just before its fence (blank lines
 *   aside) is a marker comment, `<!-- readme-test: <kind> [words] -->`:
 *   `skip <reason>` (never run: the reason says what tests it instead),
 *   `long <reason>` (runs only with README_TEST_LONG=1), or
 *   `browser` (a person acts in a browser mid-block; the test plays that
 *   person, see `browserPlaceholders`).
 * - A block's first comment line `# Needs: A, B (where they come from)`
 *   names every variable it uses but does not set; the test checks the list.
 * - The expected output is the next fenced block whose info string ends in
 *   `output` (```json output, ```text output), before the next shell block.
 *   Every line must match in order, whitespace around JSON punctuation aside;
 *   `…` inside a line matches any text, a line of just `…` any lines.
 * - `NAME=...` (three dots) is a value the reader supplies; the test
 *   supplies it from its own table (`placeholderNames`).
 */

export type MarkerKind = "skip" | "long" | "browser";

export interface ShellBlock {
  /** 1-based line of the opening fence, for messages. */
  line: number;
  code: string;
  marker?: { kind: MarkerKind; words: string };
  /** The expected output's lines, or undefined when the README shows none. */
  output?: string[];
}

const FENCE = /^```\s*([^\s`]*)\s*(.*)$/;
const MARKER = /^<!--\s*readme-test:\s*(skip|long|browser)\b\s*(.*?)\s*-->$/;
const SHELL = new Set(["sh", "bash", "shell"]);

export function shellBlocks(markdown: string): ShellBlock[] {
  const lines = markdown.split("\n");
  const blocks: ShellBlock[] = [];
  let lastNonBlank = "";
  for (let i = 0; i < lines.length; i++) {
    const fence = FENCE.exec(lines[i]!);
    if (!fence) {
      if (lines[i]!.trim()) lastNonBlank = lines[i]!.trim();
      continue;
    }
    const [, lang = "", info = ""] = fence;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    if (SHELL.has(lang)) {
      const marker = MARKER.exec(lastNonBlank);
      blocks.push({ line: start + 1, code: body.join("\n"), ...(marker ? { marker: { kind: marker[1] as MarkerKind, words: marker[2]! } } : {}) });
    } else if (/\boutput$/.test(info.trim()) && blocks.length && !blocks.at(-1)!.output) {
      blocks.at(-1)!.output = body;
    }
    lastNonBlank = lines[start]!.trim();
  }
  return blocks;
}

/** Variables a shell snippet reads (upper-case names only: the README's own). */
export function usedVariables(code: string): Set<string> {
  const used = new Set<string>();
  for (const line of code.split("\n")) {
    if (/^\s*#/.test(line)) continue;
    // Single-quoted text is not expanded by the shell (jq programs, JSON bodies).
    const expanded = line.replace(/'[^']*'/g, "''");
    for (const m of expanded.matchAll(/\$\{?([A-Z_][A-Z0-9_]*)/g)) used.add(m[1]!);
  }
  return used;
}

/** Variables a shell snippet assigns (`NAME=` at a command's start, `for NAME in`, `read NAME`). */
export function assignedVariables(code: string): Set<string> {
  const set = new Set<string>();
  for (const m of code.matchAll(/(?:^|[;&|(]\s*|\s)([A-Z_][A-Z0-9_]*)=/gm)) set.add(m[1]!);
  for (const m of code.matchAll(/\b(?:for|read)\s+([A-Z_][A-Z0-9_]*)/g)) set.add(m[1]!);
  return set;
}

/** The names a block declares in its `# Needs:` comment. */
export function declaredNeeds(code: string): Set<string> {
  const line = code.split("\n").find((l) => /^\s*#\s*Needs:/i.test(l));
  if (!line) return new Set();
  const list = line.replace(/^\s*#\s*Needs:/i, "").replace(/\([^)]*\)/g, "");
  return new Set([...list.matchAll(/\b([A-Z_][A-Z0-9_]*)\b/g)].map((m) => m[1]!));
}

/** `NAME=...` lines: values the reader supplies. */
export function placeholderNames(code: string): string[] {
  return [...code.matchAll(/^\s*([A-Z_][A-Z0-9_]*)=\.\.\.(?:\s|$)/gm)].map((m) => m[1]!);
}

/** Variables every shell has, never listed as needs. */
export const ENVIRONMENT = new Set(["HOME", "PATH", "PWD", "USER", "SHELL", "TMPDIR"]);

/** What a block reads that neither it, an earlier line of it, nor the environment sets. */
export function undeclaredNeeds(code: string): string[] {
  const assigned = assignedVariables(code);
  const declared = declaredNeeds(code);
  return [...usedVariables(code)].filter((v) => !assigned.has(v) && !declared.has(v) && !ENVIRONMENT.has(v)).sort();
}

/**
 * Output lines as the comparison sees them: pretty-printed JSON documents
 * folded onto one line each, blank lines dropped, whitespace around JSON
 * punctuation removed.
 */
export function normaliseOutput(text: string): string[] {
  const out: string[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    if (/^[[{]/.test(line) && !parses(line)) {
      // A document printed over several lines (jq without -c): gather it.
      let doc = line;
      let j = i + 1;
      for (; j < lines.length && !parses(doc); j++) doc += `\n${lines[j]}`;
      if (parses(doc)) {
        out.push(squeeze(JSON.stringify(JSON.parse(doc))));
        i = j - 1;
        continue;
      }
    }
    out.push(squeeze(line));
  }
  return out;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function squeeze(line: string): string {
  return line.replace(/\s*([{}[\],:])\s*/g, "$1").replace(/\s+/g, " ").trim();
}

const ELLIPSIS = "…";

function lineMatches(pattern: string, actual: string): boolean {
  const regex = pattern
    .split(ELLIPSIS)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join("[^\\n]*");
  return new RegExp(`^${regex}$`).test(actual);
}

/** Whether `actual` lines match the `expected` pattern lines (see the conventions above). */
export function outputMatches(expected: string[], actual: string[]): boolean {
  const patterns = expected.map((l) => squeeze(l)).filter(Boolean);
  const match = (p: number, a: number): boolean => {
    if (p === patterns.length) return a === actual.length;
    if (patterns[p] === ELLIPSIS) {
      for (let k = a; k <= actual.length; k++) if (match(p + 1, k)) return true;
      return false;
    }
    return a < actual.length && lineMatches(patterns[p]!, actual[a]!) && match(p + 1, a + 1);
  };
  return match(0, 0);
}
