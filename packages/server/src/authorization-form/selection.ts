/**
 * The Selection Component's lists (CDS-WG3-01 §9.2.3) built from the signed-in
 * customer's own resources, with the §7.1 preselections applied: each
 * non-null preselection field matches resources at its own level, the match
 * is carried to the selection's level through the account → contract →
 * service point → meter graph, and the fields' matches are intersected.
 * Identifiers of anyone else's resources match nothing.
 */
import type { SelectionType } from "../customer-data/scopes/consent.js";
import { matchAddresses } from "./address-matching.js";
import { FIELD_LEVEL, formGraph, type ExactField, type FormGraph, type FormNode, type Level } from "./resource-graph.js";
import type { CustomerResources } from "./resources.js";

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

const LEVEL: Record<SelectionType, Level> = { account_selection: 0, service_contract_selection: 1, servicepoint_selection: 2, meter_device_selection: 3, aggregation_selection: 4 };

/** The form graph of a customer's resources, made once per resource graph object. */
const graphs = new WeakMap<CustomerResources, FormGraph>();
function graphOf(r: CustomerResources): FormGraph {
  let g = graphs.get(r);
  if (!g) graphs.set(r, (g = formGraph(r)));
  return g;
}

/** One step along the account → contract → service point → meter graph (levels 0–3). */
function step(g: FormGraph, level: 0 | 1 | 2 | 3, ids: Set<string>, down: boolean): Set<string> {
  const next = new Set<string>();
  if (down) {
    for (const child of g.levels[level + 1]!) if (child.parents.some((id) => ids.has(id))) next.add(child.id);
  } else {
    for (const node of g.levels[level]!) if (ids.has(node.id)) node.parents.forEach((id) => next.add(id));
  }
  return next;
}

function carryTree(g: FormGraph, from: 0 | 1 | 2 | 3, ids: Set<string>, to: 0 | 1 | 2 | 3): Set<string> {
  let level = from;
  let current = ids;
  while (level !== to) {
    current = step(g, level, current, level < to);
    level = (level + (level < to ? 1 : -1)) as 0 | 1 | 2 | 3;
  }
  return current;
}

/** An aggregation's resources at one tree level: what it groups there, and what it groups above or below, carried along the graph. */
function groupedAt(g: FormGraph, aggregation: FormNode, to: 0 | 1 | 2 | 3): Set<string> {
  const out = new Set<string>();
  for (const from of [0, 1, 2, 3] as const) {
    const ids = new Set(aggregation.grouped?.[from] ?? []);
    if (ids.size) carryTree(g, from, ids, to).forEach((id) => out.add(id));
  }
  return out;
}

/** Carries a set of ids from one level to another; aggregations relate to the resources they group. */
function carry(g: FormGraph, from: Level, ids: Set<string>, to: Level): Set<string> {
  if (from === to) return ids;
  if (from !== 4 && to !== 4) return carryTree(g, from, ids, to);
  if (from === 4) {
    const out = new Set<string>();
    for (const a of g.levels[4]) if (ids.has(a.id)) groupedAt(g, a, to as 0 | 1 | 2 | 3).forEach((id) => out.add(id));
    return out;
  }
  return new Set(g.levels[4].filter((a) => [...groupedAt(g, a, from)].some((id) => ids.has(id))).map((a) => a.id));
}

/** What one preselection field matches: at its own level, or for `addresses` at the selection's level (§7.1.13). */
function matchField(g: FormGraph, field: string, values: readonly string[], selectionLevel: Level): { level: Level; ids: Set<string> } | null {
  if (field === "addresses") return { level: selectionLevel, ids: matchAddresses(values, g.levels[selectionLevel]) };
  if (!(field in FIELD_LEVEL)) return null;
  const level = FIELD_LEVEL[field as ExactField];
  // `_all` is a choice only of the numbers fields (§7.1.1, §7.1.3, §7.1.6, §7.1.9, §7.1.12).
  const all = field.endsWith("_numbers") && values.includes("_all");
  const ids = new Set(g.levels[level].filter((n) => all || (n.values[field as ExactField] ?? []).some((v) => values.includes(v))).map((n) => n.id));
  return { level, ids };
}

export const PRESELECTION_FIELDS = [
  "account_numbers", "account_programs", "contract_numbers", "service_types", "service_programs", "servicepoint_numbers",
  "servicepoint_types", "premise_numbers", "meter_numbers", "meter_types", "meter_apps", "aggregation_numbers", "addresses",
] as const;

function entriesOf(r: CustomerResources, type: SelectionType): SelectionEntry[] {
  return graphOf(r).levels[LEVEL[type]].map((n) => ({ id: n.id, number: n.number, details: n.details }));
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
      const matched = matchField(graphOf(r), field, value as string[], level);
      if (!matched) {
        preselected = new Set();
        continue;
      }
      const atLevel = carry(graphOf(r), matched.level, matched.ids, level);
      preselected = preselected === null ? atLevel : new Set([...preselected].filter((id) => atLevel.has(id)));
    }
  }
  const all = graphOf(r).levels[level].map((n) => n.id);
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
  return new Set(graphOf(r).levels[LEVEL[type]].map((n) => n.id));
}

/** The numbers of the selected ids, as the Grant and receipt record them. */
export function numbersOf(r: CustomerResources, type: SelectionType, ids: readonly string[]): string[] {
  const byId = new Map(entriesOf(r, type).map((e) => [e.id, e.number]));
  return ids.map((id) => byId.get(id)).filter((n): n is string => n !== undefined);
}
