/**
 * What each §10 listing filters, bounds, searches and orders on, derived from
 * the objects themselves. The database source stores these next to each
 * object (so every filter is an index lookup), and the tests use the same
 * rules' inputs (the objects) to brute-force the expected subsets.
 *
 * Orderings (all ascending on one text key, tie-broken by id, so the order is
 * total): a descending time becomes an inverted, zero-padded number, and the
 * key is compared bytewise (`COLLATE "C"`), which is what "alphanumeric" means
 * here. Sections: §10.1.10, §10.2.7, §10.3.5, §10.4.5 (`cds_modified`, newest
 * first), §10.5.4 (`statement_date`, then `cds_modified`, newest first), §10.6.9 (spec/ERRATA.md
 * E-WG3-01-109), §10.7.8 (E-WG3-01-113), §10.8.8 (E-WG3-01-204), §10.9.4
 * (`period_start`, then `cds_created`, newest first, then `cds_eac_id`).
 */
import type { CustomerDataKind, CustomerDataObject, ListFilterName } from "./data-source.js";

/** The customer-facing numbers of related objects, for the `*_numbers` filters and the orderings that name them. */
export interface RelatedNumbers {
  account(id: string): string | null | undefined;
  serviceContract(id: string): string | null | undefined;
  servicePoint(id: string): string | null | undefined;
  meterDevice(id: string): string | null | undefined;
  aggregation(id: string): string | null | undefined;
}

export interface ListingFacts<K extends CustomerDataKind> {
  id: string;
  orderKey: string;
  filters: Partial<Record<ListFilterName<K>, string[]>>;
  /** What `after` is compared with (on or after) and what `before` is (on or before). */
  rangeStart: string | null;
  rangeEnd: string | null;
  /** The `q` fields of the section and their values. */
  search: Record<string, string[]>;
}

const SEP = "\u0001";
const MAX_MS = 8_640_000_000_000_000;
/** A time that sorts newest first under an ascending text comparison. */
export const newestFirst = (iso: string) => String(MAX_MS - Date.parse(iso)).padStart(16, "0");
/** A time that sorts oldest first. */
export const oldestFirst = (iso: string) => String(Date.parse(iso) + MAX_MS).padStart(17, "0");
/** Datetimes as UTC ISO text, so text comparison is time comparison. */
export const utc = (iso: string) => new Date(iso).toISOString();

const present = (values: readonly (string | null | undefined)[]) => [...new Set(values.filter((v): v is string => typeof v === "string"))];
const smallest = (values: readonly (string | null | undefined)[]) => present(values).sort()[0] ?? "";

type Facts = { [K in CustomerDataKind]: (object: CustomerDataObject<K>, numbers: RelatedNumbers) => ListingFacts<K> };

export const listingFacts: Facts = {
  accounts: (a) => ({
    id: a.cds_account_id,
    orderKey: newestFirst(a.cds_modified),
    filters: {
      cds_account_ids: [a.cds_account_id],
      customer_numbers: present([a.customer_number]),
      account_numbers: present([a.account_number]),
      account_statuses: present([a.account_status]),
    },
    rangeStart: null,
    rangeEnd: null,
    search: {
      cds_account_id: [a.cds_account_id],
      customer_number: present([a.customer_number]),
      account_number: present([a.account_number]),
      account_address: present([a.account_address]),
      account_name: present([a.account_name]),
      // spec/ERRATA.md E-WG3-01-105: contact e-mail is the value of an `email` contact.
      contact_email: present((a.account_contacts ?? []).filter((c) => c.types.includes("email")).map((c) => c.value)),
      program_number: present((a.account_programs ?? []).map((p) => p.program_number)),
    },
  }),
  service_contracts: (c) => ({
    id: c.cds_servicecontract_id,
    orderKey: newestFirst(c.cds_modified),
    filters: {
      cds_servicecontract_ids: [c.cds_servicecontract_id],
      account_numbers: present([c.account_number]),
      contract_numbers: present([c.contract_number]),
      contract_statuses: [c.contract_status],
      contract_types: present(c.contract_types),
      service_types: present(c.service_types),
    },
    rangeStart: null,
    rangeEnd: null,
    search: {
      cds_servicecontract_id: [c.cds_servicecontract_id],
      account_number: present([c.account_number]),
      contract_number: present([c.contract_number]),
      contract_address: present([c.contract_address]),
      rateplan_code: present([c.rateplan_code]),
      rateplan_name: present([c.rateplan_name]),
      program_number: present((c.service_programs ?? []).map((p) => p.program_number)),
    },
  }),
  service_points: (p) => ({
    id: p.cds_servicepoint_id,
    orderKey: newestFirst(p.cds_modified),
    filters: {
      cds_servicepoint_ids: [p.cds_servicepoint_id],
      servicepoint_numbers: present([p.servicepoint_number]),
      current_servicecontracts: present(p.current_servicecontracts),
      previous_servicecontracts: present(p.previous_servicecontracts),
    },
    rangeStart: null,
    rangeEnd: null,
    search: {
      cds_servicepoint_id: [p.cds_servicepoint_id],
      servicepoint_number: present([p.servicepoint_number]),
      servicepoint_address: present([p.servicepoint_address]),
      premise_number: present((p.premises ?? []).map((x) => x.premise_number)),
    },
  }),
  meter_devices: (m) => ({
    id: m.cds_meterdevice_id,
    orderKey: newestFirst(m.cds_modified),
    filters: {
      cds_meterdevice_ids: [m.cds_meterdevice_id],
      meter_number: present([m.meter_number]),
      current_servicepoints: present(m.current_servicepoints),
      previous_servicepoints: present(m.previous_servicepoints),
    },
    rangeStart: null,
    rangeEnd: null,
    search: { cds_meterdevice_id: [m.cds_meterdevice_id], meter_number: present([m.meter_number]) },
  }),
  bill_statements: (s) => ({
    id: s.cds_billstatement_id,
    // §10.5.4: newest `statement_date` first, then newest `cds_modified` among statements of one date.
    orderKey: [newestFirst(`${s.statement_date}T00:00:00Z`), newestFirst(s.cds_modified)].join(SEP),
    filters: { cds_billstatement_ids: [s.cds_billstatement_id], cds_account_ids: [s.cds_account_id], account_numbers: [s.account_number] },
    rangeStart: s.statement_date,
    rangeEnd: s.statement_date,
    search: {},
  }),
  bill_sections: (s, n) => {
    const contractNumbers = present(s.related_servicecontracts.map((id) => n.serviceContract(id)));
    return {
      id: s.cds_billsection_id,
      orderKey: [s.account_number, smallest(contractNumbers), s.start_date, newestFirst(s.cds_modified)].join(SEP),
      filters: {
        cds_billsection_ids: [s.cds_billsection_id],
        cds_billstatement_ids: present([s.cds_billstatement_id]),
        cds_account_ids: [s.cds_account_id],
        account_numbers: [s.account_number],
        cds_servicecontract_ids: present(s.related_servicecontracts),
        contract_numbers: contractNumbers,
      },
      rangeStart: s.start_date,
      rangeEnd: s.end_date,
      search: {},
    };
  },
  aggregations: (g) => ({
    id: g.cds_aggregation_id,
    orderKey: newestFirst(g.cds_modified),
    filters: { cds_aggregation_ids: [g.cds_aggregation_id], aggregation_numbers: present([g.aggregation_number]), aggregation_types: present(g.aggregation_types) },
    rangeStart: null,
    rangeEnd: null,
    // spec/ERRATA.md E-WG3-01-113: `addresses` are `grouped_addresses`, region numbers are region ids.
    search: {
      cds_aggregation_id: [g.cds_aggregation_id],
      aggregation_number: present([g.aggregation_number]),
      grouped_addresses: present(g.grouped_addresses ?? []),
      // E-WG3-01-113 reads `region_number` as the regions' id and name: both are searched.
      region_id: present(g.grouped_regions.flatMap((r) => [r.id, r.name])),
    },
  }),
  usage_segments: (u, n) => {
    const accountNumbers = present(u.related_accounts.map((id) => n.account(id)));
    const contractNumbers = present(u.related_servicecontracts.map((id) => n.serviceContract(id)));
    const aggregationNumbers = present(u.related_aggregations.map((id) => n.aggregation(id)));
    // Meters named on a format (§10.8.5.1.1) are as related as the segment's own list.
    const meters = present([...u.related_meterdevices, ...u.formats.flatMap((f) => ("related_meterdevices" in f && Array.isArray(f.related_meterdevices) ? (f.related_meterdevices as string[]) : []))]);
    return {
      id: u.cds_usagesegment_id,
      orderKey: [smallest(aggregationNumbers), smallest(accountNumbers), smallest(contractNumbers), oldestFirst(u.segment_start), newestFirst(u.cds_modified)].join(SEP),
      filters: {
        cds_usagesegment_ids: [u.cds_usagesegment_id],
        cds_account_ids: present(u.related_accounts),
        account_numbers: accountNumbers,
        cds_servicecontract_ids: present(u.related_servicecontracts),
        contract_numbers: contractNumbers,
        cds_servicepoint_ids: present(u.related_servicepoints),
        servicepoint_numbers: present(u.related_servicepoints.map((id) => n.servicePoint(id))),
        cds_meterdevice_ids: meters,
        meter_numbers: present(meters.map((id) => n.meterDevice(id))),
        cds_billsection_ids: present(u.related_billsections),
      },
      rangeStart: utc(u.segment_start),
      rangeEnd: utc(u.segment_end),
      search: {},
    };
  },
  energy_attribute_certificates: (e) => ({
    id: e.cds_eac_id,
    // §10.9.4: newest `period_start` first, then newest `cds_created`, then `cds_eac_id` (the id tie-break).
    orderKey: [newestFirst(e.period_start), newestFirst(e.cds_created)].join(SEP),
    filters: { cds_eac_ids: [e.cds_eac_id], eac_numbers: present(e.eac_numbers), beneficiaries: present(e.beneficiaries) },
    rangeStart: utc(e.period_start),
    rangeEnd: utc(e.period_end),
    search: {},
  }),
};

/** Whether facts pass a request's filters, bounds and search: the brute-force reading of a listing's rules. */
export function matches<K extends CustomerDataKind>(
  facts: ListingFacts<K>,
  request: { filters?: Partial<Record<string, readonly string[]>>; after?: string; before?: string; search?: { term: string; fields: readonly string[] } },
): boolean {
  for (const [name, wanted] of Object.entries(request.filters ?? {})) {
    if (!wanted) continue;
    const have = (facts.filters as Record<string, string[] | undefined>)[name] ?? [];
    if (!wanted.some((w) => have.includes(w))) return false;
  }
  if (request.after !== undefined && (facts.rangeEnd === null || facts.rangeEnd < request.after)) return false;
  if (request.before !== undefined && (facts.rangeStart === null || facts.rangeStart > request.before)) return false;
  if (request.search) {
    const term = request.search.term.toLowerCase();
    const hit = request.search.fields.some((f) => (facts.search[f] ?? []).some((v) => v.toLowerCase().includes(term)));
    if (!hit) return false;
  }
  return true;
}
