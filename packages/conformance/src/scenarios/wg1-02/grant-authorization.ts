/** CDS-WG1-02 §8.3, §8.6: extending a Grant, completing it with `cds_grant_id`, narrowing it; `cds_grant_id` errors. */
import { isObject, pkcePair, type Json, type ScenarioContext } from "../../context.js";
import { describe } from "../../http.js";
import type { Scenario } from "../../scenario.js";
import { listAll } from "./listing.js";

const spec = "CDS-WG1-02" as const;

export const grantModification: Scenario = {
  id: "wg1-02/grant-modification",
  spec,
  title: "A Grant widened by its Client waits for the customer, who completes it with cds_grant_id; narrowing applies at once",
  sections: ["8.3", "8.6"],
  musts: ["WG1-02-8.3-2", "WG1-02-8.3-9", "WG1-02-8.3-10", "WG1-02-8.6-4", "WG1-02-8.6-5", "WG1-02-8.6-6", "WG1-02-8.6-7", "WG1-02-8.6-8", "WG1-02-8.6-9"],
  async run(ctx: ScenarioContext) {
    if (!ctx.options.credentials?.clientAdmin) ctx.skip("needs the Client admin of the app's registration (credentials.clientAdmin)");
    const app = ctx.app();
    const admin = await ctx.adminToken();
    const descriptions = (await ctx.asMetadata()).cds_scope_descriptions as Record<string, Json>;
    const clients = await listAll(ctx, await ctx.endpoint("cds_clients_api"), admin, "clients", "5.3");
    const appClient = clients.find((c) => c.client_id === app.clientId);
    ctx.check(appClient, "5.3", "the app's Client Object is not listed to its registration's Client admin");
    const other = String(appClient.scope)
      .split(" ")
      .find((s) => s !== app.scope && Array.isArray(descriptions[s]?.response_types_supported) && (descriptions[s]!.response_types_supported as unknown[]).length > 0);
    if (!other) ctx.skip("the app's Client Object holds no second customer-authorized scope to widen a Grant with");

    await ctx.customerTokens();
    const grants = await listAll(ctx, `${await ctx.endpoint("cds_grants_api")}?client_ids=${encodeURIComponent(app.clientId)}&statuses=active`, admin, "grants", "8.4");
    const grant = grants[0];
    ctx.check(grant, "8.4", "the Grant the customer just approved is not listed");
    const original = grant.authorization_details as Json[];
    const both = `${app.scope} ${other}`;
    const wanted = [...original, { type: other }];

    const widened = await ctx.request(String(grant.uri), { method: "PATCH", bearer: admin, body: { scope: both, authorization_details: wanted } });
    ctx.expectStatus(widened, [200, 202], "8.6", "PATCH adding a scope and an authorization details entry");
    const w = widened.json as Json;
    ctx.check(w.status === "needs_authorization" || w.status === "needs_sub_grants" || (widened.status === 202 && w.status === "pending"), "8.6", `a widened Grant has status ${String(w.status)}, not needs_authorization`);
    ctx.check(w.enabled_scope === grant.enabled_scope, "8.6", `widening changed enabled_scope to ${String(w.enabled_scope)} before any approval`);
    ctx.check(JSON.stringify(w.enabled_authorization_details) === JSON.stringify(grant.enabled_authorization_details), "8.6", "widening changed enabled_authorization_details before any approval");

    // The customer completes it: cds_grant_id travels in the pushed request (§8.3).
    const flow = await ctx.authorize({ params: { scope: both, cds_grant_id: String(grant.grant_id), authorization_details: JSON.stringify(wanted) } });
    const approved = await ctx.request(String(grant.uri), { bearer: admin });
    ctx.check(isObject(approved.json) && approved.json.status === "active" && String(approved.json.enabled_scope).split(" ").includes(other), "8.3", `after approval and before the token request the Grant is ${isObject(approved.json) ? String(approved.json.status) : describe(approved)}, not active with ${other} enabled`);
    ctx.expectStatus(await ctx.redeem(flow), 200, "8.3", "redeeming the code of the completed Grant");

    const narrowed = await ctx.request(String(grant.uri), { method: "PATCH", bearer: admin, body: { scope: app.scope, authorization_details: (approved.json as Json).authorization_details instanceof Array ? ((approved.json as Json).authorization_details as Json[]).filter((d) => d.type === app.scope) : original } });
    ctx.expectStatus(narrowed, 200, "8.6", "PATCH narrowing the Grant back to its first scope");
    const n = narrowed.json as Json;
    ctx.check(n.status === "active" && n.enabled_scope === app.scope, "8.6", `a narrowed Grant is ${String(n.status)} with enabled_scope ${String(n.enabled_scope)}: narrowing must not wait for a new approval`);
  },
};

export const cdsGrantIdErrors: Scenario = {
  id: "wg1-02/cds-grant-id-errors",
  spec,
  title: "An unknown or doubled cds_grant_id is refused back to the Client; a bad redirect_uri is reported first",
  sections: ["8.3"],
  musts: ["WG1-02-8.3-3", "WG1-02-8.3-4", "WG1-02-8.3-6"],
  async run(ctx: ScenarioContext) {
    const app = ctx.app();
    const authorize = async (extra: [string, string][], redirectUri = app.redirectUri) => {
      const url = new URL(await ctx.endpoint("authorization_endpoint"));
      const base: [string, string][] = [["client_id", app.clientId], ["response_type", "code"], ["redirect_uri", redirectUri], ["scope", app.scope], ["state", "conformance-state"], ["code_challenge", pkcePair().challenge], ["code_challenge_method", "S256"]];
      for (const [k, v] of [...base, ...extra]) url.searchParams.append(k, v);
      return ctx.request(url, { headers: { accept: "text/html" } });
    };
    const redirectedError = (res: Awaited<ReturnType<typeof authorize>>) => {
      const location = res.headers.get("location");
      if (!location || res.status < 300 || res.status >= 400) return null;
      const url = new URL(location, res.url);
      return url.toString().startsWith(app.redirectUri) ? url.searchParams : null;
    };
    const unknown = redirectedError(await authorize([["cds_grant_id", "cds-conformance-no-such-grant"]]));
    ctx.check(unknown?.get("error") === "cds_grant_id_invalid_value" && unknown.get("state") === "conformance-state", "8.3", `an unknown cds_grant_id was not sent back with error=cds_grant_id_invalid_value and the state (got ${unknown?.get("error") ?? "no redirect"})`);
    const doubled = redirectedError(await authorize([["cds_grant_id", "a1"], ["cds_grant_id", "b2"]]));
    ctx.check(doubled !== null && doubled.get("error") !== null && !doubled.get("code"), "8.3", "two non-empty cds_grant_id values were not refused");
    const badRedirect = await authorize([["cds_grant_id", "cds-conformance-no-such-grant"]], "https://attacker.example/cb");
    const location = badRedirect.headers.get("location") ?? "";
    ctx.check(!location.startsWith("https://attacker.example"), "8.3", "with an unregistered redirect_uri, the cds_grant_id error was redirected to it instead of the redirect_uri error being reported first");
  },
};
