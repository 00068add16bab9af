import type { ModelName } from "@cds-toolkit/schemas";
import { compiledValidators } from "./generated/validators.js";
import { run, type Mode, type ValidationResult } from "./result.js";

/**
 * Validates a value against a model chosen at run time (for example the body
 * schema of an OpenAPI operation). Prefer the typed `validate<Model>` functions
 * when the model is known statically.
 */
export function validate(model: ModelName, value: unknown, mode: Mode = "strict"): ValidationResult<unknown> {
  const validator = compiledValidators[mode][model];
  if (!validator) throw new Error(`unknown CDS model: ${model}`);
  return run(validator, value);
}
