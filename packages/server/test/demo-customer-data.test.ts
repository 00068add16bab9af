/**
 * The demo utility's bills, usage, certificates and aggregations
 * (CDS-WG3-01 §10.5–§10.9): every object passes its model's strict
 * validator, every Usage Segment decodes (decodeUsageSegment) after a JSON
 * round trip, bills add up (§10.5.1, §10.6.5.1), and the generator is a pure
 * function of size and seed — over the default size and, with fast-check,
 * over small random ones.
 */
import fc from "fast-check";
import type { Aggregation, BillSection, BillStatement, EnergyAttributeCertificate, MeterDevice, UsageSegment } from "@cds-toolkit/types";
import { columnsOfType, decodeUsageSegment, validate } from "@cds-toolkit/validators";
import { expect, it } from "vitest";
import type { CustomerDataKind } from "../src/customer-data/data-source.ts";
import { DEMO_EAC_FORMAT, customerDataMetadataFields } from "../src/customer-data/metadata-fields.ts";
import { ratePlanAggregations } from "../src/demo/customer-data/aggregations.ts";
import { billingMonths } from "../src/demo/customer-data/calendar.ts";
import { POOLED_EAC_MEMBERS, pooledEacs } from "../src/demo/customer-data/eacs.ts";
import { defaultDemoSize, demoYearSize, generateDemoUtility, walkthroughMeterId, type DemoUtility, type DemoUtilitySize } from "../src/demo/customer-data/generator.ts";

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

const utility = generateDemoUtility(defaultDemoSize);
const of = <T>(u: DemoUtility, kind: CustomerDataKind) => u.objects.filter((o) => o.kind === kind).map((o) => o.object as unknown as T);
const cents = (x: number | string) => Math.round(Number(x) * 100);

/** Every check of this file over one utility; returns the problems found, so a fast-check failure shows them. */
function problems(u: DemoUtility): string[] {
  const found: string[] = [];
  for (const o of u.objects) {
    const result = validate(modelOf[o.kind], o.object, "strict");
    if (!result.ok) found.push(`${o.kind}: ${result.errors.map((e) => e.message).join("; ")}`);
  }
  for (const segment of of<UsageSegment>(u, "usage_segments")) {
    const decoded = decodeUsageSegment(JSON.parse(JSON.stringify(segment)), "strict");
    if (!decoded.ok) found.push(`${segment.cds_usagesegment_id}: ${decoded.errors.map((e) => e.message).join("; ")}`);
    else if (JSON.stringify(decoded.value.segment) !== JSON.stringify(segment)) found.push(`${segment.cds_usagesegment_id}: changed by the round trip`);
    if (Date.parse(segment.segment_end) - Date.parse(segment.segment_start) !== segment.values.length * segment.interval * 1000) found.push(`${segment.cds_usagesegment_id}: values do not fill the segment`);
  }
  const sections = new Map(of<BillSection>(u, "bill_sections").map((s) => [s.cds_billsection_id, s]));
  for (const section of sections.values()) {
    const items = section.line_items ?? [];
    const total = section.cost_details.find((d) => d.types.includes("overall_total"));
    if (!total || cents(total.cost) !== items.reduce((a, i) => a + cents(i.cost), 0)) found.push(`${section.cds_billsection_id}: overall_total is not the sum of its line items`);
    for (const detail of section.cost_details) {
      const sum = items.filter((i) => i.related_cost_details.includes(detail.id)).reduce((a, i) => a + cents(i.cost), 0);
      if (sum !== cents(detail.cost)) found.push(`${section.cds_billsection_id}: ${detail.id} is not the sum of the line items naming it`);
    }
    const usageIds = new Set(section.usage_details.map((d) => d.id));
    for (const item of items) {
      if (item.value !== null && item.rate !== null && Math.abs(cents(item.cost) - Math.round(item.value * item.rate * 100)) > 1) found.push(`${item.id}: cost is not value × rate`);
      if (item.related_usage_details.some((id) => !usageIds.has(id))) found.push(`${item.id}: names a usage detail its section lacks`);
    }
  }
  for (const statement of of<BillStatement>(u, "bill_statements")) {
    const charges = statement.new_charges ?? [];
    const included = charges.filter((c) => c.included_in_amount_due).reduce((a, c) => a + cents(c.amount), 0);
    if (cents(statement.previous_balance_unpaid!) + included !== cents(statement.amount_due)) found.push(`${statement.cds_billstatement_id}: amount_due is not the unpaid balance plus the included charges`);
    if (charges.reduce((a, c) => a + cents(c.amount), 0) !== cents(statement.new_charges_amount!)) found.push(`${statement.cds_billstatement_id}: new_charges_amount is not the sum of the charges`);
    if (cents(statement.previous_balance_amount!) - cents(statement.previous_balance_paid!) !== cents(statement.previous_balance_unpaid!)) found.push(`${statement.cds_billstatement_id}: previous balance does not split into paid and unpaid`);
    for (const charge of charges) {
      for (const id of charge.related_billsections ?? []) {
        const section = sections.get(id);
        if (!section || section.cds_billstatement_id !== statement.cds_billstatement_id) found.push(`${charge.id}: names a section of another statement`);
        else if (cents(section.cost_details.find((d) => d.types.includes("overall_total"))!.cost) !== cents(charge.amount)) found.push(`${charge.id}: differs from its section's total`);
      }
    }
  }
  const formats = new Set(Object.keys(customerDataMetadataFields({ issuer: "https://x.example", customerData: {} } as never).cds_eac_formats));
  for (const eac of of<EnergyAttributeCertificate>(u, "energy_attribute_certificates")) {
    if (!formats.has(eac.eac_format)) found.push(`${eac.cds_eac_id}: eac_format not in the metadata`);
    if (Date.parse(eac.cds_modified) < Date.parse(eac.cds_created) || Date.parse(eac.cds_modified) > Date.parse(u.size.until)) found.push(`${eac.cds_eac_id}: timestamps out of order`);
  }
  const ids = u.objects.map((o) => `${o.kind}/${(o.object as unknown as Record<string, string>)[idField[o.kind]]}`);
  if (new Set(ids).size !== ids.length) found.push("duplicate ids");
  return found;
}

const idField: Record<CustomerDataKind, string> = {
  accounts: "cds_account_id",
  service_contracts: "cds_servicecontract_id",
  service_points: "cds_servicepoint_id",
  meter_devices: "cds_meterdevice_id",
  bill_statements: "cds_billstatement_id",
  bill_sections: "cds_billsection_id",
  aggregations: "cds_aggregation_id",
  usage_segments: "cds_usagesegment_id",
  energy_attribute_certificates: "cds_eac_id",
};

it("makes every kind of object at the default size, all strictly valid, decodable and adding up", () => {
  const counts = Object.fromEntries(Object.keys(modelOf).map((k) => [k, utility.objects.filter((o) => o.kind === k).length]));
  for (const kind of Object.keys(modelOf)) expect(counts[kind], kind).toBeGreaterThan(0);
  expect(problems(utility)).toEqual([]);
});

it("bills 13 months for every billed account, with rate plans and program participation", () => {
  const statements = of<BillStatement>(utility, "bill_statements");
  const perAccount = new Map<string, number>();
  for (const s of statements) perAccount.set(s.cds_account_id, (perAccount.get(s.cds_account_id) ?? 0) + 1);
  expect([...perAccount.values()].every((n) => n === defaultDemoSize.months)).toBe(true);
  // CARE (§10.1.8): the discount is a program New Charge and the program rides on the statement.
  const care = statements.filter((s) => s.account_programs?.some((p) => p.program_number === "CARE"));
  expect(care.length).toBeGreaterThan(0);
  expect(care.every((s) => s.new_charges!.some((c) => c.types.includes("program") && c.amount < 0))).toBe(true);
  // DRAM (§10.2.5): the commercial main service gets summer event credits.
  const sections = of<BillSection>(utility, "bill_sections");
  expect(sections.some((s) => s.line_items!.some((i) => i.name === "Demand response event credit" && i.cost < 0))).toBe(true);
  // Net metering: received kWh and a negative export credit.
  expect(sections.some((s) => s.usage_details.some((d) => d.direction === "reverse") && s.line_items!.some((i) => i.cost < 0 && i.types.includes("supply")))).toBe(true);
  // One missed payment, with a shutoff notice.
  expect(statements.some((s) => s.previous_balance_unpaid! > 0 && s.shutoff_prevention_minimum_due !== null)).toBe(true);
});

it("reads water meters by AMR: each bill's start and end readings, times the multiplier, are its gallons, and a month starts where the last ended", () => {
  const water = of<BillSection>(utility, "bill_sections").filter((s) => s.section_types.includes("water"));
  expect(water.length).toBeGreaterThan(0);
  const byContract = new Map<string, { start: number; end: number }[]>();
  for (const section of water) {
    const detail = section.usage_details.find((d) => d.types.includes("water_usage"))!;
    expect(detail.types).toContain("amr_reading");
    expect(Math.round((detail.end_read! - detail.start_read!) * detail.multiplier! * 1000) / 1000).toBe(detail.value);
    const list = byContract.get(section.related_servicecontracts[0]!) ?? [];
    list.push({ start: detail.start_read!, end: detail.end_read! });
    byContract.set(section.related_servicecontracts[0]!, list);
  }
  for (const reads of byContract.values()) for (let i = 1; i < reads.length; i++) expect(reads[i]!.start).toBeCloseTo(reads[i - 1]!.end, 6);
  // Their meters say so (§10.4: `amr_meter`).
  const meters = of<MeterDevice>(utility, "meter_devices").filter((m) => m.meter_types.includes("water_usage"));
  expect(meters.length).toBeGreaterThan(0);
  expect(meters.every((m) => m.meter_types.includes("amr_meter") && !m.meter_types.includes("ami_meter"))).toBe(true);
});

it("has interval usage with several formats, per-meter formats, qualities, a disclosed gap, net metering and supply mix", () => {
  const segments = of<UsageSegment>(utility, "usage_segments");
  const intervalSegments = segments.filter((s) => s.interval === defaultDemoSize.intervalSeconds);
  expect(intervalSegments.length).toBeGreaterThan(0);
  expect(intervalSegments.every((s) => s.values.length === 86_400 / defaultDemoSize.intervalSeconds && s.formats.length >= 3)).toBe(true);
  const qualities = new Set(segments.flatMap((s) => s.formats.map((f) => ("quality" in f ? f.quality : undefined))));
  for (const q of ["raw", "estimated", "revenue"]) expect(qualities, q).toContain(q);
  // Validated after the fact: cds_modified moved past cds_created.
  expect(segments.some((s) => s.formats.some((f) => "quality" in f && f.quality === "revenue") && s.cds_modified > s.cds_created)).toBe(true);
  const gaps = segments.filter((s) => s.values.some((set) => set.every((v) => v === null)));
  expect(gaps.length).toBe(1);
  const solar = segments.find((s) => s.interval === 900 && s.formats.some((f) => f.type === "electric_usage" && f.direction === "reverse"))!;
  const decoded = decodeUsageSegment(solar);
  expect(decoded.ok).toBe(true);
  if (!decoded.ok) return;
  const [forward, reverse, net] = columnsOfType(decoded.value, "electric_usage");
  expect([forward!.format.direction, reverse!.format.direction, net!.format.direction]).toEqual(["forward", "reverse", "net"]);
  forward!.values.forEach((v, j) => expect(Math.round((v!.eu + reverse!.values[j]!.eu) * 1000)).toBe(Math.round(net!.values[j]!.eu * 1000)));
  const mix = columnsOfType(decoded.value, "electric_supply_mix");
  expect(mix.map((m) => m.format.attribution).sort()).toEqual(["individual", "residual"]);
  mix[0]!.values.forEach((v, j) => expect(v!.sm + mix[1]!.values[j]!.sm).toBeCloseTo(1, 9));
  expect(columnsOfType(decoded.value, "cost")[0]!.format.indexes).toEqual([0, 1]);
  // The billing-period segments link their Bill Section and match its usage.
  const sections = new Map(of<BillSection>(utility, "bill_sections").map((s) => [s.cds_billsection_id, s]));
  const monthly = segments.filter((s) => s.related_billsections.length && s.values.length === 1);
  expect(monthly.length).toBe(sections.size);
  for (const m of monthly) {
    const section = sections.get(m.related_billsections[0]!)!;
    const usage = section.usage_details.find((d) => d.types.includes("electric_usage") || d.types.includes("natural_gas_usage") || d.types.includes("water_usage"))!;
    expect(Object.values(m.values[0]![0]!)[0]).toBe(usage.value);
  }
  // The building aggregation's month: one format per meter, named on the format.
  const building = segments.find((s) => s.related_aggregations.length)!;
  const perMeter = building.formats.filter((f) => f.type === "electric_usage" && f.related_meterdevices?.length === 1);
  expect(perMeter.length).toBe(building.related_meterdevices.length);
});

it("sums a day's intervals to the same daily figures the bills are made of", () => {
  const segments = of<UsageSegment>(utility, "usage_segments");
  const febSection = segments.find((s) => s.values.length === 1 && s.cds_usagesegment_id.endsWith("m202502") && s.formats[0]!.type === "electric_usage" && s.formats.length === 6 && s.formats[1]!.type === "electric_usage" && (s.formats[1] as { tou?: string }).tou === "peak")!;
  const meter = febSection.related_meterdevices[0]!;
  const days = segments.filter((s) => s.interval === 900 && s.related_meterdevices[0] === meter && s.segment_start.startsWith("2025-02"));
  expect(days.length).toBeGreaterThan(0);
  // Every interval day of February belongs to the February bill section.
  expect(days.every((d) => d.related_billsections[0] === febSection.related_billsections[0])).toBe(true);
});

it("issues and retires certificates in monthly batches for the solar customers, with several beneficiary types", () => {
  const eacs = of<EnergyAttributeCertificate>(utility, "energy_attribute_certificates");
  expect(new Set(eacs.map((e) => e.beneficiary_type))).toEqual(new Set(["account", "rateplan", "program"]));
  expect(eacs.every((e) => e.eac_format === DEMO_EAC_FORMAT)).toBe(true);
  expect(eacs.some((e) => e.cds_modified > e.cds_created)).toBe(true);
  expect(eacs.some((e) => e.cds_modified === e.cds_created)).toBe(true);
  const months = new Set(eacs.map((e) => e.period_start.slice(0, 7)));
  expect(months.size).toBe(defaultDemoSize.months - 1);
  // Supply mix names the certificates applied to a month.
  const ids = new Set(eacs.map((e) => e.cds_eac_id));
  const named = of<UsageSegment>(utility, "usage_segments").flatMap((s) => s.values.flatMap((set) => set.flatMap((v) => (v && Array.isArray(v.eacs) ? (v.eacs as string[]) : []))));
  expect(named.length).toBeGreaterThan(0);
  expect(named.every((id) => ids.has(id))).toBe(true);
});

it("pools certificates in sub-batches, so no owner list grows past the limit with the customer count", () => {
  // The older of two months: its batch is issued before the data ends.
  const [month] = billingMonths({ ...defaultDemoSize, months: 2 });
  const solar = Array.from({ length: 2 * POOLED_EAC_MEMBERS + 7 }, (_, i) => `c-${i}`);
  const batches = pooledEacs([month!], defaultDemoSize.until, solar, solar.slice(0, 3));
  const rateplan = batches.filter((b) => b.eac.beneficiary_type === "rateplan");
  expect(rateplan.map((b) => b.owners.length)).toEqual([POOLED_EAC_MEMBERS, POOLED_EAC_MEMBERS, 7]);
  expect(rateplan.flatMap((b) => b.owners)).toEqual(solar);
  expect(new Set(rateplan.map((b) => b.eac.cds_eac_id)).size).toBe(3);
  // A pool within the limit is one batch under its plain id.
  expect(batches.filter((b) => b.eac.beneficiary_type === "program").map((b) => b.eac.cds_eac_id)).toEqual([`eac-program-care-${month!.label}`]);
  for (const b of batches) expect(validate("EnergyAttributeCertificate", b.eac, "strict").ok).toBe(true);
});

it("gives every customer a building Aggregation of their own, over their electric meters, that Aggregation Inclusion (§6.1.10) can ask about", () => {
  for (const c of utility.customers) {
    const own = utility.objects.filter((o) => o.kind === "aggregations" && o.owners.includes(c.customer)).map((o) => o.object as unknown as Aggregation);
    expect(own, c.customer).toHaveLength(1);
    const [building] = own;
    expect(building!.scope).toBe("cds_aggregation_consent_1");
    expect(building!.aggregation_types).toContain("building");
    const meters = c.services.filter((s) => s.service === "electric").map((s) => s.meter.cds_meterdevice_id);
    expect(new Set(building!.grouped_meterdevices)).toEqual(new Set(meters));
    // Its addresses are the customer's own, so the form can name it in words the customer knows (§9.2.3.5).
    for (const address of building!.grouped_addresses ?? []) expect(c.accounts.map((a) => a.account_address)).toContain(address);
  }
});

it("splits a group of more than the limit into sub-Aggregations (E-WG3-01-112)", () => {
  const stamps = { cds_created: "2025-01-01T00:00:00Z", cds_modified: "2025-01-01T00:00:00Z", cds_synced: "2025-01-01T00:00:00Z" };
  const contracts = Array.from({ length: 2501 }, (_, i) => `sc-${i}`);
  const [parent, ...parts] = ratePlanAggregations("E-TOU-NEM", contracts, stamps);
  expect(parts.map((p) => p.aggregation.grouped_servicecontracts.length)).toEqual([1000, 1000, 501]);
  expect(parent!.aggregation.grouped_servicecontracts).toEqual([]);
  expect(parent!.aggregation.grouped_aggregations).toEqual(parts.map((p) => p.aggregation.cds_aggregation_id));
  expect(parts.flatMap((p) => p.aggregation.grouped_servicecontracts)).toEqual(contracts);
  for (const a of [parent!, ...parts]) expect(validate("Aggregation", a.aggregation, "strict").ok).toBe(true);
  expect(ratePlanAggregations("E-TOU-NEM", contracts.slice(0, 1000), stamps)).toHaveLength(1);
});

it("holds for small random sizes and seeds, and is deterministic", () => {
  const sizes = fc.record({
    customers: fc.integer({ min: 1, max: 14 }),
    months: fc.integer({ min: 1, max: 3 }),
    intervalSeconds: fc.constantFrom(900, 1800, 3600),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    until: fc.constantFrom("2025-03-01T06:00:00.000Z", "2024-08-17T13:45:00.000Z"),
    intervalDays: fc.integer({ min: 0, max: 4 }),
  }) satisfies fc.Arbitrary<DemoUtilitySize>;
  fc.assert(
    fc.property(sizes, (size) => {
      const u = generateDemoUtility(size);
      expect(problems(u)).toEqual([]);
      expect(JSON.stringify(generateDemoUtility(size).objects)).toBe(JSON.stringify(u.objects));
    }),
    { numRuns: 12 },
  );
});

it("gives meters named in meterIntervalDays their own days of interval usage, the rest intervalDays", () => {
  const size: DemoUtilitySize = { ...defaultDemoSize, customers: 2, months: 2, intervalDays: 2 };
  /** Days of interval (sub-month) usage per meter. */
  const daysPerMeter = (u: DemoUtility) => {
    const count = new Map<string, number>();
    for (const o of u.objects) {
      const s = o.object as UsageSegment;
      if (o.kind === "usage_segments" && s.interval < 86_400 && !s.related_aggregations.length) count.set(s.related_meterdevices[0]!, (count.get(s.related_meterdevices[0]!) ?? 0) + 1);
    }
    return count;
  };
  const meters = generateDemoUtility(size).customers.flatMap((c) => c.meterDevices.map((m) => m.cds_meterdevice_id));
  const byDefault = daysPerMeter(generateDemoUtility(size));
  const everyDay = daysPerMeter(generateDemoUtility({ ...size, intervalDays: undefined, meterIntervalDays: {} }));
  const custom = daysPerMeter(generateDemoUtility({ ...size, meterIntervalDays: { [walkthroughMeterId]: "all", [meters.at(-1)!]: 5 } }));
  for (const meter of meters) {
    const expected = meter === walkthroughMeterId ? 35 : 2;
    expect(byDefault.get(meter), meter).toBe(expected);
    const own = meter === walkthroughMeterId ? everyDay.get(meter) : meter === meters.at(-1) ? 5 : 2;
    expect(custom.get(meter), meter).toBe(own);
  }
  // Two months of every day: more than the default's 35.
  expect(everyDay.get(walkthroughMeterId)).toBeGreaterThan(35);
  expect(demoYearSize.meterIntervalDays?.[walkthroughMeterId]).toBe("all");
});
