/**
 * The §10 listings over HTTP with Direct Access (CDS-WG3-01 §6.2): a
 * client_credentials token of the listing's scope, and Server-made Grants
 * naming the customers it may see. Checks strict bodies, the no-leak rule
 * between customers, preselections, 400s naming the parameter, keyset links
 * and that closing a Grant ends access at once.
 */
import { validate } from "@cds-toolkit/validators";
import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { grants } from "../src/db/schema.ts";
import { demoCustomers } from "../src/demo/customers.ts";
import { seedDemoData } from "../src/demo/seed.ts";
import { generateDemoUtility, defaultDemoSize } from "../src/demo/customer-data/generator.ts";
import type { CdsServer } from "../src/server.ts";
import { adminToken, call, registerClient } from "./helpers/cds-client.ts";
import { describeEachDatabase } from "./helpers/databases.ts";
import { useListeningServer } from "./helpers/servers.ts";

const [alex, sam] = demoCustomers.map((c) => c.accountId) as [string, string];
const utility = generateDemoUtility(defaultDemoSize);
const owned = (customer: string, kind: string, idField: string) =>
  utility.objects.filter((o) => o.kind === kind && o.owners.includes(customer)).map((o) => (o.object as unknown as Record<string, string>)[idField]!).sort();

describeEachDatabase(
  "Customer Data APIs, direct access",
  (under) => {
    let server: CdsServer;
    useListeningServer(under, (s) => (server = s));
    let token: string;
    let clientId: string;

    beforeAll(async () => {
      await seedDemoData(under.database.db, "demo-secret-for-tests-0123456789abcdef");
      const registered = await registerClient(server, { scope: "cds_client_admin cds_query_accounts_1 cds_query_meter_devices_1 cds_query_service_contracts_1" });
      // Registration puts the direct access scopes on a Client Object of their own (CDS-WG1-02 §4.2); the Clients API shows it.
      const admin = await adminToken(server, registered.client_id, registered.client_secret!);
      const listed = (await call(server, "GET", "/cds-api/v1/clients", { token: admin })).body as { clients: { client_id: string; scope: string }[] };
      const direct = listed.clients.find((c) => c.scope.includes("cds_query_accounts_1"))!;
      const credential = await call(server, "POST", "/cds-api/v1/credentials", { token: admin, body: { client_id: direct.client_id } });
      clientId = direct.client_id;
      token = await adminToken(server, direct.client_id, (credential.body as { client_secret: string }).client_secret, "cds_query_accounts_1 cds_query_meter_devices_1 cds_query_service_contracts_1");
    });

    const grant = (id: string, customer: string, scope: string, details: Record<string, unknown>[] = []) =>
      under.database.db.insert(grants).values({ id, clientId, status: "active", scope, enabledScope: scope, accountId: customer, authorizationDetails: details as never, enabledAuthorizationDetails: details as never });

    it("refuses a token without a live Grant with 403, and a missing token with 401", async () => {
      expect((await call(server, "GET", "/cds-customerdata-api/v1/accounts")).status).toBe(401);
      const res = await call(server, "GET", "/cds-customerdata-api/v1/accounts", { token });
      expect(res.status).toBe(403);
    });

    it("lists exactly the Grant's customer's Accounts, strictly valid, never another customer's", async () => {
      // As in the §13.2.1 example, the Server's Grant shows the account numbers and details.
      await grant("da-grant-alex", alex, "cds_query_accounts_1 cds_query_meter_devices_1", [{ type: "cds_query_accounts_1", include_account_numbers: true, include_account_details: true }]);
      const res = await call(server, "GET", "/cds-customerdata-api/v1/accounts", { token });
      expect(res.status).toBe(200);
      expect(validate("AccountListing", res.body, "strict").ok).toBe(true);
      const body = res.body as { accounts: { cds_account_id: string }[]; next: null; previous: null };
      expect(body.accounts.map((a) => a.cds_account_id).sort()).toEqual(owned(alex, "accounts", "cds_account_id"));
      const samIds = new Set([...owned(sam, "accounts", "cds_account_id")]);
      expect(JSON.stringify(res.body)).not.toMatch(new RegExp([...samIds].join("|")));
      const meters = await call(server, "GET", "/cds-customerdata-api/v1/meter-devices", { token });
      expect((meters.body as { meter_devices: { cds_meterdevice_id: string }[] }).meter_devices.map((m) => m.cds_meterdevice_id).sort()).toEqual(owned(alex, "meter_devices", "cds_meterdevice_id"));
      // The Grant does not hold the contracts scope: the token's scope alone opens nothing.
      expect((await call(server, "GET", "/cds-customerdata-api/v1/service-contracts", { token })).status).toBe(403);
    });

    it("applies filters and q, intersected, and answers 400 naming a bad parameter", async () => {
      const [first] = owned(alex, "accounts", "cds_account_id");
      const res = await call(server, "GET", `/cds-customerdata-api/v1/accounts?cds_account_ids=${first}%20acct-nobody&q=DEMO`, { token });
      expect((res.body as { accounts: { cds_account_id: string }[] }).accounts.map((a) => a.cds_account_id)).toEqual([first]);
      const bad = await call(server, "GET", "/cds-customerdata-api/v1/accounts?account_statuses=", { token });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toContain("account_statuses");
      const unknown = await call(server, "GET", "/cds-customerdata-api/v1/accounts?colour=blue", { token });
      expect(unknown.status).toBe(400);
      expect(JSON.stringify(unknown.body)).toContain("colour");
      const cursor = await call(server, "GET", "/cds-customerdata-api/v1/accounts?cursor=nonsense", { token });
      expect(cursor.status).toBe(400);
      expect(JSON.stringify(cursor.body)).toContain("cursor");
    });

    it("narrows to a Grant's preselected account numbers (§6.2, §7.1)", async () => {
      await grant("da-grant-sam", sam, "cds_query_service_contracts_1", [{ type: "cds_query_service_contracts_1", account_numbers: [utility.customers[1]!.accounts[1]!.account_number], include_account_numbers: true }]);
      const res = await call(server, "GET", "/cds-customerdata-api/v1/service-contracts", { token });
      expect(res.status).toBe(200);
      const contracts = (res.body as { service_contracts: { account_number: string }[] }).service_contracts;
      expect(contracts.length).toBeGreaterThan(0);
      expect(new Set(contracts.map((c) => c.account_number))).toEqual(new Set([utility.customers[1]!.accounts[1]!.account_number]));
    });

    it("ends access at the next request once the Grant is closed, for the token already issued", async () => {
      await under.database.db.update(grants).set({ status: "revoked" }).where(eq(grants.id, "da-grant-alex"));
      expect((await call(server, "GET", "/cds-customerdata-api/v1/accounts", { token })).status).toBe(403);
    });
  },
  { scenario: true },
);
