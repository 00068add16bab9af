/**
 * Adapter from the Customer Data source's resource graph (the generated
 * Account, ServiceContract, ServicePoint, MeterDevice and Aggregation objects
 * of customer-data/data-source.ts) to what the Selection Component works on:
 * one node per resource, at its level of CDS-WG3-01 §9.2.3 (account →
 * service contract → service point → meter device, and aggregations beside
 * them), with the number the customer knows it by, the words §9.2.3.x says to
 * show, its addresses for §7.1.13 and the values each preselection field of
 * §7.1 compares. The form never reads the objects' fields anywhere else, so a
 * contract change to those types shows up here as a type error.
 */
import type { Account, Aggregation, MeterDevice, ServiceContract, ServicePoint } from "@cds-toolkit/types";
import type { CustomerResourceGraph } from "../customer-data/data-source.js";

export type Level = 0 | 1 | 2 | 3 | 4; // account, contract, service point, meter device, aggregation

/** §7.1's preselection fields that compare a list of values exactly (`addresses` has its own matching, §7.1.13.1). */
export type ExactField =
  | "account_numbers"
  | "account_programs"
  | "contract_numbers"
  | "service_types"
  | "service_programs"
  | "servicepoint_numbers"
  | "servicepoint_types"
  | "premise_numbers"
  | "meter_numbers"
  | "meter_types"
  | "meter_apps"
  | "aggregation_numbers";

/** The level whose objects each exact field compares (§7.1.1–§7.1.12). */
export const FIELD_LEVEL: Record<ExactField, Level> = {
  account_numbers: 0,
  account_programs: 0,
  contract_numbers: 1,
  service_types: 1,
  service_programs: 1,
  servicepoint_numbers: 2,
  servicepoint_types: 2,
  premise_numbers: 2,
  meter_numbers: 3,
  meter_types: 3,
  meter_apps: 3,
  aggregation_numbers: 4,
};

export interface FormNode {
  id: string;
  level: Level;
  /** The customer-facing number (`account_number`, `contract_number`, …); the id when the Server has none. */
  number: string;
  /** Further words to show beside the number. */
  details: string[];
  /** The addresses §7.1.13 matches at this level, as stored. */
  addresses: string[];
  /** The values each exact field compares for this node. */
  values: Partial<Record<ExactField, string[]>>;
  /** Ids one level up (contract → its account, …); for aggregations, none. */
  parents: string[];
  /** Aggregations only: the grouped ids, by level. */
  grouped?: Record<0 | 1 | 2 | 3, string[]>;
}

export interface FormGraph {
  customer: string;
  /** Nodes by level, in the source's order. */
  levels: [FormNode[], FormNode[], FormNode[], FormNode[], FormNode[]];
}

const SERVICE_WORDS: Record<string, string> = { electric: "electric", natural_gas: "gas", water: "water", steam: "steam", sewer: "sewer", waste: "waste" };
const METER_WORDS: Record<string, string> = { electric_usage: "electric meter", natural_gas_usage: "gas meter", water_usage: "water meter" };
const AGGREGATION_WORDS: Record<string, string> = {
  building: "building",
  public: "public",
  listed: "listed",
  confidential: "confidential",
  region: "region",
  municipality: "municipality",
  premise_number: "premise",
  account_number: "account",
  service_type: "service type",
};
const CONSENT_WORDS: Record<string, string> = { always: "always needs your consent", sometimes: "sometimes needs your consent", never: "never needs your consent" };

/** An address as one line, for display. */
export const oneLine = (address: string) =>
  address
    .split(/\s*\n\s*/)
    .filter((s) => s.length > 0)
    .join(", ");

const present = (xs: readonly (string | null | undefined)[]): string[] => xs.filter((x): x is string => typeof x === "string" && x.length > 0);

function serviceWord(types: readonly string[]): string | undefined {
  for (const t of types) if (SERVICE_WORDS[t]) return SERVICE_WORDS[t];
  return undefined;
}

function accountNode(a: Account): FormNode {
  const number = a.account_number ?? a.cds_account_id;
  return {
    id: a.cds_account_id,
    level: 0,
    number,
    details: present([a.account_name, a.account_address ? oneLine(a.account_address) : null]),
    addresses: present([a.account_address]),
    values: { account_numbers: [number], account_programs: present((a.account_programs ?? []).map((p) => p.program_number)) },
    parents: [],
  };
}

function contractNode(c: ServiceContract, accountNumber: (id: string) => string | undefined): FormNode {
  const number = c.contract_number ?? c.cds_servicecontract_id;
  const types = c.service_types ?? [];
  return {
    id: c.cds_servicecontract_id,
    level: 1,
    number,
    details: present([c.contract_address ? oneLine(c.contract_address) : null, serviceWord(types), c.rateplan_name, `account ${accountNumber(c.cds_account_id) ?? c.account_number ?? c.cds_account_id}`]),
    addresses: present([c.contract_address]),
    values: { contract_numbers: [number], service_types: [...types], service_programs: present((c.service_programs ?? []).map((p) => p.program_number)) },
    parents: [c.cds_account_id],
  };
}

function servicePointNode(p: ServicePoint): FormNode {
  const number = p.servicepoint_number ?? p.cds_servicepoint_id;
  return {
    id: p.cds_servicepoint_id,
    level: 2,
    number,
    details: present([p.servicepoint_address ? oneLine(p.servicepoint_address) : null, serviceWord(p.servicepoint_types)]),
    addresses: present([p.servicepoint_address]),
    values: { servicepoint_numbers: [number], servicepoint_types: [...p.servicepoint_types], premise_numbers: present((p.premises ?? []).map((x) => x.premise_number)) },
    parents: [...p.current_servicecontracts, ...p.previous_servicecontracts],
  };
}

function meterNode(m: MeterDevice, pointsById: Map<string, ServicePoint>): FormNode {
  const number = m.meter_number ?? m.cds_meterdevice_id;
  const type = m.meter_types.map((t) => METER_WORDS[t]).find((w) => w !== undefined);
  const current = m.current_servicepoints.map((id) => pointsById.get(id)).filter((p): p is ServicePoint => p !== undefined);
  return {
    id: m.cds_meterdevice_id,
    level: 3,
    number,
    details: present([type, ...current.map((p) => (p.servicepoint_address ? `at ${oneLine(p.servicepoint_address)}` : null))]),
    // §7.1.13: a meter matches through the addresses of its current service points only.
    addresses: present(current.map((p) => p.servicepoint_address)),
    values: { meter_numbers: [number], meter_types: [...m.meter_types], meter_apps: present((m.meter_apps ?? []).map((a) => a.app_number)) },
    parents: [...m.current_servicepoints, ...m.previous_servicepoints],
  };
}

function aggregationNode(g: Aggregation, graph: CustomerResourceGraph): FormNode {
  const number = g.aggregation_number ?? g.cds_aggregation_id;
  const mine = {
    0: new Set(graph.accounts.map((a) => a.cds_account_id)),
    1: new Set(graph.serviceContracts.map((c) => c.cds_servicecontract_id)),
    2: new Set(graph.servicePoints.map((p) => p.cds_servicepoint_id)),
    3: new Set(graph.meterDevices.map((m) => m.cds_meterdevice_id)),
  };
  // Only this customer's own grouped resources: an aggregation may group other customers' too (§9.2.3.5: show only what the customer may see).
  const grouped = {
    0: g.grouped_accounts.filter((id) => mine[0].has(id)),
    1: g.grouped_servicecontracts.filter((id) => mine[1].has(id)),
    2: g.grouped_servicepoints.filter((id) => mine[2].has(id)),
    3: g.grouped_meterdevices.filter((id) => mine[3].has(id)),
  };
  const typeWords = g.aggregation_types.map((t) => AGGREGATION_WORDS[t] ?? t.replace(/_/g, " "));
  const consent = g.consent_requirements.map((r) => `${r.name} ${CONSENT_WORDS[r.types[0] ?? ""] ?? ""}`.trim());
  const addresses = g.grouped_addresses ?? [];
  return {
    id: g.cds_aggregation_id,
    level: 4,
    number,
    details: present([typeWords.join(", "), addresses[0] ? oneLine(addresses[0]) : null, ...relatedWords(grouped, graph), ...consent]),
    addresses: [...addresses],
    values: { aggregation_numbers: [number] },
    parents: [],
    grouped,
  };
}

/**
 * §9.2.3.5: the customer's own resources an aggregation groups, in words they
 * know — one line per kind, each listing the numbers the customer sees on
 * their bills and meters (meters by meter number), so it is clear what
 * joining the aggregation includes. Nothing of other customers (`grouped` is
 * already narrowed to this customer's ids).
 */
function relatedWords(grouped: Record<0 | 1 | 2 | 3, string[]>, graph: CustomerResourceGraph): string[] {
  const numbers = <T>(ids: readonly string[], items: readonly T[], idOf: (t: T) => string, numberOf: (t: T) => string | null | undefined) => {
    const byId = new Map(items.map((t) => [idOf(t), t]));
    return [...new Set(ids.map((id) => byId.get(id)).filter((t): t is T => t !== undefined).map((t) => numberOf(t) ?? idOf(t)))].sort();
  };
  const line = (one: string, many: string, list: string[]) => (list.length ? `Your ${list.length === 1 ? one : many} in it: ${list.join(", ")}` : null);
  return present([
    line("account", "accounts", numbers(grouped[0], graph.accounts, (a) => a.cds_account_id, (a) => a.account_number)),
    line("service", "services", numbers(grouped[1], graph.serviceContracts, (c) => c.cds_servicecontract_id, (c) => c.contract_number)),
    line("service location", "service locations", numbers(grouped[2], graph.servicePoints, (p) => p.cds_servicepoint_id, (p) => p.servicepoint_number)),
    line("meter", "meters", numbers(grouped[3], graph.meterDevices, (m) => m.cds_meterdevice_id, (m) => m.meter_number)),
  ]);
}

/** The form's view of one customer's resource graph. */
export function formGraph(graph: CustomerResourceGraph): FormGraph {
  const accountNumbers = new Map(graph.accounts.map((a) => [a.cds_account_id, a.account_number ?? a.cds_account_id]));
  const pointsById = new Map(graph.servicePoints.map((p) => [p.cds_servicepoint_id, p]));
  return {
    customer: graph.customer,
    levels: [
      graph.accounts.map(accountNode),
      graph.serviceContracts.map((c) => contractNode(c, (id) => accountNumbers.get(id))),
      graph.servicePoints.map(servicePointNode),
      graph.meterDevices.map((m) => meterNode(m, pointsById)),
      graph.aggregations.map((g) => aggregationNode(g, graph)),
    ],
  };
}

/** An empty graph: a customer with no data, or before the source answers. */
export const emptyGraph = (customer: string): CustomerResourceGraph => ({ customer, accounts: [], serviceContracts: [], servicePoints: [], meterDevices: [], aggregations: [] });
