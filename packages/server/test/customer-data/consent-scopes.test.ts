/**
 * CDS-WG3-01 §6.1: each Customer Consent scope's description, checked against
 * the lists §6.1.x fixes (restated here from the spec, independently of
 * customer-data/scopes/consent.ts), and §7's per-field object rules.
 */
import { validateCustomerDataScopeDescription } from "@cds-toolkit/validators";
import { describe, expect, it } from "vitest";
import { consentScopeDescriptions } from "../../src/customer-data/scopes/consent.ts";

const COMMON = ["authorization_form_selection_type", "merge_selection_with", "error_if_no_preselections", "allow_scope_modifications", "jwk"];
const NO_BILLS_OR_USAGE = ["include_bill_statements", "include_bill_sections", "include_usage_segments"];

/** type → [fields the scope MUST list, fields it MUST NOT list, selection choices it MUST offer, whether only those]. */
const section61: Record<string, { must: string[]; mustNot: string[]; selections: string[]; only: boolean }> = {
  cds_rate_plan: { must: ["contract_numbers", "service_types", "include_contract_numbers", "sync_until", ...COMMON], mustNot: NO_BILLS_OR_USAGE, selections: ["service_contract_selection"], only: true },
  cds_account_programs: { must: ["account_numbers", "account_programs", "include_account_numbers", "sync_until", ...COMMON], mustNot: NO_BILLS_OR_USAGE, selections: ["account_selection"], only: true },
  cds_service_programs: { must: ["contract_numbers", "service_programs", "service_types", "include_contract_numbers", "sync_until", ...COMMON], mustNot: NO_BILLS_OR_USAGE, selections: ["service_contract_selection"], only: true },
  cds_accounts: { must: ["account_numbers", "include_account_numbers", "sync_until", ...COMMON], mustNot: NO_BILLS_OR_USAGE, selections: ["account_selection"], only: true },
  cds_service_contracts: { must: ["contract_numbers", "service_types", "include_contract_numbers", "sync_until", ...COMMON], mustNot: NO_BILLS_OR_USAGE, selections: ["service_contract_selection"], only: false },
  cds_meters: { must: ["meter_numbers", "meter_types", "include_meter_numbers", "sync_until", ...COMMON], mustNot: NO_BILLS_OR_USAGE, selections: ["meter_device_selection"], only: false },
  cds_bill_statements: { must: ["account_numbers", "statement_date_start", "statement_date_end", ...COMMON], mustNot: ["include_usage_segments"], selections: ["account_selection"], only: true },
  cds_service_bills: { must: ["contract_numbers", "service_types", "start_date", "end_date", ...COMMON], mustNot: ["include_usage_segments"], selections: ["service_contract_selection", "account_selection"], only: false },
  cds_usage: { must: ["include_meter_devices", "include_meter_numbers", "include_usage_segment_value_types", "segment_start", "segment_end", ...COMMON], mustNot: [], selections: [], only: false },
  cds_aggregation_consent: {
    must: ["aggregation_numbers", "premise_numbers", "expires", "authorization_form_selection_type", "error_if_no_preselections", "allow_scope_modifications"],
    mustNot: [],
    selections: ["aggregation_selection"],
    only: true,
  },
};

/** §6.1.9: what each offered selection brings along. */
const usageSelectionNeeds: Record<string, string[]> = {
  account_selection: ["sync_until", "account_numbers", "include_accounts", "include_account_numbers", "include_service_contracts", "include_contract_numbers"],
  service_contract_selection: ["sync_until", "account_numbers", "contract_numbers", "include_accounts", "include_account_numbers", "include_service_contracts", "include_contract_numbers"],
  servicepoint_selection: ["sync_until", "servicepoint_numbers", "include_service_points"],
  meter_device_selection: ["sync_until", "meter_numbers"],
  aggregation_selection: ["sync_until", "aggregation_numbers", "include_aggregations"],
};

const descriptions = Object.values(consentScopeDescriptions("https://dge.example/developers/docs"));

describe("CDS-WG3-01 §6.1 Customer Consent scopes", () => {
  it("describes all ten §6.1 types, one scope each", () => {
    expect(descriptions.map((d) => d.type).sort()).toEqual(Object.keys(section61).sort());
  });

  it.each(descriptions.map((d) => [d.id, d] as const))("%s validates strictly as a CDS-WG3-01 Scope Description", (_id, description) => {
    const checked = validateCustomerDataScopeDescription(description, "strict");
    expect(checked.ok ? [] : checked.errors.map((e) => `${e.pointer} ${e.rule}`)).toEqual([]);
  });

  it.each(descriptions.map((d) => [d.id, d] as const))("%s meets its §6.1.x list", (_id, d) => {
    const rule = section61[d.type]!;
    const fields = d.authorization_details_fields_supported;
    const ids = fields.map((f) => f.id);
    expect(d.response_types_supported).toContain("code");
    expect(d.grant_types_supported).toEqual(expect.arrayContaining(["authorization_code", "refresh_token"]));
    expect(d.grant_types_supported).not.toContain("client_credentials");
    expect(ids).toEqual(expect.arrayContaining(rule.must));
    for (const forbidden of rule.mustNot) expect(ids).not.toContain(forbidden);
    expect(new Set(ids).size).toBe(ids.length);
    // CDS-WG1-02 §3.4 as read in spec/ERRATA.md E-WG3-01-3: the type is the scope id, every field is for it.
    expect(d.authorization_details_types_supported).toEqual([d.id]);
    for (const f of fields) expect(f.for_types).toEqual([d.id]);

    const selection = fields.find((f) => f.id === "authorization_form_selection_type")!;
    const choices = selection.choices!.map((c) => c.id);
    expect(choices).toEqual(expect.arrayContaining(rule.selections));
    if (rule.only) expect(choices).toEqual(rule.selections);
    expect(choices).toContain(selection.default);
    if (d.type === "cds_usage") {
      expect(choices.length).toBeGreaterThan(0);
      for (const choice of choices) expect(ids).toEqual(expect.arrayContaining(usageSelectionNeeds[choice]!));
    }
  });

  it.each(descriptions.map((d) => [d.id, d] as const))("%s: every field object follows §7 (customer authorization: never required; jwk defaults to null)", (_id, d) => {
    for (const f of d.authorization_details_fields_supported) {
      expect(f.is_required, f.id).toBe(false);
      if (f.id === "jwk") expect(f.default).toBeNull();
      if (f.format === "choice" || f.format === "choice_list_or_null") expect(f.choices?.length, f.id).toBeGreaterThan(0);
      if (f.id === "include_usage_segment_value_types") for (const c of f.choices!) expect(c.usagesegment_format?.id).toBe(c.id);
    }
  });

  it("§6.1.10: Aggregation Inclusion defaults error_if_no_preselections to true and allow_scope_modifications to false", () => {
    const d = descriptions.find((x) => x.type === "cds_aggregation_consent")!;
    const field = (id: string) => d.authorization_details_fields_supported.find((f) => f.id === id)!;
    expect(field("error_if_no_preselections").default).toBe(true);
    expect(field("allow_scope_modifications").default).toBe(false);
  });

  it("§7.4.4: the purpose field offers exactly the Purposes given for the scope", () => {
    const custom = { id: "p1", name: "Audit", content: "For an energy audit.", related_uri: null, scopes_supported: ["cds_usage_1"] };
    const own = consentScopeDescriptions("https://dge.example/docs", [custom]);
    const purposeChoices = (id: string) => own[id]!.authorization_details_fields_supported.find((f) => f.id === "purpose")!.choices!.map((c) => c.id);
    expect(purposeChoices("cds_usage_1")).toEqual(["p1"]);
    expect(purposeChoices("cds_accounts_1")).toEqual([]);
  });
});
