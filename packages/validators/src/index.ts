export * from "./generated/validators.js";
export {
  type Lenient,
  type Mode,
  type ValidationError,
  type ValidationResult,
  type CompiledValidator,
} from "./result.js";
export { validate } from "./validate.js";
