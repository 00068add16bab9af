/** `cds list` and `cds get`: any listing of the contract, every page, filters checked against the operation's parameters. */
import type { CliContext } from "../context.js";
import { UsageError } from "../exit.js";
import { filterNames, resources, type Resource } from "../resources.js";

export function resourceOf(name: string): Resource {
  const resource = resources[name];
  if (!resource) throw new UsageError("<resource>", `must be one of ${Object.keys(resources).join(", ")} (got ${JSON.stringify(name)})`);
  return resource;
}

/** `name=value` pairs; a repeated name becomes a list (sent space-separated, as the specs write lists). */
export function parseFilters(resource: Resource, pairs: string[] = []): Record<string, string | string[]> {
  const allowed = filterNames(resource);
  const filters: Record<string, string | string[]> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq < 1) throw new UsageError("--filter", `must be name=value (got ${JSON.stringify(pair)})`);
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    if (!allowed.includes(name)) throw new UsageError(`--filter ${name}`, `not a parameter of ${resource.operationId}; it takes ${allowed.join(", ") || "none"}`);
    const previous = filters[name];
    filters[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return filters;
}

async function apiFor(c: CliContext, resource: Resource) {
  return c.api(resource.token === "admin" ? await c.clientCredentials("cds_client_admin") : await c.session());
}

export async function listCommand(c: CliContext, name: string, options: { filter?: string[]; limit?: string }): Promise<void> {
  const resource = resourceOf(name);
  const filters = parseFilters(resource, options.filter);
  const limit = options.limit === undefined ? Infinity : Number(options.limit);
  if (!(limit > 0) || !Number.isInteger(limit === Infinity ? 1 : limit)) throw new UsageError("--limit", `must be a positive integer (got ${JSON.stringify(options.limit)})`);
  const api = await apiFor(c, resource);
  let count = 0;
  for await (const item of resource.pages(api, filters)) {
    if (c.options.json) c.out(JSON.stringify(item));
    else c.out(`${String(item[resource.id])}\t${summary(item)}`);
    if (++count >= limit) break; // stops the paging too
  }
  if (!c.options.json) c.warn(`${count} ${name}`);
}

export async function getCommand(c: CliContext, name: string, id: string): Promise<void> {
  const resource = resourceOf(name);
  if (!resource.get) throw new UsageError("<resource>", `${name} has no single-item operation; use \`cds list ${name} --filter …\``);
  const api = await apiFor(c, resource);
  c.json(await resource.get(api, id));
}

/** A few telling fields, so a listing reads at a glance. */
function summary(item: Record<string, unknown>): string {
  const keys = ["name", "client_name", "scope", "status", "cds_status", "type", "account_number", "meter_number", "segment_start", "segment_end"];
  return keys
    .filter((k) => typeof item[k] === "string" && item[k] !== "")
    .map((k) => `${k}=${String(item[k])}`)
    .join(" ");
}
