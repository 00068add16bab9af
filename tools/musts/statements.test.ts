import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PENDING_PREFIX, REASONS, assignIds, buildCatalogue, parseAuthored, statementHash } from "./catalogue.ts";
import { summariseByRule } from "./rules.ts";
import { findStatements, splitSentences } from "./statements.ts";
import type { MustSource } from "./specs.ts";

// A made-up spec in the layout of the CDS documents (our own sentences).
const doc = [
  "# CDS-XX-01 - Widgets",
  "## Abstract <a id=\"abstract\">🔗</a>",
  "Implementations MUST read this abstract, but it is front matter.",
  "## 1. Terminology <a id=\"terminology\">🔗</a>",
  "Key Words: \"MUST\", \"MUST NOT\", \"REQUIRED\", \"SHALL\" are defined in BCP 14.",
  "## 2. Widget Endpoint <a id=\"widgets\">🔗</a>",
  "Servers MUST answer GET with a widget (e.g. a gear). Servers SHOULD be quick.",
  "Servers must also be polite, in lower case, which does not count.",
  "```",
  "Code MUST NOT be scanned.",
  "```",
  "### 2.1. Widget Object Format <a id=\"widget-format\">🔗</a>",
  "* `size` - _[integer](#integer)_ - (REQUIRED) How big it is.",
  "  It MUST NOT be negative.",
  "* `colour` - _[string](#string)_ - (OPTIONAL) Its colour.",
  "  This field is REQUIRED if `size` is over",
  "  ten.",
  "| table | Servers MUST render tables as their own blocks |",
  "## 3. Examples <a id=\"examples\">🔗</a>",
  "Servers MUST ignore this, the examples are not normative.",
  "## 4. Security <a id=\"security\">🔗</a>",
  "Servers SHALL NOT leak widgets.",
].join("\n");

describe("findStatements", () => {
  const found = findStatements(doc);

  it("keeps upper-case key words of numbered, normative sections, one statement per sentence", () => {
    expect(found.map((s) => [s.section, s.keyword, s.line])).toEqual([
      ["2", "MUST", 7],
      ["2.1", "REQUIRED", 13],
      ["2.1", "MUST NOT", 13],
      ["2.1", "REQUIRED", 15],
      ["2.1", "MUST", 18],
      ["4", "SHALL NOT", 22],
    ]);
  });

  it("joins a sentence wrapped over lines and does not split at an abbreviation", () => {
    expect(found[0]!.text).toBe("Servers MUST answer GET with a widget (e.g. a gear).");
    expect(found[3]!.text).toBe("This field is REQUIRED if `size` is over ten.");
  });

  it("records the heading and applies a heading fix", () => {
    expect(found[1]!.heading).toBe("Widget Object Format");
    const fixed = findStatements(doc, { headingFixes: { "2.1 Widget Object Format": { section: "2.2", heading: "Widget Object" } } });
    expect(fixed.filter((s) => s.section === "2.2")).toHaveLength(4);
  });
});

describe("splitSentences", () => {
  it("does not split inside a code span", () => {
    expect(splitSentences(["Use `a. B` here. Then stop."]).map((s) => s.text)).toEqual(["Use `a. B` here.", "Then stop."]);
  });

  // Property: however sentences are spread over lines, each one comes back whole, in order.
  const word = fc.constantFrom("alpha", "beta", "Gamma", "MUST", "delta", "`x.y`", "(e.g. this)");
  const sentence = fc.array(word, { minLength: 1, maxLength: 6 }).map((ws) => `${ws[0]!.replace(/^./, (c) => c.toUpperCase())} ${ws.slice(1).join(" ")}`.trim() + ".");
  it("returns every sentence unchanged whatever the line breaks", () => {
    fc.assert(
      fc.property(fc.array(sentence, { minLength: 1, maxLength: 8 }), fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }), (sentences, breaks) => {
        const lines: string[] = [];
        sentences.forEach((s, i) => {
          if (i === 0 || breaks[i]) lines.push(s);
          else lines[lines.length - 1] += ` ${s}`;
        });
        expect(splitSentences(lines).map((s) => s.text)).toEqual(sentences);
      }),
    );
  });
});

describe("ids and catalogue", () => {
  const source: MustSource = { short: "XX-01", spec: "CDS-XX-01", document: "x.md", revision: "x@1", slug: "xx-01" };
  const statements = findStatements(doc);

  it("numbers statements within their section, in document order, deterministically", () => {
    const ids = assignIds("XX-01", statements).map((s) => s.id);
    expect(ids).toEqual(["XX-01-2-1", "XX-01-2.1-1", "XX-01-2.1-2", "XX-01-2.1-3", "XX-01-2.1-4", "XX-01-4-1"]);
    expect(assignIds("XX-01", findStatements(doc)).map((s) => s.hash)).toEqual(assignIds("XX-01", statements).map((s) => s.hash));
  });

  it("takes hand summaries, falls back to rules, and reports what is missing or changed", () => {
    const [first, , second] = assignIds("XX-01", statements);
    const authored = parseAuthored(
      [
        "# comment",
        `XX-01-2-1 ${first!.hash} server Widgets come back on GET`,
        `XX-01-2.1-2 ${"0".repeat(12)} server Sizes are never negative`,
        `XX-01-4-1 ${statementHash(statements[5]!.text)} operator Nothing leaks || Only an audit can tell.`,
        `XX-01-9-1 ${"1".repeat(12)} client Gone from the document`,
      ].join("\n"),
    );
    const { catalogue, missing, stale, orphaned } = buildCatalogue(source, statements, authored);
    expect(catalogue.entries.map((e) => [e.id, e.summaryBy, e.serverTestable])).toEqual([
      ["XX-01-2-1", "hand", true],
      ["XX-01-2.1-1", "rule:required-field", true],
      ["XX-01-4-1", "hand", false],
    ]);
    expect(catalogue.entries[1]!.summary).toBe("Widget Object: `size` is always present, as integer");
    expect(catalogue.entries[2]!.reason).toBe("Only an audit can tell.");
    expect(stale.map((s) => [s.id, s.was, s.hash])).toEqual([["XX-01-2.1-2", "0".repeat(12), second!.hash]]);
    expect(missing.map((s) => s.id)).toEqual(["XX-01-2.1-3", "XX-01-2.1-4"]);
    expect(orphaned).toEqual(["XX-01-9-1"]);
  });

  it("with allowPending, catalogues unsummarised statements as pending, with a provisional verdict by subject", () => {
    const pendingDoc = "## 5. Things\nClients MUST be kind. Servers MUST be quick.\n## 9. More\n### 9.2.1. Form Layout\nThe Server MUST show a title.\n";
    const { catalogue, missing } = buildCatalogue({ ...source, allowPending: true }, findStatements(pendingDoc), new Map());
    expect(missing).toEqual([]);
    expect(catalogue.entries.map((e) => [e.id, e.summaryBy, e.serverTestable, e.summary.startsWith(PENDING_PREFIX), e.reason?.includes("Provisional") ?? null])).toEqual([
      ["XX-01-5-1", "pending", false, true, true],
      ["XX-01-5-2", "pending", true, true, null],
      ["XX-01-9.2.1-1", "pending", false, true, true],
    ]);
    expect(catalogue.entries[2]!.reason).toContain(REASONS.ui);
  });

  it("rejects malformed summary lines and unknown verdicts, naming the line", () => {
    expect(() => parseAuthored("XX-01-1-1 abc server Too short a hash", "f.txt")).toThrow(/f\.txt:1/);
    expect(() => parseAuthored(`XX-01-1-1 ${"a".repeat(12)} maybe Unsure`, "f.txt")).toThrow(/verdict "maybe"/);
  });
});

describe("rules", () => {
  const at = (text: string, heading = "Gadget Object Format") => summariseByRule({ section: "1", heading, keyword: "REQUIRED", text, line: 1 });
  it("summarise a required field from its name, type and object, and nothing else", () => {
    expect(at("`gadget_id` - _[string](#string)_ - (REQUIRED) The identifier.")?.summary).toBe("Gadget Object: `gadget_id` is always present, as string");
    expect(at("`items` - _Array[[Item](#item)]_ - (REQUIRED) Items.", "Listing Gadgets")?.summary).toBe("Gadgets listing: `items` is always present, as Array[Item]");
    expect(at("`note` - _[string](#string)_ - (OPTIONAL) A note.")).toBeNull();
  });
});
