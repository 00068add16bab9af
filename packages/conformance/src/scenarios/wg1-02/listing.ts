/** Reading a CDS-WG1-02 listing: every page by `next`, the items under one field, order by a timestamp. */
import { isObject, type Json, type ScenarioContext } from "../../context.js";
import { describe } from "../../http.js";

export async function listAll(ctx: ScenarioContext, url: string, token: string, field: string, section: string, model?: Parameters<ScenarioContext["conforms"]>[0]): Promise<Json[]> {
  const items: Json[] = [];
  let next: unknown = url;
  for (let pages = 0; typeof next === "string"; pages++) {
    ctx.check(pages < 200, section, "the listing's `next` links do not end");
    const res = await ctx.request(next, { bearer: token });
    ctx.check(res.status === 200 && isObject(res.json), section, `GET ${new URL(next).pathname}${new URL(next).search} answered ${describe(res)}`);
    if (model) ctx.conforms(model, res.json, section, `the listing page ${new URL(next).search || "(first)"}`);
    const list = res.json[field];
    ctx.check(Array.isArray(list), section, `the listing has no \`${field}\` list`);
    items.push(...list.filter(isObject));
    next = res.json.next;
  }
  return items;
}

export function checkNewestFirst(ctx: ScenarioContext, items: readonly Json[], stamp: string, idField: string, section: string): void {
  for (let i = 1; i < items.length; i++) {
    const [a, b] = [items[i - 1]!, items[i]!];
    ctx.check(Date.parse(String(a[stamp])) >= Date.parse(String(b[stamp])), section, `${String(a[idField])} (${stamp} ${String(a[stamp])}) is listed before ${String(b[idField])} (${String(b[stamp])}): not newest first`);
  }
}

/** `filter=ids` on `url` lists exactly `ids`. */
export async function checkIdFilter(ctx: ScenarioContext, url: string, token: string, field: string, param: string, idField: string, ids: readonly string[], section: string): Promise<void> {
  const filtered = new URL(url);
  filtered.searchParams.set(param, ids.join(" "));
  const got = (await listAll(ctx, filtered.toString(), token, field, section)).map((i) => String(i[idField]));
  const exact = got.length === ids.length && ids.every((id) => got.includes(id));
  ctx.check(exact, section, `${param}=${ids.join(" ")} listed [${got.join(", ")}], not exactly those`);
}

/**
 * A date-time filter bound one second before `createdAt`, in whole seconds
 * (what the `after`/`before` parameters are sent as). Checks compare listed
 * stamps against this bound, not against `createdAt - 1000`: truncating the
 * milliseconds moves the bound earlier, so an object created within that
 * sub-second gap is rightly included by `after` and must not count as a leak.
 */
export function secondBefore(createdAt: number): { ms: number; iso: string } {
  const iso = new Date(createdAt - 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  return { ms: Date.parse(iso), iso };
}
