/**
 * The one route every §10 listing is: authenticate and scope the request
 * (./access.ts), read the filters the contract declares for the operation,
 * ask the data source for a keyset page, and answer the listing model,
 * strictly validated. Each API folder only names its kind, scope and model.
 */
import { openapiDocuments } from "@cds-toolkit/schemas";
import { validate } from "@cds-toolkit/validators";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ServerContext } from "../context.js";
import { ProblemError } from "../http/problem.js";
import { sendModel } from "../http/contract-response.js";
import { paths } from "../urls.js";
import { listingAccess } from "./access.js";
import type { CustomerDataKind, ListPosition, ListRequest } from "./data-source.js";

export interface ListingApi<K extends CustomerDataKind> {
  kind: K;
  /** The Direct Access scope that opens it (§6.2). */
  scope: string;
  /** The response model and its list member (§10.x "Listing …"). */
  model: string;
  listKey: string;
  /** What `before`/`after` hold: dates (§10.5.4, §10.6.9) or datetimes (§10.8.8, §10.9). */
  bounds?: "date" | "datetime";
  /** The `q` fields, when the listing has `q`. */
  searchFields?: readonly string[];
}

const PAGE_SIZE = 100;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;
const datetimePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function badParameter(name: string, rule: string, message: string): never {
  throw new ProblemError(400, `${name}: ${message}`, [{ pointer: `query:${name}`, rule, message: `query:${name}: ${message}` }]);
}

/** The list parameters the contract declares for the listing's GET. */
function contractFilters(path: string): string[] {
  const operation = (openapiDocuments["customer-data"] as unknown as { paths: Record<string, { get: { parameters?: { name: string; in: string }[] } }> }).paths[path]!.get;
  return (operation.parameters ?? []).filter((p) => p.in === "query" && !["q", "before", "after"].includes(p.name)).map((p) => p.name);
}

const encodeCursor = (c: ListPosition & { direction: "next" | "previous" }) => Buffer.from(JSON.stringify([c.direction, c.key, c.id])).toString("base64url");
function decodeCursor(value: string): ListPosition & { direction: "next" | "previous" } {
  try {
    const [direction, key, id] = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as unknown[];
    if ((direction === "next" || direction === "previous") && typeof key === "string" && typeof id === "string") return { direction, key, id };
  } catch {
    // falls through to the 400
  }
  return badParameter("cursor", "format", "is not a cursor this server issued; follow the next and previous links as given");
}

export function registerListingRoute<K extends CustomerDataKind>(app: FastifyInstance, ctx: ServerContext, api: ListingApi<K>): void {
  const path = paths.customerData[api.kind];
  const filters = contractFilters(path);
  const known = new Set([...filters, "cursor", ...(api.bounds ? ["before", "after"] : []), ...(api.searchFields ? ["q"] : [])]);

  app.get(path, async (request: FastifyRequest, reply: FastifyReply) => {
    const access = await listingAccess(ctx.provider, ctx.db, request, reply, api.scope);
    if (!access) return reply;
    const query = request.query as Record<string, string | string[] | undefined>;
    const one = (name: string) => {
      const value = query[name];
      if (Array.isArray(value)) badParameter(name, "maxItems", "is given more than once");
      return value;
    };
    for (const name of Object.keys(query)) if (!known.has(name)) badParameter(name, "additionalProperties", "is not a parameter of this listing");

    const list: ListRequest<K> = { owners: access.owners, limit: PAGE_SIZE, filters: {} };
    const chosen: Record<string, readonly string[]> = {};
    for (const name of filters) {
      const value = one(name);
      if (value === undefined) continue;
      const values = [...new Set(value.split(" ").filter(Boolean))];
      if (!values.length) badParameter(name, "minLength", "must list at least one value, space-separated");
      chosen[name] = values;
    }
    // A Grant's preselections (§6.2, §7.1) narrow like filters of the same name.
    for (const [name, values] of Object.entries(access.preselections)) {
      if (!filters.includes(name)) continue;
      chosen[name] = chosen[name] ? chosen[name].filter((v) => values.includes(v)) : values;
    }
    list.filters = chosen as ListRequest<K>["filters"];
    if (api.bounds) {
      for (const name of ["after", "before"] as const) {
        const value = one(name);
        if (value === undefined) continue;
        const ok = api.bounds === "date" ? datePattern.test(value) && !Number.isNaN(Date.parse(value)) : datetimePattern.test(value) && !Number.isNaN(Date.parse(value));
        if (!ok) badParameter(name, "format", api.bounds === "date" ? "must be a date (YYYY-MM-DD)" : "must be an RFC 3339 datetime");
        list[name] = api.bounds === "date" ? value : new Date(value).toISOString();
      }
    }
    const q = api.searchFields ? one("q") : undefined;
    if (q !== undefined) {
      if (!q.length) badParameter("q", "minLength", "must not be empty");
      list.search = { term: q, fields: api.searchFields! };
    }
    const cursor = one("cursor");
    if (cursor !== undefined) list.cursor = decodeCursor(cursor);

    const page = await ctx.customerData.list(api.kind, list);
    const link = (c: (ListPosition & { direction: "next" | "previous" }) | null) => {
      if (!c) return null;
      const search = new URLSearchParams();
      for (const [name, value] of Object.entries(query)) if (name !== "cursor" && typeof value === "string") search.set(name, value);
      search.set("cursor", encodeCursor(c));
      return `${ctx.urls.customerData[api.kind]}?${search.toString()}`;
    };
    const first = page.items[0]?.position;
    const last = page.items.at(-1)?.position;
    const body = {
      [api.listKey]: page.items.map((i) => i.object),
      next: page.hasNext && last ? link({ ...last, direction: "next" }) : null,
      previous: page.hasPrevious && first ? link({ ...first, direction: "previous" }) : null,
    };
    return sendModel(request, reply, api.model, (v) => validate(api.model as Parameters<typeof validate>[0], v, "strict"), body, { noStore: true });
  });
}
