/**
 * The Selection Component's lists (CDS-WG3-01 §9.2.3) built from the signed-in
 * customer's own resources, with the §7.1 preselections applied: each
 * non-null preselection field matches resources at its own level, the match
 * is carried to the selection's level through the account → contract →
 * service point → meter graph, and the fields' matches are intersected.
 * Identifiers of anyone else's resources match nothing.
 */
import type { SelectionType } from "../customer-data/scopes/consent.js";
import type { CustomerResources } from "./resources.js";

type Level = 0 | 1 | 2 | 3; // account, contract, service point, meter

export interface SelectionEntry {
  id: string;
  /** The number the customer knows it by (`account_number`, …). */
  number: string;
  /** The other things §9.2.3.x says to show: name, address, type, account. */
  details: string[];
}

export interface SelectionList {
  type: SelectionType;
  entries: SelectionEntry[];
  preselected: Set<string>;
  /** §9.2.3.1/§9.2.3.2: an "include future ones" option. */
  offersFuture: boolean;
  futurePreselected: boolean;
  /** Whether any preselection field was given (non-null). */
  hasPreselections: boolean;
}

const LEVEL: Record<SelectionType, Level | null> = { account_selection: 0, service_contract_selection: 1, servicepoint_selection: 2, meter_device_selection: 3, aggregation_selection: null };

const SERVICE_WORDS: Record<string, string> = { electric: "electric", natural_gas: "gas", water: "water" };
const METER_WORDS: Record<string, string> = { electric_usage: "electric meter", natural_gas_usage: "gas meter", water_usage: "water meter" };

function idsAt(r: CustomerResources, level: Level): string[] {
  const lists: { id: string }[][] = [r.accounts, r.serviceContracts, r.servicePoints, r.meters];
  return lists[level]!.map((x) => x.id);
}

/** Carries a set of ids from one level to another along the graph. */
function carry(r: CustomerResources, from: Level, ids: Set<string>, to: Level): Set<string> {
  let level = from;
  let current = ids;
  while (level !== to) {
    const next = new Set<string>();
    if (level < to) {
      // Down: children whose parent is in the set.
      if (level === 0) for (const c of r.serviceContracts) if (current.has(c.account_id)) next.add(c.id);
      if (level === 1) for (const p of r.servicePoints) if (p.contract_ids.some((id) => current.has(id))) next.add(p.id);
      if (level === 2) for (const m of r.meters) if (m.servicepoint_ids.some((id) => current.has(id))) next.add(m.id);
      level = (level + 1) as Level;
    } else {
      if (level === 1) for (const c of r.serviceContracts) if (current.has(c.id)) next.add(c.account_id);
      if (level === 2) for (const p of r.servicePoints) if (current.has(p.id)) p.contract_ids.forEach((id) => next.add(id));
      if (level === 3) for (const m of r.meters) if (current.has(m.id)) m.servicepoint_ids.forEach((id) => next.add(id));
      level = (level - 1) as Level;
    }
    current = next;
  }
  return current;
}

/** §7.1.13.1, simplified: case, punctuation and spacing do not matter; a request address matches a resource address containing it. */
export function normalizeAddress(a: string): string {
  return a
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .replace(/\b(street)\b/g, "st")
    .replace(/\b(avenue)\b/g, "ave")
    .replace(/\b(lane)\b/g, "ln")
    .replace(/\b(apartment)\b/g, "apt")
    .trim();
}

function addressMatches(resource: string | null, wanted: readonly string[]): boolean {
  if (!resource) return false;
  const r = normalizeAddress(resource);
  return wanted.some((w) => normalizeAddress(w).length > 0 && r.includes(normalizeAddress(w)));
}

/** What one preselection field matches, at its own level; null when the field does not preselect at all. */
function matchField(r: CustomerResources, field: string, values: readonly string[]): { level: Level; ids: Set<string> } | null {
  const has = (v: string) => values.includes(v);
  const set = <T extends { id: string }>(items: T[], keep: (x: T) => boolean) => new Set(items.filter(keep).map((x) => x.id));
  const all = has("_all");
  switch (field) {
    case "account_numbers":
      return { level: 0, ids: set(r.accounts, (a) => all || has(a.account_number)) };
    case "account_programs":
      return { level: 0, ids: set(r.accounts, (a) => a.program_numbers.some(has)) };
    case "contract_numbers":
      return { level: 1, ids: set(r.serviceContracts, (c) => all || has(c.contract_number)) };
    case "service_types":
      return { level: 1, ids: set(r.serviceContracts, (c) => has(c.service_type)) };
    case "service_programs":
      return { level: 1, ids: set(r.serviceContracts, (c) => c.program_numbers.some(has)) };
    case "servicepoint_numbers":
      return { level: 2, ids: set(r.servicePoints, (p) => all || has(p.servicepoint_number)) };
    case "servicepoint_types":
      return { level: 2, ids: set(r.servicePoints, (p) => p.servicepoint_types.some(has)) };
    case "premise_numbers":
      return { level: 2, ids: set(r.servicePoints, (p) => p.premise_number !== null && has(p.premise_number)) };
    case "addresses":
      return { level: 2, ids: set(r.servicePoints, (p) => addressMatches(p.address, values)) };
    case "meter_numbers":
      return { level: 3, ids: set(r.meters, (m) => all || has(m.meter_number)) };
    case "meter_types":
      return { level: 3, ids: set(r.meters, (m) => has(m.meter_type)) };
    case "aggregation_numbers":
      // This server groups no customer into aggregations yet: nothing matches.
      return { level: 0, ids: new Set() };
    default:
      return null;
  }
}

export const PRESELECTION_FIELDS = [
  "account_numbers", "account_programs", "contract_numbers", "service_types", "service_programs", "servicepoint_numbers",
  "servicepoint_types", "premise_numbers", "meter_numbers", "meter_types", "aggregation_numbers", "addresses",
] as const;

function entriesOf(r: CustomerResources, type: SelectionType): SelectionEntry[] {
  const accountOf = (id: string) => r.accounts.find((a) => a.id === id)?.account_number;
  switch (type) {
    case "account_selection":
      return r.accounts.map((a) => ({ id: a.id, number: a.account_number, details: [a.name, a.address].filter((x): x is string => !!x) }));
    case "service_contract_selection":
      return r.serviceContracts.map((c) => ({
        id: c.id,
        number: c.contract_number,
        details: [c.name, c.address, SERVICE_WORDS[c.service_type] ?? c.service_type, `account ${accountOf(c.account_id) ?? c.account_number}`].filter((x): x is string => !!x),
      }));
    case "servicepoint_selection":
      return r.servicePoints.map((p) => ({ id: p.id, number: p.servicepoint_number, details: [p.name, p.address, ...p.servicepoint_types.map((t) => SERVICE_WORDS[t] ?? t)].filter((x): x is string => !!x) }));
    case "meter_device_selection":
      return r.meters.map((m) => ({ id: m.id, number: m.meter_number, details: [m.name, METER_WORDS[m.meter_type] ?? m.meter_type].filter((x): x is string => !!x) }));
    case "aggregation_selection":
      return [];
  }
}

/** The list for `type` with the preselections of the (merged) entries applied. */
export function selectionList(r: CustomerResources, type: SelectionType, entries: readonly Record<string, unknown>[]): SelectionList {
  const level = LEVEL[type];
  let preselected: Set<string> | null = null;
  let futurePreselected = false;
  let hasPreselections = false;
  for (const entry of entries) {
    for (const field of PRESELECTION_FIELDS) {
      const value = entry[field];
      if (!Array.isArray(value)) continue;
      hasPreselections = true;
      if ((field === "account_numbers" || field === "contract_numbers") && value.includes("_include_future")) futurePreselected = true;
      const matched = matchField(r, field, value as string[]);
      if (!matched || level === null) {
        preselected = new Set();
        continue;
      }
      const atLevel = carry(r, matched.level, matched.ids, level);
      preselected = preselected === null ? atLevel : new Set([...preselected].filter((id) => atLevel.has(id)));
    }
  }
  const all = level === null ? [] : idsAt(r, level);
  return {
    type,
    entries: entriesOf(r, type),
    preselected: new Set([...(preselected ?? new Set<string>())].filter((id) => all.includes(id))),
    offersFuture: type === "account_selection" || type === "service_contract_selection",
    futurePreselected,
    hasPreselections,
  };
}

/** The ids `type` lists for this customer: what a submitted selection may contain. */
export function selectableIds(r: CustomerResources, type: SelectionType): Set<string> {
  const level = LEVEL[type];
  return new Set(level === null ? [] : idsAt(r, level));
}

/** The numbers of the selected ids, as the Grant and receipt record them. */
export function numbersOf(r: CustomerResources, type: SelectionType, ids: readonly string[]): string[] {
  const byId = new Map(entriesOf(r, type).map((e) => [e.id, e.number]));
  return ids.map((id) => byId.get(id)).filter((n): n is string => n !== undefined);
}
