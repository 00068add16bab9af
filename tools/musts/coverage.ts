/**
 * MUST coverage: which catalogue statements the conformance scenarios check.
 *
 *   node tools/musts/coverage.ts [--scenarios <module>] [--json]
 *
 * `computeCoverage` is a pure function over the catalogues and the scenario
 * list; `coverageMarkdown` renders its result (the docs site's "Conformance:
 * MUST coverage" page uses both). The CLI prints the table and fails when a
 * scenario names a statement id the catalogue does not have.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { Catalogue, MustEntry } from "./catalogue.ts";

/** What coverage needs of a conformance scenario (the package's `Scenario` has more). */
export interface ScenarioRef {
  id: string;
  spec: string;
  title: string;
  sections: readonly string[];
  /** Catalogue ids of the statements the scenario checks. */
  musts: readonly string[];
}

export interface CoveredMust {
  entry: MustEntry;
  scenarios: string[];
}

export interface SpecCoverage {
  spec: string;
  revision: string;
  statements: number;
  serverTestable: number;
  covered: CoveredMust[];
  uncovered: MustEntry[];
  notTestable: MustEntry[];
  /** Not-testable statements a scenario nevertheless lists (kept, but worth a look). */
  coveredNotTestable: CoveredMust[];
  /** Entries whose summary and verdict are still placeholders (see MustSource.allowPending). */
  pending: number;
  /** covered / serverTestable, 0 when nothing is testable. */
  share: number;
  scenarios: number;
}

export interface UnknownMust {
  scenario: string;
  must: string;
}

export interface Coverage {
  specs: SpecCoverage[];
  /** Scenario `musts` ids that are in no catalogue. */
  unknown: UnknownMust[];
  totals: { serverTestable: number; covered: number; share: number; scenarios: number };
}

export function computeCoverage(catalogues: Catalogue[], scenarios: ScenarioRef[]): Coverage {
  const byId = new Map<string, MustEntry>();
  for (const c of catalogues) for (const e of c.entries) byId.set(e.id, e);

  const coveredBy = new Map<string, string[]>();
  const unknown: UnknownMust[] = [];
  for (const scenario of scenarios) {
    for (const must of new Set(scenario.musts)) {
      if (!byId.has(must)) {
        unknown.push({ scenario: scenario.id, must });
        continue;
      }
      coveredBy.set(must, [...(coveredBy.get(must) ?? []), scenario.id]);
    }
  }

  const specs = catalogues.map((c): SpecCoverage => {
    const testable = c.entries.filter((e) => e.serverTestable);
    const covered = testable.filter((e) => coveredBy.has(e.id)).map((entry) => ({ entry, scenarios: coveredBy.get(entry.id)! }));
    const notTestable = c.entries.filter((e) => !e.serverTestable);
    return {
      spec: c.spec,
      revision: c.revision,
      statements: c.entries.length,
      serverTestable: testable.length,
      covered,
      uncovered: testable.filter((e) => !coveredBy.has(e.id)),
      notTestable,
      coveredNotTestable: notTestable.filter((e) => coveredBy.has(e.id)).map((entry) => ({ entry, scenarios: coveredBy.get(entry.id)! })),
      pending: c.entries.filter((e) => e.summaryBy === "pending").length,
      share: testable.length === 0 ? 0 : covered.length / testable.length,
      scenarios: scenarios.filter((s) => s.spec === c.spec).length,
    };
  });
  const serverTestable = specs.reduce((n, s) => n + s.serverTestable, 0);
  const covered = specs.reduce((n, s) => n + s.covered.length, 0);
  return {
    specs,
    unknown,
    totals: { serverTestable, covered, share: serverTestable === 0 ? 0 : covered / serverTestable, scenarios: scenarios.length },
  };
}

export function percent(share: number): string {
  return `${(Math.floor(share * 1000) / 10).toFixed(1)} %`;
}


export interface RenderOptions {
  /** Turns a spec and section into a link target, e.g. the spec document's anchor. */
  sectionLink?: (spec: string, section: string) => string | undefined;
  /** Where the scenario list came from, said under the headline. */
  scenarioSource?: string;
  /** Heading level of the per-spec sections (the page title is one above). */
  level?: number;
  /** Escapes text for the target renderer (the docs site passes one that keeps Vue from reading `{`, `<`). */
  escape?: (text: string) => string;
}

/** The whole report as markdown: headline table, then per spec covered / uncovered / not testable. */
export function coverageMarkdown(coverage: Coverage, options: RenderOptions = {}): string {
  const h = "#".repeat(options.level ?? 2);
  // A table cell: escaped for the renderer, one line, pipes escaped.
  const cell = (text: string) => (options.escape ?? ((t: string) => t))(text).replace(/\s*\n\s*/g, " ").replace(/\|/g, "\\|");
  // An id as a code span (renderers leave code spans alone, so no escaping beyond the table's pipes).
  const code = (id: string) => `\`${id.replace(/[`\n]/g, "").replace(/\|/g, "\\|")}\``;
  const out: string[] = [];
  out.push("| Spec | Statements | Server-testable | Covered | Uncovered | Not server-testable | Scenarios | Covered share |");
  out.push("|---|---:|---:|---:|---:|---:|---:|---:|");
  for (const s of coverage.specs) {
    out.push(`| ${s.spec} | ${s.statements} | ${s.serverTestable} | ${s.covered.length} | ${s.uncovered.length} | ${s.notTestable.length} | ${s.scenarios} | **${percent(s.share)}** |`);
  }
  out.push(`| All | ${coverage.specs.reduce((n, s) => n + s.statements, 0)} | ${coverage.totals.serverTestable} | ${coverage.totals.covered} | ${coverage.totals.serverTestable - coverage.totals.covered} | ${coverage.specs.reduce((n, s) => n + s.notTestable.length, 0)} | ${coverage.totals.scenarios} | **${percent(coverage.totals.share)}** |`);
  out.push("");
  if (options.scenarioSource) out.push(options.scenarioSource, "");
  if (coverage.unknown.length) {
    out.push(`${h} Scenario references to unknown statements`, "");
    out.push("| Scenario | Unknown id |", "|---|---|");
    for (const u of coverage.unknown) out.push(`| ${code(u.scenario)} | ${code(u.must)} |`);
    out.push("");
  }
  const ref = (e: MustEntry) => {
    const link = options.sectionLink?.(e.spec, e.section);
    return link ? `[§${e.section}](${link})` : `§${e.section}`;
  };
  for (const s of coverage.specs) {
    out.push(`${h} ${s.spec}`, "");
    out.push(`${s.covered.length} of ${s.serverTestable} server-testable statements covered (${percent(s.share)}); ${s.notTestable.length} not server-testable. Catalogue from ${s.revision}.`, "");
    if (s.pending) {
      out.push(`${s.pending} statements still await our summary: they are listed as "(Summary pending)", and whether they are server-testable is provisional (judged from the sentence's subject and section), so this share may move as they are read.`, "");
    }
    out.push(`${h}# Uncovered (${s.uncovered.length})`, "");
    if (s.uncovered.length) {
      out.push("| Id | Section | Key word | Summary |", "|---|---|---|---|");
      for (const e of s.uncovered) out.push(`| \`${e.id}\` | ${ref(e)} | ${e.keyword} | ${cell(e.summary)} |`);
    } else out.push("None.");
    out.push("");
    out.push(`${h}# Covered (${s.covered.length})`, "");
    if (s.covered.length) {
      out.push("| Id | Section | Key word | Summary | Scenarios |", "|---|---|---|---|---|");
      for (const c of s.covered) out.push(`| \`${c.entry.id}\` | ${ref(c.entry)} | ${c.entry.keyword} | ${cell(c.entry.summary)} | ${c.scenarios.map(code).join(", ")} |`);
    } else out.push("None yet.");
    out.push("");
    out.push(`${h}# Not server-testable (${s.notTestable.length})`, "");
    if (s.notTestable.length) {
      out.push("| Id | Section | Key word | Summary | Why not |", "|---|---|---|---|---|");
      for (const e of s.notTestable) out.push(`| \`${e.id}\` | ${ref(e)} | ${e.keyword} | ${cell(e.summary)} | ${cell(e.reason ?? "")} |`);
    } else out.push("None.");
    out.push("");
  }
  return out.join("\n");
}

const repoRoot = path.resolve(import.meta.dirname, "../..");
export const CATALOGUE_DIR = path.join(repoRoot, "packages/conformance/musts");

/** The committed catalogues, in spec order (file names sort that way). */
export async function readCatalogues(dir = CATALOGUE_DIR): Promise<Catalogue[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".json")).sort();
  return Promise.all(files.map(async (f) => JSON.parse(await readFile(path.join(dir, f), "utf8")) as Catalogue));
}

/**
 * The conformance package's scenario list: the module given, else the built
 * package. Without either (the package is not built, or not on this branch)
 * the list is empty and `source` says so, so a report shows 0 % honestly
 * instead of failing.
 */
export async function loadScenarios(module?: string): Promise<{ scenarios: ScenarioRef[]; source: string | null }> {
  const candidates = module ? [path.resolve(module)] : [path.join(repoRoot, "packages/conformance/dist/index.js")];
  for (const file of candidates) {
    let loaded: { scenarios?: unknown };
    try {
      loaded = (await import(pathToFileURL(file).href)) as { scenarios?: unknown };
    } catch (error) {
      if (module) throw new Error(`cannot load scenarios from ${file}: ${(error as Error).message}`);
      continue;
    }
    if (!Array.isArray(loaded.scenarios)) throw new Error(`${file} does not export a \`scenarios\` array`);
    return { scenarios: loaded.scenarios as ScenarioRef[], source: path.relative(repoRoot, file) };
  }
  return { scenarios: [], source: null };
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { scenarios: { type: "string" }, json: { type: "boolean", default: false } } });
  const { scenarios, source } = await loadScenarios(values.scenarios);
  const coverage = computeCoverage(await readCatalogues(), scenarios);
  if (values.json) console.log(JSON.stringify(coverage, null, 2));
  else console.log(coverageMarkdown(coverage, { scenarioSource: source ? `Scenarios from \`${source}\`.` : "No scenario list found (packages/conformance is not built): nothing is covered yet." }));
  for (const u of coverage.unknown) console.error(`scenario ${u.scenario} lists ${u.must}, which is in no catalogue`);
  if (coverage.unknown.length) process.exitCode = 1;
}
