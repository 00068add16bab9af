/**
 * The Authorization Receipt's MUSTs (CDS-WG3-01 §9.4), one test per MUST,
 * each named after the section, over real HTTP. The receipt email through a
 * real SMTP server is in form-browser.test.ts; revocation from the receipt
 * (with its CSRF checks) and the default redirect URI in consent-flow.test.ts.
 * Here no SMTP server is configured, so the notification is read from the
 * operator's outbox (the server's documented fallback).
 * The owner's sign-in from the receipt and the account's receipts page are
 * at the end.
 */
import { eq } from "drizzle-orm";
import * as oauth from "openid-client";
import { beforeEach, expect, it } from "vitest";
import { authorizationReceipts, grants, mailOutbox, oauthClients, serverMetadata } from "../../src/db/schema.ts";
import { createGrantNeedingAuthorization } from "../../src/cds/grant-authorization.ts";
import { demoApp } from "../../src/demo/demo-app.ts";
import type { CdsServer } from "../../src/server.ts";
import { approve, pushAuthorization, seededWithAlexSignedIn } from "../helpers/authorization-code.ts";
import { useSignedInAlex } from "../helpers/authorization-form.ts";
import { Browser } from "../helpers/browser.ts";
import { describeEachDatabase } from "../helpers/databases.ts";
import { grantsMadeSinceSeeding } from "../helpers/grants-made.ts";

const clientUri = "https://energy-app.example/about";

describeEachDatabase(
  "CDS-WG3-01 §9.4 Authorization Receipt",
  (under) => {
    // A website for the demo app, so the receipt has a client_uri link to check. Each test approves afresh.
    const alex = useSignedInAlex(under, { per: "test", client: { client_uri: clientUri } });
    const receipts = () => under.database.db.select().from(authorizationReceipts);
    const grantRows = () => grantsMadeSinceSeeding(under.database.db);

    /** Alex (already signed in) approves a request with this entry; returns the callback and the new receipt. */
    const approveEntry = async (entry: Record<string, unknown>, extra: Record<string, string> = {}) => {
      const before = new Set((await receipts()).map((r) => r.id));
      const form = await alex.page({ authorization_details: JSON.stringify([{ type: demoApp.scope, ...entry }]), ...extra });
      const callback = await approve(alex.browser, form);
      const made = (await receipts()).filter((r) => !before.has(r.id));
      expect(made).toHaveLength(1);
      return { callback, receipt: made[0]! };
    };
    const receiptUrl = (id: string) => `${alex.server.url}/authorization-receipts/${id}`;
    /** The receipt as anyone with the link sees it: a plain fetch, no cookies, no session. */
    const anonymousView = async (id: string) => {
      const res = await fetch(receiptUrl(id));
      expect(res.status).toBe(200);
      return res.text();
    };

    it("§9.4 a receipt is created as soon as the approval is accepted, before the Client exchanges its code, one per approved Grant", async () => {
      const grantsBefore = new Set((await grantRows()).map((g) => g.id));
      const { callback, receipt } = await approveEntry({ account_numbers: ["001001-001"] });
      // The code is still unexchanged: the receipt came with the approval itself.
      expect(callback.searchParams.get("code")).toBeTruthy();
      const made = (await grantRows()).filter((g) => !grantsBefore.has(g.id));
      expect(made.map((g) => g.id)).toEqual([receipt.grantId]);
      expect(made[0]!.status).toBe("active");
      expect(receipt.accountId).toBe("dge-customer-1001");
    });

    it("§9.4 each receipt has a unique confirmation number, also in its Grant's receipt_confirmations", async () => {
      const first = await approveEntry({ account_numbers: ["001001-001"] });
      const second = await approveEntry({ account_numbers: ["001001-001"] });
      expect(first.receipt.confirmation).not.toBe(second.receipt.confirmation);
      for (const { receipt } of [first, second]) {
        const [grant] = await under.database.db.select().from(grants).where(eq(grants.id, receipt.grantId));
        expect(grant!.receiptConfirmations).toContain(receipt.confirmation);
        expect(await anonymousView(receipt.id)).toContain(receipt.confirmation);
      }
    });

    it("§9.4 the receipt is at a unique random URL unrelated to the confirmation number or any other identifier", async () => {
      const a = (await approveEntry({ account_numbers: ["001001-001"] })).receipt;
      const b = (await approveEntry({ account_numbers: ["001001-001"] })).receipt;
      expect(a.id).not.toBe(b.id);
      for (const r of [a, b]) {
        expect(r.id).toMatch(/^[0-9a-f]{32}$/);
        const digits = r.confirmation.replaceAll("-", "");
        expect(r.id).not.toContain(digits);
        // Only hex runs long enough to be a real link: "demo-app" leaves "dea", which a random id holds about once in 140 runs.
        for (const identifier of [r.grantId, r.accountId, demoApp.clientId]) {
          const hex = identifier.replace(/[^0-9a-f]/g, "");
          if (hex.length >= 8) expect(r.id).not.toContain(hex);
        }
      }
      // Guessing from the confirmation number leads nowhere.
      expect((await fetch(receiptUrl(a.confirmation.replaceAll("-", "")))).status).toBe(404);
    });

    it("§9.4 the receipt loads without any customer authentication", async () => {
      const { receipt } = await approveEntry({ account_numbers: ["001001-001"] });
      const res = await fetch(receiptUrl(receipt.id), { redirect: "manual" });
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).not.toContain('name="password"');
      expect(html).toContain("Authorization receipt");
    });

    it("§9.4 the receipt tells search crawlers not to index it", async () => {
      const { receipt } = await approveEntry({ account_numbers: ["001001-001"] });
      expect(await anonymousView(receipt.id)).toMatch(/<meta name="robots" content="noindex[^"]*"\/>/);
    });

    it("§9.4 the customer's email on file gets a notification with the brand, the confirmation number and the receipt link", async () => {
      const { receipt } = await approveEntry({ account_numbers: ["001001-001"] });
      // (The demo seeds some mail of its own: find the one naming this receipt.)
      const mine = async () => (await under.database.db.select().from(mailOutbox)).filter((m) => m.text.includes(receipt.id));
      await expect.poll(async () => (await mine()).length, { timeout: 10_000 }).toBe(1);
      const [mail] = await mine();
      expect(mail!.to).toBe("alex.demo@example.org");
      expect(`${mail!.subject}\n${mail!.text}`).toContain("Demo Gas & Electric");
      expect(mail!.text).toContain(receipt.confirmation);
      expect(mail!.text).toContain(receiptUrl(receipt.id));
    });

    it("§9.4 approving a Grant Authorization Request (cds_grant_id) makes a new receipt for that Grant; the old one says it was replaced and links to the new", async () => {
      const entry = { type: demoApp.scope, account_numbers: ["001001-001"] };
      const grantId = await createGrantNeedingAuthorization(under.database.db, { clientId: demoApp.clientId, scope: demoApp.scope, authorizationDetails: [entry] });
      const first = await approveEntry(entry, { cds_grant_id: grantId });
      // The Client's later change needs the customer again (CDS-WG1-02 §8.3): the Grant asks for authorization anew.
      await under.database.db.update(grants).set({ status: "needs_authorization", authorizationDetails: [entry] }).where(eq(grants.id, grantId));
      const second = await approveEntry(entry, { cds_grant_id: grantId });
      expect([first.receipt.grantId, second.receipt.grantId]).toEqual([grantId, grantId]);
      const [updated] = await under.database.db.select().from(grants).where(eq(grants.id, grantId));
      expect(updated!.receiptConfirmations).toEqual([first.receipt.confirmation, second.receipt.confirmation]);
      const old = await anonymousView(first.receipt.id);
      expect(old).toContain("replaced by a newer one");
      expect(old).toContain(`href="${receiptUrl(second.receipt.id)}"`);
      expect(await anonymousView(second.receipt.id)).not.toContain("replaced by a newer one");
    });

    it("§9.4 the receipt is branded like the form: the same header with the Server's brand", async () => {
      const { receipt } = await approveEntry({ account_numbers: ["001001-001"] });
      const page = await anonymousView(receipt.id);
      const header = page.match(/<header class="header">[\s\S]*?<\/header>/)![0];
      expect(header).toContain("Demo Gas &amp; Electric");
      expect(header).toContain("Authorization receipt");
    });

    it("§9.4 shows the confirmation number, when it was made, and the Grant's status in plain words", async () => {
      const { receipt } = await approveEntry({ account_numbers: ["001001-001"] });
      const page = await anonymousView(receipt.id);
      expect(page).toMatch(new RegExp(`<dd class="confirmation">${receipt.confirmation}</dd>`));
      expect(page).toContain(`<time datetime="${receipt.createdAt.toISOString()}">`);
      expect(page).toMatch(/data-status="active">Active: the app can access what you approved/);
      expect(page).not.toMatch(/>active</);
    });

    it("§9.4 shows the client_name linked to its client_uri in a new tab with rel noopener nofollow", async () => {
      const { receipt } = await approveEntry({ account_numbers: ["001001-001"] });
      const page = await anonymousView(receipt.id);
      const link = page.match(new RegExp(`<a href="${clientUri}"[^>]*>Demo energy app</a>`))![0];
      expect(link).toContain('target="_blank"');
      expect(link).toMatch(/rel="[^"]*\bnoopener\b[^"]*"/);
      expect(link).toMatch(/rel="[^"]*\bnofollow\b[^"]*"/);
    });

    it("§9.4 shows the scopes and details as approved, and hides the customer's numbers from an unauthenticated visitor", async () => {
      const { receipt } = await approveEntry({ account_numbers: ["001001-001"], segment_start: "P1Y", segment_end: "PT0S", sync_until: "P1Y" });
      const page = await anonymousView(receipt.id);
      expect(page).toContain("What you approved");
      expect(page).toMatch(/<li>Access to [^<]+<\/li>/);
      expect(page).toContain("For how long");
      expect(page).toMatch(/2 services selected|1 service selected/);
      for (const number of ["001001-001", "SA-1001-001-ELECTRIC", "SA-1001-001-GAS"]) expect(page).not.toContain(number);
      expect(page).toMatch(new RegExp(`<a href="/account/sign-in\\?return=%2Fauthorization-receipts%2F${receipt.id}">Sign in to see which</a>`));
    });

    it("§9.4 with `_include_future` selected, says that future additions are included", async () => {
      const { receipt } = await approveEntry({ account_numbers: ["_include_future"], authorization_form_selection_type: "account_selection" });
      expect(await anonymousView(receipt.id)).toMatch(/Future accounts you add are included too/);
    });

    it("§9.4 shows a copy of the Purpose as approved, never the Client's current Purpose", async () => {
      const { receipt } = await approveEntry({ account_numbers: ["001001-001"], purpose: "dge_own_use" });
      const [row] = await under.database.db.select().from(oauthClients).where(eq(oauthClients.clientId, demoApp.clientId));
      const purposes = (row!.metadata as { cds_purposes: Record<string, { content: string }> }).cds_purposes;
      const approvedContent = purposes.dge_own_use!.content;
      const before = await anonymousView(receipt.id);
      expect(before).toContain("For this purpose");
      expect(before).toContain(approvedContent.replaceAll("&", "&amp;"));
      await alex.patchClient({ cds_purposes: { ...purposes, dge_own_use: { ...purposes.dge_own_use!, content: "A different purpose written later" } } });
      const after = await anonymousView(receipt.id);
      expect(after).toContain(approvedContent.replaceAll("&", "&amp;"));
      expect(after).not.toContain("A different purpose written later");
    });

    it("§9.4 links the terms the customer agreed to, and customer support", async () => {
      const { receipt } = await approveEntry({ account_numbers: ["001001-001"] });
      const page = await anonymousView(receipt.id);
      expect(page).toMatch(/Under these terms: <a href="https?:\/\/[^"]+"[^>]*>Demo Gas &amp; Electric data sharing terms<\/a>/);
      expect(page).toMatch(/<a href="https?:\/\/[^"]+"[^>]*>Contact support<\/a>/);
    });

    it("§9.4 while the Grant gives access, offers a way to revoke it without signing in; once ended, no longer", async () => {
      const { receipt } = await approveEntry({ account_numbers: ["001001-001"] });
      const page = await anonymousView(receipt.id);
      expect(page).toMatch(new RegExp(`<form method="post" action="/authorization-receipts/${receipt.id}/revoke"`));
      expect(page).toContain("Stop this access");
      await under.database.db.update(grants).set({ status: "expired" }).where(eq(grants.id, receipt.grantId));
      const ended = await anonymousView(receipt.id);
      expect(ended).not.toContain("Stop this access");
      expect(ended).toMatch(/data-status="expired">Ended/);
    });

    it("§9.4 a client_name changed since approval is shown beside the name as it was", async () => {
      const { receipt } = await approveEntry({ account_numbers: ["001001-001"] });
      await alex.patchClient({ client_name: "Renamed energy app" });
      const page = await anonymousView(receipt.id);
      expect(page).toContain("Demo energy app");
      expect(page).toContain("now called Renamed energy app");
    });

    /** The "What has changed" part of a receipt page, or "" when there is none. */
    const changesPart = (page: string) => /<section class="changes"[\s\S]*?<\/section>/.exec(page)?.[0] ?? "";

    it("§9.4 right after approval nothing is shown as changed", async () => {
      const { receipt } = await approveEntry({ account_numbers: ["001001-001"] });
      expect(changesPart(await anonymousView(receipt.id))).toBe("");
    });

    it("§9.4 a client_uri changed since approval is shown beside the one approved, opening in a new tab with rel noopener nofollow", async () => {
      const { receipt } = await approveEntry({ account_numbers: ["001001-001"] });
      await alex.patchClient({ client_uri: "https://energy-app.example/new-home" });
      const page = await anonymousView(receipt.id);
      expect(page).toContain(`href="${clientUri}"`);
      const changes = changesPart(page);
      expect(changes).toMatch(/data-change="client_uri"><a href="https:\/\/energy-app\.example\/new-home" target="_blank" rel="noopener nofollow noreferrer">/);
    });

    it("§9.4 scopes or authorization details changed since approval show what the Grant gives now", async () => {
      const { receipt } = await approveEntry({ account_numbers: ["001001-001"] });
      const [grant] = await under.database.db.select().from(grants).where(eq(grants.id, receipt.grantId));
      const before = changesPart(await anonymousView(receipt.id));
      expect(before).toBe("");
      // The Server narrowed the Grant: usage only, and meter numbers turned on.
      const details = (grant!.enabledAuthorizationDetails as Record<string, unknown>[]).map((d) => ({ ...d, include_meter_numbers: true }));
      await under.database.db.update(grants).set({ status: "partial", enabledAuthorizationDetails: details as never }).where(eq(grants.id, receipt.grantId));
      const changes = changesPart(await anonymousView(receipt.id));
      expect(changes).toContain('data-change="scope"');
      expect(changes).toContain("<li>Access to meter numbers</li>");
      expect(changes).not.toContain('data-change="selection"');
    });

    it("§9.4 a selection changed since approval shows the selection now, its numbers still hidden from a visitor", async () => {
      const { receipt } = await approveEntry({ account_numbers: ["001001-001"] });
      const [grant] = await under.database.db.select().from(grants).where(eq(grants.id, receipt.grantId));
      const selection = grant!.customerSelection!.map((s) => ({ ...s, ids: s.ids.slice(0, 1), numbers: s.numbers.slice(0, 1), includeFuture: true }));
      await under.database.db.update(grants).set({ customerSelection: selection }).where(eq(grants.id, receipt.grantId));
      const changes = changesPart(await anonymousView(receipt.id));
      expect(changes).toContain('data-change="selection"');
      expect(changes).toMatch(/1 service selected\. Future services you add are included too\./);
      expect(changes).not.toContain(selection[0]!.numbers[0]!);
    });

    it("§9.4 terms changed since approval: the current terms are linked beside the ones agreed to", async () => {
      const { receipt } = await approveEntry({ account_numbers: ["001001-001"] });
      await under.database.db.update(serverMetadata).set({ oauthTosUri: "https://utility.example/terms-2027" });
      const page = await anonymousView(receipt.id);
      expect(page).toMatch(/Under these terms: <a href="https?:\/\/[^"]+"/);
      expect(changesPart(page)).toMatch(/data-change="terms"><a href="https:\/\/utility\.example\/terms-2027"/);
    });

    it("§9.4 the receipt's sign-in link lets its owner see the hidden numbers; another customer signed in sees none", async () => {
      const { receipt } = await approveEntry({ account_numbers: ["001001-001"] });
      const [grant] = await under.database.db.select().from(grants).where(eq(grants.id, receipt.grantId));
      const numbers = grant!.customerSelection!.flatMap((s) => s.numbers);
      expect(numbers.length).toBeGreaterThan(0);

      const visitor = new Browser(alex.server.url);
      const first = await (await visitor.follow(receiptUrl(receipt.id))).response.text();
      for (const n of numbers) expect(first).not.toContain(n);
      const signInPage = await (await visitor.follow(`${alex.server.url}/account/sign-in?return=${encodeURIComponent(`/authorization-receipts/${receipt.id}`)}`)).response.text();
      for (const n of numbers) expect(signInPage).not.toContain(n);
      const { response, location } = await visitor.follow(await visitor.submit(signInPage, "/account/sign-in", { username: "alex.demo", password: "sandbox-alex-2024" }));
      expect(location).toBeUndefined();
      const owned = await response.text();
      expect(owned).toContain(receipt.confirmation);
      for (const n of numbers) expect(owned).toContain(`<li>${n}</li>`);

      const sam = new Browser(alex.server.url);
      const samSignIn = await (await sam.follow(`${alex.server.url}/account/sign-in?return=${encodeURIComponent(`/authorization-receipts/${receipt.id}`)}`)).response.text();
      const samView = await (await sam.follow(await sam.submit(samSignIn, "/account/sign-in", { username: "sam.demo", password: "sandbox-sam-2024" }))).response.text();
      expect(samView).toContain(receipt.confirmation);
      for (const n of numbers) expect(samView).not.toContain(n);
    });

    it("§9.4 a wrong password shows the sign-in again and reveals nothing; the sign-in leads back only to this server's receipt pages", async () => {
      const { receipt } = await approveEntry({ account_numbers: ["001001-001"] });
      const visitor = new Browser(alex.server.url);
      const signInPage = await (await visitor.follow(`${alex.server.url}/account/sign-in?return=https%3A%2F%2Fevil.example%2F`)).response.text();
      expect(signInPage).toContain('name="return" value="/account/receipts"');
      const failed = await (await visitor.follow(await visitor.submit(signInPage, "/account/sign-in", { username: "alex.demo", password: "wrong" }))).response.text();
      expect(failed).toContain("The username or password is incorrect.");
      expect(failed).not.toContain(receipt.confirmation);
    });

    it("§9.1.1 the customer's account lists their receipts, newest first, and only theirs; signing out ends it at once", async () => {
      const first = await approveEntry({ account_numbers: ["001001-001"] });
      const second = await approveEntry({ account_numbers: ["001001-001"] });
      const base = alex.server.url;
      const owner = new Browser(base);
      // Not signed in: the receipts page sends the visitor to sign in first.
      const signInPage = await (await owner.follow(`${base}/account/receipts`)).response.text();
      expect(signInPage).toContain('name="password"');
      const listed = await (await owner.follow(await owner.submit(signInPage, "/account/sign-in", { username: "alex.demo", password: "sandbox-alex-2024" }))).response.text();
      expect(listed).toContain("Your authorization receipts");
      const order = [second.receipt, first.receipt].map((r) => listed.indexOf(`/authorization-receipts/${r.id}`));
      expect(order.every((i) => i > 0)).toBe(true);
      expect(order[0]!).toBeLessThan(order[1]!);
      expect(listed).toContain(first.receipt.confirmation);

      const sam = new Browser(base);
      const samSignIn = await (await sam.follow(`${base}/account/receipts`)).response.text();
      const samList = await (await sam.follow(await sam.submit(samSignIn, "/account/sign-in", { username: "sam.demo", password: "sandbox-sam-2024" }))).response.text();
      expect(samList).toContain("Your authorization receipts");
      expect(samList).not.toContain(first.receipt.confirmation);
      expect(samList).not.toContain(second.receipt.confirmation);

      await owner.follow(await owner.submit(listed, "/account/sign-out"));
      const after = await (await owner.follow(`${base}/account/receipts`)).response.text();
      expect(after).toContain('name="password"');
      expect(after).not.toContain(first.receipt.confirmation);
    });
  },
  { scenario: true },
);
