/**
 * The Grants API (CDS-WG1-02 §8): every §8.4 filter, newest `modified`
 * first, get, and the §8.6 PATCH rules; bodies checked strictly.
 */
import { validateGrant, validateGrantListing } from "@cds-toolkit/validators";
import { beforeEach, describe, expect, it } from "vitest";
import { grants } from "../src/db/schema.ts";
import { demoGrant } from "../src/demo/demo-consent-grant.ts";
import { demoApp } from "../src/demo/demo-app.ts";
import { demoClient } from "../src/demo/demo-utility.ts";
import { demoDirectAccess } from "../src/demo/demo-direct-access.ts";
import { demoFiles } from "../src/demo/demo-files.ts";
import { seedDemoData } from "../src/demo/seed.ts";
import { generateClientSecret } from "../src/oauth/client-secrets.ts";
import type { CdsServer } from "../src/server.ts";
import { adminToken, call, expectProblem, registerClient, strictly } from "./helpers/cds-client.ts";
import { describeEachDatabase } from "./helpers/databases.ts";
import { useListeningServer } from "./helpers/servers.ts";

describeEachDatabase("Grants API (§8)", (under) => {
  let server: CdsServer;
  let token: string;
  let clientId: string;

  useListeningServer(under, (started) => (server = started));
  beforeEach(async () => {
    await seedDemoData(under.database.db, null);
    const registered = await registerClient(server);
    clientId = registered.client_id;
    token = await adminToken(server, registered.client_id, registered.client_secret);
    const at = (minutes: number) => new Date(Date.UTC(2025, 0, 1, 0, minutes));
    const detail = { type: "cds_grant_admin_1", client_id: clientId, grant_id: "g-old" };
    await under.database.db.insert(grants).values([
      { id: "g-old", clientId, createdAt: at(0), modifiedAt: at(0), status: "active", scope: "a b", enabledScope: "a b", receiptConfirmations: ["R-1"] },
      { id: "g-parent", clientId, createdAt: at(1), modifiedAt: at(5), status: "needs_sub_grants", scope: "c", enabledScope: "", authorizationDetails: [detail], replacing: ["g-old"] },
      { id: "g-child", clientId, createdAt: at(2), modifiedAt: at(3), status: "pending", scope: "c", enabledScope: "c", parent: "g-parent", eta: at(60) },
    ]);
  });

  const list = async (query = "") => {
    const res = await call(server, "GET", `/cds-api/v1/grants${query}`, { token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return strictly(validateGrantListing(res.body, "strict"));
  };
  const ids = async (query = "") => (await list(query)).grants.map((g) => g.grant_id);

  it("lists the registration's Grants newest modified first, with derived children and URLs", async () => {
    const listing = await list();
    expect(listing.grants.map((g) => g.grant_id)).toEqual(["g-parent", "g-child", "g-old"]);
    const parent = listing.grants[0]!;
    expect(parent.children).toEqual(["g-child"]);
    expect(parent.replacing).toEqual([`${server.url}/cds-api/v1/grants/g-old`]);
    expect(parent.uri).toBe(`${server.url}/cds-api/v1/grants/g-parent`);
    expect(listing.grants[1]!.eta).toBe("2025-01-01T01:00:00.000Z");
    // The demo client's Grant belongs to another registration.
    expect(listing.grants.map((g) => g.grant_id)).not.toContain(demoGrant.id);
  });

  it.each([
    ["?grant_ids=g-old%20g-child", ["g-child", "g-old"]],
    ["?parents=g-parent", ["g-child"]],
    ["?statuses=pending%20active", ["g-child", "g-old"]],
    ["?scopes=b", ["g-old"]],
    ["?scopes=cds_grant_admin_1", ["g-parent"]],
    ["?receipt_confirmations=R-1", ["g-old"]],
    ["?after=2025-01-01T00:01:00Z", ["g-parent", "g-child"]],
    ["?before=2025-01-01T00:01:00Z", ["g-parent", "g-old"]],
    ["?client_ids=someone-else", []],
    ["?statuses=active&scopes=c", []],
  ])("filters %s", async (query, expected) => {
    expect(await ids(query)).toEqual(expected);
  });

  it("pages with next and previous links", async () => {
    const first = await list("?page_size=2");
    expect(first.grants.map((g) => g.grant_id)).toEqual(["g-parent", "g-child"]);
    const second = strictly(validateGrantListing((await call(server, "GET", first.next!, { token })).body, "strict"));
    expect(second.grants.map((g) => g.grant_id)).toEqual(["g-old"]);
    expect(second.next).toBeNull();
  });

  it("gets one Grant, and 404 for another registration's", async () => {
    const res = await call(server, "GET", "/cds-api/v1/grants/g-old", { token });
    expect(strictly(validateGrant(res.body, "strict"))).toMatchObject({ grant_id: "g-old", client_id: clientId, status: "active", parent: null, children: [] });
    expectProblem(await call(server, "GET", `/cds-api/v1/grants/${demoGrant.id}`, { token }), 404);
    expectProblem(await call(server, "PATCH", `/cds-api/v1/grants/${demoGrant.id}`, { token, body: { status: "closed" } }), 404);
  });

  it("closes a Grant (§8.6), removing its enabled access, and ignores fields it cannot change", async () => {
    const res = await call(server, "PATCH", "/cds-api/v1/grants/g-old", { token, body: { status: "closed", client_id: "ignored", created: "ignored" } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const grant = strictly(validateGrant(res.body, "strict"));
    expect(grant).toMatchObject({ status: "closed", enabled_scope: "", enabled_authorization_details: [], client_id: clientId, scope: "a b" });
    expect(Date.parse(grant.modified)).toBeGreaterThan(Date.parse(grant.created));
    expect((await ids())[0]).toBe("g-old");
  });

  it("reduces scope and authorization_details, with the enabled access", async () => {
    const reduced = strictly(validateGrant((await call(server, "PATCH", "/cds-api/v1/grants/g-old", { token, body: { scope: "a" } })).body, "strict"));
    expect(reduced).toMatchObject({ scope: "a", enabled_scope: "a", status: "active" });
    const none = strictly(validateGrant((await call(server, "PATCH", "/cds-api/v1/grants/g-parent", { token, body: { authorization_details: [] } })).body, "strict"));
    expect(none).toMatchObject({ authorization_details: [], enabled_authorization_details: [] });
  });

  it.each([
    [{ status: "active" }, "/status"],
    [{ scope: "a b z" }, "/scope"],
    [{ authorization_details: [{ type: "cds_grant_admin_1", client_id: "x", grant_id: "y" }] }, "/authorization_details/0"],
    [{ scope: 5 }, "/scope"],
  ])("refuses %j with 400 naming the field", async (body, pointer) => {
    const problem = expectProblem(await call(server, "PATCH", "/cds-api/v1/grants/g-old", { token, body }), 400);
    expect(problem.errors?.[0]?.pointer).toBe(pointer);
  });

  it("closing a closed Grant again is 200 with the Grant unchanged (ERRATA E-WG1-02-40)", async () => {
    const first = strictly(validateGrant((await call(server, "PATCH", "/cds-api/v1/grants/g-old", { token, body: { status: "closed" } })).body, "strict"));
    const again = await call(server, "PATCH", "/cds-api/v1/grants/g-old", { token, body: { status: "closed" } });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    // Nothing changed, so nothing is written: not even `modified` moves.
    expect(strictly(validateGrant(again.body, "strict"))).toEqual(first);
  });

  it("refuses to change a closed Grant", async () => {
    await call(server, "PATCH", "/cds-api/v1/grants/g-old", { token, body: { status: "closed" } });
    expectProblem(await call(server, "PATCH", "/cds-api/v1/grants/g-old", { token, body: { scope: "a" } }), 400);
  });

  it("serves the demo registration's Grants to the demo client", async () => {
    const secret = generateClientSecret();
    await seedDemoData(under.database.db, secret);
    const demoToken = await adminToken(server, demoClient.clientId, secret);
    const res = await call(server, "GET", "/cds-api/v1/grants", { token: demoToken });
    expect(strictly(validateGrantListing(res.body, "strict")).grants.map((g) => g.grant_id)).toEqual([demoGrant.id, demoFiles.grantId, demoDirectAccess.grantId("dge-customer-1002"), demoDirectAccess.grantId("dge-customer-1001")]);
  });

  it("the demo Grant is a customer's consent (CDS-WG3-01 cds_usage_1) the demo client may close, and closing it again changes nothing", async () => {
    const secret = generateClientSecret();
    await seedDemoData(under.database.db, secret);
    const demoToken = await adminToken(server, demoClient.clientId, secret);
    const grant = strictly(validateGrant((await call(server, "GET", `/cds-api/v1/grants/${demoGrant.id}`, { token: demoToken })).body, "strict"));
    expect(grant).toMatchObject({ client_id: demoApp.clientId, status: "active", scope: demoApp.scope, enabled_scope: demoApp.scope });
    expect(grant.authorization_details.map((d) => d.type)).toEqual([demoApp.scope]);
    const closed = strictly(validateGrant((await call(server, "PATCH", `/cds-api/v1/grants/${demoGrant.id}`, { token: demoToken, body: { status: "closed" } })).body, "strict"));
    expect(closed).toMatchObject({ status: "closed", enabled_scope: "" });
    // ERRATA E-WG1-02-40: a second close is answered with the Grant as it is, `modified` unmoved.
    const again = await call(server, "PATCH", `/cds-api/v1/grants/${demoGrant.id}`, { token: demoToken, body: { status: "closed" } });
    expect(again.status).toBe(200);
    expect(strictly(validateGrant(again.body, "strict"))).toEqual(closed);
  });
});
