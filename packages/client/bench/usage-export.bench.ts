/**
 * Issue 13's target: decoding and exporting 1,000,000 intervals to CSV
 * streams at ≥ 500,000 intervals/s with peak RSS ≤ 200 MB, each measured in
 * a child process (one per mode, so RSS is that mode's own), beside the
 * baseline every client pays anyway: a bare JSON.parse of the same pages.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "vitest";

interface Run {
  mode: string;
  intervals: number;
  /** CSV lines written, header lines left out (export mode). */
  csvRows: number;
  seconds: number;
  perSecond: number;
  maxRssMb: number;
}

const child = path.join(import.meta.dirname, "usage-export-child.mjs");
/** The V8 flags the `cds` bin runs with (its shebang), so the export is measured as the CLI runs it. */
const binFlags = (/^#!\/usr\/bin\/env -S node ?(.*)$/m.exec(readFileSync(path.join(import.meta.dirname, "../dist/cli/main.js"), "utf8"))?.[1] ?? "").split(" ").filter(Boolean);
const runChild = (mode: string, file: string, flags: string[] = binFlags) => execFileSync(process.execPath, [...flags, child, mode, file, "1000000"], { encoding: "utf8", timeout: 300_000 });
const measure = (mode: "baseline" | "export", file: string, flags?: string[]): Run => JSON.parse(runChild(mode, file, flags)) as Run;

test("usage export: 1,000,000 intervals → CSV, against JSON.parse of the same pages", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "cds-usage-bench-"));
  const pages = path.join(dir, "pages.jsonl");
  let baseline: Run;
  let ours: Run;
  let defaults: Run;
  try {
    runChild("generate", pages);
    baseline = measure("baseline", pages);
    ours = measure("export", pages);
    defaults = measure("export", pages, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ratio = ours.perSecond / baseline.perSecond;
  console.log(
    [
      `baseline JSON.parse: ${Math.round(baseline.perSecond).toLocaleString("en")} intervals/s, peak RSS ${baseline.maxRssMb.toFixed(0)} MB`,
      `decode + CSV export: ${Math.round(ours.perSecond).toLocaleString("en")} intervals/s (${ratio.toFixed(2)}x the baseline), peak RSS ${ours.maxRssMb.toFixed(0)} MB`,
      `  (with ${binFlags.join(" ") || "no flags"}, as the cds bin runs; with Node's defaults: ${Math.round(defaults.perSecond).toLocaleString("en")} intervals/s, peak RSS ${defaults.maxRssMb.toFixed(0)} MB)`,
      `target ≥ 500,000 intervals/s: ${ours.perSecond >= 500_000 ? "met" : "NOT met"} on this run; peak RSS ≤ 200 MB: ${ours.maxRssMb <= 200 ? "met" : "NOT met"}`,
    ].join("\n"),
  );
  // A bench reports; it fails only when the export is wrong (every interval written once), never on a slow run.
  expect(ours.intervals).toBe(1_000_000);
  expect(ours.csvRows).toBe(1_000_000);
});
