/** What every `validate<Model>` returns, and how Ajv's errors are turned into it. */

import { layerHint } from "./layer-hint.js";

export type Mode = "strict" | "lenient";

/** One broken rule: where in the value (a JSON Pointer), which rule, and the value found there. */
export interface ValidationError {
  /** RFC 6901 pointer to the offending field; for a missing field, the pointer it should have had. */
  pointer: string;
  /** The JSON Schema keyword that failed, such as `required`, `enum`, `format` or `unevaluatedProperties`. */
  rule: string;
  /** The pointer and what was wrong, in one line. */
  message: string;
  /** The value at `pointer` (`undefined` when the field is missing). */
  value: unknown;
  /** The keyword's parameters, such as the allowed values of an `enum`. */
  params: Record<string, unknown>;
}

export type ValidationResult<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      errors: ValidationError[];
      /**
       * Set when a strict validation failed but the value is a valid document
       * of a higher spec layer (see `specLayers`): which validator to use instead.
       */
      hint?: string;
    };

/**
 * What a lenient (Client) validator promises: enumerations may hold strings
 * the specs do not list, and objects may carry fields they do not define.
 */
export type Lenient<T> = T extends string
  ? string extends T
    ? T
    : T | (string & {})
  : T extends readonly (infer U)[]
    ? Lenient<U>[]
    : T extends object
      ? { [K in keyof T]: Lenient<T[K]> } & { [unknownField: string]: unknown }
      : T;

/** The shape of an Ajv standalone validating function. */
export interface CompiledValidator {
  (value: unknown): boolean;
  errors?: AjvError[] | null;
}

export interface AjvError {
  instancePath: string;
  schemaPath?: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

export function run<T>(validator: CompiledValidator, value: unknown): ValidationResult<T> {
  if (validator(value)) return { ok: true, value: value as T };
  // Read the errors before the hint runs other validators.
  const errors = toValidationErrors(validator.errors ?? [], value);
  const hint = layerHint(validator, value);
  return hint ? { ok: false, errors, hint } : { ok: false, errors };
}

/** Keywords whose failure names a child field; the error should point at that field. */
const CHILD_PARAM: Record<string, string> = {
  required: "missingProperty",
  dependentRequired: "missingProperty",
  unevaluatedProperties: "unevaluatedProperty",
  additionalProperties: "additionalProperty",
  // a discriminated union (such as a Value Format's `type`): the discriminator field
  discriminator: "tag",
};

export function toValidationErrors(errors: readonly AjvError[], root: unknown): ValidationError[] {
  const seen = new Set<string>();
  const result: ValidationError[] = [];
  for (const error of errors) {
    // `if` only reports that its `then` failed; the `then` errors say why. Ajv
    // also reports every array item a `contains` tried; the `contains` error
    // itself is the finding.
    if (error.keyword === "if" || error.schemaPath?.includes("/contains/")) continue;
    const child = CHILD_PARAM[error.keyword];
    const childName = child ? error.params[child] : undefined;
    const pointer = typeof childName === "string" ? `${error.instancePath}/${escapePointer(childName)}` : error.instancePath;
    const key = `${pointer}\u0000${error.keyword}\u0000${JSON.stringify(error.params)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push({
      pointer,
      rule: error.keyword,
      message: `${pointer || "/"}: ${describe(error)}`,
      value: resolvePointer(root, pointer),
      params: error.params,
    });
  }
  return result;
}

function describe(error: AjvError): string {
  switch (error.keyword) {
    case "required":
    case "dependentRequired":
      return "is required but missing";
    case "unevaluatedProperties":
    case "additionalProperties":
      return "is not a field of this object";
    case "not":
      return "holds a value this field does not allow (see the model's description)";
    case "enum":
      return `must be one of ${JSON.stringify(error.params.allowedValues)}`;
    case "discriminator":
      return error.params.error === "mapping"
        ? `${JSON.stringify(error.params.tagValue)} is not a type this model defines (lenient mode accepts it)`
        : "is required and must be a string";
    default:
      return error.message ?? `fails ${error.keyword}`;
  }
}

export function escapePointer(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

export function resolvePointer(root: unknown, pointer: string): unknown {
  if (pointer === "") return root;
  let node: unknown = root;
  for (const raw of pointer.slice(1).split("/")) {
    const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    // A JSON document inside a string (`contentSchema`, such as a token
    // request's `authorization_details`): errors point into the decoded value.
    if (typeof node === "string") node = decodeJson(node);
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

function decodeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
