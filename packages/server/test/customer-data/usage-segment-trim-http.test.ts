/**
 * A Grant's `segment_start`/`segment_end` over HTTP (CDS-WG3-01 §7.3.6,
 * §7.3.7; src/customer-data/segment-trim.ts). A segment straddling the
 * window is never served whole: for generated windows on Alex's Direct
 * Access Grant and for a customer's consent through the code flow, every
 * page followed by `next` (and back by `previous`) holds no Value Set whose
 * interval (§10.8.3) leaves the window, every Value Set inside it exactly
 * once, and strictly valid pages; the stored-JSON path answers byte for
 * byte what the object path answers; a trimmed segment is found by its id.
 */
import fc from "fast-check";
import * as oauth from "openid-client";
import type { UsageSegment } from "@cds-toolkit/types";
import { validate } from "@cds-toolkit/validators";
import { and, eq, ne } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parseConfig } from "../../src/config/index.ts";
import type { CustomerDataKind, CustomerDataSource, ListRequest } from "../../src/customer-data/data-source.ts";
import { DatabaseCustomerDataSource } from "../../src/customer-data/database-source.ts";
import { storedIdOf } from "../../src/customer-data/segment-trim.ts";
import { grants } from "../../src/db/schema.ts";
import { demoCustomers } from "../../src/demo/customers.ts";
import { demoDirectAccess, demoDirectAccessDetails } from "../../src/demo/demo-direct-access.ts";
import { defaultDemoSize, generateDemoUtility } from "../../src/demo/customer-data/generator.ts";
import { seedDemoData } from "../../src/demo/seed.ts";
import { createServer, type CdsServer } from "../../src/server.ts";
import { alexElectric, discoverApp, openLogin, pushAuthorization, signIn } from "../helpers/authorization-code.ts";
import { Browser } from "../helpers/browser.ts";
import { adminToken } from "../helpers/cds-client.ts";
import { describeEachDatabase } from "../helpers/databases.ts";
import { LogCapture, useListeningServer } from "../helpers/servers.ts";

const secret = "segment-trim-secret-0123456789abcdefghij";
const alex = demoCustomers[0]!.accountId;
const utility = generateDemoUtility(defaultDemoSize);
const stored = new Map(utility.objects.filter((o) => o.kind === "usage_segments").map((o) => [(o.object as UsageSegment).cds_usagesegment_id, o.object as UsageSegment]));
const LISTING = "/cds-customerdata-api/v1/usage-segments";

interface Window {
  start?: number;
  end?: number;
}
const rowInterval = (s: { segment_start: string; interval: number }, n: number) => ({ from: Date.parse(s.segment_start) + n * s.interval * 1000, to: Date.parse(s.segment_start) + (n + 1) * s.interval * 1000 });
const inWindow = (w: Window, from: number, to: number) => from >= (w.start ?? -Infinity) && to <= (w.end ?? Infinity);
/** A Value Set of a stored segment: the segment and the start of its interval. */
const cell = (id: string, from: number) => `${id}@${new Date(from).toISOString()}`;

/** The Value Sets of `ids` (stored segments) the window lets a Client see, worked out by brute force. */
function expectedCells(ids: Iterable<string>, w: Window): string[] {
  const out: string[] = [];
  for (const id of ids) {
    const s = stored.get(id)!;
    const whole = inWindow(w, Date.parse(s.segment_start), Date.parse(s.segment_end));
    s.values.forEach((_, n) => {
      const { from, to } = rowInterval(s, n);
      if (whole || inWindow(w, from, to)) out.push(cell(id, from));
    });
  }
  return out.sort();
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

type Listing = { usage_segments: UsageSegment[]; next: string | null; previous: string | null };

describeEachDatabase(
  "Usage Segments trimmed to the Grant's segment_start/segment_end",
  (under) => {
    let server: CdsServer;
    useListeningServer(under, (s) => (server = s));
    let plain: CdsServer;
    let direct: string;
    let config: oauth.Configuration;

    beforeAll(async () => {
      await seedDemoData(under.database.db, secret);
      plain = await createServer({
        config: parseConfig({ port: "0", logLevel: "warn", rateLimitPerMinute: "100000", issuerUrl: "https://utility.example" }),
        database: under.database,
        logStream: new LogCapture(),
        customerData: objectsOnly(new DatabaseCustomerDataSource(under.database.db)),
      });
      direct = await adminToken(server, demoDirectAccess.clientId, secret, "cds_query_usage_1");
      config = await discoverApp(server.url, secret);
    });
    afterAll(async () => {
      await plain?.close();
    });

    const relative = (link: string) => link.replace(/^https?:\/\/[^/]+/, "");
    const raw = async (s: CdsServer, url: string, token: string) => {
      const res = await s.app.inject({ method: "GET", url: relative(url), headers: { authorization: `Bearer ${token}` } });
      expect(res.statusCode, res.body).toBe(200);
      return res.body;
    };

    /** Every page forward, then back from the last one by `previous`; checks each page as it goes. */
    async function walk(token: string, query: string, w: Window, compareWith?: CdsServer) {
      const forward: UsageSegment[] = [];
      let url: string | null = `${LISTING}?${query}`;
      let last = "";
      for (let i = 0; url && i < 200; i++) {
        const text = await raw(server, url, token);
        // The stored-JSON path and the object path: the same bytes (but for the servers' own origins in the links).
        const local = (t: string) => t.replace(/"https?:\/\/[^/"]+\//g, '"/');
        if (compareWith) expect(local(await raw(compareWith, url, token))).toBe(local(text));
        const page = JSON.parse(text) as Listing;
        expect(validate("UsageSegmentListing", page, "strict").ok).toBe(true);
        for (const s of page.usage_segments) {
          // §7.3.6/§7.3.7 first bullets, and no Value Set of an interval outside the window.
          expect(inWindow(w, Date.parse(s.segment_start), Date.parse(s.segment_end)), `${s.cds_usagesegment_id} ${s.segment_start}–${s.segment_end}`).toBe(true);
          s.values.forEach((_, n) => expect(inWindow(w, rowInterval(s, n).from, rowInterval(s, n).to), `${s.cds_usagesegment_id} row ${n}`).toBe(true));
        }
        forward.push(...page.usage_segments);
        last = url;
        url = page.next;
      }
      const back: string[] = [];
      let prev: string | null = last;
      for (let i = 0; prev && i < 200; i++) {
        const page = JSON.parse(await raw(server, prev, token)) as Listing;
        back.unshift(...page.usage_segments.map((s) => s.cds_usagesegment_id));
        prev = page.previous;
      }
      // The last page is read twice (forward and as the start of the walk back): count it once.
      const lastPage = (JSON.parse(await raw(server, last, token)) as Listing).usage_segments.map((s) => s.cds_usagesegment_id);
      expect([...back.slice(0, back.length - lastPage.length), ...lastPage]).toEqual(forward.map((s) => s.cds_usagesegment_id));
      return forward;
    }

    /** Each shown Value Set as (stored segment, interval start), after checking the shown segment against the stored one. */
    function shownCells(shown: UsageSegment[]): string[] {
      const out: string[] = [];
      for (const s of shown) {
        const id = storedIdOf(s.cds_usagesegment_id) ?? s.cds_usagesegment_id;
        const original = stored.get(id)!;
        expect(original, s.cds_usagesegment_id).toBeDefined();
        const trimmed = id !== s.cds_usagesegment_id;
        if (!trimmed) expect([s.segment_start, s.segment_end, s.values.length]).toEqual([original.segment_start, original.segment_end, original.values.length]);
        const offset = Math.round((Date.parse(s.segment_start) - Date.parse(original.segment_start)) / (original.interval * 1000));
        s.values.forEach((row, n) => {
          // The Value Set is the stored one of that interval, in the columns of the Value Formats the Grant shows.
          const columns = s.formats.map((f) => original.formats.findIndex((g) => g.id === f.id));
          expect(row).toEqual(columns.map((k) => original.values[offset + n]![k]));
          out.push(cell(id, rowInterval(s, n).from));
        });
      }
      return out.sort();
    }

    const day = 86_400_000;
    const first = Date.parse("2024-02-01T06:00:00Z");
    const until = Date.parse(defaultDemoSize.until);

    it("Direct Access: generated windows show every Value Set inside once, none outside, the same bytes on both paths", async () => {
      const grantId = demoDirectAccess.grantId(alex);
      const [grant] = await under.database.db.select().from(grants).where(eq(grants.id, grantId));
      // Alex's Grant alone: the other customers' Direct Access Grants of this Client have no window.
      await under.database.db.update(grants).set({ status: "revoked" }).where(and(eq(grants.clientId, demoDirectAccess.clientId), ne(grants.id, grantId)));
      // What the Grant shows with no window: the stored segments the windows are checked against.
      const everything = await walk(direct, "page_size=100", {});
      const visible = new Set(everything.map((s) => s.cds_usagesegment_id));
      expect(visible.size).toBeGreaterThan(10);
      let trimmedSeen = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            // Anywhere in the data, to the second; the end a few minutes to two months after the start.
            // The last weeks hold the 15-minute and hourly days; before them, monthly segments of one Value Set.
            start: fc.option(fc.oneof(fc.integer({ min: first / 1000, max: until / 1000 }), fc.integer({ min: (until - 40 * day) / 1000, max: until / 1000 })).map((s) => s * 1000), { nil: undefined }),
            width: fc.integer({ min: 60, max: 60 * day / 1000 }).map((s) => s * 1000),
            endOnly: fc.integer({ min: until - 40 * day, max: until }),
            pageSize: fc.integer({ min: 1, max: 30 }),
          }),
          async ({ start, width, endOnly, pageSize }) => {
            const w: Window = start === undefined ? { end: endOnly } : { start, end: start + width };
            const detail = { ...(w.start === undefined ? {} : { segment_start: new Date(w.start).toISOString() }), segment_end: new Date(w.end!).toISOString() };
            const details = demoDirectAccessDetails.map((d) => (d.type === "cds_query_usage_1" ? { ...d, ...detail } : d));
            await under.database.db.update(grants).set({ enabledAuthorizationDetails: details as never }).where(eq(grants.id, grantId));
            const shown = await walk(direct, `page_size=${pageSize}`, w, plain);
            trimmedSeen += shown.filter((s) => !visible.has(s.cds_usagesegment_id)).length;
            const cells = shownCells(shown);
            expect(new Set(cells).size, "a Value Set shown twice").toBe(cells.length);
            expect(cells).toEqual(expectedCells(visible, w));
            // The same Grant, the same ids: a trimmed segment's id is stable across requests.
            expect((await walk(direct, `page_size=${pageSize}`, w)).map((s) => s.cds_usagesegment_id)).toEqual(shown.map((s) => s.cds_usagesegment_id));
          },
        ),
        // One window that surely cuts 15-minute days on both sides.
        { numRuns: 12, examples: [[{ start: Date.parse("2025-02-20T10:07:13Z"), width: 3 * day + 2 * 3_600_000, endOnly: until, pageSize: 5 }]] },
      );
      // The windows cut through segments, not only between them.
      expect(trimmedSeen).toBeGreaterThan(0);
      await under.database.db.update(grants).set({ enabledAuthorizationDetails: grant!.enabledAuthorizationDetails }).where(eq(grants.id, grantId));
    });

    it("Customer consent with segment_start/segment_end: trimmed segments only, found by their own id", async () => {
      const w = { start: Date.parse("2025-02-10T13:07:30Z"), end: Date.parse("2025-02-20T08:52:10Z") };
      const details = [{ type: "cds_usage_1", segment_start: new Date(w.start).toISOString(), segment_end: new Date(w.end).toISOString() }];
      const { url, verifier, state } = await pushAuthorization(config, { scope: "cds_usage_1", authorization_details: JSON.stringify(details) });
      const browser = new Browser(server.url);
      const consent = await signIn(browser, await openLogin(browser, url));
      const { location } = await browser.follow(await browser.submit(consent, "/confirm", alexElectric));
      const token = (await oauth.authorizationCodeGrant(config, new URL(location!), { pkceCodeVerifier: verifier, expectedState: state })).access_token;

      const shown = await walk(token, "page_size=7", w, plain);
      // §6.1.9: the segments naming the ticked Service Contract; §7.3.6/§7.3.7: cut to the window.
      const selected = [...stored.values()].filter((s) => s.related_servicecontracts.includes(alexElectric["s0.selected"])).map((s) => s.cds_usagesegment_id);
      const cells = shownCells(shown);
      expect(new Set(cells).size).toBe(cells.length);
      expect(cells).toEqual(expectedCells(selected, w));
      const trimmed = shown.filter((s) => storedIdOf(s.cds_usagesegment_id) !== undefined);
      expect(trimmed.length).toBeGreaterThan(0);

      // A trimmed segment is listed by its own id; the stored id it was cut from names nothing this Grant shows.
      const one = trimmed[0]!;
      const byId = JSON.parse(await raw(server, `${LISTING}?cds_usagesegment_ids=${encodeURIComponent(one.cds_usagesegment_id)}`, token)) as Listing;
      expect(byId.usage_segments).toEqual([one]);
      const byStored = JSON.parse(await raw(server, `${LISTING}?cds_usagesegment_ids=${encodeURIComponent(storedIdOf(one.cds_usagesegment_id)!)}`, token)) as Listing;
      expect(byStored.usage_segments).toEqual([]);
    });
  },
  { scenario: true },
);
