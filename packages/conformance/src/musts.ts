/**
 * The MUST catalogue (packages/conformance/musts/<spec>.json, extracted by
 * tools/musts/): which statements the scenarios cover, as a share of the
 * server-testable ones. Read from the package's own folder at run time, so a
 * run without the catalogue still works and simply reports no coverage.
 */
import { readdir, readFile } from "node:fs/promises";
import type { Scenario, SpecId } from "./scenario.js";

export interface MustEntry {
  id: string;
  spec: SpecId;
  section: string;
  keyword: string;
  summary: string;
  serverTestable: boolean;
  reason?: string;
}

export interface SpecCoverage {
  spec: SpecId;
  serverTestable: number;
  covered: number;
  /** Covered share of the server-testable statements, 0–100, one decimal. */
  percent: number;
}

export async function loadMustCatalogue(folder: URL = new URL("../musts/", import.meta.url)): Promise<MustEntry[]> {
  let files: string[];
  try {
    files = (await readdir(folder)).filter((f) => f.endsWith(".json"));
  } catch {
    return [];
  }
  const entries: MustEntry[] = [];
  for (const file of files.sort()) {
    const parsed = JSON.parse(await readFile(new URL(file, folder), "utf8")) as { entries?: MustEntry[] } | MustEntry[];
    entries.push(...(Array.isArray(parsed) ? parsed : (parsed.entries ?? [])));
  }
  return entries;
}

export function mustCoverage(catalogue: readonly MustEntry[], scenarios: readonly Pick<Scenario, "musts">[]): SpecCoverage[] {
  const covered = new Set(scenarios.flatMap((s) => s.musts));
  const specs = [...new Set(catalogue.map((e) => e.spec))].sort();
  return specs.map((spec) => {
    const testable = catalogue.filter((e) => e.spec === spec && e.serverTestable);
    const hit = testable.filter((e) => covered.has(e.id)).length;
    return { spec, serverTestable: testable.length, covered: hit, percent: testable.length ? Math.round((hit / testable.length) * 1000) / 10 : 0 };
  });
}
