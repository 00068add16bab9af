/**
 * `@cds-toolkit/schemas/examples`: the specifications' examples as parsed
 * fixtures. A separate entry point, so importing the schemas does not load them.
 */
export type { SpecExampleFixture } from "./examples-type.js";
export { specExamples } from "./generated/examples.js";
