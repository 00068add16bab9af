/**
 * The contract this server answers to: the spec's OpenAPI document with the
 * reference server's overlay (openapi/reference-server.overlay.json) applied.
 * Overlay 1.0 semantics for the four target forms the overlay uses: a
 * `…parameters` array is appended to, a `…responses` object is merged into,
 * `$.paths` gains the server's page routes, and `$.paths['<path>']` gains
 * methods the spec's path item does not have.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { modelNames, openapiDocuments, type ModelName, type OpenApiModule } from "@cds-toolkit/schemas";
import { validate } from "@cds-toolkit/validators";

export interface OverlayAction {
  target: string;
  update: unknown;
  "x-cds-document": OpenApiModule;
}

export const overlay = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../openapi/reference-server.overlay.json"), "utf8")) as { overlay: string; actions: OverlayAction[] };

const targetForm = /^\$\.paths\['([^']+)'\]\.([a-z]+)\.(parameters|responses)$/;
const pathItemForm = /^\$\.paths\['([^']+)'\]$/;

/**
 * Applies `action` to `document` in place; throws when its target does not
 * exist. `$.paths` merges new path items (the server's own pages) and may not
 * replace one the spec defines.
 */
export function applyAction(document: any, action: OverlayAction): void {
  if (action.target === "$.paths") {
    const added = action.update as Record<string, unknown>;
    const clash = Object.keys(added).filter((route) => route in document.paths);
    if (clash.length) throw new Error(`overlay $.paths would replace the spec's ${clash.join(", ")}`);
    Object.assign(document.paths, added);
    return;
  }
  const item = pathItemForm.exec(action.target);
  if (item) {
    const existing = document.paths[item[1]!];
    if (!existing) throw new Error(`overlay target ${action.target} names no path`);
    const added = action.update as Record<string, unknown>;
    const clash = Object.keys(added).filter((method) => method in existing);
    if (clash.length) throw new Error(`overlay ${action.target} would replace the spec's ${clash.join(", ")}`);
    Object.assign(existing, added);
    return;
  }
  const match = targetForm.exec(action.target);
  if (!match) throw new Error(`unsupported overlay target ${action.target}`);
  const [, route = "", method = "", field = ""] = match;
  const operation = document.paths[route]?.[method];
  if (!operation) throw new Error(`overlay target ${action.target} names no operation`);
  if (field === "parameters") operation.parameters = [...(operation.parameters ?? []), ...(action.update as unknown[])];
  else operation.responses = { ...operation.responses, ...(action.update as Record<string, unknown>) };
}

/**
 * `module`'s document with the overlay's actions for it applied, and those of
 * `alsoFrom`: a CDS-WG3-01 document repeats every CDS-WG1-02 operation
 * (extended), so the overlay's CDS-WG1-02 statuses apply to it as well.
 */
export function mergedContract(module: OpenApiModule, alsoFrom: OpenApiModule[] = []): any {
  const document = structuredClone(openapiDocuments[module]);
  for (const action of overlay.actions) if (action["x-cds-document"] === module || alsoFrom.includes(action["x-cds-document"])) applyAction(document, action);
  return document;
}

/** The contract path template matching a concrete path, or undefined. */
export function templateOf(contract: any, path: string): string | undefined {
  return Object.keys(contract.paths).find((template) => new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`).test(path));
}

export interface MediaTypeObject {
  schema?: { $ref?: string; type?: string };
}

/** The response the contract declares for `status` (or its `4XX`/`5XX` range), or undefined. */
export function declaredResponse(contract: any, template: string, method: string, status: number): { content?: Record<string, MediaTypeObject> } | undefined {
  const responses = contract.paths[template]?.[method.toLowerCase()]?.responses ?? {};
  return responses[String(status)] ?? responses[`${String(status)[0]}XX`];
}

/**
 * Whether `text` is a valid body for the declared media type: a JSON body is
 * validated strictly against the documented schema's model (problem+json,
 * the OAuth error, or the success model), through the same precompiled
 * validators clients use. A component name's namespace (`CDS.Common.`) is
 * not part of the model name. Null when it is valid.
 */
export function bodyFinding(mediaType: MediaTypeObject | undefined, type: string, text: string): string | null {
  const ref = mediaType?.schema?.$ref;
  if (!ref) {
    // Schema-less or string media (the HTML pages, `*/*` files): the declared content type is the contract.
    if (mediaType?.schema?.type === "string" || !mediaType?.schema || "contentMediaType" in mediaType.schema) return null;
    return `no schema reference to validate against (${JSON.stringify(mediaType.schema)})`;
  }
  const model = ref.split("/").pop()!.split(".").pop()!;
  if (!(modelNames as readonly string[]).includes(model)) return `the documented schema ${ref} has no model`;
  if (!type.endsWith("json")) return `a ${type} body for the JSON schema ${ref}`;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `not JSON (${text.slice(0, 40)})`;
  }
  const result = validate(model as ModelName, body, "strict");
  return result.ok ? null : `body not a strict ${model}: ${JSON.stringify(result.errors.slice(0, 3))}`;
}
