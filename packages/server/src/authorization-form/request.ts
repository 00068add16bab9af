/**
 * One authorization request as the form sees it (CDS-WG3-01 §9.1.1): the
 * scopes and `authorization_details` asked for, with the Client Object's
 * defaults where the request left them out and each scope's field defaults
 * applied (§7), checked across entries (§7.4.2 merges, §7.4.4 purposes,
 * §7.4.6 one JWK). Everything here is known before the customer signs in.
 */
import type { Purpose } from "@cds-toolkit/types";
import { withDefaults, type ConsentDetail } from "../customer-data/authorization-details/validate.js";
import { consentScopeRule, isConsentScope, type ConsentScopeRule, type SelectionType } from "../customer-data/scopes/consent.js";
import { canonicalJson } from "../cds/canonical-json.js";

export interface ClientView {
  clientId: string;
  clientName: string;
  clientUri: string | null;
  tosUri: string | null;
  purposes: Record<string, Purpose>;
  defaultScope: string | null;
  defaultAuthorizationDetails: ConsentDetail[];
}

export interface ScopeRequest {
  rule: ConsentScopeRule;
  /** The entry with every field the scope lists (defaults filled in). */
  entry: ConsentDetail;
  selectionType: SelectionType;
}

export interface ResolvedRequest {
  scopes: ScopeRequest[];
  /** Request Sections: scopes grouped by `merge_selection_with` (§7.4.2), in request order. */
  groups: ScopeRequest[][];
}

export class RequestRefused extends Error {
  readonly error: "invalid_scope" | "invalid_authorization_details" | "invalid_request";
  constructor(error: RequestRefused["error"], message: string) {
    super(message);
    this.error = error;
  }
}

function parseDetails(raw: unknown): ConsentDetail[] | null {
  if (raw === undefined || raw === null || raw === "") return null;
  const value = typeof raw === "string" ? JSON.parse(raw) : raw;
  return Array.isArray(value) ? (value as ConsentDetail[]) : null;
}

/** §9.1.1: the request's scope and details, or the Client Object's defaults, resolved and checked. */
export function resolveRequest(params: Record<string, unknown>, client: ClientView): ResolvedRequest {
  const scopeParam = typeof params.scope === "string" && params.scope.trim() ? params.scope : (client.defaultScope ?? "");
  const scopes = [...new Set(scopeParam.split(" ").filter(Boolean))];
  if (!scopes.length) throw new RequestRefused("invalid_scope", "scope: none given and the Client Object has no cds_default_scope");
  for (const s of scopes) if (!isConsentScope(s)) throw new RequestRefused("invalid_scope", `scope: ${s} is not a customer consent scope (CDS-WG3-01 §6.1); request it apart from them`);

  const given = parseDetails(params.authorization_details) ?? client.defaultAuthorizationDetails;
  const byScope = new Map<string, ConsentDetail>();
  for (const entry of given) {
    if (!scopes.includes(entry.type)) throw new RequestRefused("invalid_authorization_details", `authorization_details: an entry of type ${entry.type} needs ${entry.type} in scope`);
    if (byScope.has(entry.type)) throw new RequestRefused("invalid_authorization_details", `authorization_details: more than one entry of type ${entry.type}`);
    byScope.set(entry.type, entry);
  }

  const requests: ScopeRequest[] = scopes.map((s) => {
    const rule = consentScopeRule(s)!;
    const entry = withDefaults(byScope.get(s) ?? { type: s });
    return { rule, entry, selectionType: entry.authorization_form_selection_type as SelectionType };
  });

  // §7.4.4: a purpose must be one of this Client's Purposes offered for the scope.
  for (const r of requests) {
    const purpose = r.entry.purpose;
    if (purpose === null || purpose === undefined) continue;
    const found = client.purposes[String(purpose)];
    if (!found || !found.scopes_supported.includes(r.rule.id)) throw new RequestRefused("invalid_authorization_details", `purpose (in the ${r.rule.id} entry): '${String(purpose)}' is not a Purpose of this Client for ${r.rule.id}`);
  }
  // §7.4.6: one key for the whole request.
  if (new Set(requests.map((r) => canonicalJson(r.entry.jwk ?? null))).size > 1) throw new RequestRefused("invalid_authorization_details", "jwk: every entry must carry the same value");

  return { scopes: requests, groups: mergeGroups(requests) };
}

/** §7.4.2: scopes naming each other share one Request Section; every link is checked. */
function mergeGroups(requests: ScopeRequest[]): ScopeRequest[][] {
  const parent = new Map(requests.map((r) => [r.rule.id as string, r.rule.id as string]));
  const find = (id: string): string => (parent.get(id) === id ? id : find(parent.get(id)!));
  for (const r of requests) {
    const target = r.entry.merge_selection_with;
    if (target === null || target === undefined) continue;
    const where = `merge_selection_with (in the ${r.rule.id} entry)`;
    const match = requests.find((o) => o.rule.id === target && o !== r);
    if (!match) throw new RequestRefused("invalid_authorization_details", `${where}: '${String(target)}' is not another scope of this request`);
    if (match.entry.merge_selection_with === null) throw new RequestRefused("invalid_authorization_details", `${where}: ${match.rule.id} must also set merge_selection_with`);
    if (match.selectionType !== r.selectionType) throw new RequestRefused("invalid_authorization_details", `${where}: ${match.rule.id} uses ${match.selectionType}, not ${r.selectionType}`);
    if (canonicalJson(match.entry.purpose ?? null) !== canonicalJson(r.entry.purpose ?? null)) throw new RequestRefused("invalid_authorization_details", `${where}: ${match.rule.id} has another purpose`);
    if (match.entry.allow_scope_modifications !== r.entry.allow_scope_modifications) throw new RequestRefused("invalid_authorization_details", `${where}: ${match.rule.id} has another allow_scope_modifications`);
    for (const field of ["account_numbers", "contract_numbers", "service_types", "servicepoint_numbers", "servicepoint_types", "premise_numbers", "meter_numbers", "meter_types", "aggregation_numbers", "addresses", "account_programs", "service_programs"]) {
      const a = Object.hasOwn(r.entry, field) ? r.entry[field] : null;
      const b = Object.hasOwn(match.entry, field) ? match.entry[field] : null;
      if (canonicalJson(a) !== canonicalJson(b)) throw new RequestRefused("invalid_authorization_details", `${where}: ${field} differs from ${match.rule.id}'s`);
    }
    parent.set(find(r.rule.id), find(match.rule.id));
  }
  const groups = new Map<string, ScopeRequest[]>();
  for (const r of requests) {
    const root = find(r.rule.id);
    groups.set(root, [...(groups.get(root) ?? []), r]);
  }
  return [...groups.values()];
}
