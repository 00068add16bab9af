/**
 * "A customer can approve only what is theirs" (issue 11, CDS-WG3-01 §7.1,
 * §9.2.3), over HTTP through the real form posts: Alex signs in on the login
 * page, and fast-check fills every preselection field of the pushed request
 * and every selection field of the posted form with Sam's identifiers (mixed
 * with Alex's own, in sections that exist and ones that do not). Whatever is
 * sent, nothing of Sam's is shown as Alex's, no approval names Sam's
 * resources, and every Grant made holds Alex's resources only.
 * selection.test.ts checks the same in the selection logic alone.
 */
import { eq } from "drizzle-orm";
import fc from "fast-check";
import * as oauth from "openid-client";
import { beforeAll, expect, it } from "vitest";
import { normalizeStored } from "../../src/authorization-form/address-matching.ts";
import { grants } from "../../src/db/schema.ts";
import { demoApp } from "../../src/demo/demo-app.ts";
import { generateDemoUtility } from "../../src/demo/customer-data/generator.ts";
import type { CdsServer } from "../../src/server.ts";
import { customer, openLogin, pushAuthorization, seededWithAlexSignedIn, signIn } from "../helpers/authorization-code.ts";
import { Browser } from "../helpers/browser.ts";
import { describeEachDatabase } from "../helpers/databases.ts";
import { useListeningServer } from "../helpers/servers.ts";

const utility = generateDemoUtility();
const [alex, sam] = [utility.customers[0]!, utility.customers[1]!];
const idsOf = (c: typeof alex) => ({
  account_selection: c.accounts.map((a) => a.cds_account_id),
  service_contract_selection: c.serviceContracts.map((x) => x.cds_servicecontract_id),
  servicepoint_selection: c.servicePoints.map((x) => x.cds_servicepoint_id),
  meter_device_selection: c.meterDevices.map((x) => x.cds_meterdevice_id),
});
const alexIds = idsOf(alex);
const samIds = idsOf(sam);
const samAll = Object.values(samIds).flat();

/** Every preselection field of §7.1 that names a customer's own resource, filled from Sam's data. */
const samPreselections: Record<string, string[]> = {
  account_numbers: sam.accounts.map((a) => a.account_number!),
  contract_numbers: sam.serviceContracts.map((c) => c.contract_number!),
  servicepoint_numbers: sam.servicePoints.map((p) => p.servicepoint_number!),
  premise_numbers: sam.servicePoints.flatMap((p) => (p.premises ?? []).map((x) => x.premise_number)),
  meter_numbers: sam.meterDevices.map((m) => m.meter_number!),
  addresses: sam.servicePoints.map((p) => normalizeStored(p.servicepoint_address!)),
};
/** Sam's numbers, as the form would print them. */
const samNumbers = [...samPreselections.account_numbers!, ...samPreselections.contract_numbers!, ...samPreselections.servicepoint_numbers!, ...samPreselections.meter_numbers!];

const selectionTypes = Object.keys(alexIds) as (keyof typeof alexIds)[];

describeEachDatabase("a customer approves only what is theirs, through the form posts", (under) => {
  let server: CdsServer;
  let config: oauth.Configuration;
  /** Alex's browser, signed in once; each run starts a new authorization request in it (§9.1.2 keeps the session). */
  let browser: Browser;
  useListeningServer(under, (started) => (server = started));

  beforeAll(async () => {
    let form: string;
    ({ config, browser, form } = await seededWithAlexSignedIn(under.database.db, server.url));
    expect(form).toContain("Alex Demo");
  });

  /** The page a new request shows Alex, already signed in. */
  const pageFor = async (entry: Record<string, unknown>) => {
    const started = await pushAuthorization(config, { authorization_details: JSON.stringify([{ type: demoApp.scope, ...entry }]) });
    const { response, location } = await browser.follow(started.url.toString());
    expect(location, `the request went back to the Client: ${location}`).toBeUndefined();
    return response.text();
  };

  const grantRows = () => under.database.db.select().from(grants).where(eq(grants.clientId, demoApp.clientId));

  it("Sam's identifiers preselect and list nothing, and any post naming them is refused; every Grant holds Alex's resources only (property)", async () => {
    const field = fc.constantFrom(...Object.keys(samPreselections));
    const run = fc.record({
      type: fc.constantFrom(...selectionTypes),
      preselect: fc.uniqueArray(field, { maxLength: 3 }),
      pick: fc.nat(),
      errorIfNone: fc.boolean(),
      editable: fc.boolean(),
      // What the post names: Sam's ids at any level, and maybe one of Alex's own beside them.
      posted: fc.uniqueArray(fc.constantFrom(...samAll), { minLength: 1, maxLength: 3 }),
      withOwn: fc.boolean(),
      // The section the post puts them in: the form's own, or one the form never had.
      section: fc.constantFrom("s0", "s1", "s9"),
      future: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(run, async (r) => {
        const before = (await grantRows()).length;
        const entry: Record<string, unknown> = {
          authorization_form_selection_type: r.type,
          ...Object.fromEntries(r.preselect.map((f) => [f, [samPreselections[f]![r.pick % samPreselections[f]!.length]!]])),
          ...(r.errorIfNone && r.preselect.length ? { error_if_no_preselections: true } : {}),
          ...(r.editable ? {} : { allow_scope_modifications: false }),
        };
        const page = await pageFor(entry);
        for (const id of samAll) expect(page).not.toContain(`value="${id}"`);
        for (const n of samNumbers) expect(page).not.toContain(`#${n}`);

        if (r.errorIfNone && r.preselect.length) {
          // §9.3.1: the Preselection Error, no form to approve; a forged approval is refused too.
          expect(page).toContain("do not appear to be in the profile");
          expect(page).not.toContain('name="s0.selected"');
          const forged = await browser.post(`${server.url}${page.match(/action="([^"]*)\/preselection-decline"/)![1]}/confirm`, { csrf: page.match(/name="csrf" value="([^"]*)"/)![1]!, decision: "approve", "s0.selected": r.posted });
          expect(forged.status).toBe(400);
        } else {
          const own = r.withOwn ? [alexIds[r.type][r.pick % alexIds[r.type].length]!] : [];
          const res = await browser.submit(page, "/confirm", { decision: "approve", [`${r.section}.selected`]: [...r.posted, ...own], ...(r.future ? { [`${r.section}.future`]: "yes" } : {}) });
          const { response, location } = await browser.follow(res);
          // A code only for a request taken as a whole (§7.4.5 false) with nothing preselected: all of Alex's, the post ignored.
          expect(location !== undefined, `${response.status} ${location ?? ""}`).toBe(!r.editable && r.preselect.length === 0);
          if (location) {
            expect(new URL(location).searchParams.get("code")).toBeTruthy();
          } else {
            expect(response.status).toBe(400);
            expect(response.headers.get("location")).toBeNull();
          }
        }
        // The invariant: whatever happened, every Grant records Alex's resources only.
        const rows = await grantRows();
        expect(rows.length - before).toBeLessThanOrEqual(1);
        for (const g of rows) {
          expect(g.accountId).toBe(customer.accountId);
          for (const s of g.customerSelection ?? []) {
            for (const id of s.ids) expect(samAll).not.toContain(id);
            for (const n of s.numbers) expect(samNumbers).not.toContain(n);
          }
        }
      }),
      { numRuns: 30 },
    );
  });

  it("the same identifiers are Sam's own on Sam's form, so the property is not vacuous", async () => {
    const samBrowser = new Browser(server.url);
    const started = await pushAuthorization(config, { authorization_details: JSON.stringify([{ type: demoApp.scope, contract_numbers: [samPreselections.contract_numbers![0]] }]) });
    const form = await signIn(samBrowser, await openLogin(samBrowser, started.url), { username: "sam.demo", password: "sandbox-sam-2024" });
    expect(form).toMatch(new RegExp(`name="s0\\.selected" value="${samIds.service_contract_selection[0]}" checked`));
  });
}, { scenario: true });
