/**
 * CDS-WG3-01 §7 and §6.1.x rules on one `authorization_details` entry, as
 * checked before the customer signs in (§9.1.1): given → refused with a
 * message naming the field, or accepted.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DetailRefused, isDuration, validateConsentDetail, withDefaults } from "../../src/customer-data/authorization-details/validate.ts";

const refused: [string, Record<string, unknown>, RegExp][] = [
  ["an unknown scope", { type: "cds_nothing_1" }, /^type: /],
  ["a field the scope does not list", { type: "cds_accounts_1", meter_numbers: ["M1"] }, /^meter_numbers: not a field of cds_accounts_1/],
  ["a string where a list goes", { type: "cds_usage_1", account_numbers: "1001-22-3333" }, /^account_numbers .*list/],
  ["an empty list", { type: "cds_usage_1", meter_numbers: [] }, /^meter_numbers .*list of 1 to/],
  ["a choice that is not offered", { type: "cds_usage_1", service_types: ["steam"] }, /^service_types .*'steam' is not one of its choices/],
  ["a bad duration", { type: "cds_usage_1", segment_start: "one year" }, /^segment_start .*ISO 8601 duration/],
  ["a date-time where a date goes", { type: "cds_bill_statements_1", statement_date_start: "2025-01-01T00:00:00Z" }, /^statement_date_start .*absolute date/],
  ["a selection type the scope does not offer", { type: "cds_accounts_1", authorization_form_selection_type: "meter_device_selection" }, /^authorization_form_selection_type .*must be one of account_selection/],
  ["a JWK (encryption is not supported)", { type: "cds_usage_1", jwk: { kty: "EC", crv: "P-256", x: "a", y: "b" } }, /^jwk .*not supported/],
  ["a non-boolean include field", { type: "cds_usage_1", include_accounts: "yes" }, /^include_accounts .*true or false/],
  ["§6.1.1: a field of another scope's data (rate plans always include their contracts)", { type: "cds_rate_plan_1", include_service_contracts: false }, /^include_service_contracts: not a field/],
  ["§6.1.2: account_programs null", { type: "cds_account_programs_1", account_programs: null }, /^account_programs: .*null is not accepted/],
  ["§6.1.3: service_programs null", { type: "cds_service_programs_1", service_programs: null }, /^service_programs: .*null is not accepted/],
  ["§6.1.10: aggregation_numbers missing", { type: "cds_aggregation_consent_1", premise_numbers: ["P1"] }, /^aggregation_numbers: .*null is not accepted/],
  ["§6.1.10: premise_numbers null", { type: "cds_aggregation_consent_1", aggregation_numbers: ["A1"], premise_numbers: null }, /^premise_numbers: /],
  ["§6.1.10: error_if_no_preselections false", { type: "cds_aggregation_consent_1", aggregation_numbers: ["A1"], premise_numbers: ["P1"], error_if_no_preselections: false }, /^error_if_no_preselections: must be true/],
  ["§6.1.10: allow_scope_modifications true", { type: "cds_aggregation_consent_1", aggregation_numbers: ["A1"], premise_numbers: ["P1"], allow_scope_modifications: true }, /^allow_scope_modifications: must be false/],
];

const accepted: [string, Record<string, unknown>][] = [
  ["the bare type (defaults apply)", { type: "cds_usage_1" }],
  ["preselections, a duration and a purpose", { type: "cds_usage_1", account_numbers: ["1001-22-3333", "_include_future"], segment_start: "P2Y", segment_end: "infinite", purpose: "dge_own_use" }],
  ["an absolute date", { type: "cds_bill_statements_1", statement_date_start: "2024-01-01", statement_date_end: "PT0S" }],
  ["an Aggregation Inclusion request", { type: "cds_aggregation_consent_1", aggregation_numbers: ["B1111"], premise_numbers: ["P1"], expires: "P1Y" }],
];

describe("CDS-WG3-01 §7 authorization details, checked before sign-in (§9.1.1)", () => {
  it.each(refused)("refuses %s, naming the field", (_why, detail, message) => {
    expect(() => validateConsentDetail(detail as never)).toThrow(DetailRefused);
    expect(() => validateConsentDetail(detail as never)).toThrow(message);
  });

  it.each(accepted)("accepts %s", (_why, detail) => {
    expect(() => validateConsentDetail(detail as never)).not.toThrow();
  });

  it("§7: a field left out takes its default; a field sent keeps its value", () => {
    const full = withDefaults({ type: "cds_usage_1", segment_start: "P3Y" });
    expect(full.segment_start).toBe("P3Y");
    expect(full.segment_end).toBe("P1Y");
    expect(full.include_meter_devices).toBe(false);
    expect(full.jwk).toBeNull();
    expect(full.authorization_form_selection_type).toBe("service_contract_selection");
  });

  it("accepts every ISO 8601 duration made of whole units, and nothing without a unit", () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 99 }), { minLength: 7, maxLength: 7 }), fc.boolean(), (n, negative) => {
        const [y, m, w, d, h, mi, s] = n;
        const date = `${y}Y${m}M${w}W${d}D`;
        const time = `T${h}H${mi}M${s}S`;
        expect(isDuration(`${negative ? "-" : ""}P${date}${time}`)).toBe(true);
        expect(isDuration(`P${date}`)).toBe(true);
      }),
    );
    for (const bad of ["P", "PT", "1Y", "P1", "PT1Y", "infinite", ""]) expect(isDuration(bad), bad).toBe(false);
  });
});
