/**
 * Customer authorizations as CDS Grants (CDS-WG1-02 §8.3): `cds_grant_id` at
 * PAR and at the authorization endpoint, the Grant updated on approval, a new
 * Grant for every other approval, and closing a Grant ending its tokens.
 */
import { validateGrant, validateGrantListing } from "@cds-toolkit/validators";
import * as oauth from "openid-client";
import { beforeEach, describe, expect, it } from "vitest";
import { createGrantNeedingAuthorization } from "../src/cds/grant-authorization.ts";
import { demoApp } from "../src/demo/demo-app.ts";
import { seedDemoData } from "../src/demo/seed.ts";
import { generateClientSecret } from "../src/oauth/client-secrets.ts";
import type { CdsServer } from "../src/server.ts";
import { demoClient } from "../src/demo/demo-utility.ts";
import { approve, authorizeInBrowser, customer, discoverApp, openLogin, grantedDetails, pushAuthorization, sandboxDetails } from "./helpers/authorization-code.ts";
import { adminToken, call, strictly } from "./helpers/cds-client.ts";
import { Browser } from "./helpers/browser.ts";
import { describeEachDatabase } from "./helpers/databases.ts";
import { isSeededGrant } from "./helpers/grants-made.ts";
import { useListeningServer } from "./helpers/servers.ts";

describeEachDatabase("cds_grant_id", (under) => {
  let server: CdsServer;
  let config: oauth.Configuration;
  let adminTokenValue: string;

  useListeningServer(under, (started) => (server = started));
  beforeEach(async () => {
    const secret = generateClientSecret();
    await seedDemoData(under.database.db, secret);
    config = await discoverApp(server.url, secret);
    adminTokenValue = await adminToken(server, demoClient.clientId, secret);
  });

  /** The demo registration's view of a Grant (the demo app belongs to it). */
  /** demo-app's Grants in the Grants API, apart from those the demo data seeds. */
  const appGrants = async () => strictly(validateGrantListing((await call(server, "GET", `/cds-api/v1/grants?client_ids=${demoApp.clientId}`, { token: adminTokenValue })).body, "strict")).grants.filter((g) => !isSeededGrant(g.grant_id));
  const grantById = async (grantId: string) => strictly(validateGrant((await call(server, "GET", `/cds-api/v1/grants/${grantId}`, { token: adminTokenValue })).body, "strict"));
  const needingAuthorization = (extra: { accountId?: string; scope?: string; clientId?: string } = {}) =>
    createGrantNeedingAuthorization(under.database.db, {
      clientId: extra.clientId ?? demoApp.clientId,
      scope: extra.scope ?? demoApp.scope,
      authorizationDetails: sandboxDetails,
      ...(extra.accountId ? { accountId: extra.accountId } : {}),
    });
  const withDetails = (grantId: string) => ({ cds_grant_id: grantId, authorization_details: JSON.stringify(sandboxDetails) });

  describe("a Grant that needs authorization", () => {
    it("is listed as needs_authorization with nothing enabled until the customer approves", async () => {
      const grantId = await needingAuthorization();
      expect(await grantById(grantId)).toMatchObject({ status: "needs_authorization", client_id: demoApp.clientId, enabled_scope: "", enabled_authorization_details: [] });
    });

    it("becomes active at approval, before any token request, and its tokens carry the Grant's details", async () => {
      const grantId = await needingAuthorization();
      const started = await pushAuthorization(config, withDetails(grantId));
      const callback = await authorizeInBrowser(new Browser(server.url), started.url);
      // §8.3: updated when the customer approves, not at the token request.
      const grant = await grantById(grantId);
      expect(grant).toMatchObject({ status: "active", scope: demoApp.scope, enabled_scope: demoApp.scope, authorization_details: grantedDetails, enabled_authorization_details: grantedDetails });
      expect(Date.parse(grant.modified)).toBeGreaterThan(Date.parse(grant.created) - 1);
      const tokens = await oauth.authorizationCodeGrant(config, callback, { pkceCodeVerifier: started.verifier, expectedState: started.state });
      expect(tokens.authorization_details).toEqual(grantedDetails);
      // The Grant is complete: it cannot be authorized again.
      await expect(pushAuthorization(config, withDetails(grantId))).rejects.toMatchObject({ error: "cds_grant_id_invalid_value" });
    });

    it.each([
      ["a different scope", { scope: "cds_usage_1 cds_accounts_1" }, withDetails],
      ["different authorization_details", {}, (id: string) => ({ cds_grant_id: id, authorization_details: JSON.stringify([{ ...sandboxDetails[0], service_types: ["natural_gas"] }]) })],
      ["no authorization_details", {}, (id: string) => ({ cds_grant_id: id })],
      ["another client's Grant", { clientId: demoClient.clientId }, withDetails],
    ])("refuses %s with cds_grant_id_invalid_value at PAR", async (_name, grant, extra) => {
      const grantId = await needingAuthorization(grant as { scope?: string; clientId?: string });
      await expect(pushAuthorization(config, extra(grantId))).rejects.toMatchObject({ error: "cds_grant_id_invalid_value" });
    });

    it("sends another customer back with cds_grant_id_invalid_user after login, leaving the Grant untouched", async () => {
      const grantId = await needingAuthorization({ accountId: "dge-customer-1002" });
      const started = await pushAuthorization(config, withDetails(grantId));
      const browser = new Browser(server.url);
      const login = await openLogin(browser, started.url);
      const { location } = await browser.follow(await browser.submit(login, "/login", customer));
      const callback = new URL(location!);
      expect(`${callback.origin}${callback.pathname}`).toBe(demoApp.redirectUri);
      expect(callback.searchParams.get("error")).toBe("cds_grant_id_invalid_user");
      expect(callback.searchParams.get("state")).toBe(started.state);
      expect((await grantById(grantId)).status).toBe("needs_authorization");
    });

    it("lets the customer it is meant for authorize it", async () => {
      const grantId = await needingAuthorization({ accountId: customer.accountId });
      await authorizeInBrowser(new Browser(server.url), (await pushAuthorization(config, withDetails(grantId))).url);
      expect((await grantById(grantId)).status).toBe("active");
    });
  });

  describe("every other approval", () => {
    it("makes a new active Grant for the client, visible to its registration", async () => {
      const before = (await appGrants());
      await authorizeInBrowser(new Browser(server.url), (await pushAuthorization(config, { authorization_details: JSON.stringify(sandboxDetails) })).url);
      const after = (await appGrants());
      expect(after).toHaveLength(before.length + 1);
      expect(after[0]).toMatchObject({ status: "active", client_id: demoApp.clientId, scope: demoApp.scope, enabled_scope: demoApp.scope, authorization_details: grantedDetails, parent: null });
    });

    it("asks again each time, even within a session: two approvals are two Grants", async () => {
      // The demo seeds Grants of its own: count the ones these approvals add.
      const listed = async () => strictly(validateGrantListing((await call(server, "GET", `/cds-api/v1/grants?client_ids=${demoApp.clientId}`, { token: adminTokenValue })).body, "strict")).grants.length;
      const before = await listed();
      const browser = new Browser(server.url);
      await authorizeInBrowser(browser, (await pushAuthorization(config)).url);
      const { response } = await browser.follow((await pushAuthorization(config)).url.toString());
      const callback = await approve(browser, await response.text());
      expect(callback.searchParams.has("code")).toBe(true);
      expect(await listed()).toBe(before + 2);
    });

    it("ends the Grant's access and refresh tokens when the Client closes it", async () => {
      const started = await pushAuthorization(config);
      const callback = await authorizeInBrowser(new Browser(server.url), started.url);
      const tokens = await oauth.authorizationCodeGrant(config, callback, { pkceCodeVerifier: started.verifier, expectedState: started.state });
      const [grant] = (await appGrants());
      expect((await oauth.tokenIntrospection(config, tokens.access_token)).active).toBe(true);

      const closed = await call(server, "PATCH", grant!.uri, { token: adminTokenValue, body: { status: "closed" } });
      expect(strictly(validateGrant(closed.body, "strict")).status).toBe("closed");
      expect((await oauth.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
      await expect(oauth.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
    });

    it("takes an addition as a request for a new authorization (§8.6), completed with cds_grant_id", async () => {
      const started = await pushAuthorization(config, { authorization_details: JSON.stringify(sandboxDetails) });
      const callback = await authorizeInBrowser(new Browser(server.url), started.url);
      const first = await oauth.authorizationCodeGrant(config, callback, { pkceCodeVerifier: started.verifier, expectedState: started.state });
      const [grant] = (await appGrants());

      // The addition: a second consent scope, with its own entry.
      const accounts = { type: "cds_accounts_1" };
      const wanted = [...(grant!.authorization_details as object[]), accounts];
      const bothScopes = `${demoApp.scope} cds_accounts_1`;
      const patchedRes = await call(server, "PATCH", grant!.uri, { token: adminTokenValue, body: { scope: bothScopes, authorization_details: wanted } });
      const patched = strictly(validateGrant(patchedRes.body, "strict"));
      // Nothing more is enabled until the customer says so; what was enabled stays.
      expect(patched).toMatchObject({ status: "needs_authorization", authorization_details: wanted, enabled_authorization_details: grantedDetails, enabled_scope: demoApp.scope });
      expect((await oauth.tokenIntrospection(config, first.access_token)).active).toBe(true);

      const again = await pushAuthorization(config, { scope: bothScopes, cds_grant_id: grant!.grant_id, authorization_details: JSON.stringify(wanted) });
      const callback2 = await authorizeInBrowser(new Browser(server.url), again.url);
      const both = [grantedDetails[0], expect.objectContaining({ type: "cds_accounts_1", authorization_form_selection_type: "account_selection" })];
      expect(await grantById(grant!.grant_id)).toMatchObject({ status: "active", enabled_scope: bothScopes, enabled_authorization_details: both });
      const second = await oauth.authorizationCodeGrant(config, callback2, { pkceCodeVerifier: again.verifier, expectedState: again.state });
      expect(second.authorization_details).toEqual(both);
      // The Grant's earlier tokens end: the Client holds the new ones.
      expect((await oauth.tokenIntrospection(config, first.access_token)).active).toBe(false);
    });

    it("refuses additions outside what the Client Object may ask for", async () => {
      await authorizeInBrowser(new Browser(server.url), (await pushAuthorization(config)).url);
      const [grant] = (await appGrants());
      const res = await call(server, "PATCH", grant!.uri, { token: adminTokenValue, body: { scope: `${demoApp.scope} cds_client_admin` } });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain("client-scope");
      expect((await grantById(grant!.grant_id)).status).toBe("active");
    });
  });


  const authorize = (query: string) =>
    new Browser(server.url).get(
      `${server.url}/oauth/authorize?client_id=${demoApp.clientId}&response_type=code&scope=${demoApp.scope}&state=s-1&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&${query}`,
    );
  const redirect = `redirect_uri=${encodeURIComponent(demoApp.redirectUri)}`;

  it("redirects an unknown Grant back with error=cds_grant_id_invalid_value (and iss, state)", async () => {
    const res = await authorize(`${redirect}&cds_grant_id=c644a5da13f379db`);
    const location = new URL(res.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe(demoApp.redirectUri);
    expect(location.searchParams.get("error")).toBe("cds_grant_id_invalid_value");
    expect(location.searchParams.get("state")).toBe("s-1");
    expect(location.searchParams.get("iss")).toBe(server.url);
  });

  it("carries cds_grant_id through PAR: rejected at the PAR endpoint", async () => {
    await expect(pushAuthorization(config, { cds_grant_id: "c644a5da13f379db" })).rejects.toMatchObject({ error: "cds_grant_id_invalid_value" });
  });

  it("ignores an empty cds_grant_id, as if absent", async () => {
    const { url } = await pushAuthorization(config, { cds_grant_id: "" });
    await openLogin(new Browser(server.url), url);
    const res = await authorize(`${redirect}&cds_grant_id=`);
    expect(res.headers.get("location")).toMatch(/^\/oauth\/interaction\//);
  });

  it("drops empty copies before counting: one empty and one non-empty value is that one value", async () => {
    const res = await authorize(`${redirect}&cds_grant_id=&cds_grant_id=c644a5da13f379db&cds_grant_id=`);
    expect(new URL(res.headers.get("location")!).searchParams.get("error")).toBe("cds_grant_id_invalid_value");
  });

  it("rejects more than one non-empty cds_grant_id", async () => {
    const res = await authorize(`${redirect}&cds_grant_id=a1&cds_grant_id=b2`);
    const location = new URL(res.headers.get("location")!);
    expect(location.searchParams.get("error")).toBe("invalid_request");
    expect(location.searchParams.get("error_description")).toContain("cds_grant_id");
  });

  it("checks the other parameters first: a bad redirect_uri is an error page, not a redirect", async () => {
    const res = await authorize(`redirect_uri=${encodeURIComponent("https://attacker.example/cb")}&cds_grant_id=c644a5da13f379db`);
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();

  });
});
