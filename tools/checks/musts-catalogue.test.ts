/**
 * The committed MUST catalogues (packages/conformance/musts/) are well formed
 * and agree with the committed hand summaries (tools/musts/summaries/), by id
 * and statement hash. Runs from committed files only: the spec documents are
 * read by `node tools/musts/extract.ts --check`, not here.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PENDING_PREFIX, REASONS, parseAuthored, statementHash } from "../musts/catalogue.ts";
import { readCatalogues } from "../musts/coverage.ts";
import { MUST_SOURCES } from "../musts/specs.ts";
import { KEYWORDS } from "../musts/statements.ts";

const catalogues = await readCatalogues();
const sourceOf = new Map(MUST_SOURCES.map((s) => [s.spec, s]));

it("has a catalogue for CDS-WG1-01 and CDS-WG1-02 at least, each for a known spec and revision", () => {
  const specs = catalogues.map((c) => c.spec);
  expect(specs).toEqual(expect.arrayContaining(["CDS-WG1-01", "CDS-WG1-02"]));
  for (const c of catalogues) {
    expect(sourceOf.get(c.spec), c.spec).toBeDefined();
    expect(c.revision).toBe(sourceOf.get(c.spec)!.revision);
  }
});

it("gives every statement an id no other statement has", () => {
  const ids = catalogues.flatMap((c) => c.entries.map((e) => e.id));
  const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
  expect(dupes).toEqual([]);
});

describe.each(catalogues.map((c) => [c.spec, c] as const))("%s", (spec, catalogue) => {
  const source = sourceOf.get(spec)!;
  const reasons = new Set<string>(Object.values(REASONS));

  it("has well-formed ids that match the entry's spec and section", () => {
    const bad = catalogue.entries.filter((e) => {
      const m = /^([A-Z0-9]+-\d\d)-(\d+(?:\.\d+)*)-([1-9]\d*)$/.exec(e.id);
      return !m || m[1] !== source.short || m[2] !== e.section || e.spec !== spec;
    });
    expect(bad.map((e) => e.id)).toEqual([]);
  });

  it("numbers statements 1, 2, 3 … within a section, sections contiguous and in document order", () => {
    const problems: string[] = [];
    const seen = new Set<string>();
    let previous: { section: string; n: number; line: number } | null = null;
    for (const e of catalogue.entries) {
      const n = Number(e.id.slice(e.id.lastIndexOf("-") + 1));
      if (previous && previous.section === e.section) {
        if (n !== previous.n + 1) problems.push(`${e.id} follows ordinal ${previous.n}`);
      } else {
        if (seen.has(e.section)) problems.push(`§${e.section} appears twice (${e.id})`);
        if (n !== 1) problems.push(`${e.id} opens §${e.section}`);
        seen.add(e.section);
      }
      if (previous && e.line < previous.line) problems.push(`${e.id} (line ${e.line}) comes before line ${previous.line}`);
      previous = { section: e.section, n, line: e.line };
    }
    expect(problems).toEqual([]);
  });

  it("gives every statement a key word, a hash and a one-line summary that is not the statement", () => {
    const bad = catalogue.entries.filter(
      (e) =>
        !(KEYWORDS as readonly string[]).includes(e.keyword) ||
        !/^[0-9a-f]{12}$/.test(e.hash) ||
        typeof e.summary !== "string" ||
        e.summary.trim().length < 10 ||
        e.summary.length > 200 ||
        /\n/.test(e.summary) ||
        // A summary identical to the statement would hash the same: copying is caught without keeping the text.
        statementHash(e.summary) === e.hash,
    );
    expect(bad.map((e) => e.id)).toEqual([]);
  });

  it("gives a reason to every statement that is not server-testable, and none to the others", () => {
    expect(catalogue.entries.filter((e) => e.serverTestable && "reason" in e).map((e) => e.id)).toEqual([]);
    expect(catalogue.entries.filter((e) => !e.serverTestable && !e.reason?.trim()).map((e) => e.id)).toEqual([]);
  });

  it(`marks placeholder summaries as pending, and has them only where the source allows (${source.allowPending ? "allowed" : "not allowed"})`, () => {
    const pending = catalogue.entries.filter((e) => e.summaryBy === "pending");
    if (!source.allowPending) expect(pending.map((e) => e.id)).toEqual([]);
    expect(pending.filter((e) => !e.summary.startsWith(PENDING_PREFIX) || (e.reason !== undefined && !e.reason.includes("Provisional"))).map((e) => e.id)).toEqual([]);
    expect(catalogue.entries.filter((e) => e.summaryBy !== "pending" && e.summary.startsWith(PENDING_PREFIX)).map((e) => e.id)).toEqual([]);
  });

  it("takes each reason from the fixed list unless the summary file overrides it", async () => {
    const authored = parseAuthored(await readFile(summariesFile(source.slug), "utf8").catch(() => ""));
    const odd = catalogue.entries.filter((e) => e.reason && !reasons.has(e.reason) && e.summaryBy !== "pending" && !authored.get(e.id)?.reason);
    expect(odd.map((e) => e.id)).toEqual([]);
  });

  it("matches the hand summaries by id and hash: every hand entry is summarised, every summary line is used", async () => {
    const authored = parseAuthored(await readFile(summariesFile(source.slug), "utf8").catch(() => ""));
    const byId = new Map(catalogue.entries.map((e) => [e.id, e]));
    const mismatched = [...authored.values()].filter((a) => {
      const e = byId.get(a.id);
      return !e || e.hash !== a.hash || e.summary !== a.summary || e.serverTestable !== (a.verdict === "server") || e.summaryBy !== "hand";
    });
    expect(mismatched.map((a) => a.id)).toEqual([]);
    const handWithoutLine = catalogue.entries.filter((e) => e.summaryBy === "hand" && !authored.has(e.id));
    expect(handWithoutLine.map((e) => e.id)).toEqual([]);
    const unknownRule = catalogue.entries.filter((e) => e.summaryBy !== "hand" && e.summaryBy !== "pending" && !/^rule:[a-z-]+$/.test(e.summaryBy));
    expect(unknownRule.map((e) => e.id)).toEqual([]);
  });
});

function summariesFile(slug: string): string {
  return path.resolve(import.meta.dirname, "../musts/summaries", `${slug}.txt`);
}
