/** The readable report the command prints: one line per scenario, then counts per spec and MUST coverage. */
import type { SpecCoverage } from "../musts.js";
import type { ConformanceReport, ScenarioResult } from "../scenario.js";

const mark = { pass: "PASS", fail: "FAIL", skip: "SKIP" } as const;

export function resultLine(r: ScenarioResult): string {
  const head = `${mark[r.outcome]}  ${r.id}  ${r.title} (${r.durationMs} ms)`;
  return r.message ? `${head}\n      ${r.message}` : head;
}

export function textReport(report: ConformanceReport, coverage: readonly SpecCoverage[] = []): string {
  const lines = [`CDS conformance of ${report.serverUrl}`, "", ...report.results.map(resultLine), "", "Scenarios per spec:"];
  for (const [spec, c] of Object.entries(report.counts)) {
    if (c.pass + c.fail + c.skip === 0) continue;
    lines.push(`  ${spec}: ${c.pass} passed, ${c.fail} failed, ${c.skip} skipped`);
  }
  if (coverage.length) {
    lines.push("", "MUST coverage (server-testable statements a scenario checks):");
    for (const c of coverage) lines.push(`  ${c.spec}: ${c.covered}/${c.serverTestable} (${c.percent}%)`);
  }
  lines.push("", report.ok ? "Result: conformant on every scenario run." : "Result: NOT conformant (see FAIL lines).");
  return lines.join("\n");
}
