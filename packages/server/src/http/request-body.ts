/**
 * Request bodies checked with the generated strict validators: a body the
 * contract rejects is a 400 problem whose `errors` name each field (JSON
 * Pointer) and the broken rule (spec/ERRATA.md E-COMMON-1). Values are never
 * echoed: they could be anything, secrets included.
 */
import type { ValidationResult } from "@cds-toolkit/validators";
import { ProblemError } from "./problem.js";

/** `validate` is a generated validator in strict mode, e.g. `(v) => validateCredential(v, "strict")`. */
export function checkBody<T>(body: unknown, validate: (value: unknown) => ValidationResult<T>): T {
  if (body === undefined || body === null) {
    throw new ProblemError(400, "The request needs a JSON body.", [{ pointer: "", rule: "required", message: "the request body is missing" }]);
  }
  const result = validate(body);
  if (!result.ok) {
    throw new ProblemError(
      400,
      "The request body breaks the contract.",
      result.errors.map((e) => ({ pointer: e.pointer, rule: e.rule, message: e.message })),
    );
  }
  return result.value;
}

/** A 400 naming one field, for rules the schema cannot express. */
export function fieldError(pointer: string, rule: string, message: string): ProblemError {
  return new ProblemError(400, message, [{ pointer, rule, message: `${pointer}: ${message}` }]);
}
