/**
 * CDS-WG3-01 §13, the Customer Data reads replayed: the Direct Access reads
 * (§13.2.2 accounts, §13.2.3 bill statements), the customer authorization
 * reads (§13.3.4 service contracts, §13.3.5 usage segments) and the read
 * through a Grant Admin token for a Server-created Grant (§13.4.4), each with
 * the token request the spec shows before it. Every request is the spec's
 * own, sent to this server with the example Server's names mapped to the
 * demo utility's; each answer must have the example's status and a body the
 * strict validator accepts as the model of the example's response (the
 * operation's), and must carry demo data (a listing that is empty proves
 * nothing). The client-management and authorization examples are replayed
 * elsewhere (issue 11).
 *
 * What is mapped, and why:
 * - the example Server's token URLs (`/cds-customerdata/oauth/token`,
 *   `/cds-grants/oauth/token`) are the Client-specific `token_endpoint`s of
 *   §13.1.5 (spec/ERRATA.md E-WG3-01-9); here that is `/oauth/token`;
 * - the example's Client Objects become the demo registration's: the Direct
 *   Access one (`cd53db9fd4533d593b` → `demo-direct-access`), the
 *   authorization-code one (`cd19fadc538d3bf3b0` → `demo-app`, with its
 *   redirect URI) and the Grant Admin one (`gid791e642d92a97340` →
 *   `demo-grant-admin`, which gets a Credential as CDS-WG1-02 §7 allows);
 * - `<scope>ad` authorization details types are the scope ids (E-WG3-01-3);
 * - the §13.4 Grant (`699b2d01560eb9f1`, made by the Server after §13.4.1's
 *   request) is made here the same way, preselecting Alex's account number
 *   where the example preselects `1234567-9`;
 * - the `Authorizatin` header misspelling is read as `Authorization`
 *   (as E-WG1-02-19 does for CDS-WG1-02);
 * - the PKCE verifier of §13.3.3 (`3ab4c71f218f4d9a`) is shorter than RFC
 *   7636 §4.1 allows, so a fresh one is used for the whole flow.
 */
import { openapiDocuments } from "@cds-toolkit/schemas";
import { eq } from "drizzle-orm";
import { decodeUsageSegment, validate, validateCredential } from "@cds-toolkit/validators";
import * as oauth from "openid-client";
import { beforeAll, expect, it } from "vitest";
import { loadExamples, parseBody } from "../../../../tools/checks/examples.ts";
import { findOperation, responseModel } from "../../../../tools/checks/operations.ts";
import type { RequestMessage, ResponseMessage, SpecExample } from "../../../../tools/examples/model.ts";
import { DatabaseCustomerDataSource } from "../../src/customer-data/database-source.ts";
import { grants } from "../../src/db/schema.ts";
import { demoApp } from "../../src/demo/demo-app.ts";
import { demoCustomers } from "../../src/demo/customers.ts";
import { demoDirectAccess } from "../../src/demo/demo-direct-access.ts";
import { demoFiles } from "../../src/demo/demo-files.ts";
import { demoClient } from "../../src/demo/demo-utility.ts";
import { seedDemoData } from "../../src/demo/seed.ts";
import { currentDemoSize } from "../../src/demo/customer-data/seed.ts";
import type { CdsServer } from "../../src/server.ts";
import { openLogin, signIn } from "../helpers/authorization-code.ts";
import { Browser } from "../helpers/browser.ts";
import { adminToken, basic, call, strictly } from "../helpers/cds-client.ts";
import { describeEachDatabase } from "../helpers/databases.ts";
import { useListeningServer } from "../helpers/servers.ts";

const examples = new Map((await loadExamples()).filter((e) => e.spec === "CDS-WG3-01").map((e) => [e.id, e]));
const example = (id: string): SpecExample => examples.get(`wg3-01/${id}`) ?? (() => { throw new Error(`no example ${id}`); })();
const requestOf = (e: SpecExample) => e.messages.find((m): m is RequestMessage => m.kind === "request")!;
const responseOf = (e: SpecExample) => e.messages.find((m): m is ResponseMessage => m.kind === "response")!;

const alex = demoCustomers[0]!.accountId;
/** Alex's residential account, where the examples name theirs. */
const ALEX_ACCOUNT = "001001-001";
const secret = "spec-replay-secret-0123456789abcdef";

const hasModel = (model: string) => {
  try {
    validate(model as Parameters<typeof validate>[0], null);
    return true;
  } catch {
    return false;
  }
};

/** The example Server's Client Objects and Grant → the demo registration's. */
const names: Record<string, string> = {
  cd53db9fd4533d593b: demoDirectAccess.clientId,
  cd19fadc538d3bf3b0: demoApp.clientId,
  gid791e642d92a97340: demoFiles.grantAdminClientId,
  "699b2d01560eb9f1": "demo-server-created-grant",
  "https://energy-app.example.com/redirect": demoApp.redirectUri,
};
const translate = (text: string) => {
  let out = text.replace(/\b(cds_[a-z_]+_\d+)ad\b/g, "$1");
  for (const [theirs, ours] of Object.entries(names)) out = out.replaceAll(theirs, ours);
  return out;
};
/** E-WG3-01-9: every token URL of the examples is this server's token endpoint. */
const pathOf = (target: string) => (target.endsWith("/oauth/token") ? "/oauth/token" : target);

describeEachDatabase(
  "CDS-WG3-01 §13 Customer Data examples, replayed",
  (under) => {
    let server: CdsServer;
    useListeningServer(under, (s) => (server = s));
    let grantAdminSecret: string;

    beforeAll(async () => {
      // As `pnpm start` seeds: data up to today, so consent durations counted back from the approval cover it.
      await seedDemoData(under.database.db, secret, currentDemoSize());
      // CDS-WG1-02 §7: the demo registration's admin gives its Grant Admin Client Object a Credential.
      const admin = await adminToken(server, demoClient.clientId, secret);
      const created = await call(server, "POST", "/cds-api/v1/credentials", { token: admin, body: { client_id: demoFiles.grantAdminClientId } });
      grantAdminSecret = strictly(validateCredential(created.body, "strict")).client_secret!;
    });

    /** Sends the example's request with `authorization` in place of its credentials; checks status and model; returns the body. */
    async function replay(id: string, authorization: string): Promise<Record<string, unknown>> {
      const e = example(id);
      const request = requestOf(e);
      const response = responseOf(e);
      const parsed = parseBody(request);
      const target = pathOf(translate(request.target));
      const body = parsed.kind === "form" ? new URLSearchParams(Object.entries(parsed.value).map(([k, v]): [string, string] => [k, translate(v)])).toString() : undefined;
      const res = await fetch(`${server.url}${target}`, {
        method: request.method,
        headers: { authorization, ...(body === undefined ? {} : { "content-type": "application/x-www-form-urlencoded" }) },
        ...(body === undefined ? {} : { body }),
      });
      const text = await res.text();
      expect(res.status, `${e.id}: ${text.slice(0, 400)}`).toBe(response.status);
      const match =
        findOperation({ "customer-data": openapiDocuments["customer-data"] as never }, request.method, target) ??
        findOperation({ "client-registration": openapiDocuments["client-registration"] as never }, request.method, target);
      expect(match, `${e.id}: no contract operation for ${request.method} ${target}`).not.toBeNull();
      const model = String(responseModel(match!, response.status, "application/json"));
      const extended = `CustomerData${model}`;
      const value = JSON.parse(text) as Record<string, unknown>;
      const checked = validate((hasModel(extended) ? extended : model) as Parameters<typeof validate>[0], value, "strict");
      expect(checked.ok, `${e.id}: ${model} ${checked.ok ? "" : checked.errors.map((x) => `${x.pointer} ${x.rule}`).join(", ")}`).toBe(true);
      // A listing has the example's members: its list and the two links.
      const theirs = parseBody(response);
      if (theirs.kind === "json" && "next" in (theirs.value as object)) expect(Object.keys(value).sort()).toEqual(Object.keys(theirs.value as object).sort());
      return value;
    }

    const listed = (body: Record<string, unknown>) => Object.values(body).find(Array.isArray) as Record<string, unknown>[];

    it("§13.2.1–§13.2.3 Direct Access: a client_credentials token for two query scopes reads accounts and their bill statements", async () => {
      const token = await replay("13.2.1-1", basic(demoDirectAccess.clientId, secret));
      expect(token.scope).toBe("cds_query_accounts_1 cds_query_bill_statements_1");
      const bearer = `Bearer ${String(token.access_token)}`;
      const accounts = listed(await replay("13.2.2-1", bearer));
      expect(accounts.length).toBeGreaterThan(0);
      expect(accounts.map((a) => a.account_number)).toContain(ALEX_ACCOUNT);
      const statements = listed(await replay("13.2.3-1", bearer));
      expect(statements.length).toBeGreaterThan(0);
      // Every statement belongs to a listed account (§13.2.3 reads "an Account's Bill Statements").
      const ids = new Set(accounts.map((a) => a.cds_account_id));
      for (const s of statements) expect(ids.has(s.cds_account_id)).toBe(true);
    });

    it("§13.3.2–§13.3.5 customer authorization: Alex approves the example's request; the code's token reads service contracts and 15-minute usage", async () => {
      // §13.3.2: the example's authorization URL, on this server, for the demo app.
      const built = new URL(example("13.3.2-1").messages[0]!.body!.replace(/\s+/g, ""));
      const verifier = oauth.randomPKCECodeVerifier();
      const url = new URL(`${server.url}/oauth/authorize`);
      for (const [k, v] of built.searchParams) url.searchParams.set(k, translate(v));
      url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(verifier));
      const details = JSON.parse(url.searchParams.get("authorization_details")!) as { type: string }[];
      expect(details.map((d) => d.type).sort()).toEqual(["cds_service_contracts_1", "cds_usage_1"]);
      const browser = new Browser(server.url);
      // `_all` ticks every service contract of Alex's; approving sends them all.
      const consent = await signIn(browser, await openLogin(browser, url));
      const ticked = [...consent.matchAll(/name="s0\.selected" value="([^"]*)" checked/g)].map((m) => m[1]);
      const own = (await new DatabaseCustomerDataSource(under.database.db).resourceGraph(alex)).serviceContracts.map((c) => c.cds_servicecontract_id);
      expect(ticked.sort()).toEqual([...own].sort());
      const { location } = await browser.follow(await browser.submitEveryTicked(consent, "/confirm"));
      const callback = new URL(location!);
      expect(callback.searchParams.get("state")).toBe(built.searchParams.get("state"));
      // §13.3.3: the code goes to the token endpoint with the demo app's Basic credentials.
      names.mdHu7vpff6ZtUbubo5k4jCAIB4G = callback.searchParams.get("code")!;
      names["3ab4c71f218f4d9a"] = verifier;
      const token = await replay("13.3.3-2", basic(demoApp.clientId, secret));
      expect(String(token.scope).split(" ").sort()).toEqual(["cds_service_contracts_1", "cds_usage_1"]);
      const bearer = `Bearer ${String(token.access_token)}`;
      const contracts = listed(await replay("13.3.4-1", bearer));
      expect(contracts.length).toBeGreaterThan(0);
      const graph = (await new DatabaseCustomerDataSource(under.database.db).resourceGraph(alex)).serviceContracts.map((c) => c.cds_servicecontract_id);
      for (const c of contracts) expect(graph).toContain(c.cds_servicecontract_id);
      const segments = listed(await replay("13.3.5-1", bearer));
      expect(segments.length).toBeGreaterThan(0);
      // §13.3.5 shows 15-minute electric intervals; the demo's decode strictly with net electric usage among the columns.
      const intervals = segments.filter((s) => s.interval === 900);
      expect(intervals.length).toBeGreaterThan(0);
      for (const s of intervals) {
        const decoded = decodeUsageSegment(s, "strict");
        expect(decoded.ok).toBe(true);
        expect((s.formats as { type: string }[]).some((f) => f.type === "electric_usage")).toBe(true);
        expect((s.related_servicecontracts as string[]).every((id) => graph.includes(id))).toBe(true);
      }
    });

    it("§13.4.4 a Grant Admin token for a Server-created Grant reads that Grant's Customer Data, and nothing once the Grant is closed", async () => {
      // §13.4.1–§13.4.3: the Server made a Grant for the Direct Access Client Object, preselecting one account.
      const details = [{ type: "cds_query_accounts_1", account_numbers: [ALEX_ACCOUNT], include_account_numbers: true, include_account_details: true, sync_until: "P0D" }];
      const at = new Date();
      await under.database.db.insert(grants).values({
        id: names["699b2d01560eb9f1"]!,
        clientId: demoDirectAccess.clientId,
        createdAt: at,
        modifiedAt: at,
        status: "active",
        scope: "cds_query_accounts_1",
        enabledScope: "cds_query_accounts_1",
        authorizationDetails: details as never,
        enabledAuthorizationDetails: details as never,
        accountId: alex,
      });
      const token = await replay("13.4.4-1", basic(demoFiles.grantAdminClientId, grantAdminSecret));
      expect(token.scope).toBe("cds_grant_admin_1");
      const bearer = `Bearer ${String(token.access_token)}`;
      const accounts = listed(await replay("13.4.4-2", bearer));
      // Exactly the preselected account: the Grant's view, not the Direct Access Client's other Grants.
      expect(accounts.map((a) => a.account_number)).toEqual([ALEX_ACCOUNT]);
      // The token opens only what the Grant enables.
      expect((await call(server, "GET", "/cds-customerdata-api/v1/bill-statements", { headers: { authorization: bearer } })).status).toBe(403);
      await under.database.db.update(grants).set({ status: "closed" }).where(eq(grants.id, names["699b2d01560eb9f1"]!));
      expect((await call(server, "GET", "/cds-customerdata-api/v1/accounts", { headers: { authorization: bearer } })).status).toBe(401);
    });
  },
  { scenario: true },
);
