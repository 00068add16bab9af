/**
 * CDS-WG3-01 §9.1.1's request-validation MUSTs, one test each, named after
 * the section, over real HTTP: what is checked before the customer signs in
 * (and what is shown or where the customer is sent when it fails), the
 * Client Object's defaults for a missing scope, authorization_details or
 * redirect_uri, and the checks made again once the customer is known. The
 * Invalid Request Error for an unknown client_id or unlisted redirect_uri, a
 * bad authorization_details value and a stray merge_selection_with are in
 * consent-flow.test.ts; the Preselection Error per field in the same file.
 */
import { eq } from "drizzle-orm";
import * as oauth from "openid-client";
import { expect, it } from "vitest";
import { createGrantNeedingAuthorization } from "../../src/cds/grant-authorization.ts";
import { grants } from "../../src/db/schema.ts";
import { demoApp } from "../../src/demo/demo-app.ts";
import { pushAuthorization } from "../helpers/authorization-code.ts";
import { useSignedInAlex } from "../helpers/authorization-form.ts";
import { Browser } from "../helpers/browser.ts";
import { describeEachDatabase } from "../helpers/databases.ts";

describeEachDatabase(
  "CDS-WG3-01 §9.1.1 Authorization Requests",
  (under) => {
    // Each test changes the demo app or makes Grants: a fresh demo and sign-in for each.
    const alex = useSignedInAlex(under, { per: "test" });
    /** A front-channel authorization request (no PAR) with exactly these parameters besides client_id and PKCE. */
    const authorizeUrl = async (params: Record<string, string>) => {
      const url = new URL(`${alex.server.url}/oauth/authorize`);
      const challenge = await oauth.calculatePKCECodeChallenge(oauth.randomPKCECodeVerifier());
      for (const [k, v] of Object.entries({ client_id: demoApp.clientId, code_challenge: challenge, code_challenge_method: "S256", state: "st-1", ...params })) url.searchParams.set(k, v);
      return url.toString();
    };
    const withDetails = (entry: Record<string, unknown>) => JSON.stringify([{ type: demoApp.scope, ...entry }]);

    it("§9.1.1 an unsupported response_type shows the Invalid Request Error page to the customer, never a redirect", async () => {
      const res = await fetch(await authorizeUrl({ response_type: "token", redirect_uri: demoApp.redirectUri, scope: demoApp.scope }), { redirect: "manual" });
      expect(res.headers.get("location")).toBeNull();
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers.get("content-type")).toContain("text/html");
      expect(await res.text()).toContain("This authorization request is not valid");
    });

    it("§9.1.1 a scope the Client may not use is refused before sign-in: back to the redirect_uri with invalid_scope", async () => {
      const { location } = await new Browser(alex.server.url).follow(await authorizeUrl({ response_type: "code", redirect_uri: demoApp.redirectUri, scope: `${demoApp.scope} cds_client_admin` }));
      const callback = new URL(location!);
      expect(`${callback.origin}${callback.pathname}`).toBe(demoApp.redirectUri);
      expect(callback.searchParams.get("error")).toBe("invalid_scope");
      expect(callback.searchParams.get("state")).toBe("st-1");
    });

    it("§9.1.1 a POST to the authorization endpoint with a bad response_type shows the Invalid Request Error page, as a GET does", async () => {
      for (const responseType of ["token", "", "code token"]) {
        const res = await fetch(`${alex.server.url}/oauth/authorize`, {
          method: "POST",
          redirect: "manual",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ response_type: responseType, client_id: demoApp.clientId, redirect_uri: demoApp.redirectUri, scope: demoApp.scope, state: "st-1" }),
        });
        expect(res.headers.get("location"), responseType).toBeNull();
        expect(res.status, responseType).toBe(400);
        expect(res.headers.get("content-type")).toContain("text/html");
        expect(res.headers.get("x-frame-options")).toBe("DENY");
        const page = await res.text();
        expect(page).toContain("This authorization request is not valid");
        expect(page).toContain("response_type");
      }
    });

    it("§9.1.1 a POST with a valid response_type is not taken either: the Invalid Request Error page says to use GET (405, Allow: GET)", async () => {
      const res = await fetch(`${alex.server.url}/oauth/authorize`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ response_type: "code", client_id: demoApp.clientId, redirect_uri: demoApp.redirectUri, scope: demoApp.scope, state: "st-1" }),
      });
      expect(res.headers.get("location")).toBeNull();
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe("GET");
      const page = await res.text();
      expect(page).toContain("This authorization request is not valid");
      expect(page).toContain("GET");
    });

    it("§9.1.1 a scope the Server does not offer is refused at the PAR endpoint with invalid_scope naming it, never silently dropped", async () => {
      for (const scope of [`${demoApp.scope} made_up_scope`, "made_up_scope", `made_up_scope ${demoApp.scope} another_one`]) {
        const refused = await pushAuthorization(alex.config, { scope }).then(
          () => null,
          (error: unknown) => error as { error?: string; error_description?: string; cause?: Record<string, unknown> },
        );
        expect(refused, scope).not.toBeNull();
        expect(refused!.error).toBe("invalid_scope");
        for (const unknown of scope.split(" ").filter((s) => s !== demoApp.scope)) expect(refused!.error_description).toContain(unknown);
        expect(refused!.error_description).not.toContain(`${demoApp.scope},`);
        // RFC 6749 §5.2's members only (the contract's OAuthError).
        expect(Object.keys(refused!.cause ?? {}).sort()).toEqual(["error", "error_description"]);
      }
    });

    it("§9.1.1 a scope the Server does not offer is refused on the front channel too: back to the redirect_uri with invalid_scope naming it", async () => {
      const { location } = await new Browser(alex.server.url).follow(await authorizeUrl({ response_type: "code", redirect_uri: demoApp.redirectUri, scope: `${demoApp.scope} made_up_scope` }));
      const callback = new URL(location!);
      expect(`${callback.origin}${callback.pathname}`).toBe(demoApp.redirectUri);
      expect(callback.searchParams.get("error")).toBe("invalid_scope");
      expect(callback.searchParams.get("error_description")).toContain("made_up_scope");
      expect(callback.searchParams.get("state")).toBe("st-1");
    });

    it("§9.1.1 a scope the Client Object may not use is refused at the PAR endpoint with invalid_scope naming it in error_description", async () => {
      const refused = (await pushAuthorization(alex.config, { scope: `${demoApp.scope} cds_client_admin` }).catch((error: unknown) => error)) as { error?: string; error_description?: string; cause?: Record<string, unknown> };
      expect(refused.error).toBe("invalid_scope");
      expect(refused.error_description).toContain("cds_client_admin");
      expect(Object.keys(refused.cause ?? {}).sort()).toEqual(["error", "error_description"]);
    });

    it("§9.1.1 an authorization_details type the Client may not use is refused before sign-in with invalid_authorization_details", async () => {
      const { location } = await new Browser(alex.server.url).follow(
        await authorizeUrl({ response_type: "code", redirect_uri: demoApp.redirectUri, scope: demoApp.scope, authorization_details: JSON.stringify([{ type: "cds_client_admin" }]) }),
      );
      const callback = new URL(location!);
      expect(callback.searchParams.get("error")).toBe("invalid_authorization_details");
      expect(callback.searchParams.get("state")).toBe("st-1");
    });

    it("§9.1.1 authorization_details that are not JSON are refused before sign-in with invalid_authorization_details", async () => {
      const { location } = await new Browser(alex.server.url).follow(await authorizeUrl({ response_type: "code", redirect_uri: demoApp.redirectUri, scope: demoApp.scope, authorization_details: "[{type:" }));
      expect(new URL(location!).searchParams.get("error")).toBe("invalid_authorization_details");
    });

    it("§9.1.1 an unknown request_uri is refused, never reaching sign-in or the form", async () => {
      const url = new URL(`${alex.server.url}/oauth/authorize`);
      url.searchParams.set("client_id", demoApp.clientId);
      url.searchParams.set("request_uri", "urn:ietf:params:oauth:request_uri:not-a-pushed-request");
      const { response, location } = await new Browser(alex.server.url).follow(url.toString());
      if (location) expect(new URL(location).searchParams.get("error")).toMatch(/^invalid_request/);
      else {
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        const html = await response.text();
        expect(html).not.toContain('name="password"');
        expect(html).toContain("This authorization request is not valid");
      }
    });

    it("§9.1.1 without scope, the Client's cds_default_scope is what the customer is asked for and what is granted", async () => {
      await alex.patchClient({ cds_default_scope: "cds_accounts_1", cds_default_authorization_details: [{ type: "cds_accounts_1" }] });
      const before = new Set((await under.database.db.select().from(grants)).map((g) => g.id));
      const { response, location } = await alex.browser.follow(await authorizeUrl({ response_type: "code", redirect_uri: demoApp.redirectUri }));
      expect(location, location).toBeUndefined();
      const page = await response.text();
      expect(page).toContain('name="s0.selected"');
      expect(page).not.toContain('name="s1.selected"');
      expect(page).toContain('value="acct-1001-001"');
      const { location: back } = await alex.browser.follow(await alex.browser.submit(page, "/confirm", { "s0.selected": "acct-1001-001" }));
      expect(new URL(back!).searchParams.get("code")).toBeTruthy();
      const made = (await under.database.db.select().from(grants)).filter((g) => !before.has(g.id));
      expect(made.map((g) => g.enabledScope)).toEqual(["cds_accounts_1"]);
    });

    it("§9.1.1 without authorization_details, the Client's cds_default_authorization_details apply (their preselections show on the form)", async () => {
      await alex.patchClient({ cds_default_authorization_details: [{ type: demoApp.scope, account_numbers: ["001001-001"], service_types: ["electric"] }] });
      const started = await pushAuthorization(alex.config, { scope: demoApp.scope });
      const { response, location } = await alex.browser.follow(started.url.toString());
      expect(location, location).toBeUndefined();
      const page = await response.text();
      expect(page).toMatch(/name="s0\.selected" value="sc-1001-001-electric" checked/);
      expect(page).not.toMatch(/name="s0\.selected" value="sc-1001-001-gas" checked/);
    });

    it("§9.1.1 without redirect_uri, the Client's cds_default_redirect_uri is where the customer is sent", async () => {
      const other = "https://energy-app.example/other-callback";
      await alex.patchClient({ redirect_uris: [demoApp.redirectUri, other], cds_default_redirect_uri: other });
      const { response, location } = await alex.browser.follow(await authorizeUrl({ response_type: "code", scope: demoApp.scope, authorization_details: withDetails({}) }));
      expect(location, location).toBeUndefined();
      const { location: back } = await alex.browser.follow(await alex.browser.submit(await response.text(), "/confirm", { decision: "decline" }));
      const callback = new URL(back!);
      expect(`${callback.origin}${callback.pathname}`).toBe(other);
      expect(callback.searchParams.get("error")).toBe("access_denied");
    });

    it("§9.1.1 Customer Authentication comes first when the form would list the customer's own resources", async () => {
      const fresh = new Browser(alex.server.url);
      const started = await pushAuthorization(alex.config, { authorization_details: withDetails({}) });
      const { response, location } = await fresh.follow(started.url.toString());
      expect(location).toBeUndefined();
      const page = await response.text();
      expect(page).toContain('name="password"');
      expect(page).not.toContain('name="s0.selected"');
      expect(page).not.toContain("SA-1001-001-ELECTRIC");
    });

    it("§9.1.1 after sign-in, parameters are checked again for this customer: a cds_grant_id meant for another customer goes back with an error", async () => {
      const entry = { type: demoApp.scope, account_numbers: ["001001-001"] };
      const samsGrant = await createGrantNeedingAuthorization(under.database.db, { clientId: demoApp.clientId, scope: demoApp.scope, authorizationDetails: [entry], accountId: "dge-customer-1002" });
      const started = await pushAuthorization(alex.config, { authorization_details: JSON.stringify([entry]), cds_grant_id: samsGrant });
      const { location } = await alex.browser.follow(started.url.toString());
      const callback = new URL(location!);
      expect(`${callback.origin}${callback.pathname}`).toBe(demoApp.redirectUri);
      expect(callback.searchParams.get("error")).toBe("cds_grant_id_invalid_user");
      expect(callback.searchParams.get("state")).toBe(started.state);
      const [grant] = await under.database.db.select().from(grants).where(eq(grants.id, samsGrant));
      expect(grant!.status).toBe("needs_authorization");
    });

    it("§9.1.1 with error_if_no_preselections, nothing preselected shows the Preselection Error; something preselected shows the form", async () => {
      const none = await pushAuthorization(alex.config, { authorization_details: withDetails({ account_numbers: ["999999-999"], error_if_no_preselections: true }) });
      const { response: errorPage, location } = await alex.browser.follow(none.url.toString());
      expect(location).toBeUndefined();
      const html = await errorPage.text();
      expect(html).toContain("do not appear to be in the profile");
      expect(html).not.toContain('name="s0.selected"');
      const some = await pushAuthorization(alex.config, { authorization_details: withDetails({ account_numbers: ["001001-001"], error_if_no_preselections: true }) });
      const form = await (await alex.browser.follow(some.url.toString())).response.text();
      expect(form).toMatch(/name="s0\.selected" value="sc-1001-001-electric" checked/);
    });
  },
  { scenario: true },
);
