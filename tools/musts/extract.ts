/**
 * Extracts the MUST catalogue of each spec into packages/conformance/musts/<spec>.json.
 *
 *   node tools/musts/extract.ts [--reference <dir>] [--check] [--todo] [wg1-01 wg1-02 wg3-01]
 *
 * --reference (or CDS_REFERENCE_DIR) is the folder holding specs/*.md; it
 * defaults to ../shared/reference beside the repository. The documents are
 * read only here: the catalogue is committed, and nothing at run or test time
 * reads them.
 *
 * Statements without a summary (new in the document, or changed: their hash
 * no longer matches summaries/<spec>.txt) are listed and the run fails
 * without writing; --todo prints their text to the terminal so the author
 * can summarise them (the text itself is never written to the repository).
 * --check compares with the committed catalogue instead of writing.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { buildCatalogue, parseAuthored, statementHash, type Catalogue } from "./catalogue.ts";
import { MUST_SOURCES } from "./specs.ts";
import { findStatements } from "./statements.ts";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const CATALOGUE_DIR = path.join(repoRoot, "packages/conformance/musts");
const SUMMARIES_DIR = path.join(import.meta.dirname, "summaries");

const { values, positionals } = parseArgs({
  options: {
    reference: { type: "string", default: process.env.CDS_REFERENCE_DIR ?? path.resolve(repoRoot, "../shared/reference") },
    check: { type: "boolean", default: false },
    todo: { type: "boolean", default: false },
  },
  allowPositionals: true,
});

const wanted = positionals.length ? MUST_SOURCES.filter((s) => positionals.includes(s.slug)) : MUST_SOURCES;
let failed = false;
for (const source of wanted) {
  const markdown = await readFile(path.join(values.reference!, source.document), "utf8");
  const summariesFile = path.join(SUMMARIES_DIR, `${source.slug}.txt`);
  const authored = parseAuthored(await readFile(summariesFile, "utf8").catch(() => ""), path.relative(repoRoot, summariesFile));
  const statements = findStatements(markdown, { headingFixes: source.headingFixes });
  const { catalogue, missing, stale, orphaned } = buildCatalogue(source, statements, authored);

  for (const s of stale) console.error(`${s.id}: statement changed (hash ${s.was} → ${s.hash}); rewrite its summary`);
  for (const s of missing) console.error(`${s.id} ${s.hash}: no summary (§${s.section} ${s.heading}, line ${s.line})${values.todo ? `\n    ${s.text}` : ""}`);
  for (const id of orphaned) console.error(`${id}: summarised, but the document has no such statement any more`);
  if (missing.length || stale.length || orphaned.length) {
    console.error(`${source.spec}: ${missing.length} unsummarised, ${stale.length} changed, ${orphaned.length} orphaned — catalogue not written`);
    failed = true;
    continue;
  }

  const outFile = path.join(CATALOGUE_DIR, `${source.slug}.json`);
  const json = serialise(catalogue);
  if (values.check) {
    const committed = await readFile(outFile, "utf8").catch(() => "");
    if (committed !== json) {
      console.error(`${path.relative(repoRoot, outFile)} is stale: run node tools/musts/extract.ts ${source.slug}`);
      failed = true;
    } else console.log(`${source.spec}: ${catalogue.entries.length} statements, catalogue up to date`);
    continue;
  }
  await writeFile(outFile, json);
  const testable = catalogue.entries.filter((e) => e.serverTestable).length;
  const byRule = catalogue.entries.filter((e) => e.summaryBy.startsWith("rule:")).length;
  const pending = catalogue.entries.filter((e) => e.summaryBy === "pending");
  console.log(
    `${source.spec}: ${catalogue.entries.length} statements (${testable} server-testable; ${byRule} summarised by rule; ${pending.length} pending) -> ${path.relative(repoRoot, outFile)}`,
  );
  if (values.todo) for (const e of pending) console.error(`${e.id} ${e.hash}: pending (§${e.section} ${e.heading}, line ${e.line})\n    ${statements.find((s) => s.line === e.line && e.hash === statementHash(s.text))?.text ?? ""}`);
}
if (failed) process.exitCode = 1;

/** One entry per line keeps review diffs to the statements that changed. */
function serialise(catalogue: Catalogue): string {
  const { entries, ...head } = catalogue;
  const headJson = JSON.stringify(head, null, 2).replace(/\n}$/, "");
  return `${headJson},\n  "entries": [\n${entries.map((e) => `    ${JSON.stringify(e)}`).join(",\n")}\n  ]\n}\n`;
}
