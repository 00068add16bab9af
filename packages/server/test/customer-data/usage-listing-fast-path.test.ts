/**
 * The Usage Segments listing copies stored, pre-checked JSON
 * (src/customer-data/segment-json.ts) instead of building and validating
 * objects. Over HTTP, for generated Direct Access Grants (shared Value
 * Types, meter preselections) and requests (meters, bounds, page sizes,
 * pages followed by `next`), it must answer what the object path answers:
 * a second server on the same database whose data source hands the route
 * plain objects only.
 */
import fc from "fast-check";
import { validate } from "@cds-toolkit/validators";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parseConfig } from "../../src/config/index.ts";
import type { CustomerDataKind, CustomerDataSource, ListRequest } from "../../src/customer-data/data-source.ts";
import { DatabaseCustomerDataSource } from "../../src/customer-data/database-source.ts";
import { grants } from "../../src/db/schema.ts";
import { demoCustomers } from "../../src/demo/customers.ts";
import { demoDirectAccess, demoDirectAccessDetails } from "../../src/demo/demo-direct-access.ts";
import { defaultDemoSize, generateDemoUtility } from "../../src/demo/customer-data/generator.ts";
import { seedDemoData } from "../../src/demo/seed.ts";
import { createServer, type CdsServer } from "../../src/server.ts";
import { describeEachDatabase } from "../helpers/databases.ts";
import { LogCapture } from "../helpers/servers.ts";

const secret = "fast-path-secret-0123456789abcdefghijklmnop";
const alex = demoCustomers[0]!.accountId;
const utility = generateDemoUtility(defaultDemoSize);
const alexMeters = utility.customers[0]!.meterDevices;
const dayStarts = [...new Set(utility.objects.filter((o) => o.kind === "usage_segments").map((o) => (o.object as { segment_start: string }).segment_start))].sort();
const typeNames = [...new Set(utility.objects.filter((o) => o.kind === "usage_segments").flatMap((o) => (o.object as { formats: { type: string; id: string }[] }).formats.flatMap((f) => [f.type, f.id])))];

type Segment = { cds_usagesegment_id: string; formats: { id: string; indexes?: number[] }[] };
const fullSegments = new Map(utility.objects.filter((o) => o.kind === "usage_segments").map((o) => [(o.object as Segment).cds_usagesegment_id, o.object as Segment]));

/** A shown cost or supply-mix format's `indexes` point at the same formats (by id) as in the stored segment, less those not shown (E-WG3-01-460). */
function expectIndexesKept(shown: Segment): void {
  const full = fullSegments.get(shown.cds_usagesegment_id)!;
  const shownIds = new Set(shown.formats.map((f) => f.id));
  for (const format of shown.formats) {
    if (!format.indexes) continue;
    const before = full.formats.find((f) => f.id === format.id)!.indexes!;
    expect(format.indexes.map((k) => shown.formats[k]?.id)).toEqual(before.map((i) => full.formats[i]!.id).filter((id) => shownIds.has(id)));
  }
}

/** The same database source, but the route only ever sees objects (what a source without stored JSON gives). */
function objectsOnly(source: CustomerDataSource): CustomerDataSource {
  return {
    async list<K extends CustomerDataKind>(kind: K, request: ListRequest<K>) {
      const page = await source.list(kind, request);
      return { ...page, items: page.items.map((i) => ({ object: i.object, position: i.position, owner: i.owner })) };
    },
    resourceGraph: (customer) => source.resourceGraph(customer),
  };
}

describeEachDatabase(
  "Usage Segments from stored JSON",
  (under) => {
    let fast: CdsServer;
    let plain: CdsServer;
    let token: string;
    beforeAll(async () => {
      await seedDemoData(under.database.db, secret);
      const make = (customerData?: CustomerDataSource) =>
        createServer({ config: parseConfig({ port: "0", logLevel: "warn", rateLimitPerMinute: "100000", issuerUrl: "https://utility.example" }), database: under.database, logStream: new LogCapture(), ...(customerData ? { customerData } : {}) });
      fast = await make();
      plain = await make(objectsOnly(new DatabaseCustomerDataSource(under.database.db)));
      const res = await fast.app.inject({
        method: "POST",
        url: "/oauth/token",
        headers: { authorization: `Basic ${Buffer.from(`${demoDirectAccess.clientId}:${secret}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
        payload: "grant_type=client_credentials&scope=cds_query_usage_1",
      });
      token = (JSON.parse(res.body) as { access_token: string }).access_token;
    });
    afterAll(async () => {
      await fast?.close();
      await plain?.close();
    });

    type Answer = { status: number; body: { usage_segments?: unknown[]; next?: string | null } };
    const get = async (server: CdsServer, url: string): Promise<Answer> => {
      const res = await server.app.inject({ method: "GET", url, headers: { authorization: `Bearer ${token}` } });
      return { status: res.statusCode, body: JSON.parse(res.body) as { usage_segments?: unknown[]; next?: string | null } };
    };

    it("reads seeded segments as stored JSON, and their objects back whole", async () => {
      const page = await new DatabaseCustomerDataSource(under.database.db).list("usage_segments", { limit: 100 });
      expect(page.items.length).toBe(100);
      for (const item of page.items) {
        expect(item.segmentJson).toBeDefined();
        const stored = utility.objects.find((o) => o.kind === "usage_segments" && (o.object as { cds_usagesegment_id: string }).cds_usagesegment_id === item.position.id);
        // seedDemoData writes defaultDemoSize: the generated object, read back whole from its JSON.
        expect(item.object).toEqual(JSON.parse(JSON.stringify(stored!.object)));
        expect(validate("UsageSegment", item.object, "strict").ok).toBe(true);
      }
    });

    it("answers what the object path answers, for generated Grants and requests", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record(
            {
              valueTypes: fc.oneof(fc.constant(undefined), fc.constant(null), fc.subarray(typeNames, { minLength: 1 })),
              meterNumbers: fc.option(fc.subarray(alexMeters.map((m) => m.meter_number!), { minLength: 1 }), { nil: undefined }),
              meters: fc.option(fc.subarray(alexMeters.map((m) => m.cds_meterdevice_id), { minLength: 1 }), { nil: undefined }),
              after: fc.option(fc.constantFrom(...dayStarts), { nil: undefined }),
              before: fc.option(fc.constantFrom(...dayStarts), { nil: undefined }),
              pageSize: fc.integer({ min: 1, max: 100 }),
            },
            { requiredKeys: ["pageSize"] },
          ),
          async (c) => {
            const details = demoDirectAccessDetails.map((d) =>
              d.type === "cds_query_usage_1"
                ? { ...d, ...(c.valueTypes === undefined ? {} : { include_usage_segment_value_types: c.valueTypes }), ...(c.meterNumbers ? { meter_numbers: c.meterNumbers } : {}) }
                : d,
            );
            await under.database.db.update(grants).set({ enabledAuthorizationDetails: details as never }).where(eq(grants.id, demoDirectAccess.grantId(alex)));
            const query = new URLSearchParams({ page_size: String(c.pageSize) });
            if (c.meters) query.set("cds_meterdevice_ids", c.meters.join(" "));
            if (c.after) query.set("after", c.after);
            if (c.before) query.set("before", c.before);
            let url: string | null = `/cds-customerdata-api/v1/usage-segments?${query}`;
            // The first pages, followed by `next`: cursors and the segments on each must agree.
            for (let page = 0; url && page < 3; page++) {
              const [a, b]: [Answer, Answer] = await Promise.all([get(fast, url), get(plain, url)]);
              expect(a.status).toBe(200);
              expect(a).toEqual(b);
              expect(validate("UsageSegmentListing", a.body, "strict").ok).toBe(true);
              for (const shown of (a.body.usage_segments ?? []) as Segment[]) expectIndexesKept(shown);
              url = a.body.next ? a.body.next.replace("https://utility.example", "") : null;
            }
          },
        ),
        { numRuns: 25 },
      );
    });
  },
  { scenario: true },
);
