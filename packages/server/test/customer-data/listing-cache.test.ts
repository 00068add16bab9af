/**
 * The Customer Data listings' in-memory Grants, resource graphs and pages
 * (src/customer-data/listing-cache.ts, issues 10 and 16):
 *
 * - a page is really served from memory (a change made with announcements
 *   switched off stays unseen) until an announced change concerns it;
 * - across two instances, closing or narrowing the Grant, revoking the token
 *   or changing the customer's data on one makes the other answer the change
 *   at its very next request, whatever it holds;
 * - for generated Grant shapes and queries, a cached answer is byte for
 *   byte (and header for header) what a server that caches no page answers.
 */
import fc from "fast-check";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { parseConfig } from "../../src/config/index.ts";
import type { CustomerDataSource } from "../../src/customer-data/data-source.ts";
import { DatabaseCustomerDataSource, storeCustomerData } from "../../src/customer-data/database-source.ts";
import { customerDataObjects, grants } from "../../src/db/schema.ts";
import { demoCustomers } from "../../src/demo/customers.ts";
import { demoDirectAccess, demoDirectAccessDetails } from "../../src/demo/demo-direct-access.ts";
import { demoClient } from "../../src/demo/demo-utility.ts";
import { defaultDemoSize, generateDemoUtility } from "../../src/demo/customer-data/generator.ts";
import { seedDemoData } from "../../src/demo/seed.ts";
import { createServer, type CdsServer } from "../../src/server.ts";
import { adminToken, basic, call } from "../helpers/cds-client.ts";
import { describeEachDatabase } from "../helpers/databases.ts";
import { LogCapture, useTwoInstances } from "../helpers/servers.ts";

const secret = "listing-cache-secret-0123456789abcdefghij";
const [alex, sam] = demoCustomers.map((c) => c.accountId) as [string, string];
const utility = generateDemoUtility(defaultDemoSize);
const alexMeters = utility.customers[0]!.meterDevices;
const dayStarts = [...new Set(utility.objects.filter((o) => o.kind === "usage_segments").map((o) => (o.object as { segment_start: string }).segment_start))].sort();
const typeNames = [...new Set(utility.objects.filter((o) => o.kind === "usage_segments").flatMap((o) => (o.object as { formats: { type: string }[] }).formats.map((f) => f.type)))];
const usage = "/cds-customerdata-api/v1/usage-segments";
const accounts = "/cds-customerdata-api/v1/accounts";

/** The same database source without `customerNotice`: nothing of it is kept between requests. */
function uncachedSource(source: DatabaseCustomerDataSource): CustomerDataSource {
  return { list: (kind, request) => source.list(kind, request), resourceGraph: (customer) => source.resourceGraph(customer) };
}

/** An answer as sent: status, the headers a Client reads, and the body's exact text. */
async function raw(server: CdsServer, url: string, token: string) {
  const res = await server.app.inject({ method: "GET", url, headers: { authorization: `Bearer ${token}` } });
  return { status: res.statusCode, type: res.headers["content-type"], cacheControl: res.headers["cache-control"], etag: res.headers.etag, body: res.body };
}

describeEachDatabase(
  "Customer Data listing cache",
  (under) => {
    let first: CdsServer;
    let second: CdsServer;
    let fresh: CdsServer;
    let grant: typeof grants.$inferSelect;
    let samGrant: typeof grants.$inferSelect;
    useTwoInstances(under, (a, b) => {
      first = a;
      second = b;
    });

    const db = () => under.database.db;
    const tokenFor = (server: CdsServer, scope: string) => adminToken(server, demoDirectAccess.clientId, secret, scope);
    const restoreGrants = async () => {
      for (const g of [grant, samGrant]) {
        await db().update(grants).set({ status: g.status, scope: g.scope, enabledScope: g.enabledScope, enabledAuthorizationDetails: g.enabledAuthorizationDetails, notAfter: g.notAfter }).where(eq(grants.id, g.id));
      }
    };

    beforeAll(async () => {
      await seedDemoData(db(), secret);
      fresh = await createServer({
        // The same issuer as the first instance: `next` and `previous` links are part of the bytes compared.
        config: parseConfig({ port: "0", logLevel: "warn", rateLimitPerMinute: "100000", issuerUrl: first.url }),
        database: under.database,
        logStream: new LogCapture(),
        customerData: uncachedSource(new DatabaseCustomerDataSource(db())),
      });
      [grant] = (await db().select().from(grants).where(eq(grants.id, demoDirectAccess.grantId(alex)))) as [typeof grants.$inferSelect];
      [samGrant] = (await db().select().from(grants).where(eq(grants.id, demoDirectAccess.grantId(sam)))) as [typeof grants.$inferSelect];
      // Sam's Grant is left out unless a test lets it in: Alex's pages alone are easier to reason about.
      await db().update(grants).set({ status: "revoked" }).where(eq(grants.id, samGrant.id));
      samGrant = { ...samGrant, status: "revoked" };
    });
    afterEach(restoreGrants);
    afterAll(async () => {
      await fresh?.close();
      await db().update(grants).set({ status: "active" }).where(eq(grants.id, demoDirectAccess.grantId(sam)));
    });

    /** A page of Alex's usage held by `server`: asked twice, the same bytes both times. */
    async function held(server: CdsServer, token: string, url = `${usage}?page_size=5`) {
      const one = await raw(server, url, token);
      expect(one.status).toBe(200);
      expect(await raw(server, url, token)).toEqual(one);
      return one;
    }

    it("serves a page from memory: a change made with announcements switched off stays unseen until an announced one", async () => {
      const token = await tokenFor(first, "cds_query_usage_1");
      const page = await held(first, token);
      const shown = (JSON.parse(page.body) as { usage_segments: { cds_usagesegment_id: string }[] }).usage_segments[0]!.cds_usagesegment_id;
      const [row] = await db().select().from(customerDataObjects).where(and(eq(customerDataObjects.kind, "usage_segments"), eq(customerDataObjects.id, shown)));
      // Replication role: triggers (migration 0015's announcements) stay silent, as if the change were in transit.
      await db().transaction(async (tx) => {
        await tx.execute(sql`SET LOCAL session_replication_role = replica`);
        await tx.delete(customerDataObjects).where(and(eq(customerDataObjects.kind, "usage_segments"), eq(customerDataObjects.id, shown)));
      });
      expect(await raw(first, `${usage}?page_size=5`, token)).toEqual(page);
      expect((await raw(fresh, `${usage}?page_size=5`, token)).body).not.toContain(shown);
      // Put back by an announced write: every instance drops the page and reads again.
      await storeCustomerData(db(), [{ kind: "usage_segments", object: row!.object as never, owners: row!.owners }], utility.numbers);
      expect(await raw(first, `${usage}?page_size=5`, token)).toEqual(await raw(fresh, `${usage}?page_size=5`, token));
    });

    it("refuses the cached page at once on instance A when the Grant is closed through instance B", async () => {
      const token = await tokenFor(first, "cds_query_usage_1");
      await held(first, token);
      const admin = await adminToken(second, demoClient.clientId, secret);
      const closed = await call(second, "PATCH", `/cds-api/v1/grants/${grant.id}`, { token: admin, body: { status: "closed" } });
      expect(closed.status).toBe(200);
      const after = await raw(first, `${usage}?page_size=5`, token);
      expect(after.status).toBe(403);
      expect(after.body).not.toContain("usage_segments");
    });

    it("refuses the cached page at once when the Grant's scope is reduced through instance B, and shows the narrowed Value Types at once", async () => {
      const token = await tokenFor(first, "cds_query_usage_1 cds_query_accounts_1");
      await held(first, token);
      await held(first, token, `${accounts}?page_size=5`);
      // Narrowed by any writer: one Value Type shared.
      const narrowed = demoDirectAccessDetails.map((d) => (d.type === "cds_query_usage_1" ? { ...d, include_usage_segment_value_types: [typeNames[0]!] } : d));
      await db().update(grants).set({ enabledAuthorizationDetails: narrowed as never }).where(eq(grants.id, grant.id));
      const narrow = await raw(first, `${usage}?page_size=5`, token);
      expect(narrow).toEqual(await raw(fresh, `${usage}?page_size=5`, token));
      const types = (JSON.parse(narrow.body) as { usage_segments: { formats: { type: string }[] }[] }).usage_segments.flatMap((s) => s.formats.map((f) => f.type));
      expect(types.length).toBeGreaterThan(0);
      expect(new Set(types)).toEqual(new Set([typeNames[0]]));
      // The scope taken away through instance B: A refuses the listing it opened, keeps the other.
      const admin = await adminToken(second, demoClient.clientId, secret);
      const reduced = await call(second, "PATCH", `/cds-api/v1/grants/${grant.id}`, { token: admin, body: { scope: grant.scope.split(" ").filter((s) => s !== "cds_query_usage_1").join(" ") } });
      expect(reduced.status).toBe(200);
      expect((await raw(first, `${usage}?page_size=5`, token)).status).toBe(403);
      expect((await raw(first, `${accounts}?page_size=5`, token)).status).toBe(200);
    });

    it("refuses the cached page at once on instance A when the token is revoked through instance B (RFC 7009)", async () => {
      const token = await tokenFor(first, "cds_query_usage_1");
      await held(first, token);
      const revoked = await fetch(`${second.url}/oauth/token/revoke`, {
        method: "POST",
        headers: { authorization: basic(demoDirectAccess.clientId, secret), "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token }),
      });
      expect(revoked.status).toBe(200);
      expect((await raw(first, `${usage}?page_size=5`, token)).status).toBe(401);
    });

    it("refuses the cached page once the Grant's not_after has passed, though no row changed since", async () => {
      const token = await tokenFor(first, "cds_query_usage_1");
      const ending = new Date(Date.now() + 1500);
      await db().update(grants).set({ notAfter: ending }).where(eq(grants.id, grant.id));
      await held(first, token);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, ending.getTime() - Date.now() + 50)));
      expect((await raw(first, `${usage}?page_size=5`, token)).status).toBe(403);
    });

    it("shows the customer's data changed by any writer at the next request, and another customer's Grant let in", async () => {
      const token = await tokenFor(first, "cds_query_accounts_1");
      const before = await held(first, token, `${accounts}?page_size=100`);
      const template = utility.objects.find((o) => o.kind === "accounts" && o.owners.includes(alex))!.object as unknown as Record<string, unknown>;
      const added = { ...template, cds_account_id: `acct-cache-${Date.now()}` };
      await storeCustomerData(db(), [{ kind: "accounts", object: added as never, owners: [alex] }], utility.numbers);
      const after = await raw(first, `${accounts}?page_size=100`, token);
      expect(after.body).toContain(added.cds_account_id);
      expect(after).toEqual(await raw(fresh, `${accounts}?page_size=100`, token));
      await db().delete(customerDataObjects).where(and(eq(customerDataObjects.kind, "accounts"), eq(customerDataObjects.id, added.cds_account_id)));
      expect(await raw(first, `${accounts}?page_size=100`, token)).toEqual(before);
      // A second Grant of the Client (Sam's) made active by any writer: its customer shows at once.
      await db().update(grants).set({ status: "active" }).where(eq(grants.id, samGrant.id));
      const both = await raw(first, `${accounts}?page_size=100`, token);
      expect(both).toEqual(await raw(fresh, `${accounts}?page_size=100`, token));
      expect(both.body.length).toBeGreaterThan(before.body.length);
    });

    it("answers byte for byte what an uncached server answers, for generated Grant shapes and queries", async () => {
      const token = await tokenFor(first, "cds_query_usage_1 cds_query_accounts_1");
      await fc.assert(
        fc.asyncProperty(
          fc.record(
            {
              valueTypes: fc.oneof(fc.constant(undefined), fc.constant(null), fc.subarray(typeNames, { minLength: 1 })),
              meterNumbers: fc.option(fc.subarray(alexMeters.map((m) => m.meter_number!), { minLength: 1 }), { nil: undefined }),
              accountNumbers: fc.option(fc.subarray(utility.customers[0]!.accounts.map((a) => a.account_number!), { minLength: 1 }), { nil: undefined }),
              showNumbers: fc.boolean(),
              samActive: fc.boolean(),
              meters: fc.option(fc.subarray(alexMeters.map((m) => m.cds_meterdevice_id), { minLength: 1 }), { nil: undefined }),
              after: fc.option(fc.constantFrom(...dayStarts), { nil: undefined }),
              before: fc.option(fc.constantFrom(...dayStarts), { nil: undefined }),
              pageSize: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
              listing: fc.constantFrom(usage, accounts),
            },
            { requiredKeys: ["listing", "showNumbers", "samActive"] },
          ),
          async (c) => {
            const details = demoDirectAccessDetails.map((d) =>
              d.type === "cds_query_usage_1"
                ? { ...d, ...(c.valueTypes === undefined ? {} : { include_usage_segment_value_types: c.valueTypes }), ...(c.meterNumbers ? { meter_numbers: c.meterNumbers } : {}) }
                : d.type === "cds_query_accounts_1"
                  ? { ...d, include_account_numbers: c.showNumbers, ...(c.accountNumbers ? { account_numbers: c.accountNumbers } : {}) }
                  : d,
            );
            await db().update(grants).set({ enabledAuthorizationDetails: details as never }).where(eq(grants.id, grant.id));
            await db().update(grants).set({ status: c.samActive ? "active" : "revoked" }).where(eq(grants.id, samGrant.id));
            const query = new URLSearchParams();
            if (c.pageSize !== undefined) query.set("page_size", String(c.pageSize));
            if (c.listing === usage) {
              if (c.meters) query.set("cds_meterdevice_ids", c.meters.join(" "));
              if (c.after) query.set("after", c.after);
              if (c.before) query.set("before", c.before);
            }
            let url: string | null = `${c.listing}?${query}`;
            // The first pages, followed by `next`: asked twice of the caching instance (built, then kept), once of the other.
            for (let page = 0; url && page < 3; page++) {
              const built = await raw(first, url, token);
              const kept = await raw(first, url, token);
              const uncached = await raw(fresh, url, token);
              expect(built.status).toBe(200);
              expect(kept).toEqual(built);
              expect(kept).toEqual(uncached);
              const next = (JSON.parse(kept.body) as { next: string | null }).next;
              url = next ? new URL(next).pathname + new URL(next).search : null;
            }
          },
        ),
        { numRuns: 20 },
      );
    });
  },
  { scenario: true },
);
