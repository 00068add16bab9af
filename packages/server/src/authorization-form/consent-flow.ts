/**
 * What the Authorization Form shows and what an approval grants, for one
 * signed-in customer (CDS-WG3-01 §9.1.1 after authentication, §9.2, §7):
 * the Request Sections with this customer's own resources and the
 * preselections applied; the Preselection Error check (§7.4.3, §9.3.1); and,
 * on approval, the Grant's authorization details exactly as selected, with
 * durations resolved to absolute values (§7.3) and the selection recorded by
 * the Selection Component's type (§6).
 */
import type { Purpose } from "@cds-toolkit/types";
import type { ConsentDetail } from "../customer-data/authorization-details/validate.js";
import { DEFAULT_PURPOSE_ID, type SelectionType } from "../customer-data/scopes/consent.js";
import { SELECTION_WORDS } from "./data-words.js";
import { DURATION_FIELDS, resolveDuration } from "./durations.js";
import type { ClientView, ResolvedRequest, ScopeRequest } from "./request.js";
import type { CustomerResources } from "./resources.js";
import { numbersOf, PRESELECTION_FIELDS, selectableIds, selectionList, type SelectionList } from "./selection.js";

export interface SectionView {
  name: string;
  scopes: ScopeRequest[];
  list: SelectionList;
  editable: boolean;
  purpose: { purpose: Purpose; serverDefault: boolean } | null;
  errorIfNoPreselections: boolean;
}

export function sectionViews(request: ResolvedRequest, resources: CustomerResources, client: ClientView): SectionView[] {
  return request.groups.map((scopes, i) => {
    const first = scopes[0]!;
    const list = selectionList(resources, first.selectionType, scopes.map((s) => s.entry));
    const editable = scopes.every((s) => s.entry.allow_scope_modifications !== false);
    // §7.4.5 false: the request is taken as a whole; without preselections that is everything listed.
    if (!editable && !list.hasPreselections) for (const e of list.entries) list.preselected.add(e.id);
    const purposeId = first.entry.purpose;
    const purpose = typeof purposeId === "string" && client.purposes[purposeId] ? { purpose: client.purposes[purposeId]!, serverDefault: purposeId === DEFAULT_PURPOSE_ID } : null;
    return { name: `s${i}`, scopes, list, editable, purpose, errorIfNoPreselections: scopes.some((s) => s.entry.error_if_no_preselections === true) };
  });
}

/** §7.4.3: sections whose preselections matched nothing of this customer's, when the request asked for the error. */
export function preselectionFailures(sections: readonly SectionView[]): { what: string; values: string[] }[] {
  const words: Record<string, string> = {
    account_numbers: "Accounts",
    account_programs: "Account programs",
    contract_numbers: "Services",
    service_types: "Service types",
    service_programs: "Service programs",
    servicepoint_numbers: "Service locations",
    servicepoint_types: "Service location types",
    premise_numbers: "Premises",
    meter_numbers: "Meters",
    meter_types: "Meter types",
    meter_apps: "Meter apps",
    aggregation_numbers: "Groups",
    addresses: "Addresses",
  };
  const out: { what: string; values: string[] }[] = [];
  for (const s of sections) {
    if (!s.errorIfNoPreselections || !s.list.hasPreselections || s.list.preselected.size > 0 || s.list.futurePreselected) continue;
    for (const scope of s.scopes) {
      for (const field of PRESELECTION_FIELDS) {
        const value = scope.entry[field];
        if (Array.isArray(value)) out.push({ what: words[field]!, values: (value as string[]).map((v) => (v === "_all" ? "all" : v === "_include_future" ? "future ones" : v)) });
      }
    }
  }
  return out;
}

export interface SubmittedSelection {
  section: string;
  type: SelectionType;
  ids: string[];
  numbers: string[];
  includeFuture: boolean;
}

export type SelectionOutcome = { ok: true; selections: SubmittedSelection[] } | { ok: false; errors: Map<string, string>; checked: Map<string, Set<string>>; future: Map<string, boolean> };

/** Reads the submitted selections; only ids this customer's lists contain count, anything else refuses the form. */
export function readSelections(sections: readonly SectionView[], resources: CustomerResources, form: URLSearchParams): SelectionOutcome {
  const errors = new Map<string, string>();
  const checked = new Map<string, Set<string>>();
  const future = new Map<string, boolean>();
  const selections: SubmittedSelection[] = [];
  for (const s of sections) {
    const type = s.list.type;
    const allowed = selectableIds(resources, type);
    const ids = s.editable ? [...new Set(form.getAll(`${s.name}.selected`))] : [...s.list.preselected];
    const includeFuture = s.editable ? form.get(`${s.name}.future`) === "yes" && s.list.offersFuture : s.list.futurePreselected;
    checked.set(s.name, new Set(ids.filter((id) => allowed.has(id))));
    future.set(s.name, includeFuture);
    const words = SELECTION_WORDS[type]!;
    if (ids.some((id) => !allowed.has(id))) errors.set(s.name, `Choose only from the ${words.plural} listed here.`);
    else if (!ids.length && !includeFuture) errors.set(s.name, `Select at least one ${words.singular} to approve, or decline the request.`);
    else selections.push({ section: s.name, type, ids, numbers: numbersOf(resources, type, ids), includeFuture });
  }
  return errors.size ? { ok: false, errors, checked, future } : { ok: true, selections };
}

/**
 * The approved `authorization_details`, one entry per scope: every field the
 * scope lists, durations made absolute at `approvedAt` (§7.3), and no
 * preselection fields except those §6.1.x keeps; the selection itself is
 * recorded beside the Grant (`customer_selection`), by Selection type.
 */
export function approvedDetails(sections: readonly SectionView[], approvedAt: Date): ConsentDetail[] {
  const out: ConsentDetail[] = [];
  for (const s of sections) {
    for (const scope of s.scopes) {
      const entry: ConsentDetail = { ...scope.entry };
      for (const field of DURATION_FIELDS) if (typeof entry[field] === "string") entry[field] = resolveDuration(field, entry[field] as string, approvedAt);
      for (const field of PRESELECTION_FIELDS) if (!scope.rule.keptPreselections.includes(field)) delete entry[field];
      out.push(entry);
    }
  }
  return out;
}
