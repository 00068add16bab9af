/**
 * Negative security scenarios (CDS-WG1-02 §11 with RFC 9700's attacks):
 * tokens that must not work, PKCE downgrade and omission, code replay,
 * redirect-URI tricks, and the consent page's own defences.
 */
import { pkcePair, isObject, type ScenarioContext } from "../../context.js";
import { describe, type HttpResponse } from "../../http.js";
import type { Scenario } from "../../scenario.js";

const spec = "CDS-WG1-02" as const;

const oauthError = (res: HttpResponse) => (isObject(res.json) ? String(res.json.error) : "");

async function par(ctx: ScenarioContext, params: Record<string, string | undefined>): Promise<HttpResponse> {
  const app = ctx.app();
  const { challenge } = pkcePair();
  return ctx.request(await ctx.endpoint("pushed_authorization_request_endpoint"), {
    basic: { id: app.clientId, secret: app.clientSecret },
    form: { client_id: app.clientId, response_type: "code", redirect_uri: app.redirectUri, scope: app.scope, code_challenge: challenge, code_challenge_method: "S256", state: "conformance", ...params },
  });
}

export const wrongTokens: Scenario = {
  id: "wg1-02/security-tokens",
  spec,
  title: "Missing, unknown, customer and other-registration tokens are refused by the management APIs",
  sections: ["11.1", "11.2"],
  musts: ["WG1-02-11.2-3"],
  async run(ctx: ScenarioContext) {
    const api = await ctx.endpoint("cds_clients_api");
    const none = await ctx.request(api);
    ctx.expectStatus(none, 401, "11.2", "the Clients API without a token");
    ctx.check(/^bearer/i.test(none.headers.get("www-authenticate") ?? ""), "11.2", "a 401 from the Clients API has no Bearer WWW-Authenticate challenge (RFC 6750 §3)");
    const unknown = await ctx.request(api, { bearer: "cds-conformance-not-a-token" });
    ctx.expectStatus(unknown, 401, "11.2", "the Clients API with an unknown token");
    // Another registration's Client admin must not see this one's Client Objects (§11.1).
    const admin = await ctx.adminToken();
    const [own] = (isObject((await ctx.request(api, { bearer: admin })).json) ? (((await ctx.request(api, { bearer: admin })).json as { clients?: unknown[] }).clients ?? []) : []).filter(isObject);
    ctx.check(own, "5.3", "the Clients API lists nothing to the Client admin");
    const stranger = await ctx.clientToken(await ctx.ownRegistration());
    const foreign = await ctx.request(String(own.cds_client_uri), { bearer: stranger });
    ctx.check(foreign.status === 403 || foreign.status === 404, "11.1", `another registration's token read a Client Object of this one: ${describe(foreign)}`);
    const list = await ctx.request(api, { bearer: stranger });
    const leaked = isObject(list.json) && Array.isArray(list.json.clients) && list.json.clients.some((c) => isObject(c) && c.client_id === own.client_id);
    ctx.check(!leaked, "11.1", "another registration's Clients API lists this registration's Client Object");
    // A customer's token is not a Client admin token.
    if (ctx.options.credentials?.app) {
      const customer = await ctx.customerTokens();
      const res = await ctx.request(api, { bearer: customer.access_token });
      ctx.check(res.status === 401 || res.status === 403, "11.2", `a customer's access token was accepted by the Clients API: ${describe(res)}`);
    }
  },
};

export const pkce: Scenario = {
  id: "wg1-02/security-pkce",
  spec,
  title: "PKCE: `plain` and a missing challenge are refused; a code needs its exact verifier",
  sections: ["3.2", "3.4"],
  musts: ["WG1-02-3.2-10", "WG1-02-3.4-14"],
  async run(ctx: ScenarioContext) {
    const plain = await par(ctx, { code_challenge: "cds-conformance-plain-challenge-0123456789abcdef", code_challenge_method: "plain" });
    ctx.check(plain.status === 400, "3.2", `a pushed request with code_challenge_method=plain was accepted (${describe(plain)}): PKCE downgrade (RFC 9700 §2.1.1)`);
    const missing = await par(ctx, { code_challenge: undefined, code_challenge_method: undefined });
    ctx.check(missing.status === 400, "3.2", `a pushed request without a code_challenge was accepted (${describe(missing)})`);
    const flow = await ctx.authorize();
    const noVerifier = await ctx.redeem(flow, { code_verifier: undefined });
    ctx.check(noVerifier.status === 400, "3.2", `a code redeemed without its verifier answered ${describe(noVerifier)}`);
    const flow2 = await ctx.authorize();
    const wrong = await ctx.redeem(flow2, { code_verifier: pkcePair().verifier });
    ctx.check(wrong.status === 400 && oauthError(wrong) === "invalid_grant", "3.2", `a code redeemed with another verifier answered ${describe(wrong)}, not 400 invalid_grant`);
  },
};

export const codeReplay: Scenario = {
  id: "wg1-02/security-code-replay",
  spec,
  title: "An authorization code works once; a replay is refused",
  sections: ["3.2"],
  musts: [],
  async run(ctx: ScenarioContext) {
    const flow = await ctx.authorize();
    const first = await ctx.redeem(flow);
    ctx.expectStatus(first, 200, "3.2", "redeeming a fresh code");
    const replay = await ctx.redeem(flow);
    ctx.check(replay.status === 400 && oauthError(replay) === "invalid_grant", "3.2", `a replayed code answered ${describe(replay)}, not 400 invalid_grant (RFC 6749 §4.1.2)`);
  },
};

export const redirectUris: Scenario = {
  id: "wg1-02/security-redirect-uri",
  spec,
  title: "Unregistered redirect URIs are refused, and a code is bound to the one it was issued for",
  sections: ["3.2", "5.1"],
  musts: [],
  async run(ctx: ScenarioContext) {
    const app = ctx.app();
    const tricks = [`${app.redirectUri}/../evil`, `${app.redirectUri}.evil.example`, "https://attacker.example/cb", `${app.redirectUri}?next=https://attacker.example`];
    for (const uri of tricks) {
      const res = await par(ctx, { redirect_uri: uri });
      ctx.check(res.status === 400, "5.1", `a pushed request with the unregistered redirect_uri ${uri} answered ${describe(res)}`);
    }
    const flow = await ctx.authorize();
    const other = await ctx.redeem(flow, { redirect_uri: "https://attacker.example/cb" });
    ctx.check(other.status === 400, "3.2", `a code redeemed with another redirect_uri answered ${describe(other)}`);
  },
};

export const consentPage: Scenario = {
  id: "wg1-02/security-consent-page",
  spec,
  title: "The consent page cannot be framed, and an approval without its anti-forgery token gives no code",
  sections: ["11.2"],
  musts: [],
  async run(ctx: ScenarioContext) {
    const driver = ctx.driver();
    if (!driver.probeConsentPage) ctx.skip(`the customer driver ${driver.name} cannot probe the consent page`);
    const started = await ctx.startAuthorization();
    const probe = await driver.probeConsentPage({ authorizationUrl: started.authorizationUrl, redirectUri: started.app.redirectUri, ...(ctx.options.credentials?.customer ? { customer: ctx.options.credentials.customer } : {}) });
    const csp = probe.headers["content-security-policy"] ?? "";
    const xfo = (probe.headers["x-frame-options"] ?? "").toUpperCase();
    const noFraming = /frame-ancestors\s+'none'/.test(csp) || /frame-ancestors\s+'self'/.test(csp) || xfo === "DENY" || xfo === "SAMEORIGIN";
    ctx.check(noFraming, "11.2", "the consent page can be framed by another site: no frame-ancestors or X-Frame-Options (RFC 9700 §4.16)");
    const landed = probe.withoutCsrf.redirectedTo ? new URL(probe.withoutCsrf.redirectedTo) : null;
    ctx.check(!landed?.searchParams.get("code"), "11.2", "approving the consent page without its anti-forgery token still produced a code (RFC 9700 §4.7)");
  },
};
