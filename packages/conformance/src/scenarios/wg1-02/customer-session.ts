/** CDS-WG1-02 §8.3: what the customer's sign-in decides — `prompt=login`, and whose Grant a `cds_grant_id` may complete. */
import { isObject, type Json, type ScenarioContext } from "../../context.js";
import type { Scenario } from "../../scenario.js";
import { grantOf } from "./authorization.js";
import { listAll } from "./listing.js";

const spec = "CDS-WG1-02" as const;

export const promptLogin: Scenario = {
  id: "wg1-02/prompt-login",
  spec,
  title: "prompt=login asks a customer who is still signed in to sign in again",
  sections: ["8.3"],
  musts: ["WG1-02-8.3-7"],
  async run(ctx: ScenarioContext) {
    const driver = ctx.driver();
    if (!driver.authorizeInOneSession) ctx.skip(`the customer driver ${driver.name} cannot keep one sign-in session across authorizations`);
    const customer = ctx.options.credentials?.customer;
    const started = [await ctx.startAuthorization(), await ctx.startAuthorization(), await ctx.startAuthorization({ params: { prompt: "login" } })];
    const steps = await driver.authorizeInOneSession(started.map((s) => ({ authorizationUrl: s.authorizationUrl, redirectUri: s.app.redirectUri, ...(customer ? { customer } : {}) })));
    steps.forEach((step, i) => {
      const error = step.callback.searchParams.get("error");
      ctx.check(!error && step.callback.searchParams.get("code") && step.callback.searchParams.get("state") === started[i]!.state, "8.3", `authorization ${i + 1} of one session ended with ${error ? `error=${error}` : "no code or another state"}`);
    });
    if (steps[1]!.askedToSignIn) ctx.skip("the Server asks for a sign-in on every authorization, even within one browser session: prompt=login changes nothing that can be seen");
    ctx.check(steps[2]!.askedToSignIn, "8.3", "with prompt=login, a customer still signed in from the previous authorization was not asked to sign in again");
  },
};

export const otherCustomersGrant: Scenario = {
  id: "wg1-02/cds-grant-id-other-customer",
  spec,
  title: "A customer cannot complete another customer's Grant: cds_grant_id_invalid_user back to the Client, the Grant unchanged",
  sections: ["8.3"],
  musts: ["WG1-02-8.3-8"],
  async run(ctx: ScenarioContext) {
    const other = ctx.options.credentials?.otherCustomer;
    if (!other) ctx.skip("needs a second test customer (credentials.otherCustomer / --other-customer)");
    if (!ctx.options.credentials?.clientAdmin) ctx.skip("needs the Client admin of the app's registration (credentials.clientAdmin)");
    const app = ctx.app();
    const admin = await ctx.adminToken();
    // A Grant waits for its customer once its Client widens it (§8.6): the app's Client Object needs a second customer-authorized scope.
    const descriptions = (await ctx.asMetadata()).cds_scope_descriptions as Record<string, Json>;
    const appClient = (await listAll(ctx, await ctx.endpoint("cds_clients_api"), admin, "clients", "5.3")).find((c) => c.client_id === app.clientId);
    ctx.check(appClient, "5.3", "the app's Client Object is not listed to its registration's Client admin");
    const second = String(appClient.scope)
      .split(" ")
      .find((s) => s !== app.scope && Array.isArray(descriptions[s]?.response_types_supported) && (descriptions[s]!.response_types_supported as unknown[]).length > 0);
    if (!second) ctx.skip("the app's Client Object holds no second customer-authorized scope to widen a Grant with");

    const grant = await grantOf(ctx, await ctx.customerTokens());
    const both = `${app.scope} ${second}`;
    const wanted = [...(Array.isArray(grant.authorization_details) ? grant.authorization_details : []), { type: second }];
    const widened = await ctx.request(String(grant.uri), { method: "PATCH", bearer: admin, body: { scope: both, authorization_details: wanted } });
    ctx.expectStatus(widened, [200, 202], "8.6", "PATCH adding a scope to the customer's Grant");
    const waiting = widened.json as Json;
    const started = await ctx.startAuthorization({ params: { scope: both, cds_grant_id: String(grant.grant_id), authorization_details: JSON.stringify(wanted) } });
    const callback = await ctx.driver().authorize({ authorizationUrl: started.authorizationUrl, redirectUri: started.app.redirectUri, customer: other });
    const error = callback.searchParams.get("error");
    ctx.check(error === "cds_grant_id_invalid_user", "8.3", `another customer completing the Grant ${String(grant.grant_id)} was sent back with ${error ? `error=${error}` : "a code"}, not error=cds_grant_id_invalid_user`);
    ctx.check(!callback.searchParams.get("code"), "8.3", "the refusal also carries a code");
    ctx.check(callback.searchParams.get("state") === started.state, "8.3", "the cds_grant_id_invalid_user error does not carry the request's state back");
    const after = await ctx.request(String(grant.uri), { bearer: admin });
    const now = after.json as Json;
    ctx.check(isObject(now) && now.status === waiting.status && now.enabled_scope === waiting.enabled_scope, "8.3", `the refused attempt changed the Grant (now ${isObject(now) ? `${String(now.status)}, ${String(now.enabled_scope)}` : "unreadable"})`);
  },
};
