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
/** "Accounts API" section headings give context; a rule summary starts with the heading it sits under. */
const under = (s: Statement) => objectName(s.heading);
/** Headings of the customer-facing form's layout and display components, whose lists are about presentation. */
const FORM_PRESENTATION = /^Authorization Form (Layout|Header Section|Requester Section|Requests Container|Request Section|Closing Section|Approval Section|Footer Section)$|^(Data|Duration|Purpose) Component$/;

/** What a statement ending in ":" introduces, said our way; the list items are statements of their own when they carry a key word. */
const LEAD_INS: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/Authorization Details Field Object MUST meet/, () => "the field's Authorization Details Field Object takes the settings listed below"],
  [/Scope Description object MUST meet/, () => "the scope's Scope Description takes the settings listed below"],
  [/MUST preselect ([A-Z][\w ]+?) based on/, (m) => `the authorization form preselects ${m[1]} by the criteria listed below`],
  [/following filters MUST be applied/, () => "an array value filters API responses as listed below"],
  [/^The `(\w+)` array MUST contain at least the following values/, (m) => `\`${m[1]}\` includes at least the values listed below`],
  [/^The `(\w+)` array MUST contain any the following values/, (m) => `\`${m[1]}\` includes those of the values listed below whose data the Server has`],
  [/^The `(\w+)` array MUST NOT contain any the following values/, (m) => `\`${m[1]}\` leaves out every value listed below`],
  [/^The `(\w+)` array MUST contain objects with the following `(\w+)` values/, (m) => `\`${m[1]}\` holds objects with each \`${m[2]}\` listed below`],
  [/MUST have the following additional fields/, () => "objects of this type carry the extra fields listed below"],
  [/MUST treat this Scope as having included `true` values/, () => "the scope grants by default the data of the fields listed below"],
  [/MUST include support for the following Scopes/, () => "the metadata offers the scopes listed below"],
  [/following (.*?)MUST also be supported by the Server/, () => "the Server also supports, for that scope, the fields listed below"],
  [/value of this field MUST be one of the following/, () => "the field takes one of the values listed below"],
  [/MUST only include references to ([A-Z][\w ]+?) that are included/, (m) => `the listed reference arrays point only at ${m[1]} that are included`],
  [/MUST include the following field values in any (.+?) objects accessible/, (m) => `${m[1]!.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")} objects reachable with the scope carry the values listed below`],
  [/values MUST be an? .*?of one of the following/, () => "values come only from the list below"],
  [/Servers MUST support Clients adding any of the following URL parameters/, () => "the listing accepts the filter parameters below and returns the intersection of their matches"],
  [/MUST implement the following/, () => "the Server behaves as listed below"],
];

const RULES_MORE: Rule[] = [
  {
    name: "value-is",
    pattern: /^The `(\w+)` value MUST be (?:set to )?(`[^`]+`|an empty string \(`""`\)|an empty array \(`\[\]`\))\.$/,
    summarise(m, s) {
      const value = m[2]!.startsWith("an empty string") ? "empty" : m[2]!.startsWith("an empty array") ? "an empty array" : m[2]!;
      return { summary: `${under(s)}: \`${m[1]}\` is ${value}`, verdict: "server" };
    },
  },
  {
    name: "values-include-exclude",
    pattern: /^The `(\w+)` value MUST contain at least the values (`[^`]+`) and (`[^`]+`) and MUST NOT contain the value (`[^`]+`)\.$/,
    summarise(m, s) {
      return { summary: `${under(s)}: \`${m[1]}\` has ${m[2]} and ${m[3]}, never ${m[4]}`, verdict: "server" };
    },
  },
  {
    name: "clients-ignore-unknown",
    pattern: /^Clients MUST ignore unknown (.+?)(?:,|\.)/,
    summarise(_m, s) {
      return { summary: `${under(s)}: Clients skip values and fields they do not know`, verdict: "client" };
    },
  },
  {
    name: "omit-when-unknown",
    pattern: /^If the Server does not know (?:the |which )?(.+?), this field MUST NOT be included\.$/,
    summarise(m, s) {
      const what = plain(m[1]!);
      return { summary: `${under(s)}: the field is left out when the Server does not know ${what.length > 60 ? "the fact it describes" : what}`, verdict: "internal" };
    },
  },
  {
    name: "authorized-identifiers",
    pattern: /^This list MUST only include identifiers that the Client is authorized to see/,
    summarise(_m, s) {
      return { summary: `${under(s)}: lists only identifiers inside the Client's grant`, verdict: "server" };
    },
  },
  {
    name: "listing-order",
    pattern: /^Listings of (.+?) objects MUST be ordered in reverse chronological order by `(\w+)`/,
    summarise(m) {
      return { summary: `${m[1]} objects are listed newest \`${m[2]}\` first`, verdict: "server" };
    },
  },
  {
    name: "search-term",
    pattern: /^`q` - A search term for which the Servers MUST filter the (.+?) following fields/,
    summarise(m) {
      return { summary: `The \`q\` parameter keeps ${m[1]} with a listed, visible field containing the term, ignoring case`, verdict: "server" };
    },
  },
  {
    name: "date-bound",
    pattern: /^`(before|after)` - A \[(date|datetime)\]\(#\w+\) for which the Server MUST filter (?:the )?(.+?) `(\w+)` to values that are on or (before|after) this (?:date|datetime)\.$/,
    summarise(m) {
      return { summary: `The \`${m[1]}\` parameter keeps ${m[3]} whose \`${m[4]}\` is on or ${m[5]} the given ${m[2]}`, verdict: "server" };
    },
  },
  {
    name: "omit-without-link",
    pattern: /^If there is not a link where a Customer may (.+?), this field MUST NOT be included\.$/,
    summarise(m, s) {
      return { summary: `${under(s)}: the link field is left out when there is no page to ${plain(m[1]!)}`, verdict: "internal" };
    },
  },
  {
    name: "omit-without-participation",
    pattern: /^If the (Account|Service Contract) has not participated in the program or the Server does not know the .+?'s (.+?), this field MUST NOT be included\.$/,
    summarise(m, s) {
      return { summary: `${under(s)}: the ${plain(m[2]!)} is left out when the ${m[1]} never took part or it is unknown`, verdict: "internal" };
    },
  },
  {
    name: "required-with",
    pattern: /^This field is REQUIRED if the `(\w+)` field is (?:included|populated with a URL)\.$/,
    summarise(m, s) {
      return { summary: `${under(s)}: the field is present whenever \`${m[1]}\` is`, verdict: "server" };
    },
  },
  {
    name: "list-lead-in",
    pattern: /:$/,
    summarise(_m, s) {
      for (const [pattern, say] of LEAD_INS) {
        const m = pattern.exec(s.text);
        if (m) return { summary: `${under(s)}: ${say(m)}`, verdict: /^Clients\b/.test(s.text) ? "client" : FORM_PRESENTATION.test(s.heading) ? "ui" : "server" };
      }
      return null;
    },
  },
];
RULES.push(...RULES_MORE);

export function summariseByRule(statement: Statement, objectNames?: Record<string, string>): RuleSummary | null {
  for (const rule of RULES) {
    const match = rule.pattern.exec(statement.text);
    if (!match) continue;
    const result = rule.summarise(match, statement, objectNames);
    if (result) return { rule: rule.name, ...result };
  }
  return null;
}
