/**
 * The nine CDS-WG3-01 §10 listings as data: where each is advertised (§5),
 * its model, every filter parameter its section defines and the values an
 * object matches it by, the `before`/`after` bounds, the `q` fields and the
 * ordering rule. The scenarios are table-driven over this, so a filter or
 * an ordering key is stated once, next to the catalogue ids it proves.
 *
 * Where the section names a field the object does not have, the reading of
 * spec/ERRATA.md is taken: E-WG3-01-105 (Accounts `q` contact fields),
 * E-WG3-01-106 (`meter_number`), E-WG3-01-109 (Bill Section ordering),
 * E-WG3-01-113 (Aggregations `q` and ordering), E-WG3-01-204 (Usage Segment
 * ordering).
 */
import type { ModelName } from "@cds-toolkit/schemas";
import type { Json } from "../../context.js";

export type Kind = "accounts" | "service_contracts" | "service_points" | "meter_devices" | "bill_statements" | "bill_sections" | "aggregations" | "usage_segments" | "eacs";

/** The customer-facing numbers of the objects a token lists, by id, for filters and orderings that name related objects' numbers. */
export interface Numbers {
  account: ReadonlyMap<string, string>;
  contract: ReadonlyMap<string, string>;
  servicePoint: ReadonlyMap<string, string>;
  meter: ReadonlyMap<string, string>;
  aggregation: ReadonlyMap<string, string>;
}

export interface ListFilter {
  param: string;
  /** The values an object matches this filter by (an object matches when one of them is asked for). */
  values(o: Json, n: Numbers): string[];
  must: string;
  /**
   * The `include_*` field that shows the value filtered on: without it the
   * Grant hides the value, and the filter is refused with a 400 naming it
   * rather than telling hidden values apart (spec/ERRATA.md E-WG3-01-255).
   */
  shownBy?: string;
}

export interface Bound {
  /** The field `before` bounds (on or before) and the one `after` bounds (on or after). */
  before: string;
  after: string;
  type: "date" | "datetime";
  musts: [before: string, after: string];
}

/** One ordering key: ascending or descending, text (alphanumeric) or time. */
export interface OrderKey {
  name: string;
  value(o: Json, n: Numbers): string | number;
  descending?: boolean;
}

export interface Listing {
  kind: Kind;
  /** The Authorization Server Metadata field that holds its URL (§5). */
  field: string;
  title: string;
  /** The listing's section, e.g. "10.1.10". */
  section: string;
  model: ModelName;
  items: string;
  id: string;
  /** The "returns the intersection of the filters" statement. */
  intersection: string;
  filters: ListFilter[];
  bound?: Bound;
  /** The `q` fields' values of an object, and the statement. */
  q?: { fields: string[]; values(o: Json): string[]; must: string };
  order: { keys: OrderKey[]; musts: string[] };
  /** The object-format section whose REQUIRED fields strict validation of a listed object proves. */
  objectSection: string;
  /** The §6.2 Direct Access scope type that opens it (EACs: the Usage Query, as the reference reads §6.2). */
  queryType: string;
}

const str = (v: unknown): string[] => (typeof v === "string" ? [v] : []);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
const objs = (v: unknown): Json[] => (Array.isArray(v) ? v.filter((x): x is Json => typeof x === "object" && x !== null && !Array.isArray(x)) : []);
const numbersOf = (ids: string[], map: ReadonlyMap<string, string>) => [...new Set(ids.map((id) => map.get(id)).filter((v): v is string => v !== undefined))];
/** E-WG3-01-109, E-WG3-01-204: with several related numbers the alphanumerically smallest counts; with none, the empty string (first). */
const smallest = (values: string[]) => [...values].sort()[0] ?? "";
const time = (v: unknown) => (typeof v === "string" ? Date.parse(v) : Number.NaN);
const idFilter = (param: string, field: string, must: string): ListFilter => ({ param, values: (o) => str(o[field]), must });
const fieldFilter = (param: string, field: string, must: string, shownBy?: string): ListFilter => ({ param, values: (o) => [...str(o[field]), ...strs(o[field])], must, ...(shownBy ? { shownBy } : {}) });
const ACCOUNT_NUMBERS = "include_account_numbers";
const CONTRACT_NUMBERS = "include_contract_numbers";
const METER_NUMBERS = "include_meter_numbers";
const modifiedNewest: OrderKey = { name: "cds_modified", value: (o) => time(o.cds_modified), descending: true };
/** The meters a Usage Segment relates to: its own list and those its Value Formats name (§10.8.5.1.1). */
const segmentMeters = (o: Json) => [...new Set([...strs(o.related_meterdevices), ...objs(o.formats).flatMap((f) => strs(f.related_meterdevices))])];

export const listings: Listing[] = [
  {
    kind: "accounts",
    field: "cds_accounts_api",
    title: "Accounts",
    section: "10.1.10",
    model: "AccountListing",
    items: "accounts",
    id: "cds_account_id",
    intersection: "WG3-01-10.1.10-3",
    filters: [
      idFilter("cds_account_ids", "cds_account_id", "WG3-01-10.1.10-4"),
      // A null customer number never matches (WG3-01-10.1.10-6): str() leaves it out.
      fieldFilter("customer_numbers", "customer_number", "WG3-01-10.1.10-5", ACCOUNT_NUMBERS),
      fieldFilter("account_numbers", "account_number", "WG3-01-10.1.10-7", ACCOUNT_NUMBERS),
      fieldFilter("account_statuses", "account_status", "WG3-01-10.1.10-8", "include_account_details"),
    ],
    q: {
      fields: ["cds_account_id", "customer_number", "account_number", "account_address", "account_name", "contact_email (E-WG3-01-105)", "program_number"],
      values: (o) => [
        ...str(o.cds_account_id),
        ...str(o.customer_number),
        ...str(o.account_number),
        ...str(o.account_address),
        ...str(o.account_name),
        ...objs(o.account_contacts).filter((c) => strs(c.types).includes("email")).flatMap((c) => str(c.value)),
        ...objs(o.account_programs).flatMap((p) => str(p.program_number)),
      ],
      must: "WG3-01-10.1.10-9",
    },
    order: { keys: [modifiedNewest], musts: ["WG3-01-10.1.10-10"] },
    objectSection: "10.1.1",
    queryType: "cds_query_accounts",
  },
  {
    kind: "service_contracts",
    field: "cds_servicecontracts_api",
    title: "Service Contracts",
    section: "10.2.7",
    model: "ServiceContractListing",
    items: "service_contracts",
    id: "cds_servicecontract_id",
    intersection: "WG3-01-10.2.7-3",
    filters: [
      idFilter("cds_servicecontract_ids", "cds_servicecontract_id", "WG3-01-10.2.7-4"),
      fieldFilter("account_numbers", "account_number", "WG3-01-10.2.7-5", ACCOUNT_NUMBERS),
      fieldFilter("contract_numbers", "contract_number", "WG3-01-10.2.7-6", CONTRACT_NUMBERS),
      fieldFilter("contract_statuses", "contract_status", "WG3-01-10.2.7-7"),
      // Any of the object's types matching any asked value (WG3-01-10.2.7-9, -11).
      fieldFilter("contract_types", "contract_types", "WG3-01-10.2.7-8"),
      fieldFilter("service_types", "service_types", "WG3-01-10.2.7-10"),
    ],
    q: {
      fields: ["cds_servicecontract_id", "account_number", "contract_number", "contract_address", "rateplan_code", "rateplan_name", "program_number"],
      values: (o) => [
        ...str(o.cds_servicecontract_id),
        ...str(o.account_number),
        ...str(o.contract_number),
        ...str(o.contract_address),
        ...str(o.rateplan_code),
        ...str(o.rateplan_name),
        ...objs(o.service_programs).flatMap((p) => str(p.program_number)),
      ],
      must: "WG3-01-10.2.7-12",
    },
    order: { keys: [modifiedNewest], musts: ["WG3-01-10.2.7-13"] },
    objectSection: "10.2.1",
    queryType: "cds_query_service_contracts",
  },
  {
    kind: "service_points",
    field: "cds_servicepoints_api",
    title: "Service Points",
    section: "10.3.5",
    model: "ServicePointListing",
    items: "service_points",
    id: "cds_servicepoint_id",
    intersection: "WG3-01-10.3.5-3",
    filters: [
      idFilter("cds_servicepoint_ids", "cds_servicepoint_id", "WG3-01-10.3.5-4"),
      fieldFilter("servicepoint_numbers", "servicepoint_number", "WG3-01-10.3.5-5"),
      fieldFilter("current_servicecontracts", "current_servicecontracts", "WG3-01-10.3.5-6"),
      fieldFilter("previous_servicecontracts", "previous_servicecontracts", "WG3-01-10.3.5-7"),
    ],
    q: {
      fields: ["cds_servicepoint_id", "servicepoint_address", "servicepoint_number", "premise_number"],
      values: (o) => [...str(o.cds_servicepoint_id), ...str(o.servicepoint_address), ...str(o.servicepoint_number), ...objs(o.premises).flatMap((p) => str(p.premise_number))],
      must: "WG3-01-10.3.5-8",
    },
    order: { keys: [modifiedNewest], musts: ["WG3-01-10.3.5-9"] },
    objectSection: "10.3.1",
    queryType: "cds_query_service_points",
  },
  {
    kind: "meter_devices",
    field: "cds_meterdevices_api",
    title: "Meter Devices",
    section: "10.4.5",
    model: "MeterDeviceListing",
    items: "meter_devices",
    id: "cds_meterdevice_id",
    intersection: "WG3-01-10.4.5-3",
    filters: [
      idFilter("cds_meterdevice_ids", "cds_meterdevice_id", "WG3-01-10.4.5-4"),
      // Singular, as written (E-WG3-01-106).
      fieldFilter("meter_number", "meter_number", "WG3-01-10.4.5-5", METER_NUMBERS),
      fieldFilter("current_servicepoints", "current_servicepoints", "WG3-01-10.4.5-6"),
      fieldFilter("previous_servicepoints", "previous_servicepoints", "WG3-01-10.4.5-7"),
    ],
    q: { fields: ["cds_meterdevice_id", "meter_number"], values: (o) => [...str(o.cds_meterdevice_id), ...str(o.meter_number)], must: "WG3-01-10.4.5-8" },
    order: { keys: [modifiedNewest], musts: ["WG3-01-10.4.5-9"] },
    objectSection: "10.4.1",
    queryType: "cds_query_meter_devices",
  },
  {
    kind: "bill_statements",
    field: "cds_billstatement_api",
    title: "Bill Statements",
    section: "10.5.4",
    model: "BillStatementListing",
    items: "bill_statements",
    id: "cds_billstatement_id",
    intersection: "WG3-01-10.5.4-3",
    filters: [
      idFilter("cds_billstatement_ids", "cds_billstatement_id", "WG3-01-10.5.4-4"),
      fieldFilter("cds_account_ids", "cds_account_id", "WG3-01-10.5.4-7"),
      fieldFilter("account_numbers", "account_number", "WG3-01-10.5.4-8", ACCOUNT_NUMBERS),
    ],
    bound: { before: "statement_date", after: "statement_date", type: "date", musts: ["WG3-01-10.5.4-5", "WG3-01-10.5.4-6"] },
    order: {
      keys: [
        { name: "statement_date", value: (o) => String(o.statement_date), descending: true },
        modifiedNewest,
      ],
      musts: ["WG3-01-10.5.4-9"],
    },
    objectSection: "10.5.1",
    queryType: "cds_query_bill_statements",
  },
  {
    kind: "bill_sections",
    field: "cds_billsection_api",
    title: "Bill Sections",
    section: "10.6.9",
    model: "BillSectionListing",
    items: "bill_sections",
    id: "cds_billsection_id",
    intersection: "WG3-01-10.6.9-3",
    filters: [
      idFilter("cds_billsection_ids", "cds_billsection_id", "WG3-01-10.6.9-4"),
      fieldFilter("cds_billstatement_ids", "cds_billstatement_id", "WG3-01-10.6.9-7"),
      fieldFilter("cds_account_ids", "cds_account_id", "WG3-01-10.6.9-8"),
      fieldFilter("account_numbers", "account_number", "WG3-01-10.6.9-9", ACCOUNT_NUMBERS),
      fieldFilter("cds_servicecontract_ids", "related_servicecontracts", "WG3-01-10.6.9-10"),
      { param: "contract_numbers", values: (o, n) => numbersOf(strs(o.related_servicecontracts), n.contract), must: "WG3-01-10.6.9-11", shownBy: CONTRACT_NUMBERS },
    ],
    bound: { before: "start_date", after: "end_date", type: "date", musts: ["WG3-01-10.6.9-5", "WG3-01-10.6.9-6"] },
    order: {
      keys: [
        { name: "account_number", value: (o) => String(o.account_number ?? "") },
        { name: "contract_number (E-WG3-01-109)", value: (o, n) => smallest(numbersOf(strs(o.related_servicecontracts), n.contract)) },
        { name: "start_date", value: (o) => String(o.start_date) },
        modifiedNewest,
      ],
      musts: ["WG3-01-10.6.9-12"],
    },
    objectSection: "10.6.1",
    queryType: "cds_query_bill_sections",
  },
  {
    kind: "aggregations",
    field: "cds_aggregations_api",
    title: "Aggregations",
    section: "10.7.8",
    model: "AggregationListing",
    items: "aggregations",
    id: "cds_aggregation_id",
    intersection: "WG3-01-10.7.8-3",
    filters: [
      idFilter("cds_aggregation_ids", "cds_aggregation_id", "WG3-01-10.7.8-4"),
      fieldFilter("aggregation_numbers", "aggregation_number", "WG3-01-10.7.8-5"),
      // Any of its types matching (WG3-01-10.7.8-7).
      fieldFilter("aggregation_types", "aggregation_types", "WG3-01-10.7.8-6"),
    ],
    q: {
      fields: ["cds_aggregation_id", "aggregation_number", "grouped_addresses (E-WG3-01-113)", "grouped region id and name (E-WG3-01-113)"],
      values: (o) => [...str(o.cds_aggregation_id), ...str(o.aggregation_number), ...strs(o.grouped_addresses), ...objs(o.grouped_regions).flatMap((r) => [...str(r.id), ...str(r.name)])],
      must: "WG3-01-10.7.8-8",
    },
    order: { keys: [modifiedNewest], musts: ["WG3-01-10.7.8-9"] },
    objectSection: "10.7.1",
    queryType: "cds_query_aggregations",
  },
  {
    kind: "usage_segments",
    field: "cds_usagesegments_api",
    title: "Usage Segments",
    section: "10.8.8",
    model: "UsageSegmentListing",
    items: "usage_segments",
    id: "cds_usagesegment_id",
    intersection: "WG3-01-10.8.8-3",
    filters: [
      idFilter("cds_usagesegment_ids", "cds_usagesegment_id", "WG3-01-10.8.8-4"),
      fieldFilter("cds_account_ids", "related_accounts", "WG3-01-10.8.8-7"),
      { param: "account_numbers", values: (o, n) => numbersOf(strs(o.related_accounts), n.account), must: "WG3-01-10.8.8-8", shownBy: ACCOUNT_NUMBERS },
      fieldFilter("cds_servicecontract_ids", "related_servicecontracts", "WG3-01-10.8.8-9"),
      { param: "contract_numbers", values: (o, n) => numbersOf(strs(o.related_servicecontracts), n.contract), must: "WG3-01-10.8.8-10", shownBy: CONTRACT_NUMBERS },
      fieldFilter("cds_servicepoint_ids", "related_servicepoints", "WG3-01-10.8.8-11"),
      { param: "servicepoint_numbers", values: (o, n) => numbersOf(strs(o.related_servicepoints), n.servicePoint), must: "WG3-01-10.8.8-12" },
      { param: "cds_meterdevice_ids", values: (o) => segmentMeters(o), must: "WG3-01-10.8.8-13" },
      { param: "meter_numbers", values: (o, n) => numbersOf(segmentMeters(o), n.meter), must: "WG3-01-10.8.8-14", shownBy: METER_NUMBERS },
      fieldFilter("cds_billsection_ids", "related_billsections", "WG3-01-10.8.8-15"),
    ],
    bound: { before: "segment_start", after: "segment_end", type: "datetime", musts: ["WG3-01-10.8.8-5", "WG3-01-10.8.8-6"] },
    order: {
      keys: [
        { name: "aggregation_number (E-WG3-01-204)", value: (o, n) => smallest(numbersOf(strs(o.related_aggregations), n.aggregation)) },
        { name: "account_number (E-WG3-01-204)", value: (o, n) => smallest(numbersOf(strs(o.related_accounts), n.account)) },
        { name: "contract_number (E-WG3-01-204)", value: (o, n) => smallest(numbersOf(strs(o.related_servicecontracts), n.contract)) },
        { name: "segment_start", value: (o) => time(o.segment_start) },
        modifiedNewest,
      ],
      musts: ["WG3-01-10.8.8-16"],
    },
    objectSection: "10.8.1",
    queryType: "cds_query_usage",
  },
  {
    kind: "eacs",
    field: "cds_eacs_api",
    title: "Energy Attribute Certificates",
    section: "10.9.4",
    model: "EnergyAttributeCertificateListing",
    items: "eacs",
    id: "cds_eac_id",
    intersection: "WG3-01-10.9.4-3",
    filters: [
      idFilter("cds_eac_ids", "cds_eac_id", "WG3-01-10.9.4-4"),
      fieldFilter("eac_numbers", "eac_numbers", "WG3-01-10.9.4-5"),
      fieldFilter("beneficiaries", "beneficiaries", "WG3-01-10.9.4-6"),
    ],
    bound: { before: "period_start", after: "period_end", type: "datetime", musts: ["WG3-01-10.9.4-7", "WG3-01-10.9.4-8"] },
    order: {
      keys: [
        { name: "period_start", value: (o) => time(o.period_start), descending: true },
        { name: "cds_created", value: (o) => time(o.cds_created), descending: true },
        { name: "cds_eac_id", value: (o) => String(o.cds_eac_id) },
      ],
      musts: ["WG3-01-10.9.4-9"],
    },
    objectSection: "10.9.1",
    queryType: "cds_query_usage",
  },
];

/** Negative when `a` must come before `b`, positive when after, 0 when the rule leaves them unordered. */
export function compareByRule(keys: readonly OrderKey[], a: Json, b: Json, n: Numbers): { cmp: number; key?: string } {
  for (const k of keys) {
    const [x, y] = [k.value(a, n), k.value(b, n)];
    // Alphanumeric is compared by code point, as the reference reads it (listing-rules in the server: COLLATE "C").
    const c = x < y ? -1 : x > y ? 1 : 0;
    if (c !== 0) return { cmp: k.descending ? -c : c, key: k.name };
  }
  return { cmp: 0 };
}
