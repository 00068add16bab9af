/**
 * The Customer Data APIs (CDS-WG3-01 §10) against the recorded examples of
 * §13, served by a small fake: the reference server does not serve customer
 * data yet. Also every rule a Client must follow with a misbehaving Server:
 * unknown fields, enumeration values and value types tolerated; 429 with
 * Retry-After retried; a malformed body or a rule broken even leniently → a
 * typed error with the pointer.
 */
import { describe, expect, it } from "vitest";
import {
  CdsApi,
  discover,
  MalformedResponseError,
  ResponseValidationError,
  segmentRows,
  usageCsv,
  usageRows,
  type AccessTokenSource,
  type Discovery,
} from "../src/index.ts";
import { useFakeServer } from "./helpers/fake-server.ts";
import { exampleResponse } from "./helpers/spec-examples.ts";

const staticToken: AccessTokenSource = { accessToken: async () => "example-token", refresh: async () => "example-token-2" };

function serverMetadata(base: string) {
  return {
    cds_metadata_version: "v1",
    cds_metadata_url: `${base}/.well-known/cds-server-metadata.json`,
    created: "2022-01-01T00:00:00Z",
    updated: "2022-01-01T00:00:00Z",
    name: "Example utility (CDS-WG3-01 §13 examples)",
    description: "Serves the recorded examples",
    website: base,
    documentation: base,
    support: base,
    capabilities: ["oauth"],
    oauth_metadata: `${base}/.well-known/oauth-authorization-server`,
  };
}

/** The §13.1.1 metadata, repaired as spec/ERRATA.md E-WG3-01-20 records (no cds_timezone, a field_name without `cds_`, no additional value types). */
async function repairedMetadata(base: string) {
  const metadata = await exampleResponse("wg3-01/13.1.1-1", base);
  const fields = metadata.cds_registration_fields as Record<string, Record<string, unknown>>;
  for (const field of Object.values(fields)) if (typeof field.field_name === "string" && !field.field_name.startsWith("cds_")) field.field_name = `cds_${field.field_name}`;
  return { ...metadata, cds_timezone: "America/Los_Angeles", cds_usagesegments_additional_value_types: {} };
}

/** The §13.3.5 segments with `related_billsections`, which the example leaves out (spec/ERRATA.md E-WG3-01-212). */
async function repairedSegments(base: string) {
  const listing = await exampleResponse("wg3-01/13.3.5-1", base);
  return (listing.usage_segments as Array<Record<string, unknown>>).map((s): Record<string, unknown> => ({ ...s, related_billsections: [] }));
}

describe("Customer Data APIs against the §13 examples", () => {
  const seen: string[] = [];
  const fake = useFakeServer((app, url) => {
    app.addHook("onRequest", async (request) => {
      seen.push(request.url);
    });
    app.get("/.well-known/cds-server-metadata.json", async () => serverMetadata(url()));
    app.get("/.well-known/oauth-authorization-server", async () => repairedMetadata(url()));
    app.get("/cds-customerdata-api/v1/accounts", async () => exampleResponse("wg3-01/13.2.2-1", url()));
    app.get("/cds-customerdata-api/v1/bill-statements", async () => exampleResponse("wg3-01/13.2.3-1", url()));
    app.get("/cds-customerdata-api/v1/service-contracts", async () => exampleResponse("wg3-01/13.3.4-1", url()));
    app.get("/cds-customerdata-api/v1/usage-segments", async (request) => {
      if ((request.query as Record<string, string>).as_recorded) return exampleResponse("wg3-01/13.3.5-1", url());
      return { usage_segments: await repairedSegments(url()), next: null, previous: null };
    });
  });
  let discovery: Discovery;

  it("discovers the example metadata as CDS-WG3-01 metadata", async () => {
    discovery = await discover(fake.url);
    expect(discovery.customerData?.cds_customerdata_version).toBe("v1");
    expect(discovery.customerData?.cds_usagesegments_api).toBe(`${fake.url}/cds-customerdata-api/v1/usage-segments`);
  });

  it("reads the §13.2.2 accounts, §13.2.3 bill statements and §13.3.4 service contracts, typed", async () => {
    const api = new CdsApi(discovery, { tokens: staticToken });
    const accounts = await api.customerData.accounts.page({ account_numbers: ["1234567-9"] });
    expect(accounts.accounts.length).toBeGreaterThan(0);
    expect(accounts.accounts[0]!.cds_account_id).toEqual(expect.any(String));
    const statements = await api.customerData.billStatements.page({ cds_account_ids: [accounts.accounts[0]!.cds_account_id] });
    expect(statements.bill_statements.length).toBeGreaterThan(0);
    const contracts = [];
    for await (const contract of api.customerData.serviceContracts.all()) contracts.push(contract);
    expect(contracts.length).toBeGreaterThan(0);
    // list filters went out space-separated, as the spec writes them
    expect(seen).toContain("/cds-customerdata-api/v1/accounts?account_numbers=1234567-9");
  });

  it("sends several ids and a Date filter as one space-separated value and an RFC 3339 time", async () => {
    const api = new CdsApi(discovery, { tokens: staticToken });
    await api.customerData.usageSegments.page({ cds_servicepoint_ids: ["c8631cab148785a4", "other"], after: new Date("2021-11-01T00:00:00Z") });
    expect(seen).toContain("/cds-customerdata-api/v1/usage-segments?cds_servicepoint_ids=c8631cab148785a4%20other&after=2021-11-01T00%3A00%3A00Z");
  });

  it("the §13.3.5 listing as recorded breaks a rule even Clients hold: a typed error with each pointer", async () => {
    const api = new CdsApi(discovery, { tokens: staticToken });
    const error = (await api.customerData.usageSegments.page({ as_recorded: "1" } as never).catch((e: unknown) => e)) as ResponseValidationError;
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error.errors.map((e) => [e.pointer, e.rule])).toEqual([
      ["/usage_segments/0/related_billsections", "required"],
      ["/usage_segments/1/related_billsections", "required"],
    ]);
    expect(error.url).toContain("/cds-customerdata-api/v1/usage-segments");
  });

  it("decodes the §13.3.5 segments into rows and a CSV", async () => {
    const api = new CdsApi(discovery, { tokens: staticToken });
    const segments = await repairedSegments(fake.url);
    const first = segmentRows(segments[0]);
    expect(first.columns.map((c) => [c.id, c.type, c.units, c.direction, c.quality])).toEqual([["electric_intervals_01", "electric_usage", "kWh", "net", "raw"]]);
    const rows = [...first.rows];
    expect(rows).toHaveLength((segments[0]!.values as unknown[]).length);
    expect(rows.map((r) => [new Date(r.start).toISOString(), new Date(r.end).toISOString(), r.values[0]])).toEqual(
      (segments[0]!.values as Array<[{ eu: number }]>).map((set, i) => [
        new Date(Date.parse("2021-12-01T00:00:00Z") + i * 900_000).toISOString(),
        new Date(Date.parse("2021-12-01T00:00:00Z") + (i + 1) * 900_000).toISOString(),
        set[0].eu,
      ]),
    );

    let csv = "";
    for await (const chunk of usageCsv(usageRows(api.customerData.usageSegments.all()))) csv += chunk;
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("interval_start,interval_end,cds_usagesegment_id,electric_intervals_01 (electric_usage kWh net),electric_intervals_01 quality");
    expect(lines[1]).toBe(`2021-12-01T00:00:00Z,2021-12-01T00:15:00Z,a8c63c4c80709810,${(segments[0]!.values as Array<[{ eu: number }]>)[0]![0].eu},raw`);
    const total = segments.reduce((n, s) => n + (s.values as unknown[]).length, 0);
    expect(lines).toHaveLength(1 + total);
  });
});

describe("a Client facing a misbehaving Server (stub)", () => {
  const hits = new Map<string, number>();
  const hit = (key: string) => hits.set(key, (hits.get(key) ?? 0) + 1).get(key)!;
  const segment = (id: string, formats: unknown[], values: unknown[][]) => ({
    cds_usagesegment_id: id,
    cds_created: "2024-01-01T00:00:00Z",
    cds_modified: "2024-01-01T00:00:00Z",
    cds_synced: "2024-01-01T00:00:00Z",
    related_aggregations: [],
    related_accounts: [],
    related_servicecontracts: [],
    related_servicepoints: [],
    related_meterdevices: [],
    related_billsections: [],
    segment_start: "2024-01-01T00:00:00Z",
    segment_end: "2024-01-01T01:00:00Z",
    interval: 900,
    formats,
    values,
  });
  const fake = useFakeServer((app, url) => {
    app.get("/.well-known/cds-server-metadata.json", async () => serverMetadata(url()));
    app.get("/.well-known/oauth-authorization-server", async () => ({ ...(await repairedMetadata(url())), a_future_field: { nested: true } }));
    app.get("/cds-customerdata-api/v1/usage-segments", async (request, reply) => {
      const q = request.query as Record<string, string>;
      if (q.cds_usagesegment_ids === "busy") {
        if (hit("busy") < 3) return reply.code(429).header("retry-after", "1").send({});
      }
      // A Server under maintenance: 503 twice, the second time without Retry-After (back-off then).
      if (q.cds_usagesegment_ids === "maintenance") {
        const n = hit("maintenance");
        if (n === 1) return reply.code(503).header("retry-after", "2").send({});
        if (n === 2) return reply.code(503).send({});
      }
      if (q.cds_usagesegment_ids === "malformed") return reply.type("application/json").send('{"usage_segments": [');
      return {
        usage_segments: [
          {
            ...segment(
              "s1",
              [
                { id: "f1", type: "electric_usage", units: "kWh", direction: "forward", quality: "a-new-quality", a_future_field: 1 },
                { id: "f2", type: "heat_usage", units: "GJ" },
                { id: "f3", type: "electric_usage", units: "kWh", direction: "reverse" },
              ],
              [
                [{ eu: 1.5 }, { hu: 3 }, { eu: 0 }],
                [null, { hu: 4 }, { eu: -0.25 }],
                [{ eu: 2 }, null, null],
                [{ eu: 2.5, a_future_field: "x" }, { hu: 5 }, { eu: 0.5 }],
              ],
            ),
            a_future_field: ["tolerated"],
          },
        ],
        next: null,
        previous: null,
        a_future_field: true,
      };
    });
  });

  it("tolerates unknown fields and enumeration values, skips the unknown value type, keeps nulls as missing readings", async () => {
    const discovery = await discover(fake.url);
    const api = new CdsApi(discovery, { tokens: staticToken });
    const decoded = [];
    for await (const segment of usageRows(api.customerData.usageSegments.all())) decoded.push(segment);
    expect(decoded).toHaveLength(1);
    const [s] = decoded;
    expect(s!.columns.map((c) => [c.id, c.quality])).toEqual([
      ["f1", "a-new-quality"],
      ["f3", null],
    ]);
    expect(s!.skipped.map((k) => [k.index, k.format.type])).toEqual([[1, "heat_usage"]]);
    expect([...s!.rows].map((r) => r.values)).toEqual([
      [1.5, 0],
      [null, -0.25],
      [2, null],
      [2.5, 0.5],
    ]);
  });

  it("retries a 429 as Retry-After asks, with jitter, within the bound", async () => {
    const discovery = await discover(fake.url);
    const waits: number[] = [];
    const api = new CdsApi(discovery, { tokens: staticToken, retry: { retries: 3, sleep: async (ms) => void waits.push(ms), random: () => 0.5 } });
    const page = await api.customerData.usageSegments.page({ cds_usagesegment_ids: ["busy"] });
    expect(page.usage_segments).toHaveLength(1);
    expect(waits).toEqual([1100, 1100]); // 1 s asked, +10% jitter at random() = 0.5
  });

  it("retries a 503 too: Retry-After when given, exponential back-off with full jitter when not", async () => {
    hits.delete("maintenance");
    const discovery = await discover(fake.url);
    const waits: number[] = [];
    const api = new CdsApi(discovery, { tokens: staticToken, retry: { retries: 3, maxDelayMs: 5000, sleep: async (ms) => void waits.push(ms), random: () => 0.5 } });
    const page = await api.customerData.usageSegments.page({ cds_usagesegment_ids: ["maintenance"] });
    expect(page.usage_segments).toHaveLength(1);
    // 2 s asked +10% jitter; then no Retry-After: random() x 500 ms x 2^attempt (attempt 1).
    expect(waits).toEqual([2200, 500]);
  });

  it("a Retry-After longer than the bound is not waited for: the 503 comes back as a typed error", async () => {
    hits.delete("maintenance");
    const discovery = await discover(fake.url);
    const waits: number[] = [];
    const api = new CdsApi(discovery, { tokens: staticToken, retry: { retries: 3, maxDelayMs: 1500, sleep: async (ms) => void waits.push(ms) } });
    const error = await api.customerData.usageSegments.page({ cds_usagesegment_ids: ["maintenance"] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "CdsApiError", status: 503 });
    expect(waits).toEqual([]);
  });

  it("gives up after the bound and hands the 429 back as a typed error", async () => {
    hits.clear();
    const discovery = await discover(fake.url);
    const api = new CdsApi(discovery, { tokens: staticToken, retry: { retries: 1, sleep: async () => {} } });
    const error = await api.customerData.usageSegments.page({ cds_usagesegment_ids: ["busy"] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "CdsApiError", status: 429 });
  });

  it("a malformed body is a MalformedResponseError naming the URL", async () => {
    const discovery = await discover(fake.url);
    const api = new CdsApi(discovery, { tokens: staticToken });
    const error = (await api.customerData.usageSegments.page({ cds_usagesegment_ids: ["malformed"] }).catch((e: unknown) => e)) as MalformedResponseError;
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error.url).toBe(`${fake.url}/cds-customerdata-api/v1/usage-segments?cds_usagesegment_ids=malformed`);
  });

  it("strict mode (for Server developers) refuses what lenient mode tolerates, naming the field and rule", async () => {
    const error = (await discover(fake.url, { mode: "strict" }).catch((e: unknown) => e)) as Error & { failure: string; details: { errors?: Array<{ pointer: string; rule: string }> } };
    expect(error.failure).toBe("invalid_oauth_metadata");
    expect(error.details.errors).toContainEqual(expect.objectContaining({ pointer: "/a_future_field", rule: "unevaluatedProperties" }));
  });

  it("an API the metadata does not advertise fails with the missing field named", async () => {
    const discovery = await discover(fake.url);
    const api = new CdsApi(discovery, { tokens: staticToken });
    await expect(api.customerData.aggregations.page()).rejects.toThrow(/advertises no cds_aggregations_api/);
  });
});
