/**
 * Strict validation of a Server's documents with the generated validators,
 * layer-aware: a Server implementing CDS-WG3-01 answers with documents of the
 * extended layer (`@cds-toolkit/validators` `specLayers`), which a strict
 * validator of the base model rightly rejects. A document passes when it is
 * strictly valid at its base model or at any layer that extends it; a field
 * no layer defines fails everywhere.
 */
import type { ModelName } from "@cds-toolkit/schemas";
import { extensionsOf, validate, type ValidationError } from "@cds-toolkit/validators";

export interface SchemaVerdict {
  ok: boolean;
  /** The errors of the base model (most useful to read when no layer accepts the value). */
  errors: ValidationError[];
  /** The model that accepted the value. */
  model?: ModelName;
}

export function strictlyValid(model: ModelName, value: unknown): SchemaVerdict {
  const base = validate(model, value, "strict");
  if (base.ok) return { ok: true, errors: [], model };
  // On failure, the layer the document comes closest to explains best what is wrong with it.
  let closest = base.errors;
  for (const layer of extensionsOf(model)) {
    const result = validate(layer.extension, value, "strict");
    if (result.ok) return { ok: true, errors: [], model: layer.extension };
    if (result.errors.length < closest.length) closest = result.errors;
  }
  return { ok: false, errors: closest };
}

/** The first few errors, one line each, for a failure message. */
export function summarizeErrors(errors: readonly ValidationError[], max = 3): string {
  const lines = errors.slice(0, max).map((e) => e.message);
  if (errors.length > max) lines.push(`… and ${errors.length - max} more`);
  return lines.join("; ");
}
