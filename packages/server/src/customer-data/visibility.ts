/**
 * What one Grant lets its Client see of one §10 listing, worked out again on
 * every request from the Grant as it is now and the customer's resource
 * graph (./data-source.ts):
 *
 * - which listings it opens: the scope's own data (§6.1.x "MUST make
 *   available", §6.2.x) and the `include_*` objects (§7.2.1–§7.2.8) its
 *   scope always counts as true or its enabled authorization details set;
 * - which objects: for a customer's consent (§6.1), those reached from what
 *   the customer selected on the Authorization Form (`customer_selection`,
 *   §6), along account → contract → service point → meter; for Direct
 *   Access (§6.2), everything of the Grant's customer narrowed by the
 *   Grant's preselections (§7.1); always within the §7.3 durations;
 * - which fields (./field-rules.ts) and which related ids.
 *
 * A view narrows a data-source request; it never widens one (§7.2: included
 * data cannot reach beyond the Client's base permissions).
 */
import type { grants } from "../db/schema.js";
import { resolveDuration } from "../authorization-form/durations.js";
import type { CustomerDataKind, CustomerResourceGraph } from "./data-source.js";
import { consentScopeRule, valueTypeOfChoice, type ConsentScopeRule } from "./scopes/consent.js";
import { directAccessScopes } from "./scopes/direct-access.js";
import { utc } from "./listing-rules.js";

type GrantRow = typeof grants.$inferSelect;
type Detail = Record<string, unknown>;

/** The listing each §6.1 scope makes available itself (its "MUST make available" sentence). */
const CONSENT_PRIMARY: Record<string, CustomerDataKind | null> = {
  cds_rate_plan_1: "service_contracts",
  cds_account_programs_1: "accounts",
  cds_service_programs_1: "service_contracts",
  cds_accounts_1: "accounts",
  cds_service_contracts_1: "service_contracts",
  cds_meters_1: "meter_devices",
  cds_bill_statements_1: "bill_statements",
  cds_service_bills_1: "bill_sections",
  cds_usage_1: "usage_segments",
  // §6.1.10 consents to being counted; it opens no listing to the Client.
  cds_aggregation_consent_1: null,
};

/** §7.2: the `include_*` field that adds each kind of object. */
const INCLUDE_KIND: Record<string, CustomerDataKind> = {
  include_accounts: "accounts",
  include_service_contracts: "service_contracts",
  include_service_points: "service_points",
  include_meter_devices: "meter_devices",
  include_bill_statements: "bill_statements",
  include_bill_sections: "bill_sections",
  include_aggregations: "aggregations",
  include_usage_segments: "usage_segments",
};

type Level = "accounts" | "service_contracts" | "service_points" | "meter_devices";
const SELECTION_LEVEL: Record<string, Level | null> = {
  account_selection: "accounts",
  service_contract_selection: "service_contracts",
  servicepoint_selection: "service_points",
  meter_device_selection: "meter_devices",
  aggregation_selection: null,
};
/** The Usage Segment filter that matches a selection of each level (§6.1.9: `related_*` holds a selected id). */
const USAGE_FILTER: Record<Level, string> = {
  accounts: "cds_account_ids",
  service_contracts: "cds_servicecontract_ids",
  service_points: "cds_servicepoint_ids",
  meter_devices: "cds_meterdevice_ids",
};

export interface GrantView {
  grantId: string;
  kind: CustomerDataKind;
  customer: string;
  /** `include_*` and other boolean fields that are true for this Grant and scope. */
  flags: ReadonlySet<string>;
  /** When set, only these ids of the listing's kind. */
  visibleIds?: readonly string[];
  /** Extra filters, intersected with the request's. */
  filters: Record<string, string[]>;
  /** §7.3 bounds, as the listing's `after`/`before` (on or after / on or before). */
  after?: string;
  before?: string;
  /** §7.3.1: objects created after this are not shared. */
  createdUntil?: string;
  /** The ids of each kind the Client may see, for `related_*` lists; a kind absent here is not visible at all. */
  related: Partial<Record<CustomerDataKind, ReadonlySet<string> | "all">>;
  /** §7.2.8.1 for Usage Segments: the Value Format types shared (`null`: none, `undefined`: all). */
  valueTypes?: string[] | null;
}

/** The four levels' ids reached from `basis` at `level`, up and down the graph, plus the parents of reached accounts (§7.2.1). */
export function coverage(graph: CustomerResourceGraph, level: Level, basis: ReadonlySet<string>): Record<Level, Set<string>> {
  const sets: Record<Level, Set<string>> = { accounts: new Set(), service_contracts: new Set(), service_points: new Set(), meter_devices: new Set() };
  sets[level] = new Set(basis);
  const order: Level[] = ["accounts", "service_contracts", "service_points", "meter_devices"];
  const at = order.indexOf(level);
  const contractsOf = (p: CustomerResourceGraph["servicePoints"][number]) => [...p.current_servicecontracts, ...p.previous_servicecontracts];
  const pointsOf = (m: CustomerResourceGraph["meterDevices"][number]) => [...m.current_servicepoints, ...m.previous_servicepoints];
  // Down.
  for (let i = at + 1; i < order.length; i++) {
    const above = sets[order[i - 1]!];
    if (order[i] === "service_contracts") for (const c of graph.serviceContracts) if (above.has(c.cds_account_id)) sets.service_contracts.add(c.cds_servicecontract_id);
    if (order[i] === "service_points") for (const p of graph.servicePoints) if (contractsOf(p).some((id) => above.has(id))) sets.service_points.add(p.cds_servicepoint_id);
    if (order[i] === "meter_devices") for (const m of graph.meterDevices) if (pointsOf(m).some((id) => above.has(id))) sets.meter_devices.add(m.cds_meterdevice_id);
  }
  // Up.
  for (let i = at - 1; i >= 0; i--) {
    const below = sets[order[i + 1]!];
    if (order[i] === "service_points") for (const m of graph.meterDevices) if (below.has(m.cds_meterdevice_id)) pointsOf(m).forEach((id) => sets.service_points.add(id));
    if (order[i] === "service_contracts") for (const p of graph.servicePoints) if (below.has(p.cds_servicepoint_id)) contractsOf(p).forEach((id) => sets.service_contracts.add(id));
    if (order[i] === "accounts") for (const c of graph.serviceContracts) if (below.has(c.cds_servicecontract_id)) sets.accounts.add(c.cds_account_id);
  }
  // Only the customer's own: a selection naming anything else reaches nothing.
  const own = {
    accounts: new Set(graph.accounts.map((a) => a.cds_account_id)),
    service_contracts: new Set(graph.serviceContracts.map((c) => c.cds_servicecontract_id)),
    service_points: new Set(graph.servicePoints.map((p) => p.cds_servicepoint_id)),
    meter_devices: new Set(graph.meterDevices.map((m) => m.cds_meterdevice_id)),
  };
  for (const l of order) sets[l] = new Set([...sets[l]].filter((id) => own[l].has(id)));
  // Parents of included accounts come along (§7.2.1), as far up as they go.
  for (let grew = true; grew; ) {
    grew = false;
    for (const a of graph.accounts) {
      if (sets.accounts.has(a.cds_account_id) && a.cds_account_parent && own.accounts.has(a.cds_account_parent) && !sets.accounts.has(a.cds_account_parent)) {
        sets.accounts.add(a.cds_account_parent);
        grew = true;
      }
    }
  }
  return sets;
}

function durationBound(field: string, value: unknown, grant: GrantRow, kind: "date" | "datetime"): string | undefined {
  if (typeof value !== "string" || value === "infinite") return undefined;
  const resolved = resolveDuration(field, value, grant.createdAt);
  if (Number.isNaN(Date.parse(resolved))) return undefined;
  return kind === "date" ? resolved.slice(0, 10) : utc(resolved);
}

/** §7.3.2–§7.3.7: which duration fields bound which listing, and how. */
const DURATION_BOUNDS: Partial<Record<CustomerDataKind, { after: string; before: string; kind: "date" | "datetime" }>> = {
  bill_statements: { after: "statement_date_start", before: "statement_date_end", kind: "date" },
  bill_sections: { after: "start_date", before: "end_date", kind: "date" },
  usage_segments: { after: "segment_start", before: "segment_end", kind: "datetime" },
};

function applyDurations(view: GrantView, details: readonly Detail[], grant: GrantRow): void {
  const rule = DURATION_BOUNDS[view.kind];
  for (const d of details) {
    if (rule) {
      const after = durationBound(rule.after, d[rule.after], grant, rule.kind);
      const before = durationBound(rule.before, d[rule.before], grant, rule.kind);
      if (after !== undefined && (view.after === undefined || after > view.after)) view.after = after;
      if (before !== undefined && (view.before === undefined || before < view.before)) view.before = before;
    }
    const sync = durationBound("sync_until", d.sync_until, grant, "datetime");
    if (sync !== undefined && (view.createdUntil === undefined || sync < view.createdUntil)) view.createdUntil = sync;
  }
}

function flagsOf(defaults: readonly string[], details: readonly Detail[]): Set<string> {
  const flags = new Set(defaults);
  for (const d of details) for (const [k, v] of Object.entries(d)) if (v === true) flags.add(k);
  // §7.2.2, §7.2.4: contracts and meters together bring the service points between them.
  if (flags.has("include_service_contracts") && flags.has("include_meter_devices")) flags.add("include_service_points");
  return flags;
}

function kindsOf(primary: CustomerDataKind | null, flags: ReadonlySet<string>): Set<CustomerDataKind> {
  const kinds = new Set<CustomerDataKind>(primary ? [primary] : []);
  for (const [flag, kind] of Object.entries(INCLUDE_KIND)) if (flags.has(flag)) kinds.add(kind);
  // §7.2.8: `include_usage_segments` false keeps Usage Segments out whatever else says.
  if (!flags.has("include_usage_segments")) kinds.delete("usage_segments");
  return kinds;
}

function valueTypesOf(details: readonly Detail[]): string[] | null | undefined {
  let types: string[] | null | undefined;
  for (const d of details) {
    if (!Object.hasOwn(d, "include_usage_segment_value_types")) continue;
    const v = d.include_usage_segment_value_types;
    if (v === null) return null;
    // A choice id admits formats of that id and of its format's Value Type (E-WG3-01-360).
    if (Array.isArray(v)) types = [...(types ?? []), ...v.filter((x): x is string => typeof x === "string").flatMap((x) => [x, ...(valueTypeOfChoice(x) ? [valueTypeOfChoice(x)!] : [])])];
  }
  return types;
}

/** The view of one customer-consent scope of `grant` on `kind`; null when the scope does not open it. */
function consentViews(grant: GrantRow, rule: ConsentScopeRule, kind: CustomerDataKind, graph: CustomerResourceGraph): GrantView[] {
  const details = (grant.enabledAuthorizationDetails as Detail[]).filter((d) => d.type === rule.id);
  const flags = flagsOf(rule.alwaysIncluded, details);
  const kinds = kindsOf(CONSENT_PRIMARY[rule.id] ?? null, flags);
  if (!kinds.has(kind)) return [];
  const selections = (grant.customerSelection ?? []).filter((s) => s.scopes.includes(rule.id));
  // Each selection's reach at every level; a Grant made elsewhere (no selection recorded) reaches nothing.
  const reach: Record<Level, Set<string>> = { accounts: new Set(), service_contracts: new Set(), service_points: new Set(), meter_devices: new Set() };
  const usageFilters: Record<string, string[]> = {};
  const created = grant.createdAt.getTime();
  for (const s of selections) {
    const level = SELECTION_LEVEL[s.type];
    if (!level) continue;
    const basis = new Set(s.ids);
    // §9.2.3.1–§9.2.3.2 "include future ones": what was added to the customer after the approval.
    if (s.includeFuture) {
      const later = (level === "accounts" ? graph.accounts.map((a) => [a.cds_account_id, a.cds_created] as const) : graph.serviceContracts.map((c) => [c.cds_servicecontract_id, c.cds_created] as const)).filter(([, at]) => Date.parse(at) > created);
      later.forEach(([id]) => basis.add(id));
    }
    const sets = coverage(graph, level, basis);
    for (const l of Object.keys(reach) as Level[]) sets[l].forEach((id) => reach[l].add(id));
    usageFilters[USAGE_FILTER[level]] = [...(usageFilters[USAGE_FILTER[level]] ?? []), ...[...basis].filter((id) => sets[level].has(id))];
  }
  const aggregations = graph.aggregations
    .filter((g) => g.grouped_accounts.some((id) => reach.accounts.has(id)) || g.grouped_servicecontracts.some((id) => reach.service_contracts.has(id)) || g.grouped_meterdevices.some((id) => reach.meter_devices.has(id)))
    .map((g) => g.cds_aggregation_id);
  const related: GrantView["related"] = {};
  for (const k of kinds) {
    if (k === "accounts" || k === "service_contracts" || k === "service_points" || k === "meter_devices") related[k] = reach[k];
    else if (k === "aggregations") related[k] = new Set(aggregations);
    else related[k] = "all";
  }
  const view: GrantView = { grantId: grant.id, kind, customer: grant.accountId!, flags, filters: {}, related, valueTypes: valueTypesOf(details) };
  switch (kind) {
    case "accounts":
    case "service_contracts":
    case "service_points":
    case "meter_devices":
      view.visibleIds = [...reach[kind]];
      break;
    case "aggregations":
      view.visibleIds = aggregations;
      break;
    case "bill_statements":
      // §7.2.5: the statements of the Accounts the scope gives access to.
      view.filters.cds_account_ids = [...reach.accounts];
      break;
    case "bill_sections":
      // §7.2.6: an included Account's sections that name an included Service Contract.
      view.filters.cds_account_ids = [...reach.accounts];
      view.filters.cds_servicecontract_ids = [...reach.service_contracts];
      break;
    case "usage_segments": {
      // §6.1.9: a selected object in the segment's `related_*`. Selections of several levels widen (any of them): one view each.
      applyDurations(view, details, grant);
      const levels = Object.entries(usageFilters);
      if (!levels.length) return [{ ...view, visibleIds: [] }];
      return levels.map(([name, ids]) => ({ ...view, filters: { [name]: ids } }));
    }
    case "energy_attribute_certificates":
      // No consent scope here lists `include_eacs` (§7.2.9).
      return [];
  }
  applyDurations(view, details, grant);
  return [view];
}

/** §7.1 preselection fields and the listing filters of the same name. */
const PRESELECTIONS = ["account_numbers", "contract_numbers", "servicepoint_numbers", "meter_numbers", "aggregation_numbers"] as const;

/** The view of a Direct Access scope (§6.2) of a Server-made Grant. */
function directView(grant: GrantRow, scope: (typeof directAccessScopes)[number], kind: CustomerDataKind, graph: CustomerResourceGraph, listingFilters: readonly string[]): GrantView {
  const details = (grant.enabledAuthorizationDetails as Detail[]).filter((d) => d.type === scope.id);
  const flags = flagsOf(scope.included, details);
  const filters: Record<string, string[]> = {};
  let nothing = false;
  for (const d of details) {
    for (const name of PRESELECTIONS) {
      const values = d[name];
      // §6.2: preselections constrain the responses; one this listing cannot filter on leaves nothing (never everything).
      if (!Array.isArray(values)) continue;
      const wanted = values.filter((v): v is string => typeof v === "string");
      if (listingFilters.includes(name)) filters[name] = filters[name] ? filters[name].filter((v) => wanted.includes(v)) : wanted;
      else nothing = true;
    }
  }
  // The Server decided this Client sees this customer: the customer's own ids may be named in related lists.
  const related: GrantView["related"] = {
    accounts: new Set(graph.accounts.map((a) => a.cds_account_id)),
    service_contracts: new Set(graph.serviceContracts.map((c) => c.cds_servicecontract_id)),
    service_points: new Set(graph.servicePoints.map((p) => p.cds_servicepoint_id)),
    meter_devices: new Set(graph.meterDevices.map((m) => m.cds_meterdevice_id)),
    aggregations: new Set(graph.aggregations.map((g) => g.cds_aggregation_id)),
    bill_statements: "all",
    bill_sections: "all",
    usage_segments: "all",
    energy_attribute_certificates: "all",
  };
  const view: GrantView = { grantId: grant.id, kind, customer: grant.accountId!, flags, filters, related, valueTypes: valueTypesOf(details), ...(nothing ? { visibleIds: [] } : {}) };
  applyDurations(view, details, grant);
  return view;
}

/** Whether a Grant is in force now (CDS-WG1-02 §8.1 `status`, `not_before`, `not_after`). */
export function grantInForce(grant: GrantRow, now = Date.now()): boolean {
  return grant.status === "active" && grant.accountId !== null && (!grant.notAfter || grant.notAfter.getTime() > now) && (!grant.notBefore || grant.notBefore.getTime() <= now);
}

/** The scopes of `grant` that open `kind`, and the view of each; empty when none does. */
export function grantViews(grant: GrantRow, kind: CustomerDataKind, graph: CustomerResourceGraph, listingFilters: readonly string[], tokenScopes: readonly string[]): GrantView[] {
  const views: GrantView[] = [];
  for (const scope of grant.enabledScope.split(" ").filter((s) => tokenScopes.includes(s))) {
    const consent = consentScopeRule(scope);
    if (consent) {
      views.push(...consentViews(grant, consent, kind, graph));
      continue;
    }
    const direct = directAccessScopes.find((s) => s.id === scope);
    if (direct && direct.kind === kind) views.push(directView(grant, direct, kind, graph, listingFilters));
    // spec/ERRATA.md E-WG3-01-250: the EAC listing opens with the usage query scope.
    if (direct && direct.id === "cds_query_usage_1" && kind === "energy_attribute_certificates") views.push(directView(grant, direct, kind, graph, listingFilters));
  }
  return views;
}
