/** CDS-WG1-02 §3.2, §8: PAR + code + PKCE, refresh, introspection, revocation, the Grants API. */
import { isObject, type Json, type ScenarioContext } from "../../context.js";
import { describe } from "../../http.js";
import type { Scenario } from "../../scenario.js";
import { range } from "../musts-ids.js";
import { checkIdFilter, checkNewestFirst, listAll, secondBefore } from "./listing.js";

const spec = "CDS-WG1-02" as const;

async function introspect(ctx: ScenarioContext, token: string): Promise<Json> {
  const app = ctx.app();
  const res = await ctx.request(await ctx.endpoint("introspection_endpoint"), { basic: { id: app.clientId, secret: app.clientSecret }, form: { token } });
  ctx.expectStatus(res, 200, "3.2", "token introspection (RFC 7662)");
  ctx.check(isObject(res.json), "3.2", "the introspection response is not a JSON object");
  return res.json;
}

/** The Grant a customer token was issued under: from `cds_grant_ids`, else the app's newest Grant. */
export async function grantOf(ctx: ScenarioContext, tokens: Json): Promise<Json> {
  if (!ctx.options.credentials?.clientAdmin) ctx.skip("needs the Client admin of the app's registration (credentials.clientAdmin) to read the app's Grants");
  const token = await ctx.adminToken();
  const api = await ctx.endpoint("cds_grants_api");
  const ids = Array.isArray(tokens.cds_grant_ids) ? tokens.cds_grant_ids.map(String) : [];
  const url = new URL(api);
  if (ids.length) url.searchParams.set("grant_ids", ids.join(" "));
  else url.searchParams.set("client_ids", ctx.app().clientId);
  const [grant] = await listAll(ctx, url.toString(), token, "grants", "8.4");
  ctx.check(grant, "8.4", "the Grant the customer just approved is not listed to the app's Client admin");
  return grant;
}

export const authorizationCode: Scenario = {
  id: "wg1-02/authorization-code",
  spec,
  title: "PAR + authorization code + PKCE S256 gives a strictly valid Bearer token response",
  sections: ["3.2", "8.1"],
  musts: ["WG1-02-3.2-13", "WG1-02-8.3-10"],
  async run(ctx: ScenarioContext) {
    const tokens = await ctx.customerTokens();
    ctx.conforms("TokenResponse", tokens, "3.2", "the authorization-code token response");
    ctx.check(String(tokens.token_type).toLowerCase() === "bearer", "3.2", "the token type is not Bearer");
    await ctx.readableWith(tokens.access_token);
  },
};

export const emptyGrantId: Scenario = {
  id: "wg1-02/empty-cds-grant-id",
  spec,
  title: "An empty `cds_grant_id` in a pushed request counts as absent",
  sections: ["8.3"],
  musts: ["WG1-02-8.3-5"],
  async run(ctx: ScenarioContext) {
    const flow = await ctx.authorize({ params: { cds_grant_id: "" } });
    const res = await ctx.redeem(flow);
    ctx.expectStatus(res, 200, "8.3", "redeeming a code approved with an empty cds_grant_id");
  },
};

export const refresh: Scenario = {
  id: "wg1-02/refresh",
  spec,
  title: "A refresh token gives a new working access token",
  sections: ["3.2"],
  musts: [],
  async run(ctx: ScenarioContext) {
    const tokens = await ctx.customerTokens();
    if (typeof tokens.refresh_token !== "string") ctx.skip("the Server issued no refresh token for this scope");
    const res = await ctx.tokenRequest(ctx.app(), { grant_type: "refresh_token", refresh_token: tokens.refresh_token });
    ctx.expectStatus(res, 200, "3.2", "refresh_token grant (RFC 6749 §6)");
    ctx.conforms("TokenResponse", res.json, "3.2", "the refresh token response");
    await ctx.readableWith(String((res.json as Json).access_token));
  },
};

export const introspection: Scenario = {
  id: "wg1-02/introspection",
  spec,
  title: "Introspection says active for a live token, inactive for an unknown one, and needs client authentication",
  sections: ["3.2"],
  musts: ["WG1-02-3.2-9"],
  async run(ctx: ScenarioContext) {
    const tokens = await ctx.customerTokens();
    const live = await introspect(ctx, tokens.access_token);
    ctx.check(live.active === true, "3.2", "a fresh access token introspects as inactive");
    ctx.check(live.client_id === undefined || live.client_id === ctx.app().clientId, "3.2", "the introspected token names another client");
    const unknown = await introspect(ctx, "cds-conformance-unknown-token");
    ctx.check(unknown.active === false, "3.2", "an unknown token introspects as active");
    const anonymous = await ctx.request(await ctx.endpoint("introspection_endpoint"), { form: { token: tokens.access_token } });
    ctx.check(anonymous.status === 401 || anonymous.status === 400, "3.2", `introspection without client authentication answered ${describe(anonymous)}`);
  },
};

export const revocation: Scenario = {
  id: "wg1-02/revocation",
  spec,
  title: "A revoked access token introspects inactive and no longer reads data",
  sections: ["3.2"],
  musts: ["WG1-02-3.2-8"],
  async run(ctx: ScenarioContext) {
    const tokens = await ctx.customerTokens();
    const api = await ctx.readableWith(tokens.access_token);
    const app = ctx.app();
    const res = await ctx.request(await ctx.endpoint("revocation_endpoint"), { basic: { id: app.clientId, secret: app.clientSecret }, form: { token: tokens.access_token, token_type_hint: "access_token" } });
    ctx.expectStatus(res, 200, "3.2", "token revocation (RFC 7009)");
    ctx.check((await introspect(ctx, tokens.access_token)).active === false, "3.2", "a revoked token still introspects as active");
    const after = await ctx.request(api, { bearer: tokens.access_token });
    ctx.expectStatus(after, 401, "3.2", "reading Customer Data with a revoked token");
  },
};

export const grantsApi: Scenario = {
  id: "wg1-02/grants-api",
  spec,
  title: "Grants API: the approved Grant is listed strictly valid, newest first, at its uri, and the filters are exact",
  sections: ["8.1", "8.2", "8.4", "8.5"],
  musts: [...range("WG1-02-8.1-", 1, 19), "WG1-02-8.2-1", "WG1-02-8.4-1", "WG1-02-8.4-2", ...range("WG1-02-8.4-", 3, 11), "WG1-02-8.5-1"],
  async run(ctx: ScenarioContext) {
    const tokens = await ctx.customerTokens();
    const grant = await grantOf(ctx, tokens);
    const admin = await ctx.adminToken();
    const api = await ctx.endpoint("cds_grants_api");
    const all = await listAll(ctx, api, admin, "grants", "8.4", "GrantListing");
    checkNewestFirst(ctx, all, "modified", "grant_id", "8.4");
    const one = await ctx.request(String(grant.uri), { bearer: admin });
    ctx.expectStatus(one, 200, "8.5", "GET the Grant's uri");
    ctx.conforms("Grant", one.json, "8.1", "the Grant");
    ctx.check((one.json as Json).grant_id === grant.grant_id, "8.5", "the Grant's uri answers another Grant");
    await checkIdFilter(ctx, api, admin, "grants", "grant_ids", "grant_id", [String(grant.grant_id)], "8.4");
    const byStatus = new URL(api);
    byStatus.searchParams.set("statuses", String(grant.status));
    const statuses = await listAll(ctx, byStatus.toString(), admin, "grants", "8.4");
    ctx.check(statuses.every((g) => g.status === grant.status) && statuses.some((g) => g.grant_id === grant.grant_id), "8.4", `statuses=${String(grant.status)} did not list exactly the Grants in that status`);
    // parents, scopes, receipt_confirmations, after, before (§8.4): each keeps exactly its matches.
    const filtered = async (param: string, value: string) => {
      const u = new URL(api);
      u.searchParams.set(param, value);
      return listAll(ctx, u.toString(), admin, "grants", "8.4");
    };
    const parents = await filtered("parents", "cds-conformance-no-such-grant");
    ctx.check(parents.length === 0, "8.4", `parents=<unknown grant> listed ${parents.length} Grants`);
    const scope = ctx.app().scope;
    const scoped = await filtered("scopes", scope);
    const hasScope = (g: Json) => String(g.scope).split(" ").includes(scope) || (Array.isArray(g.authorization_details) && g.authorization_details.some((d) => isObject(d) && d.type === scope));
    ctx.check(scoped.every(hasScope) && scoped.some((g) => g.grant_id === grant.grant_id), "8.4", `scopes=${scope} did not list exactly the Grants with that scope`);
    const receipts = Array.isArray(grant.receipt_confirmations) ? grant.receipt_confirmations.map(String) : [];
    if (receipts.length) {
      const byReceipt = await filtered("receipt_confirmations", receipts[0]!);
      ctx.check(byReceipt.length >= 1 && byReceipt.every((g) => Array.isArray(g.receipt_confirmations) && g.receipt_confirmations.includes(receipts[0])), "8.4", "receipt_confirmations did not list exactly the Grants with that code");
    }
    const createdAt = Date.parse(String(grant.created));
    const bound = secondBefore(createdAt);
    const since = await filtered("after", bound.iso);
    ctx.check(since.some((g) => g.grant_id === grant.grant_id) && since.every((g) => Date.parse(String(g.created)) >= bound.ms), "8.4", "after= did not keep exactly the Grants created since");
    const until = await filtered("before", bound.iso);
    ctx.check(!until.some((g) => g.grant_id === grant.grant_id) && until.every((g) => Date.parse(String(g.created)) <= bound.ms), "8.4", "before= kept a Grant created later");
    const byClient = new URL(api);
    byClient.searchParams.set("client_ids", ctx.app().clientId);
    const clients = await listAll(ctx, byClient.toString(), admin, "grants", "8.4");
    ctx.check(clients.every((g) => g.client_id === ctx.app().clientId) && clients.some((g) => g.grant_id === grant.grant_id), "8.4", "client_ids did not list exactly the app's Grants");
  },
};

export const grantClose: Scenario = {
  id: "wg1-02/grant-close",
  spec,
  title: "A Client closes its Grant; only `closed` is accepted, and the Grant's tokens stop reading data",
  sections: ["8.2", "8.6"],
  musts: ["WG1-02-8.6-1", "WG1-02-8.6-2", "WG1-02-8.6-3", "WG1-02-8.6-10", "WG1-02-8.6-11", "WG1-02-8.6-12"],
  async run(ctx: ScenarioContext) {
    const tokens = await ctx.customerTokens();
    const api = await ctx.readableWith(tokens.access_token);
    const grant = await grantOf(ctx, tokens);
    const admin = await ctx.adminToken();
    const reopen = await ctx.request(String(grant.uri), { method: "PATCH", bearer: admin, body: { status: "suspended" } });
    ctx.expectStatus(reopen, 400, "8.6", "PATCH status=suspended (only closed may be set by a Client)");
    const closed = await ctx.request(String(grant.uri), { method: "PATCH", bearer: admin, body: { status: "closed", grant_id: "cds-conformance-other-id" } });
    ctx.expectStatus(closed, 200, "8.6", "PATCH status=closed");
    const body = closed.json as Json;
    ctx.check(body.status === "closed", "8.6", `the closed Grant shows status ${String(body.status)}`);
    ctx.check(body.grant_id === grant.grant_id && body.scope === grant.scope, "8.6", "PATCH changed fields it did not modify or may not modify");
    // Every Customer Data API, not only the one read before: a closed Grant's token reads nothing (CDS-WG3-01 §10).
    for (const url of [api, ...(await ctx.customerDataApis()).filter((u) => u !== api)]) {
      const after = await ctx.request(url, { bearer: tokens.access_token });
      ctx.check(after.status === 401 || after.status === 403, "8.2", `a closed Grant's access token still reads ${new URL(url).pathname}: ${describe(after)}`);
    }
  },
};
