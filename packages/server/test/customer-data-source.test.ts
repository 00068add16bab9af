/**
 * The reference CustomerDataSource over generated demo data: every stored
 * object is valid, every demo login customer has a whole resource graph, and
 * every filter combination, walked page by page in both directions, returns
 * exactly what a brute-force reading of the listing rules expects.
 */
import fc from "fast-check";
import { validate } from "@cds-toolkit/validators";
import { beforeAll, expect, it } from "vitest";
import { customerDataKinds, type CustomerDataKind, type ListRequest } from "../src/customer-data/data-source.ts";
import { DatabaseCustomerDataSource, storeCustomerData } from "../src/customer-data/database-source.ts";
import { listingFacts, matches, type ListingFacts } from "../src/customer-data/listing-rules.ts";
import { demoCustomers } from "../src/demo/customers.ts";
import { generateDemoUtility } from "../src/demo/customer-data/generator.ts";
import { describeEachDatabase } from "./helpers/databases.ts";

// Two days of interval usage: enough of every shape, and the brute-force walks stay quick.
const utility = generateDemoUtility({ customers: 14, months: 2, intervalSeconds: 900, seed: 7, until: "2025-03-01T06:00:00.000Z", intervalDays: 2 });

const modelOf: Record<CustomerDataKind, Parameters<typeof validate>[0]> = {
  accounts: "Account",
  service_contracts: "ServiceContract",
  service_points: "ServicePoint",
  meter_devices: "MeterDevice",
  bill_statements: "BillStatement",
  bill_sections: "BillSection",
  aggregations: "Aggregation",
  usage_segments: "UsageSegment",
  energy_attribute_certificates: "EnergyAttributeCertificate",
};

type Stored = { facts: ListingFacts<CustomerDataKind>; owners: string[] };
const stored = new Map<CustomerDataKind, Stored[]>(customerDataKinds.map((k) => [k, []]));
for (const o of utility.objects) {
  const facts = (listingFacts[o.kind] as (x: unknown, n: typeof utility.numbers) => ListingFacts<CustomerDataKind>)(o.object, utility.numbers);
  stored.get(o.kind)!.push({ facts, owners: o.owners });
}

it("is deterministic: the same size and seed give the same utility", () => {
  expect(JSON.stringify(generateDemoUtility(utility.size).objects)).toBe(JSON.stringify(utility.objects));
  expect(JSON.stringify(generateDemoUtility({ ...utility.size, seed: 8 }).objects)).not.toBe(JSON.stringify(utility.objects));
});

it("searches an Aggregation's regions by id and by name, ignoring case (§10.7.8, spec/ERRATA.md E-WG3-01-113)", () => {
  const aggregation = utility.objects.find((o) => o.kind === "aggregations")!.object as unknown as Record<string, unknown>;
  const withRegion = { ...aggregation, grouped_regions: [{ id: "region-7", name: "Lakeside Heights", types: ["geographic"] }] };
  const facts = (listingFacts.aggregations as (x: unknown, n: typeof utility.numbers) => ListingFacts<CustomerDataKind>)(withRegion, utility.numbers);
  const q = (term: string) => matches(facts, { search: { term, fields: ["region_id"] } });
  expect([q("REGION-7"), q("side hei"), q("nowhere")]).toEqual([true, true, false]);
});

it("generates only objects the strict validators accept", () => {
  for (const o of utility.objects) {
    const result = validate(modelOf[o.kind], o.object);
    expect(result.ok ? [] : result.errors, `${o.kind} ${JSON.stringify(o.object).slice(0, 120)}`).toEqual([]);
  }
});

describeEachDatabase("CustomerDataSource (database)", (under) => {
  let source: DatabaseCustomerDataSource;
  beforeAll(async () => {
    await storeCustomerData(under.database.db, utility.objects, utility.numbers, 97);
    source = new DatabaseCustomerDataSource(under.database.db);
  });

  it("gives every demo login customer a connected resource graph of their own", async () => {
    for (const { accountId } of demoCustomers) {
      const graph = await source.resourceGraph(accountId);
      expect(graph.accounts.length).toBeGreaterThan(0);
      expect(graph.serviceContracts.length).toBeGreaterThan(0);
      expect(graph.servicePoints.length).toBeGreaterThan(0);
      expect(graph.meterDevices.length).toBeGreaterThan(0);
      const accounts = new Set(graph.accounts.map((a) => a.cds_account_id));
      const contracts = new Set(graph.serviceContracts.map((c) => c.cds_servicecontract_id));
      const points = new Set(graph.servicePoints.map((p) => p.cds_servicepoint_id));
      for (const c of graph.serviceContracts) expect(accounts).toContain(c.cds_account_id);
      for (const p of graph.servicePoints) for (const id of [...p.current_servicecontracts, ...p.previous_servicecontracts]) expect(contracts).toContain(id);
      for (const m of graph.meterDevices) for (const id of [...m.current_servicepoints, ...m.previous_servicepoints]) expect(points).toContain(id);
      const own = new Map(utility.objects.filter((o) => o.kind === "accounts" && o.owners.includes(accountId)).map((o) => [(o.object as { cds_account_id: string }).cds_account_id, o.object]));
      expect(graph.accounts.map((a) => a.cds_account_id).sort()).toEqual([...own.keys()].sort());
      for (const a of graph.accounts) expect(a).toEqual(own.get(a.cds_account_id));
    }
    const nobody = await source.resourceGraph("no-such-customer");
    expect([nobody.accounts, nobody.serviceContracts, nobody.servicePoints, nobody.meterDevices].flat()).toEqual([]);
  });

  /** Every page forwards, then every page back from the end: both must be the brute-force subset, in order, without repeats. */
  async function walk<K extends CustomerDataKind>(kind: K, request: Omit<ListRequest<K>, "cursor">) {
    const forward: string[] = [];
    let page = await source.list(kind, request);
    expect(page.hasPrevious).toBe(false);
    forward.push(...page.items.map((i) => i.position.id));
    while (page.hasNext) {
      page = await source.list(kind, { ...request, cursor: { ...page.items.at(-1)!.position, direction: "next" } });
      forward.push(...page.items.map((i) => i.position.id));
    }
    const backward: string[] = [...page.items.map((i) => i.position.id)];
    while (page.hasPrevious) {
      page = await source.list(kind, { ...request, cursor: { ...page.items[0]!.position, direction: "previous" } });
      backward.unshift(...page.items.map((i) => i.position.id));
    }
    return { forward, backward };
  }

  const listable: CustomerDataKind[] = customerDataKinds.filter((k) => stored.get(k)!.length > 0);

  it("returns exactly the matching subset, in the section's total order, for any filters, owners, search and page size", async () => {
    const requestFor = (kind: CustomerDataKind) => {
      const rows = stored.get(kind)!;
      const filterNames = [...new Set(rows.flatMap((r) => Object.keys(r.facts.filters)))];
      const valuesOf = (name: string) => [...new Set(rows.flatMap((r) => (r.facts.filters as Record<string, string[]>)[name] ?? [])), "no-such-value"];
      const searchFields = [...new Set(rows.flatMap((r) => Object.keys(r.facts.search)))];
      const owners = [...new Set(rows.flatMap((r) => r.owners))];
      return fc.record(
        {
          filters: fc.dictionary(fc.constantFrom(...filterNames), fc.constant(null)).chain((picked) =>
            fc.record(Object.fromEntries(Object.keys(picked).map((name) => [name, fc.subarray(valuesOf(name), { minLength: 1, maxLength: Math.min(4, valuesOf(name).length) })]))),
          ),
          owners: fc.subarray(owners, { minLength: 1, maxLength: Math.min(3, owners.length) }),
          search: searchFields.length ? fc.record({ term: fc.constantFrom("demo", "DEMO", "00", "-", "sa-", "x%", "_"), fields: fc.subarray(searchFields, { minLength: 1 }) }) : fc.constant(undefined),
          limit: fc.integer({ min: 1, max: 7 }),
        },
        { requiredKeys: ["limit"] },
      );
    };
    for (const kind of listable) {
      await fc.assert(
        fc.asyncProperty(requestFor(kind), async (request) => {
          const expected = stored
            .get(kind)!
            .filter((r) => (!request.owners || r.owners.some((o) => request.owners!.includes(o))) && matches(r.facts, request))
            .sort((a, b) => (a.facts.orderKey < b.facts.orderKey ? -1 : a.facts.orderKey > b.facts.orderKey ? 1 : a.facts.id < b.facts.id ? -1 : 1))
            .map((r) => r.facts.id);
          const { forward, backward } = await walk(kind, request as ListRequest<typeof kind>);
          expect(forward).toEqual(expected);
          expect(backward).toEqual(expected);
        }),
        { numRuns: 25, seed: 12 },
      );
    }
  });

  it("leaves out exactly the objects created after a Grant's sync_until (createdUntil, §7.3.1), by the indexed created_at", async () => {
    for (const kind of listable) {
      const created = utility.objects.filter((o) => o.kind === kind).map((o) => ({ id: Object.values(o.object as object)[0] as string, at: Date.parse((o.object as { cds_created: string }).cds_created) }));
      const instants = [...new Set(created.map((c) => c.at))];
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...instants), fc.constantFrom(-1, 0, 1), async (at, shift) => {
          const bound = new Date(at + shift).toISOString();
          const { forward } = await walk(kind, { limit: 100, createdUntil: bound } as ListRequest<typeof kind>);
          expect(forward.sort()).toEqual(created.filter((c) => c.at <= at + shift).map((c) => c.id).sort());
        }),
        { numRuns: 6, seed: 21 },
      );
    }
  });

  it("keeps a walk free of gaps and duplicates while objects are added", async () => {
    const request = { limit: 3 } as const;
    const before = (await walk("accounts", request)).forward;
    const first = await source.list("accounts", request);
    const extra = generateDemoUtility({ ...utility.size, customers: 16 }).objects.filter((o) => o.kind === "accounts" && o.owners[0]!.endsWith("1015"));
    await storeCustomerData(under.database.db, extra, utility.numbers);
    const seen = first.items.map((i) => i.position.id);
    let page = first;
    while (page.hasNext) {
      page = await source.list("accounts", { ...request, cursor: { ...page.items.at(-1)!.position, direction: "next" } });
      seen.push(...page.items.map((i) => i.position.id));
    }
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of before) expect(seen).toContain(id);
  });
}, { scenario: true });
