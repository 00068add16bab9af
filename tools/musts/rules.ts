/**
 * Summaries for statements written in one of the specs' fixed sentence
 * shapes (a field list's "(REQUIRED)" marker, "the `x` value MUST be `y`", a
 * filter parameter …). Each rule rewrites the shape into our own words from
 * the identifiers it names, so hundreds of look-alike statements need no
 * hand-written line; anything else must be summarised in summaries/<spec>.txt.
 * A rule's wording is ours; only identifiers (field names, values) come from
 * the statement.
 */
import type { Statement } from "./statements.ts";
import type { Verdict } from "./catalogue.ts";

export interface RuleSummary {
  rule: string;
  summary: string;
  verdict: Verdict;
  reason?: string;
}

interface Rule {
  name: string;
  pattern: RegExp;
  summarise(match: RegExpExecArray, statement: Statement, objectNames?: Record<string, string>): Omit<RuleSummary, "rule"> | null;
}

/** Markdown links and emphasis reduced to their words: `_Array[[Foo](#foo)]_` → `Array[Foo]`. */
export function plain(text: string): string {
  return text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/(^|\W)_([^_]+)_(?=\W|$)/g, "$1$2")
    .replace(/\*\*?([^*]+)\*\*?/g, "$1")
    .trim();
}

/**
 * The object a section's field list describes, from its heading:
 * "Coverage Entry Format" → "Coverage Entry", "Listing Grants" → "Grants listing".
 */
export function objectName(heading: string): string {
  const listing = /^Listing\s+(.+)$/i.exec(heading);
  if (listing) return `${listing[1]} listing`;
  return heading.replace(/\s+(Object\s+)?Format$/i, (_, object: string | undefined) => (object ? " Object" : "")).trim();
}

/** A field list entry: "`name` - _type_ - (REQUIRED) …". */
const FIELD_BULLET = /^`([A-Za-z0-9_.$\[\]-]+)`\s+-\s+(.+?)\s+-\s+\(REQUIRED\)/;

const RULES: Rule[] = [
  {
    name: "required-field",
    pattern: FIELD_BULLET,
    summarise(m, s, objectNames) {
      if (s.keyword !== "REQUIRED") return null;
      const type = plain(m[2]!).replace(/`/g, "");
      return { summary: `${objectNames?.[s.section] ?? objectName(s.heading)}: \`${m[1]}\` is always present, as ${type}`, verdict: "server" };
    },
  },
  {
    name: "filter-parameter",
    pattern: /^`([a-z0-9_]+)`\s+-\s+A space-separated list of `([a-z0-9_]+)` values for which the Servers MUST filter the ([A-Za-z -]+?)\.?$/,
    summarise(m) {
      return { summary: `The \`${m[1]}\` query parameter keeps only ${m[3]} whose \`${m[2]}\` is among the listed ones`, verdict: "server" };
    },
  },
];

/** objectNames: section → object name, where a heading alone names the object ambiguously. */
export function summariseByRule(statement: Statement, objectNames?: Record<string, string>): RuleSummary | null {
  for (const rule of RULES) {
    const match = rule.pattern.exec(statement.text);
    if (!match) continue;
    const result = rule.summarise(match, statement, objectNames);
    if (result) return { rule: rule.name, ...result };
  }
  return null;
}
