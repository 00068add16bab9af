/**
 * The Authorization Form's layout MUSTs (CDS-WG3-01 §9.2.1–§9.2.3), one test
 * per section, on the page a signed-in customer gets over HTTP. Approval,
 * decline and double submission (§9.2.1.6), the selections' preselections
 * (§9.2.3.1, §9.2.3.2) and the footer's switch (§9.2.1.7) are in
 * consent-flow.test.ts; layout in a browser (widths, keyboard, axe-core) in
 * form-browser.test.ts. §9.2.3.5 (aggregations) uses Sam, the commercial demo customer whose building groups several meters.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { DatabaseCustomerDataSource } from "../../src/customer-data/database-source.ts";
import { grants } from "../../src/db/schema.ts";
import { demoApp } from "../../src/demo/demo-app.ts";
import { approve, openLogin, pushAuthorization, signIn } from "../helpers/authorization-code.ts";
import { useSignedInAlex } from "../helpers/authorization-form.ts";
import { Browser } from "../helpers/browser.ts";
import { describeEachDatabase } from "../helpers/databases.ts";

const clientUri = "https://energy-app.example/about";

describeEachDatabase(
  "CDS-WG3-01 §9.2 Authorization Form layout",
  (under) => {
    // The demo app with a website, so the Requester Section has a link to show (§9.2.1.2).
    const alex = useSignedInAlex(under, { per: "file", client: { client_uri: clientUri } });

    /** The form for a request of `scope` with these entries, for Alex (signed in once, §9.1.2). */
    const formFor = (scope: string, entries: Record<string, unknown>[]) => alex.page({ scope, authorization_details: JSON.stringify(entries) });
    const two = () => formFor(`${demoApp.scope} cds_accounts_1`, [{ type: demoApp.scope, purpose: "dge_own_use" }, { type: "cds_accounts_1" }]);
    const sectionsOf = (page: string) => [...page.matchAll(/<section class="request"[\s\S]*?(?=<section class="request"|<section class="closing"|<section class="approval"|$)/g)].map((m) => m[0]);

    it("§9.2.1.1 Header: names the Server's brand, says it is an authorization request, its link opens in a new tab, and no site menu", async () => {
      const page = await two();
      const header = page.match(/<header class="header">[\s\S]*?<\/header>/)![0];
      expect(header).toContain("Demo Gas &amp; Electric");
      expect(header).toMatch(/<h1>Authorization request<\/h1>/);
      expect(header).toMatch(/<a [^>]*target="_blank"[^>]*rel="noopener noreferrer"/);
      expect(page).not.toContain("<nav");
    });

    it("§9.2.1.2 Requester: the Client's name, linked to its client_uri in a new tab with noopener, and that it is asking", async () => {
      const page = await two();
      const requester = page.match(/<section class="requester"[\s\S]*?<\/section>/)![0];
      expect(requester).toContain(`<a href="${clientUri}" target="_blank" rel="noopener noreferrer">Demo energy app</a>`);
      expect(requester).toContain("is asking for your permission");
    });

    it("§9.2.1.3 Requests Container: one Request Section per scope, each set apart under its own heading", async () => {
      const sections = sectionsOf(await two());
      expect(sections).toHaveLength(2);
      expect(sections[0]).toContain("Request 1 of 2");
      expect(sections[1]).toContain("Request 2 of 2");
      expect(sections[0]).toContain('name="s0.selected"');
      expect(sections[1]).toContain('name="s1.selected"');
    });

    it("§9.2.1.3 with merge_selection_with, merged scopes share one Request Section (§7.4.2)", async () => {
      const page = await formFor(`${demoApp.scope} cds_service_contracts_1`, [
        { type: demoApp.scope, merge_selection_with: "cds_service_contracts_1" },
        { type: "cds_service_contracts_1", merge_selection_with: demoApp.scope },
      ]);
      expect(sectionsOf(page)).toHaveLength(1);
      expect(page).not.toContain('name="s1.selected"');
    });

    it("§9.2.1.4 Request Section: Data, Duration, Selection, then Purpose, in that order; no Purpose Component without a purpose", async () => {
      const [withPurpose, without] = sectionsOf(await two());
      const order = ["What you would share", "For how long", 'class="component selection', "For this purpose"].map((t) => withPurpose!.indexOf(t));
      expect(order.every((p) => p >= 0), JSON.stringify(order)).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
      expect(without).not.toContain("For this purpose");
    });

    it("§9.2.1.5 Closing: nothing to fill in beyond the selections and the decision (no survey or optional fields)", async () => {
      const page = await two();
      const form = page.match(/<form[^>]*action="[^"]*\/confirm"[\s\S]*?<\/form>/)![0];
      const named = [...form.matchAll(/<(?:input|select|textarea|button)\b[^>]*\sname="([^"]*)"/g)].map((m) => m[1]!);
      for (const name of named) expect(name).toMatch(/^(csrf|decision|s\d+\.(selected|future))$/);
      expect(form).not.toMatch(/<textarea|<select/);
    });

    it("§9.2.1.7 Footer: sign in as someone else, support, terms and privacy", async () => {
      const page = await two();
      const footer = page.match(/<footer class="footer">[\s\S]*?<\/footer>/)![0];
      expect(footer).toMatch(/<form method="post" action="[^"]*\/switch"/);
      expect(footer).toContain("Sign in as someone else");
      expect(footer).toContain("support");
      expect(footer).toMatch(/Terms of service|Privacy policy/);
    });

    it("§9.2.2.1 Data Component: plain words, a toggle listing each kind of data with an example, no specification terms", async () => {
      const [section] = sectionsOf(await two());
      const data = section!.match(/<div class="component data">[\s\S]*?<\/details>/)![0];
      expect(data).toContain("<summary>See details</summary>");
      expect(data).toMatch(/for example: /);
      expect(data).not.toMatch(/Usage ?Segment|include_|cds_|authorization_details/i);
    });

    it("§9.2.2.2 Duration Component: each case in plain words (for ever, a past period, a date range), never ISO values or field names", async () => {
      const page = await formFor(demoApp.scope, [{ type: demoApp.scope, segment_start: "infinite", segment_end: "infinite", sync_until: "infinite" }]);
      const duration = sectionsOf(page)[0]!.match(/<div class="component duration">[\s\S]*?<\/div>/)![0];
      expect(duration).toContain("all your past");
      expect(duration).toContain("until you stop this in your settings");
      const dated = await formFor(demoApp.scope, [{ type: demoApp.scope, segment_start: "2024-01-01T00:00:00Z", segment_end: "2024-12-31T00:00:00Z", sync_until: "P1Y" }]);
      const words = sectionsOf(dated)[0]!.match(/<div class="component duration">[\s\S]*?<\/div>/)![0];
      expect(words).toMatch(/since .*2024/);
      expect(words).toMatch(/until .*2024/);
      for (const page of [duration, words]) expect(page).not.toMatch(/P1Y|T00:00:00Z|segment_|sync_until|infinite/);
    });

    it("§9.2.2.4 Purpose Component: the purpose's words, and who wrote them", async () => {
      const [section] = sectionsOf(await two());
      expect(section).toContain("For this purpose");
      expect(section).toContain("Standard purpose set by your utility");
      expect(section).toMatch(/<div class="purpose-content" tabindex="0" role="region"/);
    });

    it("§9.2.3.3 Service Point Selection: this customer's service points, by number and address", async () => {
      const page = await formFor(demoApp.scope, [{ type: demoApp.scope, authorization_form_selection_type: "servicepoint_selection" }]);
      expect(page).toContain('value="sp-1001-001-electric"');
      expect(page).toContain("SP-1001-001-ELECTRIC");
      expect(page).toMatch(/10 Harbor St/);
      expect(page).not.toContain("SP-1002-001-ELECTRIC");
    });

    it("§9.2.3.4 Meter Device Selection: this customer's meters, by meter number", async () => {
      const page = await formFor(demoApp.scope, [{ type: demoApp.scope, authorization_form_selection_type: "meter_device_selection" }]);
      expect(page).toContain('value="md-1001-001-electric"');
      expect(page).toContain("M001001001E");
      expect(page).not.toContain("M001002001E");
    });

    describe("§9.2.3.5 Aggregation Selection, on Sam's form (the commercial demo customer's building)", () => {
      const sam = { username: "sam.demo", password: "sandbox-sam-2024" };
      const aggregationEntry = { type: "cds_aggregation_consent_1", aggregation_numbers: ["BLDG-DGECUSTOMER1002"], premise_numbers: ["PR-001002-001"] };
      const samsForm = async () => {
        const samBrowser = new Browser(alex.server.url);
        const started = await pushAuthorization(alex.config, { scope: "cds_aggregation_consent_1", authorization_details: JSON.stringify([aggregationEntry]) });
        return { samBrowser, page: await signIn(samBrowser, await openLogin(samBrowser, started.url), sam) };
      };

      it("§9.2.3.5 cds_aggregation_consent: a non-editable list of the preselected aggregation numbers, each with the customer's related resources in plain words", async () => {
        const { page } = await samsForm();
        const selection = page.match(/<fieldset class="component selection"[\s\S]*?<\/fieldset>/)![0];
        expect(selection).toMatch(/name="s0\.selected" value="agg-bldg-dgecustomer1002" checked disabled/);
        expect(selection).toContain("Group #BLDG-DGECUSTOMER1002");
        // A related resource the customer knows: the building's address of theirs.
        expect(selection).toContain("200 Cedar Ln");
        expect(selection).toContain("This request cannot be changed");
        expect(selection).not.toMatch(/grouped_|cds_aggregation_id/);
      });

      it("§9.2.3.5 each entry lists the customer's own related resources by their numbers: the meters the aggregation groups by meter number", async () => {
        const { page } = await samsForm();
        const selection = page.match(/<fieldset class="component selection"[\s\S]*?<\/fieldset>/)![0];
        const graph = await new DatabaseCustomerDataSource(under.database.db).resourceGraph("dge-customer-1002");
        const building = graph.aggregations.find((g) => g.aggregation_number === "BLDG-DGECUSTOMER1002")!;
        const meters = graph.meterDevices.filter((m) => building.grouped_meterdevices.includes(m.cds_meterdevice_id)).map((m) => m.meter_number!);
        const points = graph.servicePoints.filter((p) => building.grouped_servicepoints.includes(p.cds_servicepoint_id)).map((p) => p.servicepoint_number!);
        expect(meters.length + points.length).toBeGreaterThan(0);
        if (meters.length) {
          expect(selection).toContain(`Your ${meters.length === 1 ? "meter" : "meters"} in it:`);
          for (const n of meters) expect(selection).toContain(n);
        }
        for (const n of points) expect(selection).toContain(n);
        // Nothing of Alex's, though the demo utility also serves him.
        const alex = await new DatabaseCustomerDataSource(under.database.db).resourceGraph("dge-customer-1001");
        for (const m of alex.meterDevices) expect(selection).not.toContain(m.meter_number!);
      });

      it("§9.2.3.5 the Choice is aggregation_selection: approving records that selection type and the aggregation in the Grant", async () => {
        const { samBrowser, page } = await samsForm();
        const callback = await approve(samBrowser, page, { "s0.selected": "agg-bldg-dgecustomer1002" });
        expect(callback.searchParams.get("code")).toBeTruthy();
        const rows = await under.database.db.select().from(grants).where(eq(grants.accountId, "dge-customer-1002"));
        const selections = rows.flatMap((g) => (g.customerSelection ?? []) as { type: string; ids: string[] }[]);
        expect(selections).toContainEqual(expect.objectContaining({ type: "aggregation_selection", ids: ["agg-bldg-dgecustomer1002"] }));
      });

      it("§9.2.3.5 only what the customer may see: another customer's aggregation number lists nothing of it (Preselection Error)", async () => {
        const html = await alex.page({ scope: "cds_aggregation_consent_1", authorization_details: JSON.stringify([aggregationEntry]) });
        expect(html).toContain("do not appear to be in the profile");
        expect(html).not.toContain("Cedar");
        expect(html).not.toContain('name="s0.selected"');
      });
    });
  },
  { scenario: true },
);
