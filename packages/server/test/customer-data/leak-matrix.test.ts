/**
 * The leak matrix (issue 12): every Customer Data API × customer-consent
 * scopes (through the real authorization-code flow and Authorization Form)
 * and Direct Access scopes (the demo Direct Access client's Server-made
 * Grants), with a Grant for customer A (Alex) whose selections and included
 * fields fast-check generates. Nothing of customer B (Sam) — no id, no
 * number — appears in bodies, `related_*` lists, `next`/`previous` cursors
 * or error messages; no field outside the Grant appears; closing the Grant
 * ends access at once. Also: filters return exactly the brute-force subset,
 * and keyset pages walked forward and back while objects are inserted show
 * no duplicates and no gaps.
 */
import fc from "fast-check";
import { eq } from "drizzle-orm";
import * as oauth from "openid-client";
import { beforeAll, expect, it } from "vitest";
import { graphIds } from "../../src/customer-data/data-source.ts";
import { DatabaseCustomerDataSource, storeCustomerData, type StoredObject } from "../../src/customer-data/database-source.ts";
import { storedIdOf } from "../../src/customer-data/segment-trim.ts";
import { consentScopeIds, consentScopeRule } from "../../src/customer-data/scopes/consent.ts";
import { grants } from "../../src/db/schema.ts";
import { demoCustomers } from "../../src/demo/customers.ts";
import { demoDirectAccess } from "../../src/demo/demo-direct-access.ts";
import { generateDemoUtility } from "../../src/demo/customer-data/generator.ts";
import { currentDemoSize } from "../../src/demo/customer-data/seed.ts";
import { seedDemoData } from "../../src/demo/seed.ts";
import type { CdsServer } from "../../src/server.ts";
import { discoverApp, openLogin, pushAuthorization, signIn } from "../helpers/authorization-code.ts";
import { Browser } from "../helpers/browser.ts";
import { adminToken, call } from "../helpers/cds-client.ts";
import { storeExtraObjects } from "../helpers/customer-data-fixtures.ts";
import { describeEachDatabase } from "../helpers/databases.ts";
import { directAccessScopeIds } from "../helpers/direct-access-scopes.ts";
import { grantsMadeSinceSeeding } from "../helpers/grants-made.ts";
import { useListeningServer } from "../helpers/servers.ts";

const [alex, sam] = demoCustomers.map((c) => c.accountId) as [string, string];
const secret = "leak-matrix-secret-0123456789abcdef";
// Today's demo data, as a started server seeds it (src/demo/customer-data/seed.ts): a customer's consent
// counts its §7.3 durations back from the approval, so data ending on the fixed `defaultDemoSize.until`
// would fall outside every default duration once the clock has moved on (no usage, no bills shown).
const size = currentDemoSize();
const utility = generateDemoUtility(size);

const apis = [
  { path: "accounts", key: "accounts", id: "cds_account_id", kind: "accounts" },
  { path: "service-contracts", key: "service_contracts", id: "cds_servicecontract_id", kind: "service_contracts" },
  { path: "service-points", key: "service_points", id: "cds_servicepoint_id", kind: "service_points" },
  { path: "meter-devices", key: "meter_devices", id: "cds_meterdevice_id", kind: "meter_devices" },
  { path: "bill-statements", key: "bill_statements", id: "cds_billstatement_id", kind: "bill_statements" },
  { path: "bill-sections", key: "bill_sections", id: "cds_billsection_id", kind: "bill_sections" },
  { path: "aggregations", key: "aggregations", id: "cds_aggregation_id", kind: "aggregations" },
  { path: "usage-segments", key: "usage_segments", id: "cds_usagesegment_id", kind: "usage_segments" },
  { path: "energy-attribute-certificates", key: "eacs", id: "cds_eac_id", kind: "energy_attribute_certificates" },
] as const;

/** Optional fields and the §7.2 field that alone may show them, spelled out from the spec. */
const guarded: Record<string, Record<string, string>> = {
  accounts: { account_number: "include_account_numbers", customer_number: "include_account_numbers", account_name: "include_account_details", account_contacts: "include_account_details", account_programs: "include_account_programs" },
  service_contracts: { account_number: "include_account_numbers", contract_number: "include_contract_numbers", rateplan_code: "include_rate_plans", contract_address: "include_service_contract_details", service_programs: "include_service_programs" },
  service_points: { servicepoint_address: "include_service_point_addresses", premises: "include_premises", latitude: "include_coordinates" },
  meter_devices: { meter_number: "include_meter_numbers", meter_apps: "include_meter_apps" },
  bill_statements: { file_uri: "include_bill_statement_files", new_charges: "include_bill_statement_charges" },
  bill_sections: { line_items: "include_bill_section_line_items" },
  aggregations: { grouped_addresses: "include_aggregation_addresses" },
};

/** The Direct Access scope that opens each listing (§6.2; EACs per spec/ERRATA.md E-WG3-01-250). */
const directScopeOf: Record<string, (typeof directAccessScopeIds)[number]> = {
  accounts: "cds_query_accounts_1",
  service_contracts: "cds_query_service_contracts_1",
  service_points: "cds_query_service_points_1",
  meter_devices: "cds_query_meter_devices_1",
  bill_statements: "cds_query_bill_statements_1",
  bill_sections: "cds_query_bill_sections_1",
  aggregations: "cds_query_aggregations_1",
  usage_segments: "cds_query_usage_1",
  energy_attribute_certificates: "cds_query_usage_1",
};

describeEachDatabase(
  "Leak matrix of the Customer Data APIs",
  (under) => {
    let server: CdsServer;
    useListeningServer(under, (s) => (server = s));
    let all: StoredObject[];
    let samStrings: string[];
    const ownedBy = (customer: string) => new Set(all.filter((o) => o.owners.includes(customer)).map((o) => Object.values(o.object as object)[0] as string));
    let alexIds: Set<string>;
    let config: oauth.Configuration;
    let direct: string;

    beforeAll(async () => {
      await seedDemoData(under.database.db, secret, size);
      all = [...utility.objects, ...(await storeExtraObjects(under.database.db, utility))];
      alexIds = ownedBy(alex);
      // Every id and customer-facing number of Sam's: none may reach a Client of Alex's Grant.
      samStrings = [
        ...new Set(
          all
            .filter((o) => o.owners.includes(sam))
            .flatMap((o) => Object.entries(o.object as unknown as Record<string, unknown>).filter(([k, v]) => typeof v === "string" && (/^cds_.*_id$/.test(k) || /_number$/.test(k) || k === "grouped_addresses")).map(([, v]) => v as string)),
        ),
      ];
      expect(samStrings.length).toBeGreaterThan(5);
      config = await discoverApp(server.url, secret);
      direct = await adminToken(server, demoDirectAccess.clientId, secret, directAccessScopeIds.join(" "));
    });

    /** Every page of a listing (small pages, so `next` is exercised), with each response's text and decoded cursors. */
    async function readAll(token: string, path: string, query = "page_size=2") {
      const objects: Record<string, unknown>[] = [];
      const texts: string[] = [];
      let url: string | null = `/cds-customerdata-api/v1/${path}?${query}`;
      let status = 0;
      for (let i = 0; url && i < 100; i++) {
        const res = await call(server, "GET", url, { token });
        status = res.status;
        const text = JSON.stringify(res.body);
        texts.push(text);
        expect([200, 403], text).toContain(res.status);
        if (res.status !== 200) break;
        const body = res.body as Record<string, unknown>;
        for (const link of [body.next, body.previous]) if (typeof link === "string") texts.push(Buffer.from(new URL(link).searchParams.get("cursor")!, "base64url").toString("utf8"));
        objects.push(...(Object.values(body).find(Array.isArray) as Record<string, unknown>[]));
        url = body.next as string | null;
      }
      return { status, objects, text: texts.join("\n") };
    }

    function expectNoLeak(read: { text: string; objects: Record<string, unknown>[] }, api: (typeof apis)[number], flags: ReadonlySet<string>) {
      for (const s of samStrings) expect(read.text.includes(s), `${api.path} shows ${s} of customer B`).toBe(false);
      for (const o of read.objects) {
        // A segment trimmed to the Grant's window (§7.3.6, §7.3.7) has an id of its own, made from the stored one's.
        const id = o[api.id] as string;
        expect(alexIds.has(api.kind === "usage_segments" ? (storedIdOf(id) ?? id) : id), `${api.path} shows ${id}`).toBe(true);
        for (const [field, flag] of Object.entries(guarded[api.kind] ?? {})) if (!flags.has(flag)) expect(o, `${api.path}.${field} without ${flag}`).not.toHaveProperty(field);
      }
    }

    it("Direct Access: Alex's Grant with generated preselections shows nothing of Sam's on any API, and closing it ends access", async () => {
      await under.database.db.update(grants).set({ status: "revoked" }).where(eq(grants.id, demoDirectAccess.grantId(sam)));
      const alexAccounts = utility.customers.find((c) => c.customer === alex)!.accounts.map((a) => a.account_number!);
      const [grant] = await under.database.db.select().from(grants).where(eq(grants.id, demoDirectAccess.grantId(alex)));
      await fc.assert(
        fc.asyncProperty(fc.subarray(alexAccounts, { minLength: 1 }), fc.boolean(), async (numbers, showNumbers) => {
          const details: Record<string, unknown>[] = (grant!.enabledAuthorizationDetails as Record<string, unknown>[]).map((d) => ({ ...d, account_numbers: numbers, include_account_numbers: showNumbers }));
          await under.database.db.update(grants).set({ enabledAuthorizationDetails: details as never }).where(eq(grants.id, grant!.id));
          for (const api of apis) {
            const read = await readAll(direct, api.path);
            const flags = new Set(Object.entries(details.find((d) => d.type === directScopeOf[api.kind]) ?? {}).filter(([, v]) => v === true).map(([k]) => k));
            expectNoLeak(read, api, flags);
            if (api.kind === "accounts" && showNumbers) expect(new Set(read.objects.map((o) => o.account_number))).toEqual(new Set(numbers));
            // Filters naming Sam's ids match nothing and echo nothing of Sam's.
            const probe = await call(server, "GET", `/cds-customerdata-api/v1/${api.path}?q=${encodeURIComponent(samStrings[0]!)}`, { token: direct });
            for (const s of samStrings) expect(JSON.stringify(probe.body).includes(s) && probe.status === 200 && s !== samStrings[0]).toBe(false);
          }
        }),
        { numRuns: 3 },
      );
      await under.database.db.update(grants).set({ status: "revoked" }).where(eq(grants.id, demoDirectAccess.grantId(alex)));
      for (const api of apis) expect((await call(server, "GET", `/cds-customerdata-api/v1/${api.path}`, { token: direct })).status).toBe(403);
      await under.database.db.update(grants).set({ status: "active", enabledAuthorizationDetails: grant!.enabledAuthorizationDetails }).where(eq(grants.id, grant!.id));
    });

    it("filters return exactly the brute-force subset of the visible objects", async () => {
      const visible = all.filter((o) => o.kind === "accounts" && o.owners.includes(alex)).map((o) => (o.object as { cds_account_id: string }).cds_account_id);
      const candidates = [...visible, ...[...ownedBy(sam)].filter((id) => id.startsWith("acct"))];
      await fc.assert(
        fc.asyncProperty(fc.subarray(candidates, { minLength: 1 }), async (ids) => {
          const read = await readAll(direct, "accounts", `cds_account_ids=${encodeURIComponent(ids.join(" "))}`);
          expect(read.objects.map((o) => o.cds_account_id).sort()).toEqual(visible.filter((id) => ids.includes(id)).sort());
        }),
        { numRuns: 10 },
      );
    });

    it("keyset pages walked forward and back while accounts are inserted: no duplicates, no gaps", async () => {
      const template = all.find((o) => o.kind === "accounts" && o.owners.includes(alex))!.object as unknown as Record<string, unknown>;
      let serial = 0;
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 6 }), async (size, offsets) => {
          const before = (await readAll(direct, "accounts", "page_size=100")).objects.map((o) => o.cds_account_id as string);
          const insert = async () => {
            const minutes = offsets[serial % offsets.length]!;
            const object = { ...template, cds_account_id: `acct-new-${serial++}`, cds_modified: new Date(Date.parse("2024-06-01T00:00:00Z") + minutes * 86_400_000).toISOString() };
            await storeCustomerData(under.database.db, [{ kind: "accounts", object: object as never, owners: [alex] }], utility.numbers);
            // Alex's now: later tests may see it (and the form offers it).
            alexIds.add(object.cds_account_id);
          };
          const seen: string[] = [];
          let res = await call(server, "GET", `/cds-customerdata-api/v1/accounts?page_size=${size}`, { token: direct });
          let last = res;
          for (;;) {
            const body = res.body as { accounts: { cds_account_id: string }[]; next: string | null };
            seen.push(...body.accounts.map((a) => a.cds_account_id));
            last = res;
            await insert();
            if (!body.next) break;
            res = await call(server, "GET", body.next, { token: direct });
          }
          expect(new Set(seen).size).toBe(seen.length);
          for (const id of before) expect(seen).toContain(id);
          const back: string[] = [];
          res = last;
          for (;;) {
            const body = res.body as { accounts: { cds_account_id: string }[]; previous: string | null };
            back.unshift(...body.accounts.map((a) => a.cds_account_id));
            await insert();
            if (!body.previous) break;
            res = await call(server, "GET", body.previous, { token: direct });
          }
          expect(new Set(back).size).toBe(back.length);
          for (const id of before) expect(back).toContain(id);
        }),
        { numRuns: 4 },
      );
    });

    it("answers 400 naming page_size out of 1–100", async () => {
      for (const bad of ["0", "101", "x", "-1"]) {
        const res = await call(server, "GET", `/cds-customerdata-api/v1/accounts?page_size=${bad}`, { token: direct });
        expect(res.status).toBe(400);
        expect(JSON.stringify(res.body)).toContain("page_size");
      }
    });

    /**
     * What a request of `scope` must name besides its `include_*` fields. Aggregation Inclusion (§6.1.10) cannot
     * be asked without the Aggregation and premises, and shows the customer exactly those (not editable): here
     * Alex's own building (src/demo gives every customer one) and its premises.
     */
    const preselectionsFor = (scope: string): Record<string, string[]> => {
      if (scope !== "cds_aggregation_consent_1") return {};
      const building = utility.objects.find((o) => o.kind === "aggregations" && o.owners.includes(alex))!.object as { aggregation_number: string };
      const premises = utility.customers.find((c) => c.customer === alex)!.servicePoints.flatMap((p) => (p.premises ?? []).map((x) => x.premise_number));
      return { aggregation_numbers: [building.aggregation_number], premise_numbers: [...new Set(premises)] };
    };
    /** §6.1.10 consents to being counted and opens no listing to the Client; every other consent scope opens some. */
    const opensNothing = (scope: string) => scope === "cds_aggregation_consent_1";

    it("Customer consent: a code-flow token shows only what Alex selected and the Grant includes, on every API; closing the Grant → 401", async () => {
      const db = under.database.db;
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...consentScopeIds), fc.nat(), fc.func(fc.boolean()), async (scope, pick, include) => {
          const rule = consentScopeRule(scope)!;
          const optional = rule.fields.filter((f) => f.startsWith("include_") && f !== "include_usage_segment_value_types" && !rule.alwaysIncluded.includes(f));
          const chosen = optional.filter((f) => include(f));
          const details = [{ type: scope, ...preselectionsFor(scope), ...Object.fromEntries(optional.map((f) => [f, chosen.includes(f)])) }];
          const earlier = new Set((await grantsMadeSinceSeeding(db)).map((g) => g.id));
          try {
            const { url, verifier, state } = await pushAuthorization(config, { scope, authorization_details: JSON.stringify(details) });
            const browser = new Browser(server.url);
            const consent = await signIn(browser, await openLogin(browser, url));
            const boxes = [...consent.matchAll(/name="s0\.selected" value="([^"]*)"([^>]*)>/g)].map((m) => ({ id: m[1]!, checked: /\bchecked\b/.test(m[2]!), disabled: /\bdisabled\b/.test(m[2]!) }));
            expect(boxes.length).toBeGreaterThan(0);
            // A request that cannot be changed (§7.4.5 false, as §6.1.10 fixes) is approved as preselected: the ticked box.
            const offered = boxes.every((b) => b.disabled) ? boxes.filter((b) => b.checked) : boxes;
            expect(offered.length).toBeGreaterThan(0);
            const selected = offered[pick % offered.length]!.id;
            const { location } = await browser.follow(await browser.submit(consent, "/confirm", { "s0.selected": selected }));
            const token = (await oauth.authorizationCodeGrant(config, new URL(location!), { pkceCodeVerifier: verifier, expectedState: state })).access_token;
            // The form offers the customer's Customer Data objects (ctx.customerData.resourceGraph), so the box
            // ticked is one of Alex's own (the keyset test above may have added accounts to the generated ones).
            const graph = Object.values(graphIds(await new DatabaseCustomerDataSource(db).resourceGraph(alex))).flat();
            expect(graph).toContain(selected);
            // The approval wrote exactly one Grant, active, recording exactly the box ticked. It is told apart
            // from earlier runs' Grants by id, never by "the active one".
            const made = (await grantsMadeSinceSeeding(db)).filter((g) => !earlier.has(g.id));
            expect(made).toHaveLength(1);
            const written = made[0]!;
            expect(written.status).toBe("active");
            expect(written.accountId).toBe(alex);
            expect(written.customerSelection).toEqual([expect.objectContaining({ scopes: [scope], ids: [selected] })]);
            const flags = new Set([...rule.alwaysIncluded, ...chosen]);
            let shown = 0;
            for (const api of apis) {
              const read = await readAll(token, api.path);
              expectNoLeak(read, api, flags);
              if (read.status === 200) shown += read.objects.length;
              if (api.kind === "usage_segments" && read.status === 200) {
                // §6.1.9: each segment names the selected object among its related ones.
                for (const o of read.objects) {
                  const stored = all.find((x) => x.kind === "usage_segments" && (x.object as { cds_usagesegment_id: string }).cds_usagesegment_id === (storedIdOf(o.cds_usagesegment_id as string) ?? o.cds_usagesegment_id))!.object as unknown as Record<string, string[]>;
                  expect(Object.entries(stored).some(([k, v]) => k.startsWith("related_") && Array.isArray(v) && v.includes(selected))).toBe(true);
                }
                // Every demo service has usage within the default year (§7.3), so the usage scope alone shows some.
                if (scope === "cds_usage_1") expect(read.objects.length, `usage of ${selected}`).toBeGreaterThan(0);
              }
            }
            // What the customer ticked opens real data: the form's selection and the APIs' visibility agree.
            if (opensNothing(scope)) expect(shown, scope).toBe(0);
            else expect(shown, scope).toBeGreaterThan(0);
            // Closing this Grant alone ends this token's access at once.
            await db.update(grants).set({ status: "revoked" }).where(eq(grants.id, written.id));
            for (const api of apis.slice(0, 2)) expect([401, 403]).toContain((await call(server, "GET", `/cds-customerdata-api/v1/${api.path}`, { token })).status);
          } finally {
            // A run that fails part-way leaves no Grant of its own in force for the next run (fast-check's shrinking
            // reruns); only its own, so a run still going after a timeout cannot end a later test's Grant.
            for (const g of await grantsMadeSinceSeeding(db)) if (!earlier.has(g.id) && g.status === "active") await db.update(grants).set({ status: "revoked" }).where(eq(grants.id, g.id));
          }
        }),
        // Random seed: fast-check prints the seed and path of a failing run, which replays it.
        { numRuns: 5 },
      );
    });

    it("Customer consent, the program scopes (§6.1.2, §6.1.3): each through the code flow shows its data and nothing of Sam's; closing the Grant ends access", async () => {
      for (const scope of ["cds_account_programs_1", "cds_service_programs_1"] as const) {
        const rule = consentScopeRule(scope)!;
        const { url, verifier, state } = await pushAuthorization(config, { scope, authorization_details: JSON.stringify([{ type: scope }]) });
        const browser = new Browser(server.url);
        const consent = await signIn(browser, await openLogin(browser, url));
        const boxes = [...consent.matchAll(/name="(s0\.selected)" value="([^"]*)"/g)].map((m) => m[2]!);
        expect(boxes.length, scope).toBeGreaterThan(0);
        const { location } = await browser.follow(await browser.submit(consent, "/confirm", { "s0.selected": boxes[0]! }));
        const token = (await oauth.authorizationCodeGrant(config, new URL(location!), { pkceCodeVerifier: verifier, expectedState: state })).access_token;
        const flags = new Set(rule.alwaysIncluded);
        let shown = 0;
        for (const api of apis) {
          const read = await readAll(token, api.path);
          expectNoLeak(read, api, flags);
          if (read.status === 200) shown += read.objects.length;
        }
        expect(shown, scope).toBeGreaterThan(0);
        await under.database.db.update(grants).set({ status: "revoked" }).where(eq(grants.clientId, "demo-app"));
        for (const api of apis.slice(0, 2)) expect([401, 403]).toContain((await call(server, "GET", `/cds-customerdata-api/v1/${api.path}`, { token })).status);
      }
    });
  },
  { scenario: true },
);
