/** JUnit XML, one test suite per spec, for CI systems that render test reports. */
import type { ConformanceReport, SpecId } from "../scenario.js";

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");

export function junitReport(report: ConformanceReport): string {
  const specs = [...new Set(report.results.map((r) => r.spec))] as SpecId[];
  const suites = specs.map((spec) => {
    const results = report.results.filter((r) => r.spec === spec);
    const c = report.counts[spec];
    const time = results.reduce((t, r) => t + r.durationMs, 0) / 1000;
    const cases = results.map((r) => {
      const open = `    <testcase classname="${escape(spec)}" name="${escape(`${r.id}: ${r.title}`)}" time="${(r.durationMs / 1000).toFixed(3)}"`;
      if (r.outcome === "pass") return `${open}/>`;
      const inner = r.outcome === "fail" ? `<failure message="${escape(r.message ?? "")}" type="${escape(`§${r.section ?? "?"}`)}"/>` : `<skipped message="${escape(r.message ?? "")}"/>`;
      return `${open}>\n      ${inner}\n    </testcase>`;
    });
    return `  <testsuite name="${escape(spec)}" tests="${results.length}" failures="${c.fail}" skipped="${c.skip}" errors="0" time="${time.toFixed(3)}" timestamp="${escape(report.startedAt)}">\n${cases.join("\n")}\n  </testsuite>`;
  });
  const total = report.results.length;
  const failures = report.results.filter((r) => r.outcome === "fail").length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="cds-conformance" tests="${total}" failures="${failures}" time="${(report.durationMs / 1000).toFixed(3)}">\n${suites.join("\n")}\n</testsuites>\n`;
}
