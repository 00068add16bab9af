/**
 * What changed since a receipt was issued (CDS-WG3-01 §9.4): the Client's
 * `client_name` and `client_uri`, the Grant's scopes and authorization
 * details, the selected resources, and the terms the customer agreed to. The
 * receipt shows each current value beside the one approved, so the customer
 * sees how their Grant differs from what they signed.
 *
 * The receipt records what was approved (`ReceiptContent.approved`, written
 * since stop 22); receipts made before carry no record, and only the Client's
 * name, link and the terms can be compared for them.
 */
import { canonicalJson } from "../cds/canonical-json.js";
import type { CustomerSelection } from "../db/schema.js";
import type { ConsentDetail } from "../customer-data/authorization-details/validate.js";
import { consentScopeRule } from "../customer-data/scopes/consent.js";
import { dataItems } from "./DataComponent.js";
import { SELECTION_WORDS } from "./data-words.js";
import type { ScopeRequest } from "./request.js";

/** The Grant as approved, kept in the receipt's content. */
export interface ApprovedRecord {
  scope: string;
  authorizationDetails: ConsentDetail[];
  selection: CustomerSelection[];
}

/** One selection list as the receipt shows it: a count, or the numbers for the signed-in owner. */
export interface SelectionNow {
  what: string;
  one: string;
  numbers: string[];
  includeFuture: boolean;
}

export interface ReceiptChanges {
  /** Each member is present only when that part changed. */
  clientName?: string;
  /** The current link, or null when the Client removed it. */
  clientUri?: string | null;
  /** What the Grant now shares, in the form's words; empty when it shares nothing. */
  access?: string[];
  selection?: SelectionNow[];
  /** The current terms, or null when there are none any more. */
  tosUri?: string | null;
}

export interface CurrentState {
  clientName: string | null;
  clientUri: string | null;
  tosUri: string | null;
  grant: { enabledScope: string; enabledAuthorizationDetails: unknown[]; customerSelection: CustomerSelection[] | null } | null;
}

const scopeSet = (scope: string) => scope.split(" ").filter(Boolean).sort().join(" ");

/** The data a Grant's enabled scopes and details share, in the Authorization Form's words (§9.2.2.1). */
export function accessWords(enabledScope: string, details: readonly unknown[]): string[] {
  const requests: ScopeRequest[] = [];
  for (const scope of enabledScope.split(" ").filter(Boolean)) {
    const rule = consentScopeRule(scope);
    if (!rule) continue;
    const entry = (details as ConsentDetail[]).find((d) => d && d.type === scope) ?? ({ type: scope } as ConsentDetail);
    requests.push({ rule, entry, selectionType: entry.authorization_form_selection_type as ScopeRequest["selectionType"] });
  }
  return dataItems(requests).map((i) => i.words);
}

/** The selection lists of a Grant, by list type, in the receipt's words. */
export function selectionLists(selection: readonly CustomerSelection[]): SelectionNow[] {
  return selection.map((s) => {
    const words = SELECTION_WORDS[s.type] ?? { singular: "item", plural: "items" };
    return { what: words.plural, one: words.singular, numbers: [...s.numbers], includeFuture: s.includeFuture };
  });
}

const selectionKey = (selection: readonly CustomerSelection[]) =>
  canonicalJson(selection.map((s) => ({ type: s.type, ids: [...s.ids].sort(), includeFuture: s.includeFuture })).sort((a, b) => canonicalJson(a).localeCompare(canonicalJson(b))));

/** Compares the receipt's record with the Client, Grant and terms as they are now. */
export function receiptChanges(content: { clientName: string; clientUri: string | null; tosUri: string | null; approved?: ApprovedRecord }, now: CurrentState): ReceiptChanges {
  const changes: ReceiptChanges = {};
  if (now.clientName !== null && now.clientName !== content.clientName) changes.clientName = now.clientName;
  // A Client that is gone keeps the link the customer saw; a Client that changed or dropped it shows the change.
  if (now.clientName !== null && now.clientUri !== content.clientUri) changes.clientUri = now.clientUri;
  if (now.tosUri !== content.tosUri) changes.tosUri = now.tosUri;
  const approved = content.approved;
  const grant = now.grant;
  if (approved && grant) {
    // An ended Grant (enabled scope "") is told by its status; the access it had is not "changed".
    const sameAccess = scopeSet(grant.enabledScope) === scopeSet(approved.scope) && canonicalJson(sortByType(grant.enabledAuthorizationDetails)) === canonicalJson(sortByType(approved.authorizationDetails));
    if (grant.enabledScope && !sameAccess) changes.access = accessWords(grant.enabledScope, grant.enabledAuthorizationDetails);
    const current = grant.customerSelection ?? [];
    if (grant.enabledScope && selectionKey(current) !== selectionKey(approved.selection)) changes.selection = selectionLists(current);
  }
  return changes;
}

function sortByType(details: readonly unknown[]): unknown[] {
  return [...details].sort((a, b) => String((a as { type?: unknown }).type).localeCompare(String((b as { type?: unknown }).type)));
}

export const hasChanges = (c: ReceiptChanges) => Object.values(c).some((v) => v !== undefined);
