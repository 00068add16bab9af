/**
 * The hint a strict failure carries when the value is a valid document of a
 * higher spec layer (./layers.ts): "this is a CDS-WG1-02 Server Metadata
 * document, validate it with validateOAuthServerMetadata". Computed only on
 * failure, so a passing validation costs nothing extra.
 */
import type { ModelName } from "@cds-toolkit/schemas";
import * as strict from "./generated/strict.js";
import { extensionsOf } from "./layers.js";
import type { CompiledValidator } from "./result.js";

const strictValidators = strict as unknown as Record<string, CompiledValidator>;
let modelOf: Map<CompiledValidator, ModelName> | undefined;

/** The hint for `value` failing `validator`, or undefined (lenient validators, models with no extension, values no extension accepts). */
export function layerHint(validator: CompiledValidator, value: unknown): string | undefined {
  modelOf ??= new Map(Object.entries(strictValidators).map(([name, fn]) => [fn, name as ModelName]));
  const model = modelOf.get(validator);
  if (!model) return undefined;
  for (const layer of extensionsOf(model)) {
    if (strictValidators[layer.extension]!(value)) {
      return `The value is not a ${model} but is a valid ${layer.extension} (${layer.document} as ${layer.extendedBy} extends it): validate it with validate${layer.extension}.`;
    }
  }
  return undefined;
}
