/** CDS-WG1-02 §4 registration and §3.3.1 client_credentials tokens. */
import type { ScenarioContext } from "../../context.js";
import { isObject, type Json } from "../../context.js";
import { listAll } from "./listing.js";
import { describe } from "../../http.js";
import type { Scenario } from "../../scenario.js";
import { range } from "../musts-ids.js";

const spec = "CDS-WG1-02" as const;

/**
 * Registering for more than the Client admin scope (§4.2): one Client Object
 * per accepted scope, a Grant Admin one for a scope that names one, and an
 * interactive one with a Server-made default redirect URI, in sandbox.
 */
async function checkScopedRegistration(ctx: ScenarioContext): Promise<void> {
  const descriptions = (await ctx.asMetadata()).cds_scope_descriptions as Record<string, Json>;
  const free = Object.values(descriptions).filter((d) => Array.isArray(d.registration_requirements) && d.registration_requirements.length === 0 && d.type !== "cds_client_admin" && d.type !== "cds_grant_admin");
  const interactive = free.find((d) => Array.isArray(d.response_types_supported) && d.response_types_supported.length > 0);
  const withAdmin = free.find((d) => typeof d.grant_admin_scope === "string");
  const extra = [interactive, withAdmin].filter((d): d is Json => d !== undefined).map((d) => String(d.id));
  if (extra.length === 0) return;
  const res = await ctx.register({ scope: ["cds_client_admin", ...extra].join(" ") });
  ctx.expectStatus(res, [200, 201], "4.2", `registration for cds_client_admin ${extra.join(" ")}`);
  const body = res.json as Json;
  const token = await ctx.clientToken({ clientId: String(body.client_id), clientSecret: String(body.client_secret) });
  const clients = await listAll(ctx, await ctx.endpoint("cds_clients_api"), token, "clients", "5.3");
  for (const scope of extra) ctx.check(clients.some((c) => String(c.scope).split(" ").includes(scope)), "4.2", `registering for ${scope} made no Client Object for it`);
  if (withAdmin) ctx.check(clients.some((c) => c.scope === withAdmin.grant_admin_scope), "4.2", `registering for ${String(withAdmin.id)} made no Client Object for its Grant Admin scope ${String(withAdmin.grant_admin_scope)}`);
  if (interactive) {
    const c = clients.find((x) => String(x.scope).split(" ").includes(String(interactive.id)))!;
    ctx.check(Array.isArray(c.redirect_uris) && c.redirect_uris.length === 1 && c.cds_default_redirect_uri === c.redirect_uris[0], "4.2", `the interactive Client ${String(c.client_id)} does not start with one Server-made default redirect URI`);
    ctx.check(Array.isArray(c.cds_status_options) && c.cds_status_options.includes("sandbox"), "4.2", `the interactive Client ${String(c.client_id)} does not offer sandbox`);
    ctx.check(Array.isArray(c.cds_default_authorization_details) && c.cds_default_authorization_details.length === 0, "5.1", `the interactive Client ${String(c.client_id)} starts with default authorization details`);
  }
}

export const registration: Scenario = {
  id: "wg1-02/registration",
  spec,
  title: "Registration answers a client admin Client Object whose secret works; undescribed scopes are refused",
  sections: ["4.1", "4.2"],
  musts: ["WG1-02-4.1-3", "WG1-02-4.1-4", ...range("WG1-02-4.2-", 1, 10), "WG1-02-4.2-12", "WG1-02-4.2-14", "WG1-02-4.2-17", "WG1-02-5.1-17", "WG1-02-5.1-19", "WG1-02-11.2-1", "WG1-02-11.4-1"],
  async run(ctx: ScenarioContext) {
    const res = await ctx.register({ scope: "cds_client_admin", client_name: "CDS conformance suite", redirect_uris: ["https://conformance.invalid/cb"] });
    ctx.expectStatus(res, [200, 201], "4.2", "a valid registration request");
    ctx.conforms("ClientRegistrationResponse", res.json, "4.2", "the registration response");
    const body = res.json as Record<string, unknown>;
    ctx.check(body.scope === "cds_client_admin", "4.2", `the registered Client's scope is ${JSON.stringify(body.scope)}`);
    ctx.check(Array.isArray(body.redirect_uris) && body.redirect_uris.length === 0, "4.1", "submitted redirect_uris were kept, not ignored");
    ctx.check(Array.isArray(body.response_types) && body.response_types.length === 0, "4.2", "the registration response's response_types is not empty");
    ctx.check(JSON.stringify(body.grant_types) === '["client_credentials"]', "4.2", `grant_types is ${JSON.stringify(body.grant_types)}, not ["client_credentials"]`);
    ctx.check(body.token_endpoint_auth_method === "client_secret_basic", "4.2", "token_endpoint_auth_method is not client_secret_basic");
    await ctx.clientToken({ clientId: String(body.client_id), clientSecret: String(body.client_secret) });
    ctx.check(typeof (await ctx.asMetadata()).cds_clients_api === "string", "4.2", "no cds_clients_api is advertised");
    await checkScopedRegistration(ctx);
    const mixed = await ctx.register({ scope: "cds_client_admin cds_conformance_undescribed_scope" });
    ctx.expectStatus(mixed, 400, "4.1", "registration mixing a described scope with an undescribed one");
  },
};

export const clientCredentials: Scenario = {
  id: "wg1-02/client-credentials",
  spec,
  title: "client_credentials issues Bearer tokens to the right secret only, for registered scopes only",
  sections: ["3.3.1", "11.2"],
  musts: ["WG1-02-11.2-3"],
  async run(ctx: ScenarioContext) {
    const client = await ctx.clientAdmin();
    const ok = await ctx.tokenRequest(client, { grant_type: "client_credentials", scope: "cds_client_admin" });
    ctx.expectStatus(ok, 200, "3.3.1", "client_credentials for cds_client_admin");
    ctx.conforms("TokenResponse", ok.json, "3.3.1", "the token response");
    ctx.check(String((ok.json as Record<string, unknown>).token_type).toLowerCase() === "bearer", "11.2", "the token type is not Bearer");
    const wrong = await ctx.tokenRequest({ clientId: client.clientId, clientSecret: `${client.clientSecret}-wrong` }, { grant_type: "client_credentials", scope: "cds_client_admin" });
    ctx.expectStatus(wrong, 401, "3.3.1", "client_credentials with a wrong secret (RFC 6749 §5.2 invalid_client)");
    const scope = await ctx.tokenRequest(client, { grant_type: "client_credentials", scope: "cds_conformance_unregistered_scope" });
    // RFC 6749 §3.3 lets a Server refuse (invalid_scope) or narrow the request; it must never grant the scope.
    const refused = scope.status === 400 && isObject(scope.json) && scope.json.error === "invalid_scope";
    const narrowed = scope.status === 200 && isObject(scope.json) && !String(scope.json.scope ?? "").split(" ").includes("cds_conformance_unregistered_scope");
    ctx.check(refused || narrowed, "3.3.1", `client_credentials for a scope never registered answered ${describe(scope)}: neither refused nor narrowed`);
  },
};
