/**
 * Reading a response body: JSON parsing, the status check, and the lenient
 * (or, opted in, strict) validation against the contract's model. Every
 * failure becomes a typed error naming the URL; none is a crash.
 */
import type { Lenient, Mode, ValidationResult } from "@cds-toolkit/validators";
import { validateProblem } from "@cds-toolkit/validators";
import { CdsApiError, MalformedResponseError, ResponseValidationError } from "../errors.js";

/** A generated `validate<Model>` function, as the client calls it. */
export type Validator<T> = (value: unknown, mode: Mode) => ValidationResult<T | Lenient<T>>;

/** Parses `text` as JSON; a body that is not JSON is a MalformedResponseError. */
export function parseJson(text: string, url: string, status: number): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new MalformedResponseError(url, status, error);
  }
}

/** Validates `value`, answering it typed (leniently by default) or throwing a ResponseValidationError. */
export function checked<T>(validator: Validator<T>, model: string, value: unknown, url: string, mode: Mode): Lenient<T> {
  const result = validator(value, mode);
  if (!result.ok) throw new ResponseValidationError(model, result.errors, url);
  return result.value as Lenient<T>;
}

/**
 * The body of a CDS API answer: 2xx → the model, validated; anything else →
 * a CdsApiError carrying the problem details when the body is one.
 */
export function readBody<T>(response: Response, text: string | undefined, validator: Validator<T>, model: string, mode: Mode): Lenient<T> {
  const url = response.url || "(unknown URL)";
  if (!response.ok) throw apiError(response.status, text, url);
  return checked(validator, model, parseJson(text ?? "", url, response.status), url, mode);
}

export function apiError(status: number, text: string | undefined, url: string): CdsApiError {
  let problem: Record<string, unknown> | null = null;
  if (text) {
    try {
      const parsed: unknown = JSON.parse(text);
      const result = validateProblem(parsed, "lenient");
      if (result.ok) problem = result.value as Record<string, unknown>;
    } catch {
      // Not JSON: the status alone says what happened.
    }
  }
  return new CdsApiError(status, problem, url);
}
