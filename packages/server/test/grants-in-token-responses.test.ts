/**
 * `cds_grant_ids` in token responses (CDS-WG3-01 §13's token responses; the
 * CDS-WG1-02 section it cites is not published, spec/ERRATA.md E-WG3-01-2 and
 * E-WG3-01-410): every successful token response lists the Grants the token
 * reaches, and a Client finds each of them in the Grants API by that id.
 */
import { validateCustomerDataGrantListing, validateCustomerDataTokenResponse } from "@cds-toolkit/validators";
import { eq } from "drizzle-orm";
import * as oauth from "openid-client";
import { beforeEach, expect, it } from "vitest";
import { grants } from "../src/db/schema.ts";
import { demoApp } from "../src/demo/demo-app.ts";
import { demoCustomers } from "../src/demo/customers.ts";
import { demoDirectAccess } from "../src/demo/demo-direct-access.ts";
import { demoClient } from "../src/demo/demo-utility.ts";
import { seedDemoData } from "../src/demo/seed.ts";
import { generateClientSecret } from "../src/oauth/client-secrets.ts";
import type { CdsServer } from "../src/server.ts";
import { alexElectric, authorizeInBrowser, customer, discoverApp, pushAuthorization, sandboxDetails } from "./helpers/authorization-code.ts";
import { Browser } from "./helpers/browser.ts";
import { adminToken, call, strictly, tokenResponse } from "./helpers/cds-client.ts";
import { describeEachDatabase } from "./helpers/databases.ts";
import { useListeningServer } from "./helpers/servers.ts";

describeEachDatabase("cds_grant_ids in token responses (CDS-WG3-01 §13, ERRATA E-WG3-01-410)", (under) => {
  let server: CdsServer;
  let secret: string;

  useListeningServer(under, (started) => (server = started));
  beforeEach(async () => {
    secret = generateClientSecret();
    await seedDemoData(under.database.db, secret);
  });

  /** The Grants API's answer for these ids, read with the demo registration's admin token. */
  async function grantsListed(ids: readonly string[]) {
    const admin = await adminToken(server, demoClient.clientId, secret);
    const res = await call(server, "GET", `/cds-api/v1/grants?grant_ids=${encodeURIComponent(ids.join(" "))}`, { token: admin });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return strictly(validateCustomerDataGrantListing(res.body, "strict")).grants;
  }

  it("§13.3.3 names the one Grant the customer's approval made, on the code's token and on every refreshed one", async () => {
    const config = await discoverApp(server.url, secret);
    const { url, verifier, state } = await pushAuthorization(config, { authorization_details: JSON.stringify(sandboxDetails) });
    const callback = await authorizeInBrowser(new Browser(server.url), url, alexElectric);
    const tokens = await oauth.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    const ids = strictly(validateCustomerDataTokenResponse({ ...tokens }, "strict")).cds_grant_ids;
    expect(ids).toHaveLength(1);
    const [grant] = await grantsListed(ids!);
    // The Grant is this approval's: the app's, the customer's, with the receipt's confirmation.
    expect(grant).toMatchObject({ grant_id: ids![0], client_id: demoApp.clientId, status: "active", scope: demoApp.scope });
    expect(grant!.receipt_confirmations).toHaveLength(1);
    const [row] = await under.database.db.select({ accountId: grants.accountId }).from(grants).where(eq(grants.id, ids![0]!));
    expect(row?.accountId).toBe(customer.accountId);

    const refreshed = await oauth.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.cds_grant_ids).toEqual(ids);

    // A second approval is a Grant of its own (ERRATA E-WG1-02-35), and its token names that one only.
    const again = await pushAuthorization(config, { authorization_details: JSON.stringify(sandboxDetails) });
    const second = await oauth.authorizationCodeGrant(config, await authorizeInBrowser(new Browser(server.url), again.url, alexElectric), { pkceCodeVerifier: again.verifier, expectedState: again.state });
    expect(second.cds_grant_ids).toHaveLength(1);
    expect(second.cds_grant_ids).not.toEqual(ids);
  });

  it("names no Grant for a Client Admin token: the list is present and empty", async () => {
    const res = await tokenResponse(server, demoClient.clientId, secret);
    expect(res.status).toBe(200);
    expect(strictly(validateCustomerDataTokenResponse(res.body, "strict")).cds_grant_ids).toEqual([]);
  });

  it("§13.2.1 names a Direct Access token's Grants in force whose enabled scope it carries, and no other", async () => {
    const at = new Date();
    const base = { clientId: demoDirectAccess.clientId, createdAt: at, modifiedAt: at, accountId: customer.accountId, authorizationDetails: [] as never, enabledAuthorizationDetails: [] as never };
    await under.database.db.insert(grants).values([
      { ...base, id: "t-accounts-active", status: "active", scope: "cds_query_accounts_1", enabledScope: "cds_query_accounts_1" },
      { ...base, id: "t-accounts-closed", status: "closed", scope: "cds_query_accounts_1", enabledScope: "" },
      { ...base, id: "t-accounts-expired", status: "active", scope: "cds_query_accounts_1", enabledScope: "cds_query_accounts_1", notAfter: new Date(at.getTime() - 60_000) },
      { ...base, id: "t-accounts-future", status: "active", scope: "cds_query_accounts_1", enabledScope: "cds_query_accounts_1", notBefore: new Date(at.getTime() + 3_600_000) },
      { ...base, id: "t-bills-only", status: "active", scope: "cds_query_bill_statements_1", enabledScope: "cds_query_bill_statements_1" },
      { ...base, id: "t-accounts-partial", status: "active", scope: "cds_query_accounts_1 cds_query_usage_1", enabledScope: "cds_query_usage_1" },
    ]);
    const res = await tokenResponse(server, demoDirectAccess.clientId, secret, "cds_query_accounts_1");
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const ids = strictly(validateCustomerDataTokenResponse(res.body, "strict")).cds_grant_ids;
    // The demo's Server-made Grant of every customer (they enable every query scope), and the one active accounts Grant.
    expect(ids).toEqual([...demoCustomers.map((c) => demoDirectAccess.grantId(c.accountId)), "t-accounts-active"].sort());
  });

  it("answers no cds_grant_ids on a failed token request", async () => {
    const res = await tokenResponse(server, demoClient.clientId, "not-the-secret");
    expect(res.status).toBe(401);
    expect(res.body).not.toHaveProperty("cds_grant_ids");
  });
});
