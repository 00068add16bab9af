/** What both test-runner adapters do: one run state for the file, one test per scenario. */
import { RunState } from "../context.js";
import type { ConformanceOptions } from "../options.js";
import { runScenario, selectScenarios } from "../run.js";
import type { Scenario, ScenarioResult } from "../scenario.js";
import { scenarios as allScenarios } from "../scenarios/index.js";

export interface AdapterOptions extends Omit<ConformanceOptions, "serverUrl"> {
  /** The Server's base URL, or a function answering it once the runner's setup has started the Server. */
  serverUrl: string | (() => string);
  scenarios?: readonly Scenario[];
}

export interface PreparedSuite {
  selected: Scenario[];
  run(scenario: Scenario): Promise<ScenarioResult>;
  close(): Promise<void>;
}

export function prepareSuite(options: AdapterOptions): PreparedSuite {
  const selected = selectScenarios(options.only, options.scenarios ?? allScenarios);
  let state: RunState | undefined;
  const current = () => {
    const serverUrl = typeof options.serverUrl === "function" ? options.serverUrl() : options.serverUrl;
    state ??= new RunState({ ...options, serverUrl });
    return state;
  };
  return {
    selected,
    run: (scenario) => runScenario(scenario, current()),
    close: async () => {
      await state?.close();
      state = undefined;
    },
  };
}
