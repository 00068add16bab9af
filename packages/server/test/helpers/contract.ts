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
import { openapiDocuments, type OpenApiModule } from "@cds-toolkit/schemas";

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
