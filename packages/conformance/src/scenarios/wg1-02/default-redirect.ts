/** CDS-WG1-02 §4.2: the redirect URI the Server makes for a new interactive Client Object. */
import { isObject, type Json, type ScenarioContext } from "../../context.js";
import { describe } from "../../http.js";
import type { Scenario } from "../../scenario.js";
import { clientFor, registerInteractive } from "./client-changes.js";
import { listAll } from "./listing.js";

const spec = "CDS-WG1-02" as const;

/** GET `url` as a browser would, following up to five redirects. */
async function visit(ctx: ScenarioContext, url: string | URL) {
  let res = await ctx.request(url, { headers: { accept: "text/html" } });
  for (let hops = 0; hops < 5 && res.status >= 300 && res.status < 400 && res.headers.get("location"); hops++) {
    res = await ctx.request(new URL(res.headers.get("location")!, res.url), { headers: { accept: "text/html" } });
  }
  return res;
}

const isHtml = (res: { headers: Headers }) => /html/.test(res.headers.get("content-type") ?? "");

export const defaultRedirectUri: Scenario = {
  id: "wg1-02/default-redirect-uri",
  spec,
  title: "The Server-made default redirect URI shows a receipt after an approval, and an error page after a refusal",
  sections: ["4.2"],
  musts: ["WG1-02-4.2-13"],
  async run(ctx: ScenarioContext) {
    if (!ctx.options.credentials?.customer) ctx.skip("needs a test customer (credentials.customer) to approve an authorization");
    // A Client Object of the suite's own: the Server made its default redirect URI at registration.
    const registered = await registerInteractive(ctx);
    const { token, client } = await clientFor(ctx, registered);
    const uri = client.cds_default_redirect_uri;
    ctx.check(typeof uri === "string" && Array.isArray(client.redirect_uris) && client.redirect_uris.includes(uri), "4.2", `the new interactive Client Object ${String(client.client_id)} lists no default redirect URI among its redirect_uris`);
    const created = await ctx.request(await ctx.endpoint("cds_credentials_api"), { bearer: token, body: { client_id: client.client_id } });
    ctx.expectStatus(created, 201, "7.5", `POST a Credential for ${String(client.client_id)}`);
    const secret = (created.json as Json).client_secret;
    ctx.check(typeof secret === "string", "7.1", "a client_secret Credential has no client_secret");

    // The driver answers the address the browser was sent to; the suite then loads it as the browser does.
    const flow = await ctx.authorize({ app: { clientId: String(client.client_id), clientSecret: secret, redirectUri: uri, scope: registered.scope } });
    const landing = await visit(ctx, flow.callback);
    ctx.check(landing.status === 200 && isHtml(landing), "4.2", `after an approval the default redirect URI ends in ${describe(landing)}, not a receipt page`);
    const grants = new URL(await ctx.endpoint("cds_grants_api"));
    grants.searchParams.set("client_ids", String(client.client_id));
    const [grant] = await listAll(ctx, grants.toString(), token, "grants", "8.4");
    const confirmations = isObject(grant) && Array.isArray(grant.receipt_confirmations) ? grant.receipt_confirmations.map(String) : [];
    if (confirmations.length === 0) ctx.skip("the Grant just approved lists no receipt confirmation, so a receipt of it cannot be recognised");
    ctx.check(confirmations.some((c) => landing.text.includes(c)), "4.2", "after an approval the default redirect URI shows no receipt: the page names none of the Grant's receipt confirmations");

    for (const error of ["access_denied", "server_error"]) {
      const refused = new URL(uri);
      refused.searchParams.set("error", error);
      refused.searchParams.set("state", flow.state);
      const page = await visit(ctx, refused);
      ctx.check(page.status >= 200 && page.status < 500 && page.status !== 204 && isHtml(page), "4.2", `the default redirect URI with error=${error} answers ${describe(page)}, not a page showing the error`);
      ctx.check(!confirmations.some((c) => page.text.includes(c)) && page.text !== landing.text, "4.2", `the default redirect URI with error=${error} shows a receipt instead of an error`);
    }
  },
};
