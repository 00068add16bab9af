/**
 * The "Conformance: MUST coverage" page: the committed MUST catalogues
 * (packages/conformance/musts/, built by tools/musts/extract.ts) against the
 * conformance suite's scenario list, computed at build time by
 * tools/musts/coverage.ts. The docs build refuses to run without the built
 * conformance package (scripts/build.ts); the empty-list wording stays for
 * callers that render the page from the catalogue alone.
 */
import type { Catalogue } from "../../../tools/musts/catalogue.ts";
import { computeCoverage, coverageMarkdown, percent, type ScenarioRef } from "../../../tools/musts/coverage.ts";
import { frontMatter, text } from "./markdown.ts";
import type { Page } from "./reference-pages.ts";

export const COVERAGE_PAGE = "conformance/must-coverage";

export function coveragePage(catalogues: Catalogue[], scenarios: ScenarioRef[], scenarioSource: string | null): Page {
  const coverage = computeCoverage(catalogues, scenarios);
  const source = scenarioSource
    ? `Scenarios: ${scenarios.length}, read from \`${scenarioSource}\` when this site was built.`
    : "**No scenarios yet:** the conformance package (`@cds-toolkit/conformance`) was not built when this site was, so no statement counts as covered.";
  const headline = coverage.specs.map((s) => `${s.spec} ${percent(s.share)}`).join(" · ");
  const body = [
    "# Conformance: MUST coverage",
    "",
    "The conformance suite checks a CDS Server from the outside, over HTTP. Each scenario names the normative statements it checks; this page counts, per specification, how many of the statements a Server can be checked against are covered.",
    "",
    `**Share of server-testable statements covered:** ${headline}.`,
    "",
    "What counts as a statement: every sentence of the numbered sections with `MUST`, `MUST NOT`, `REQUIRED`, `SHALL` or `SHALL NOT` (upper case; SHOULD and MAY oblige no one and are left out). Each has an id `<spec>-<section>-<n>`, our own one-line summary — never the specification's words — and either counts as server-testable or carries the reason it cannot be checked over HTTP (an obligation on the Client, on operators or on extension authors, a step outside the API, a span of years). The catalogue is extracted from the specification documents by `tools/musts/extract.ts` and committed in `packages/conformance/musts/`.",
    "",
    coverageMarkdown(coverage, { scenarioSource: source, escape: text, level: 2 }),
  ].join("\n");
  return { path: `${COVERAGE_PAGE}.md`, content: `${frontMatter({ title: "Conformance: MUST coverage", outline: false })}\n${body}\n` };
}
