/**
 * Bills, bill sections, usage, an aggregation and certificates for the demo
 * customers, built from whatever Accounts, Service Contracts, Service Points
 * and Meter Devices the demo utility generates (so the tests keep working as
 * the generator grows), each checked by the strict validator of its model
 * before it is stored. Every object names only its own customer's ids.
 */
import { validate } from "@cds-toolkit/validators";
import { expect } from "vitest";
import { storeCustomerData, type StoredObject } from "../../src/customer-data/database-source.ts";
import type { Db } from "../../src/db/index.ts";
import type { DemoUtility } from "../../src/demo/customer-data/generator.ts";

const stamp = "2025-01-05T00:00:00Z";
const meta = (i: number) => ({ cds_created: stamp, cds_modified: `2025-01-${String(5 + (i % 20)).padStart(2, "0")}T00:00:00Z`, cds_synced: stamp });

function checked(kind: string, model: string, object: Record<string, unknown>, owner: string): StoredObject {
  const result = validate(model as Parameters<typeof validate>[0], object, "strict");
  expect(result.ok, `${model}: ${JSON.stringify(result.ok ? "" : result.errors)}`).toBe(true);
  return { kind, object, owners: [owner] } as unknown as StoredObject;
}

/** The extra objects of the first `customers` demo customers, by kind. */
export function extraObjects(utility: DemoUtility, customers = 2): StoredObject[] {
  const out: StoredObject[] = [];
  let n = 0;
  for (const c of utility.customers.slice(0, customers)) {
    const owner = c.customer;
    for (const [ai, a] of c.accounts.entries()) {
      for (const month of [10, 11, 12]) {
        const statement = `bs-${a.cds_account_id}-${month}`;
        out.push(
          checked("bill_statements", "BillStatement", {
            cds_billstatement_id: statement,
            ...meta(n++),
            cds_account_id: a.cds_account_id,
            account_number: a.account_number ?? `no-number-${ai}`,
            statement_date: `2024-${month}-03`,
            currency: "USD",
            file_uri: `https://dge.example/bills/${statement}.pdf`,
            file_mimetype: "application/pdf",
            new_charges_amount: 42.5,
            new_charges: [],
            amount_due: 42.5,
            amount_due_date: `2024-${month}-20`,
            shutoff_prevention_minimum_due: null,
            shutoff_prevention_date: null,
          }, owner),
        );
        for (const sc of c.serviceContracts.filter((s) => s.cds_account_id === a.cds_account_id)) {
          const points = c.servicePoints.filter((p) => p.current_servicecontracts.includes(sc.cds_servicecontract_id));
          const meters = c.meterDevices.filter((m) => m.current_servicepoints.some((id) => points.some((p) => p.cds_servicepoint_id === id)));
          out.push(
            checked("bill_sections", "BillSection", {
              cds_billsection_id: `sec-${sc.cds_servicecontract_id}-${month}`,
              ...meta(n++),
              cds_billstatement_id: statement,
              cds_account_id: a.cds_account_id,
              account_number: a.account_number ?? `no-number-${ai}`,
              section_types: ["service_contract"],
              start_date: `2024-${String(month - 1).padStart(2, "0")}-01`,
              end_date: `2024-${String(month - 1).padStart(2, "0")}-28`,
              currency: "USD",
              distribution_entity: null,
              supply_entity: null,
              related_servicecontracts: [sc.cds_servicecontract_id],
              related_servicepoints: points.map((p) => p.cds_servicepoint_id),
              related_meterdevices: meters.map((m) => m.cds_meterdevice_id),
              related_billsections: [],
              usage_details: [],
              cost_details: [],
              line_items: [],
            }, owner),
          );
        }
      }
    }
    for (const m of c.meterDevices) {
      const points = c.servicePoints.filter((p) => m.current_servicepoints.includes(p.cds_servicepoint_id));
      const contracts = c.serviceContracts.filter((s) => points.some((p) => p.current_servicecontracts.includes(s.cds_servicecontract_id)));
      const accounts = [...new Set(contracts.map((s) => s.cds_account_id))];
      for (const day of [1, 2, 3]) {
        out.push(
          checked("usage_segments", "UsageSegment", {
            cds_usagesegment_id: `us-${m.cds_meterdevice_id}-${day}`,
            ...meta(n++),
            related_aggregations: [],
            related_accounts: accounts,
            related_servicecontracts: contracts.map((s) => s.cds_servicecontract_id),
            related_servicepoints: points.map((p) => p.cds_servicepoint_id),
            related_meterdevices: [m.cds_meterdevice_id],
            related_billsections: [],
            segment_start: `2024-12-0${day}T00:00:00Z`,
            segment_end: `2024-12-0${day}T00:30:00Z`,
            interval: 900,
            formats: [
              { id: "electric_intervals_01", type: "electric_usage", units: "kWh", direction: "net", quality: "raw" },
              { id: "gas_daily_01", type: "natural_gas_usage", units: "therm", quality: "raw" },
            ],
            values: [
              [{ eu: 1.25 }, { ngu: 0.5 }],
              [{ eu: 1.5 }, { ngu: 0.25 }],
            ],
          }, owner),
        );
      }
    }
    const first = c.accounts[0];
    if (first) {
      out.push(
        checked("aggregations", "Aggregation", {
          cds_aggregation_id: `agg-${owner}`,
          ...meta(n++),
          aggregation_types: ["building"],
          aggregation_number: `B-${owner}`,
          scope: "cds_query_usage_1",
          authorization_details: [],
          grouped_accounts: [first.cds_account_id],
          grouped_servicecontracts: [],
          grouped_servicepoints: [],
          grouped_meterdevices: [],
          grouped_aggregations: [],
          grouped_addresses: [`1 Hidden Address of ${owner}`],
          grouped_regions: [],
          consent_requirements: [],
        }, owner),
        checked("energy_attribute_certificates", "EnergyAttributeCertificate", {
          cds_eac_id: `eac-${owner}`,
          ...meta(n++),
          beneficiary_type: "account",
          beneficiaries: [first.cds_account_id],
          eac_numbers: [`EAC-${owner}`],
          eac_format: "dge_eac_registry_json",
          eac_data_url: `https://dge.example/eacs/${owner}.json`,
          period_start: "2024-11-01T00:00:00Z",
          period_end: "2024-12-01T00:00:00Z",
        }, owner),
      );
    }
  }
  return out;
}

export async function storeExtraObjects(db: Db, utility: DemoUtility, customers = 2): Promise<StoredObject[]> {
  const objects = extraObjects(utility, customers);
  const all = new Map<string, string | null>();
  for (const o of [...utility.objects, ...objects]) {
    const x = o.object as unknown as Record<string, unknown>;
    for (const [id, num] of [
      [x.cds_account_id, x.account_number],
      [x.cds_servicecontract_id, x.contract_number],
      [x.cds_servicepoint_id, x.servicepoint_number],
      [x.cds_meterdevice_id, x.meter_number],
      [x.cds_aggregation_id, x.aggregation_number],
    ] as const)
      if (typeof id === "string" && o.kind !== "bill_statements" && o.kind !== "bill_sections") all.set(id, (num as string | null) ?? null);
  }
  const lookup = (id: string) => all.get(id) ?? utility.numbers.account(id);
  await storeCustomerData(db, objects, { account: lookup, serviceContract: lookup, servicePoint: lookup, meterDevice: lookup, aggregation: lookup });
  return objects;
}
