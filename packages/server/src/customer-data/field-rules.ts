/**
 * Which fields of each §10 object a Grant shows (CDS-WG3-01 §7.2): an
 * OPTIONAL field appears only when its `include_*` field is true for the
 * Grant's scope; the generated models mark those fields optional, so a
 * hidden one is left out (a required field is never hidden). Related-id
 * lists keep only ids the Client may see, and filters and `q` never match on
 * a field the Grant does not show, so neither can reveal it.
 */
import type { CustomerDataKind, CustomerDataObject } from "./data-source.js";
import type { GrantView } from "./visibility.js";
import { valueTypeFormat } from "./scopes/consent.js";

/**
 * Whether a shared value type covers a segment's Value Format: the type
 * itself, the format's own id, or a metadata choice (§5.2, §7.2.8.1) whose
 * `usagesegment_format` has the format's type and units. A choice covers
 * every column of that type and unit (forward, reverse, net, time-of-use):
 * spec/ERRATA.md E-WG3-01-340.
 */
function covers(types: readonly string[], format: { id: string; type: string; units?: unknown }): boolean {
  if (types.includes(format.type) || types.includes(format.id)) return true;
  return types.some((t) => {
    const chosen = valueTypeFormat(t);
    return chosen !== undefined && chosen.type === format.type && (chosen.units === undefined || chosen.units === format.units);
  });
}

type Rules = Partial<Record<CustomerDataKind, Record<string, string>>>;

/** Optional field → the §7.2 field that includes it. */
const FIELD_FLAGS: Rules = {
  // §7.2.1.1, §7.2.1.2, §7.2.1.3
  accounts: {
    customer_number: "include_account_numbers",
    account_number: "include_account_numbers",
    account_entity: "include_account_numbers",
    account_name: "include_account_details",
    account_address: "include_account_details",
    account_types: "include_account_details",
    account_status: "include_account_details",
    account_contacts: "include_account_details",
    account_programs: "include_account_programs",
  },
  // §7.2.1.1, §7.2.2.1–§7.2.2.4
  service_contracts: {
    account_number: "include_account_numbers",
    contract_number: "include_contract_numbers",
    contract_entity: "include_contract_numbers",
    rateplan_code: "include_rate_plans",
    rateplan_name: "include_rate_plans",
    contract_address: "include_service_contract_details",
    contract_start: "include_service_contract_details",
    contract_end: "include_service_contract_details",
    service_programs: "include_service_programs",
  },
  // §7.2.3.1–§7.2.3.3
  service_points: { premises: "include_premises", servicepoint_address: "include_service_point_addresses", latitude: "include_coordinates", longitude: "include_coordinates" },
  // §7.2.4.1, §7.2.4.2
  meter_devices: { meter_number: "include_meter_numbers", meter_apps: "include_meter_apps" },
  // §7.2.5.1–§7.2.5.3
  bill_statements: {
    file_uri: "include_bill_statement_files",
    file_mimetype: "include_bill_statement_files",
    previous_balance_amount: "include_bill_statement_charges",
    previous_balance_paid: "include_bill_statement_charges",
    previous_balance_unpaid: "include_bill_statement_charges",
    new_charges_amount: "include_bill_statement_charges",
    new_charges: "include_bill_statement_charges",
    new_balance_amount: "include_bill_statement_charges",
    account_programs: "include_bill_statement_programs",
  },
  // §7.2.6.1
  bill_sections: { line_items: "include_bill_section_line_items" },
  // §7.2.7.1
  aggregations: { grouped_addresses: "include_aggregation_addresses" },
};

/** List filters that match on a hidden field, by the field's flag. */
const FILTER_FLAGS: Rules = {
  accounts: { customer_numbers: "include_account_numbers", account_numbers: "include_account_numbers", account_statuses: "include_account_details" },
  service_contracts: { account_numbers: "include_account_numbers", contract_numbers: "include_contract_numbers" },
  meter_devices: { meter_number: "include_meter_numbers" },
  bill_statements: { account_numbers: "include_account_numbers" },
  bill_sections: { account_numbers: "include_account_numbers", contract_numbers: "include_contract_numbers" },
  usage_segments: { account_numbers: "include_account_numbers", contract_numbers: "include_contract_numbers", meter_numbers: "include_meter_numbers" },
};

/** `q` fields (listing-rules.ts `search`) and the flag each needs. */
const SEARCH_FLAGS: Rules = {
  accounts: {
    customer_number: "include_account_numbers",
    account_number: "include_account_numbers",
    account_address: "include_account_details",
    account_name: "include_account_details",
    contact_email: "include_account_details",
    program_number: "include_account_programs",
  },
  service_contracts: {
    account_number: "include_account_numbers",
    contract_number: "include_contract_numbers",
    contract_address: "include_service_contract_details",
    rateplan_code: "include_rate_plans",
    rateplan_name: "include_rate_plans",
    program_number: "include_service_programs",
  },
  service_points: { servicepoint_address: "include_service_point_addresses", premise_number: "include_premises" },
  meter_devices: { meter_number: "include_meter_numbers" },
  aggregations: { grouped_addresses: "include_aggregation_addresses" },
};

/** The filter the Grant does not let this listing use, if any (a hidden field's filter). */
export function hiddenFilter(view: GrantView, name: string): string | undefined {
  const flag = FILTER_FLAGS[view.kind]?.[name];
  return flag && !view.flags.has(flag) ? flag : undefined;
}

/** The `q` fields of the section that the Grant shows. */
export function searchableFields(view: GrantView, fields: readonly string[]): string[] {
  const rules = SEARCH_FLAGS[view.kind] ?? {};
  return fields.filter((f) => !rules[f] || view.flags.has(rules[f]!));
}

/** Related-id fields of each kind: list fields, and single ids that become `null` when hidden. */
const RELATED_LISTS: Partial<Record<CustomerDataKind, Record<string, CustomerDataKind>>> = {
  service_points: { current_servicecontracts: "service_contracts", previous_servicecontracts: "service_contracts" },
  meter_devices: { current_servicepoints: "service_points", previous_servicepoints: "service_points" },
  bill_sections: { related_servicecontracts: "service_contracts", related_servicepoints: "service_points", related_meterdevices: "meter_devices", related_billsections: "bill_sections" },
  aggregations: {
    grouped_accounts: "accounts",
    grouped_servicecontracts: "service_contracts",
    grouped_servicepoints: "service_points",
    grouped_meterdevices: "meter_devices",
    grouped_aggregations: "aggregations",
  },
  usage_segments: {
    related_aggregations: "aggregations",
    related_accounts: "accounts",
    related_servicecontracts: "service_contracts",
    related_servicepoints: "service_points",
    related_meterdevices: "meter_devices",
    related_billsections: "bill_sections",
  },
};
const RELATED_NULLABLE: Partial<Record<CustomerDataKind, Record<string, CustomerDataKind>>> = {
  accounts: { cds_account_parent: "accounts" },
  bill_sections: { cds_billstatement_id: "bill_statements" },
};

const mayShow = (view: GrantView, kind: CustomerDataKind, id: string) => {
  const ids = view.related[kind];
  return ids === "all" || (ids !== undefined && ids.has(id));
};

/**
 * §7.2.8.1: which of a segment's Value Format columns a view shares: "all"
 * (the segment is shown as it is), "none" (`null`: no formats, no Value
 * Sets), or the kept columns in order. Cost and supply-mix columns are value
 * types of their own: shared only when named.
 */
export function sharedColumns(formats: readonly { id: string; type: string; units?: unknown }[], types: string[] | null | undefined): "all" | "none" | number[] {
  if (types === undefined) return "all";
  const keep = types === null ? [] : formats.map((f, i) => (covers(types, f) ? i : -1)).filter((i) => i >= 0);
  if (keep.length === formats.length) return "all";
  return types === null ? "none" : keep;
}

/**
 * A Value Format or Value Object whose `indexes` point at other columns
 * (§10.8.5.3.1 supply mix, §10.8.5.7.1 cost), renumbered to the kept
 * columns. Pointers at removed columns are dropped, possibly leaving `[]`,
 * which §10.8.5.3.1 gives for "the measured usage is not in this segment"
 * (spec/ERRATA.md E-WG3-01-460).
 */
export function renumberValue(value: unknown, renumber: ReadonlyMap<number, number>): unknown {
  if (!value || typeof value !== "object" || Array.isArray(value)) return value;
  const v = { ...(value as Record<string, unknown>) };
  if (Array.isArray(v.indexes)) v.indexes = (v.indexes as unknown[]).filter((i) => typeof i === "number" && renumber.has(i)).map((i) => renumber.get(i as number));
  return v;
}

/** §7.2.8.1 on one Usage Segment: only the shared Value Formats, and the columns of the values with them. */
function shareValueFormats(segment: Record<string, unknown>, types: string[] | null | undefined): void {
  const formats = segment.formats as { id: string; type: string; units?: unknown }[];
  const keep = sharedColumns(formats, types);
  if (keep === "all") return;
  if (keep === "none") {
    segment.formats = [];
    segment.values = [];
    return;
  }
  const renumber = new Map(keep.map((old, now) => [old, now]));
  // A kept cost or supply-mix format names the columns it is for by position: those move too.
  segment.formats = keep.map((i) => renumberValue(formats[i], renumber));
  segment.values = (segment.values as unknown[][]).map((set) => keep.map((i) => renumberValue(set[i], renumber)));
}

/** The object as `view` shows it. */
export function shownObject<K extends CustomerDataKind>(view: GrantView, object: CustomerDataObject<K>): CustomerDataObject<K> {
  const out = { ...(object as unknown as Record<string, unknown>) };
  for (const [field, flag] of Object.entries(FIELD_FLAGS[view.kind] ?? {})) if (!view.flags.has(flag)) delete out[field];
  for (const [field, kind] of Object.entries(RELATED_LISTS[view.kind] ?? {})) {
    if (Array.isArray(out[field])) out[field] = (out[field] as string[]).filter((id) => mayShow(view, kind, id));
  }
  for (const [field, kind] of Object.entries(RELATED_NULLABLE[view.kind] ?? {})) {
    if (typeof out[field] === "string" && !mayShow(view, kind, out[field] as string)) out[field] = null;
  }
  if (view.kind === "usage_segments") {
    const formats = (out.formats as Record<string, unknown>[]).map((f) => (Array.isArray(f.related_meterdevices) ? { ...f, related_meterdevices: (f.related_meterdevices as string[]).filter((id) => mayShow(view, "meter_devices", id)) } : f));
    out.formats = formats;
    shareValueFormats(out, view.valueTypes);
  }
  return out as unknown as CustomerDataObject<K>;
}
