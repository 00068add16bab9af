/**
 * Finds the normative statements of a CDS spec document (markdown): every
 * sentence that uses one of the BCP 14 key words we catalogue, with the
 * numbered section it sits in.
 *
 * What counts (see tools/musts/README.md for the reasoning):
 * - key words MUST, MUST NOT, REQUIRED, SHALL, SHALL NOT — upper case only, as
 *   BCP 14 (RFC 8174) asks; SHOULD/RECOMMENDED/MAY are not obligations and are
 *   left out;
 * - text of numbered sections only, outside fenced code; the Terminology
 *   section's definition of the key words themselves and the non-normative
 *   Examples, References, Acknowledgments and Authors sections are skipped;
 * - one statement per sentence: a sentence with two key words is one
 *   statement, keyed by the first of them.
 */

export const KEYWORDS = ["MUST NOT", "SHALL NOT", "MUST", "REQUIRED", "SHALL"] as const;
export type Keyword = (typeof KEYWORDS)[number];

export interface Statement {
  /** The deepest numbered heading above the sentence, e.g. "4.2". */
  section: string;
  heading: string;
  keyword: Keyword;
  /** The sentence, whitespace collapsed (never written to the repository; it is hashed). */
  text: string;
  /** 1-based line of the document the sentence starts on. */
  line: number;
}

export interface FindOptions {
  /**
   * Section numbers as printed that the document gets wrong, mapped to the
   * number the heading's position implies (e.g. a duplicated number). Keeps
   * ids unique and in document order; each fix is recorded in spec/ERRATA.md.
   */
  headingFixes?: Record<string, { heading: string; section: string }>;
}

const HEADING = /^(#{1,6})\s+(.*?)\s*(?:<a id="[^"]*".*)?$/;
const NUMBERED = /^(\d+(?:\.\d+)*)\.?\s+(.*)$/;
/** Top-level sections whose text is not normative. */
const NON_NORMATIVE = /^(Examples|References|Acknowledg(e)?ments|Authors('|’)? Addresses|Authors)$/i;
const KEYWORD_RE = /\b(MUST NOT|SHALL NOT|MUST|REQUIRED|SHALL)\b/;
/** Abbreviations whose full stop does not end a sentence. */
const ABBREVIATIONS = /\b(e\.g|i\.e|etc|vs|cf|approx|Inc|Ltd|No)\.$/;

export function findStatements(markdown: string, options: FindOptions = {}): Statement[] {
  const lines = markdown.split(/\r?\n/);
  const statements: Statement[] = [];
  let section: string | null = null;
  let heading = "";
  let skipping = true; // front matter until the first numbered section
  let inFence = false;
  // The block (paragraph or list item) being collected: its lines and where it started.
  let block: { text: string[]; line: number } | null = null;

  const flush = () => {
    if (block && section && !skipping) {
      for (const sentence of splitSentences(block.text)) {
        const match = KEYWORD_RE.exec(sentence.text);
        if (!match) continue;
        if (isKeyWordDefinition(sentence.text)) continue;
        statements.push({ section, heading, keyword: match[1] as Keyword, text: sentence.text, line: block.line + sentence.lineOffset });
      }
    }
    block = null;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const trimmed = line.trim();
    if (trimmed.startsWith("```") || trimmed.startsWith("~~~")) {
      flush();
      inFence = !inFence;
      continue;
    }
    if (inFence) continue;
    const h = HEADING.exec(line);
    if (h) {
      flush();
      const level = h[1]!.length;
      const numbered = NUMBERED.exec(h[2]!);
      if (numbered) {
        let number = numbered[1]!;
        let title = numbered[2]!.trim();
        const fix = options.headingFixes?.[`${number} ${title}`];
        if (fix) {
          number = fix.section;
          title = fix.heading;
        }
        if (level === 2) skipping = NON_NORMATIVE.test(title);
        section = number;
        heading = title;
      } else if (level <= 2) {
        // Unnumbered top-level headings (Abstract, Status, Table of Contents …) are front matter.
        skipping = true;
        section = null;
      }
      continue;
    }
    if (trimmed === "" || /^(\||<\/?(table|tr|td|th|div|p|br)\b)/i.test(trimmed)) {
      // Blank lines end a block; table rows are their own blocks.
      flush();
      if (trimmed.startsWith("|")) {
        block = { text: [trimmed], line: i + 1 };
        flush();
      }
      continue;
    }
    // A list item starts a new block, so each bullet's sentences stay its own.
    if (/^\s*([*+-]|\d+\.)\s+/.test(line)) flush();
    if (!block) block = { text: [], line: i + 1 };
    block.text.push(trimmed);
  }
  flush();
  return statements;
}

/** The Terminology line that lists the key words (quoted) defines them; it obliges no one. */
function isKeyWordDefinition(sentence: string): boolean {
  return /"MUST",\s*"MUST NOT"/.test(sentence);
}

interface Sentence {
  text: string;
  lineOffset: number;
}

/**
 * Splits a block's lines into sentences. Spec authors mostly write one
 * sentence per line, but lines also hold several; a sentence ends at ". ",
 * "! " or "? " followed by something that can start a sentence, unless the
 * dot closes a known abbreviation or sits inside a code span.
 */
export function splitSentences(lines: string[]): Sentence[] {
  const sentences: Sentence[] = [];
  let current = "";
  let start = 0;
  lines.forEach((rawLine, lineIndex) => {
    const line = rawLine.replace(/^([*+-]|\d+\.)\s+/, "");
    if (current === "") start = lineIndex;
    let inCode = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (ch === "`") inCode = !inCode;
      current += ch;
      if (inCode || !".!?".includes(ch)) continue;
      const rest = line.slice(i + 1);
      if (!/^\s+[A-Z`_*"\[(]/.test(rest) && rest.trim() !== "") continue;
      if (ch === "." && ABBREVIATIONS.test(current)) continue;
      if (rest.trim() === "" && lineIndex === lines.length - 1) continue; // the block's end closes it anyway
      sentences.push({ text: normalise(current), lineOffset: start });
      current = "";
      start = lineIndex;
    }
    current += " ";
  });
  if (current.trim() !== "") sentences.push({ text: normalise(current), lineOffset: start });
  return sentences.filter((s) => s.text !== "");
}

export function normalise(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
