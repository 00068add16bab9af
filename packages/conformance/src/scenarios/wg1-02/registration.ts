/** CDS-WG1-02 §4 registration and §3.3.1 client_credentials tokens. */
import type { ScenarioContext } from "../../context.js";
import { isObject } from "../../context.js";
import { describe } from "../../http.js";
import type { Scenario } from "../../scenario.js";
import { range } from "../musts-ids.js";

const spec = "CDS-WG1-02" as const;

export const registration: Scenario = {
  id: "wg1-02/registration",
  spec,
  title: "Registration answers a client admin Client Object whose secret works; undescribed scopes are refused",
  sections: ["4.1", "4.2"],
  musts: ["WG1-02-4.1-3", "WG1-02-4.1-4", ...range("WG1-02-4.2-", 1, 8), "WG1-02-4.2-17", "WG1-02-11.2-1"],
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
    const mixed = await ctx.register({ scope: "cds_client_admin cds_conformance_undescribed_scope" });
    ctx.expectStatus(mixed, 400, "4.1", "registration mixing a described scope with an undescribed one");
  },
};

export const clientCredentials: Scenario = {
  id: "wg1-02/client-credentials",
  spec,
  title: "client_credentials issues Bearer tokens to the right secret only, for registered scopes only",
  sections: ["3.3.1", "11.2"],
  musts: ["WG1-02-3.3.1-1", "WG1-02-11.2-3"],
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
