/** `@cds-toolkit/conformance`: the scenarios, the runner, the reports and the default customer driver. */
export { runConformance, runScenario, selectScenarios, countBySpec } from "./run.js";
export { scenarios } from "./scenarios/index.js";
export { ConformanceFailure, ScenarioSkipped, type ConformanceReport, type Outcome, type Scenario, type ScenarioResult, type SpecCount, type SpecId } from "./scenario.js";
export { ScenarioContext, RunState, type AuthorizationOptions, type FinishedAuthorization, type StartedAuthorization } from "./context.js";
export type { AppCredentials, ClientCredentials, ConformanceOptions, Credentials, CustomerCredentials } from "./options.js";
export type { AuthorizationAttempt, ConsentPageProbe, CustomerDriver, SessionStep } from "./drivers/customer-driver.js";
export { chromiumDriver, type ChromiumDriverOptions } from "./drivers/chromium.js";
export type { OperatorHooks, RequestResolution } from "./operators/operator-hooks.js";
export { referenceServerOperatorHooks, type ReferenceServerOperator } from "./operators/reference-server.js";
export { textReport } from "./report/text.js";
export { junitReport } from "./report/junit.js";
export { loadMustCatalogue, mustCoverage, type MustEntry, type SpecCoverage } from "./musts.js";
