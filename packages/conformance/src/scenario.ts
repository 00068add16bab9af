/**
 * What a conformance scenario is: one behaviour of a CDS Server, checked from
 * the outside over HTTP, tied to the sections and the MUST-catalogue entries
 * (packages/conformance/musts/) it proves.
 */
import type { ScenarioContext } from "./context.js";

export type SpecId = "CDS-WG1-01" | "CDS-WG1-02" | "CDS-WG3-01";

export interface Scenario {
  /** Stable id, `<spec folder>/<behaviour>`, e.g. `wg1-01/metadata-fields`. */
  id: string;
  spec: SpecId;
  title: string;
  /** The spec sections the scenario checks (numbers only, e.g. "4.1"). */
  sections: string[];
  /** Catalogue ids of the MUST / MUST NOT / REQUIRED statements it covers. */
  musts: string[];
  run(ctx: ScenarioContext): Promise<void>;
}

/** A broken rule: the section it belongs to and what the Server did instead. */
export class ConformanceFailure extends Error {
  readonly spec: SpecId;
  readonly section: string;
  constructor(spec: SpecId, section: string, message: string) {
    super(`${spec} §${section}: ${message}`);
    this.name = "ConformanceFailure";
    this.spec = spec;
    this.section = section;
  }
}

/** The scenario cannot run against this Server (a feature it does not offer, credentials not given). */
export class ScenarioSkipped extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ScenarioSkipped";
  }
}

export type Outcome = "pass" | "fail" | "skip";

export interface ScenarioResult {
  id: string;
  spec: SpecId;
  title: string;
  sections: string[];
  musts: string[];
  outcome: Outcome;
  /** For a failure, names the section; for a skip, why. */
  message?: string;
  /** The section a failure is about, when known. */
  section?: string;
  durationMs: number;
}

export interface SpecCount {
  pass: number;
  fail: number;
  skip: number;
}

export interface ConformanceReport {
  serverUrl: string;
  startedAt: string;
  durationMs: number;
  results: ScenarioResult[];
  counts: Record<SpecId, SpecCount>;
  /** True when no scenario failed (skips do not fail a run). */
  ok: boolean;
}
