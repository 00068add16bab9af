/**
 * Describes JSON Schema nodes of generated/json-schema (and the OpenAPI
 * components, which use the same shapes) in words for the model pages: the
 * type of a field, whether it may be null, its enumeration values.
 */
import type { JsonObject } from "./contract.ts";

/** `Url.json` or `#/components/schemas/CDS.Common.Url` → `Url`. */
export function refModel(ref: string): string {
  const last = ref.replace(/\.json$/, "").split("/").pop()!;
  return last.slice(last.lastIndexOf(".") + 1);
}

/** Whether the node admits `null` (TypeSpec emits `T | null` as `anyOf [T, {type: null}]`). */
export function isNullable(node: JsonObject): boolean {
  if (node.type === "null") return true;
  if (Array.isArray(node.type) && node.type.includes("null")) return true;
  const variants = (node.anyOf ?? node.oneOf) as JsonObject[] | undefined;
  return Array.isArray(variants) && variants.some(isNullable);
}

/** The type of a node in Markdown, with each referenced model a link made by `link`. */
export function typeText(node: JsonObject, link: (model: string) => string, root?: JsonObject): string {
  if (typeof node.$ref === "string" && node.$ref.startsWith("#/$defs/")) {
    // A definition local to the model's file, such as `Record<Purpose>`: described in place.
    const local = ((root?.$defs ?? {}) as Record<string, JsonObject>)[node.$ref.slice("#/$defs/".length)];
    return local ? typeText(local, link, root) : "object";
  }
  if (typeof node.$ref === "string") return link(refModel(node.$ref));
  const variants = (node.anyOf ?? node.oneOf) as JsonObject[] | undefined;
  if (Array.isArray(variants)) {
    const shown = variants.filter((v) => v.type !== "null").map((v) => typeText(v, link, root));
    return shown.length ? [...new Set(shown)].join(" or ") : "null";
  }
  if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``;
  if (Array.isArray(node.enum)) return node.enum.map((v) => `\`${JSON.stringify(v)}\``).join(", ");
  const type = Array.isArray(node.type) ? node.type.filter((t) => t !== "null").join(" or ") : node.type;
  if (type === "array") {
    const items = node.items as JsonObject | undefined;
    return items ? `array of ${typeText(items, link, root)}` : "array";
  }
  if (type === "object" && node.additionalProperties && typeof node.additionalProperties === "object") {
    return `map of ${typeText(node.additionalProperties as JsonObject, link, root)}`;
  }
  if (typeof type === "string") {
    const details = [node.format, node.contentMediaType].filter((d) => typeof d === "string");
    return details.length ? `${type} (${details.join(", ")})` : type;
  }
  return "any";
}

/** Every model a node refers to, anywhere inside it. */
export function referencedModels(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const item of node) referencedModels(item, found);
  else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") {
        if (!value.startsWith("#/$defs/")) found.add(refModel(value));
      }
      else referencedModels(value, found);
    }
  }
  return found;
}

/** The first `CDS-WGx-yy §n.n` a description cites, as the section the model comes from. */
export function citedSection(description: unknown): { spec: string; section: string } | null {
  const match = /(CDS-WG\d-\d\d)\s+§\s?(\d+(?:\.\d+)*)/.exec(String(description ?? ""));
  return match ? { spec: match[1]!, section: match[2]! } : null;
}
