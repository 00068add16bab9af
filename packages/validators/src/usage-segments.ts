/**
 * Decoding of CDS-WG3-01 Usage Segments (§10.8).
 *
 * A Usage Segment is a table: `formats` is its header row and each entry of
 * `values` (a Value Set) is a row, whose i-th entry is the Value Object for the
 * i-th format, or `null` where the value is missing (§10.8.3, §10.8.4). JSON
 * Schema cannot say "check entry i against the model that `formats[i].type`
 * names", so the generated `validateUsageSegment` only checks that entries are
 * objects or `null`. `decodeUsageSegment` does the rest, and hands back the
 * table column by column, typed by Value Type.
 *
 * The table of Value Types (`valueTypeModels`) is generated from the contract:
 * the variants of the `ValueFormat` union and their `x-cds-value-model`.
 */
import type * as M from "@cds-toolkit/types";
import { compiledValidators } from "./generated/validators.js";
import { valueTypeModels, type ValueTypeModelTypes } from "./generated/value-types.js";
import { toValidationErrors, type AjvError, type CompiledValidator, type Lenient, type Mode, type ValidationError, type ValidationResult } from "./result.js";

/** A Value Type that CDS-WG3-01 §10.8.5 defines, such as `electric_usage`. */
export type KnownValueType = keyof ValueTypeModelTypes;

type InMode<T, Mo extends Mode> = Mo extends "lenient" ? Lenient<T> : T;

/**
 * One column of a Usage Segment: a Value Format of a known Value Type and,
 * for every Value Set in order, its Value Object or `null` where it is
 * missing. Discriminated by `type`, so `column.type === "electric_usage"`
 * narrows `format` to an `ElectricUsageValueFormat` and `values` to
 * `ElectricUsageValue | null`.
 */
export type UsageSegmentColumn<T extends KnownValueType = KnownValueType, Mo extends Mode = "strict"> = {
  [K in T]: {
    /** The Value Type of the column (the format's `type`). */
    type: K;
    /** The column's position: its format's index in `formats`, and its values' index in each Value Set. */
    index: number;
    format: InMode<ValueTypeModelTypes[K]["format"], Mo>;
    /** One entry per Value Set, in the order of `values`. */
    values: Array<InMode<ValueTypeModelTypes[K]["value"], Mo> | null>;
  };
}[T];

/** A format of a Value Type this contract does not define, which lenient decoding skips (Clients ignore it, §10.8.5). */
export interface SkippedValueFormat {
  /** The format's index in `formats` (and of its values in each Value Set). */
  index: number;
  format: Lenient<M.AdditionalValueFormat>;
}

export interface DecodedUsageSegment<Mo extends Mode = "strict"> {
  /** The segment itself, as validated. */
  segment: InMode<M.UsageSegment, Mo>;
  /** The columns of known Value Types, in the order of `formats`. */
  columns: Array<UsageSegmentColumn<KnownValueType, Mo>>;
  /** Lenient mode: the formats of unknown Value Types, whose values were not read. Always empty in strict mode. */
  skipped: SkippedValueFormat[];
}

/** Rule of the error for a Value Set whose length differs from the number of formats. */
export const VALUE_SET_LENGTH = "valueSetLength";
/** Rule of the error for an `indexes` entry that names no other column of the segment. */
export const VALUE_SET_INDEX = "valueSetIndex";

/** Whether `type` is a Value Type that CDS-WG3-01 §10.8.5 defines. */
export function isKnownValueType(type: unknown): type is KnownValueType {
  return typeof type === "string" && Object.hasOwn(valueTypeModels, type);
}

/**
 * Validates a Usage Segment and reads it column by column.
 *
 * Beyond `validateUsageSegment`, it checks that every Value Set has one entry
 * per format, that every Value Object matches the model of its format's Value
 * Type (errors point into the segment, such as `/values/3/1/eu`), and that the
 * `indexes` of cost and supply-mix formats name other columns of the segment.
 * Strict mode (Servers) rejects formats of Value Types this contract does not
 * define; lenient mode (Clients) lists them in `skipped` and leaves their
 * values unread, as CDS-WG3-01 §10.8.5 asks of Clients.
 */
export function decodeUsageSegment(value: unknown, mode?: "strict"): ValidationResult<DecodedUsageSegment<"strict">>;
export function decodeUsageSegment(value: unknown, mode: "lenient"): ValidationResult<DecodedUsageSegment<"lenient">>;
export function decodeUsageSegment(value: unknown, mode: Mode): ValidationResult<DecodedUsageSegment<"strict"> | DecodedUsageSegment<"lenient">>;
export function decodeUsageSegment(value: unknown, mode: Mode = "strict"): ValidationResult<DecodedUsageSegment<Mode>> {
  const validators = compiledValidators[mode];
  const validateSegment = validators.UsageSegment;
  if (!segmentIsValid(validateSegment, value)) {
    validateSegment(value);
    return { ok: false, errors: toValidationErrors(validateSegment.errors ?? [], value) };
  }

  // The generated validator has checked the shape; what is left is per column.
  const segment = value as M.UsageSegment;
  const formats = segment.formats as ReadonlyArray<{ id: string; type: string; indexes?: unknown }>;
  const errors: ValidationError[] = [];
  const columns: Array<{ type: KnownValueType; index: number; format: unknown; values: unknown[] }> = [];
  // The model validator of each column's Value Type, looked up once per column rather than once per value.
  const columnValidators: CompiledValidator[] = [];
  const skipped: SkippedValueFormat[] = [];

  formats.forEach((format, index) => {
    if (!isKnownValueType(format.type)) {
      // Unreachable in strict mode, whose ValueFormat schema admits known types only.
      if (mode === "strict") errors.push(error(`/formats/${index}/type`, "discriminator", `${JSON.stringify(format.type)} is not a Value Type this contract defines`, format.type, { tag: "type", tagValue: format.type }));
      else skipped.push({ index, format: format as Lenient<M.AdditionalValueFormat> });
      return;
    }
    if (Array.isArray(format.indexes)) {
      format.indexes.forEach((target: unknown, n: number) => {
        if (typeof target === "number" && (target >= formats.length || target === index)) {
          errors.push(error(`/formats/${index}/indexes/${n}`, VALUE_SET_INDEX, `${target} is not the position of another format of this segment (0 to ${formats.length - 1}, other than ${index})`, target, { formats: formats.length, own: index }));
        }
      });
    }
    columns.push({ type: format.type, index, format, values: [] });
    columnValidators.push(validators[valueTypeModels[format.type].value]);
  });

  segment.values.forEach((set, row) => {
    if (set.length !== formats.length) {
      errors.push(error(`/values/${row}`, VALUE_SET_LENGTH, `has ${set.length} entries; a Value Set has one per format (${formats.length})`, set, { expected: formats.length, actual: set.length }));
    }
    for (let c = 0; c < columns.length; c++) {
      const column = columns[c]!;
      const item = set[column.index];
      if (item === undefined || item === null) {
        column.values.push(null);
        continue;
      }
      const validateValue = columnValidators[c]!;
      if (!validateValue(item)) errors.push(...toValidationErrors(rebase(validateValue.errors ?? [], `/values/${row}/${column.index}`), segment));
      column.values.push(item);
    }
  });

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { segment, columns, skipped } as DecodedUsageSegment<Mode> };
}

/**
 * Whether the generated `UsageSegment` validator accepts `value`, without
 * letting it walk `values`: that walk only checks that each Value Set is an
 * array of objects and nulls (`ValueSet`, `ValueObject`: any object, in both
 * modes), which a plain loop does several times faster, and the decoding loop
 * then reads every entry anyway. The segment's other fields go through the
 * generated validator with `values` emptied. On any doubt this answers
 * `false`, and the caller runs the generated validator on the segment as
 * given, so errors are exactly what that validator reports.
 */
function segmentIsValid(validateSegment: CompiledValidator, value: unknown): boolean {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const sets = (value as { values?: unknown }).values;
  if (!Array.isArray(sets)) return false;
  for (const set of sets) {
    if (!Array.isArray(set)) return false;
    for (const item of set) if (item !== null && (typeof item !== "object" || Array.isArray(item))) return false;
  }
  return validateSegment({ ...(value as object), values: [] });
}

/** The columns of one Value Type, such as the `forward`, `reverse` and `net` electric usage of a net-metered site. */
export function columnsOfType<T extends KnownValueType, Mo extends Mode>(decoded: DecodedUsageSegment<Mo>, type: T): Array<UsageSegmentColumn<T, Mo>> {
  return decoded.columns.filter((column) => column.type === type) as unknown as Array<UsageSegmentColumn<T, Mo>>;
}

function rebase(errors: readonly AjvError[], prefix: string): AjvError[] {
  return errors.map((e) => ({ ...e, instancePath: `${prefix}${e.instancePath}` }));
}

function error(pointer: string, rule: string, text: string, value: unknown, params: Record<string, unknown>): ValidationError {
  return { pointer, rule, message: `${pointer}: ${text}`, value, params };
}
