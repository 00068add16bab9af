/**
 * The Selection Component's lists from a customer's resource graph
 * (CDS-WG3-01 §9.2.3 through resource-graph.ts), without a server: address
 * matching (§7.1.13.1), aggregation selection (§9.2.3.5) and that another
 * customer's identifiers never preselect or submit anything.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Aggregation } from "@cds-toolkit/types";
import { isTypicalAddress, matchAddresses, normalizeAtypical, normalizeStored } from "../../src/authorization-form/address-matching.ts";
import { selectableIds, selectionList } from "../../src/authorization-form/selection.ts";
import { generateDemoUtility } from "../../src/demo/customer-data/generator.ts";
import type { CustomerResourceGraph } from "../../src/customer-data/data-source.ts";

const utility = generateDemoUtility();
const graphOf = (i: number): CustomerResourceGraph => {
  const c = utility.customers[i]!;
  return { customer: c.customer, accounts: c.accounts, serviceContracts: c.serviceContracts, servicePoints: c.servicePoints, meterDevices: c.meterDevices, aggregations: [] };
};
const alex = graphOf(0);
const sam = graphOf(1);

describe("§7.1.13.1 address matching", () => {
  it("normalizes a Typical Address: name removed, abbreviations expanded, lowercase, one line with ', '", () => {
    expect(normalizeStored("Acme Co.\n123 Main  St. #234\nAnytown, CA 90000")).toBe("123 main street unit 234, anytown, ca 90000");
    expect(isTypicalAddress("10 Harbor St\nLake Demo, DM 55000")).toBe(true);
  });

  it("normalizes an Atypical Address only by case and whitespace", () => {
    const a = "Acme Farm Irrigation, 12 mi  North on FM 5555\n150 ft West into the field";
    expect(isTypicalAddress(a)).toBe(false);
    expect(normalizeStored(a)).toBe("acme farm irrigation, 12 mi north on fm 5555 150 ft west into the field");
  });

  it("matches an input that spells the normalized address, in any case and spacing, and nothing looser", () => {
    const candidates = alex.servicePoints.map((p) => ({ id: p.cds_servicepoint_id, addresses: [p.servicepoint_address!] }));
    const both = new Set(alex.servicePoints.map((p) => p.cds_servicepoint_id));
    // E-WG3-01-270: the house's electric and gas points are one place, so both match.
    expect(matchAddresses(["10 Harbor Street, Lake Demo, DM 55000"], candidates)).toEqual(both);
    expect(matchAddresses(["  10 HARBOR street,   lake demo, dm 55000 "], candidates)).toEqual(both);
    expect(matchAddresses(["10 Harbor St, Lake Demo, DM 55000"], candidates).size).toBe(0);
    expect(matchAddresses(["10 Harbor Street"], candidates).size).toBe(0);
  });

  it("input normalization is idempotent and ignores case and runs of whitespace (property)", () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(" ", "  ", "\n", " \n "), (s, gap) => {
        const once = normalizeAtypical(s);
        expect(normalizeAtypical(once)).toBe(once);
        expect(normalizeAtypical(`${gap}${s.toUpperCase()}${gap}`)).toBe(normalizeAtypical(s.toUpperCase()));
      }),
    );
  });
});

describe("§9.2.3.5 aggregation selection", () => {
  const building: Aggregation = {
    cds_aggregation_id: "agg-building-10-harbor",
    cds_created: "2024-01-01T00:00:00Z",
    cds_modified: "2024-01-01T00:00:00Z",
    cds_synced: "2024-01-01T00:00:00Z",
    aggregation_types: ["building", "listed"],
    aggregation_number: "BLDG-10-HARBOR",
    scope: "",
    authorization_details: [],
    grouped_accounts: [],
    grouped_servicecontracts: [],
    grouped_servicepoints: [alex.servicePoints[0]!.cds_servicepoint_id, "sp-of-a-neighbour"],
    grouped_meterdevices: [],
    grouped_aggregations: [],
    grouped_addresses: ["10 Harbor Street, Lake Demo, DM 55000"],
    grouped_regions: [],
    consent_requirements: [{ id: "benchmarking", name: "City benchmarking", types: ["sometimes"], documentation: "https://dge.example/benchmarking" }],
  } as Aggregation;
  const withBuilding = { ...alex, aggregations: [building] };

  it("lists the customer's aggregations with number, types, an address and consent requirements", () => {
    const list = selectionList(withBuilding, "aggregation_selection", [{}]);
    expect(list.entries).toEqual([
      {
        id: building.cds_aggregation_id,
        number: "BLDG-10-HARBOR",
        // The customer's own grouped service point by its number; the neighbour's is not theirs to see.
        details: ["building, listed", "10 Harbor Street, Lake Demo, DM 55000", `Your service location in it: ${alex.servicePoints[0]!.servicepoint_number}`, "City benchmarking sometimes needs your consent"],
      },
    ]);
  });

  it("§9.2.3.5 names the customer's own meters the aggregation groups by meter number, once each, and none of anyone else's", () => {
    const meters = alex.meterDevices.slice(0, 2);
    expect(meters.length).toBeGreaterThan(0);
    const grouping = { ...building, grouped_meterdevices: [...meters.map((m) => m.cds_meterdevice_id), meters[0]!.cds_meterdevice_id, "meter-of-a-neighbour"] } as Aggregation;
    const [entry] = selectionList({ ...alex, aggregations: [grouping] }, "aggregation_selection", [{}]).entries;
    const line = entry!.details.find((d) => d.startsWith("Your meter"))!;
    expect(line).toBe(`Your ${meters.length === 1 ? "meter" : "meters"} in it: ${meters.map((m) => m.meter_number).sort().join(", ")}`);
    expect(line).not.toContain("meter-of-a-neighbour");
  });

  it("preselects by aggregation_numbers, by addresses (grouped_addresses) and by a grouped resource's number", () => {
    for (const entry of [{ aggregation_numbers: ["BLDG-10-HARBOR"] }, { addresses: ["10 harbor street, lake demo, dm 55000"] }, { servicepoint_numbers: [alex.servicePoints[0]!.servicepoint_number!] }]) {
      expect(selectionList(withBuilding, "aggregation_selection", [entry]).preselected).toEqual(new Set([building.cds_aggregation_id]));
    }
    expect(selectionList(withBuilding, "aggregation_selection", [{ aggregation_numbers: ["BLDG-OTHER"] }]).preselected.size).toBe(0);
  });
});

describe("a customer's form never takes another customer's identifiers", () => {
  // Every preselection field, filled from Sam's own data, at every selection type, against Alex's graph.
  const samValues = {
    account_numbers: sam.accounts.map((a) => a.account_number!),
    contract_numbers: sam.serviceContracts.map((c) => c.contract_number!),
    servicepoint_numbers: sam.servicePoints.map((p) => p.servicepoint_number!),
    premise_numbers: sam.servicePoints.flatMap((p) => (p.premises ?? []).map((x) => x.premise_number)),
    meter_numbers: sam.meterDevices.map((m) => m.meter_number!),
    aggregation_numbers: ["BLDG-SAM"],
    addresses: sam.servicePoints.map((p) => normalizeStored(p.servicepoint_address!)),
  };
  const samIds = [sam.accounts, sam.serviceContracts, sam.servicePoints, sam.meterDevices].flatMap((xs) => xs.map((x) => Object.values(x)[0] as string));
  const types = ["account_selection", "service_contract_selection", "servicepoint_selection", "meter_device_selection", "aggregation_selection"] as const;

  it("preselects nothing and lists nothing of Sam's for any mix of Sam's identifiers (property)", () => {
    const field = fc.constantFrom(...(Object.keys(samValues) as (keyof typeof samValues)[]));
    fc.assert(
      fc.property(fc.constantFrom(...types), fc.uniqueArray(field, { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 5 }), (type, fields, pick) => {
        const entry = Object.fromEntries(fields.map((f) => [f, [samValues[f][pick % samValues[f].length]!]]));
        const list = selectionList(alex, type, [entry]);
        expect(list.preselected.size).toBe(0);
        for (const e of list.entries) expect(samIds).not.toContain(e.id);
        // Nothing of Sam's can be submitted either: the ids a submission may name are Alex's only.
        const allowed = selectableIds(alex, type);
        for (const id of samIds) expect(allowed.has(id)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it("the same identifiers do preselect for Sam, so the property above is not vacuous", () => {
    expect(selectionList(sam, "service_contract_selection", [{ account_numbers: [samValues.account_numbers[1]!] }]).preselected.size).toBeGreaterThan(0);
    expect(selectionList(sam, "servicepoint_selection", [{ addresses: [samValues.addresses[0]!] }]).preselected.size).toBeGreaterThan(0);
  });
});
