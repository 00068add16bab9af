/** Runs the scenarios against one Server and gathers structured results. */
import { RunState, ScenarioContext } from "./context.js";
import type { ConformanceOptions } from "./options.js";
import { ConformanceFailure, ScenarioSkipped, type ConformanceReport, type Scenario, type ScenarioResult, type SpecCount, type SpecId } from "./scenario.js";
import { scenarios as allScenarios } from "./scenarios/index.js";

/** The scenarios `only` selects: exact ids or `/`-bounded id prefixes (`wg1-02` selects `wg1-02/…`). */
export function selectScenarios(only: readonly string[] | undefined, from: readonly Scenario[] = allScenarios): Scenario[] {
  if (!only || only.length === 0) return [...from];
  const picked = from.filter((s) => only.some((o) => s.id === o || s.id.startsWith(o.endsWith("/") ? o : `${o}/`)));
  const unknown = only.filter((o) => !from.some((s) => s.id === o || s.id.startsWith(o.endsWith("/") ? o : `${o}/`)));
  if (unknown.length) throw new Error(`no scenario matches ${unknown.map((u) => `"${u}"`).join(", ")}`);
  return picked;
}

/** Runs one scenario with the run's shared state; never throws. */
export async function runScenario(scenario: Scenario, state: RunState): Promise<ScenarioResult> {
  const started = performance.now();
  const base = { id: scenario.id, spec: scenario.spec, title: scenario.title, sections: scenario.sections, musts: scenario.musts };
  const done = (rest: Pick<ScenarioResult, "outcome"> & Partial<ScenarioResult>): ScenarioResult => ({ ...base, ...rest, durationMs: Math.round(performance.now() - started) });
  try {
    await scenario.run(new ScenarioContext(state, scenario.spec));
    return done({ outcome: "pass" });
  } catch (error) {
    if (error instanceof ScenarioSkipped) return done({ outcome: "skip", message: error.message });
    if (error instanceof ConformanceFailure) return done({ outcome: "fail", message: error.message, section: error.section });
    // Anything else (the Server unreachable, a driver that broke) still fails the scenario, named as such.
    const message = error instanceof Error ? error.message : String(error);
    return done({ outcome: "fail", message: `${scenario.spec} §${scenario.sections[0] ?? "?"}: the scenario could not complete: ${message}`, section: scenario.sections[0] ?? "?" });
  }
}

export function countBySpec(results: readonly ScenarioResult[]): Record<SpecId, SpecCount> {
  const counts: Record<SpecId, SpecCount> = { "CDS-WG1-01": { pass: 0, fail: 0, skip: 0 }, "CDS-WG1-02": { pass: 0, fail: 0, skip: 0 }, "CDS-WG3-01": { pass: 0, fail: 0, skip: 0 } };
  for (const r of results) counts[r.spec][r.outcome]++;
  return counts;
}

/**
 * Checks a Server against the selected scenarios, one after another (they
 * share Clients and tokens, and a Server's rate limits deserve respect).
 */
export async function runConformance(options: ConformanceOptions, scenarios: readonly Scenario[] = allScenarios): Promise<ConformanceReport> {
  const startedAt = new Date();
  const selected = selectScenarios(options.only, scenarios);
  const state = new RunState(options);
  const results: ScenarioResult[] = [];
  try {
    for (const scenario of selected) {
      const result = await runScenario(scenario, state);
      results.push(result);
      options.onResult?.(result);
    }
  } finally {
    await state.close();
  }
  return {
    serverUrl: options.serverUrl,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    results,
    counts: countBySpec(results),
    ok: results.every((r) => r.outcome !== "fail"),
  };
}
