export * from "./generated/validators.js";
export {
  type Lenient,
  type Mode,
  type ValidationError,
  type ValidationResult,
  type CompiledValidator,
} from "./result.js";
export { validate } from "./validate.js";
export { specLayers, extensionsOf, type SpecLayer } from "./layers.js";
export {
  decodeUsageSegment,
  columnsOfType,
  isKnownValueType,
  VALUE_SET_INDEX,
  VALUE_SET_LENGTH,
  type DecodedUsageSegment,
  type KnownValueType,
  type SkippedValueFormat,
  type UsageSegmentColumn,
} from "./usage-segments.js";
export { valueTypeModels, type ValueTypeModelTypes } from "./generated/value-types.js";
