/**
 * Registration for Customer Consent scopes (CDS-WG1-02 §4 with CDS-WG3-01
 * §8): an authorization-code Client Object with the Server's default
 * redirect URI, `cds_default_scope`, `cds_default_authorization_details` and
 * the Server's default Purpose; the Client then adds its own redirect URI
 * through the Clients API (CDS-WG3-01 §13.3.1).
 */
import { validateCustomerDataClient, validateCustomerDataClientListing } from "@cds-toolkit/validators";
import { beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_PURPOSE_ID } from "../../src/customer-data/scopes/consent.ts";
import { seedDemoData } from "../../src/demo/seed.ts";
import type { CdsServer } from "../../src/server.ts";
import { adminToken, call, registerClient, strictly } from "../helpers/cds-client.ts";
import { describeEachDatabase } from "../helpers/databases.ts";
import { useListeningServer } from "../helpers/servers.ts";

describeEachDatabase("CDS-WG3-01 §8 registration for consent scopes", (under) => {
  let server: CdsServer;
  useListeningServer(under, (started) => (server = started));
  beforeEach(async () => {
    await seedDemoData(under.database.db, null);
  });

  it("creates an authorization-code Client Object with the default redirect URI, default scope, default details and Purposes", async () => {
    const registered = await registerClient(server, { scope: "cds_client_admin cds_usage_1 cds_accounts_1", client_name: "Acme Energy", redirect_uris: ["https://acme.example/cb"] });
    const token = await adminToken(server, registered.client_id, registered.client_secret);
    const listing = strictly(validateCustomerDataClientListing((await call(server, "GET", "/cds-api/v1/clients", { token })).body, "strict"));
    const consent = listing.clients.find((c) => c.scope === "cds_usage_1 cds_accounts_1");
    expect(consent, JSON.stringify(listing.clients.map((c) => c.scope))).toBeDefined();
    const defaultRedirect = `${server.url}/oauth/default-redirect`;
    expect(consent).toMatchObject({
      response_types: ["code"],
      grant_types: ["authorization_code", "refresh_token"],
      token_endpoint_auth_method: "client_secret_basic",
      // CDS-WG1-02 §4.1: submitted redirect URIs are ignored; §4.2: the Server's default is the one entry.
      redirect_uris: [defaultRedirect],
      cds_default_redirect_uri: defaultRedirect,
      cds_default_scope: "cds_usage_1 cds_accounts_1",
      // CDS-WG1-02 §5.1: empty in the initial registration.
      cds_default_authorization_details: [],
      authorization_details_types: ["cds_usage_1", "cds_accounts_1"],
      cds_status: "sandbox",
    });
    expect(consent!.cds_purposes?.[DEFAULT_PURPOSE_ID]).toMatchObject({ id: DEFAULT_PURPOSE_ID, related_uri: null, scopes_supported: ["cds_usage_1", "cds_accounts_1"] });
    // §6.1.x scopes name the Grant Admin scope, which gets its own Client Object (CDS-WG1-02 §4.2).
    expect(listing.clients.map((c) => c.scope)).toContain("cds_grant_admin_1");

    // CDS-WG3-01 §13.3.1: the Client adds its own redirect URI and makes it the default.
    const own = "https://acme.example/callback";
    const put = await call(server, "PUT", consent!.cds_client_uri, {
      token,
      body: { scope: consent!.scope, redirect_uris: [defaultRedirect, own], cds_default_redirect_uri: own, cds_default_scope: "cds_usage_1", cds_default_authorization_details: [] },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const updated = strictly(validateCustomerDataClient(put.body, "strict"));
    expect(updated).toMatchObject({ redirect_uris: [defaultRedirect, own], cds_default_redirect_uri: own, cds_default_scope: "cds_usage_1" });
    // §8.2: the Server's default Purpose stays.
    expect(updated.cds_purposes?.[DEFAULT_PURPOSE_ID]).toBeDefined();
  });

  it("lists only described scopes, the consent scopes among them, with the CDS-WG3-01 §5 fields", async () => {
    const metadata = (await call(server, "GET", "/.well-known/oauth-authorization-server")).body as Record<string, unknown>;
    const described = Object.keys(metadata.cds_scope_descriptions as object);
    expect([...(metadata.scopes_supported as string[])].sort()).toEqual(described.sort());
    expect(metadata.scopes_supported).not.toContain("sandbox_customer_data");
    expect(metadata).toMatchObject({
      cds_customerdata_version: "v1",
      cds_accounts_api: `${server.url}/cds-customerdata-api/v1/accounts`,
      cds_usagesegments_api: `${server.url}/cds-customerdata-api/v1/usage-segments`,
      cds_usagesegments_additional_value_types: {},
    });
  });
});
