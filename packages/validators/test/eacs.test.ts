import { describe, expect, it } from "vitest";
import {
  validateEACDataFormatDescription,
  validateEnergyAttributeCertificate,
  validateEnergyAttributeCertificateListing,
  type ValidationResult,
} from "@cds-toolkit/validators";

function findings(result: ValidationResult<unknown>): Array<[string, string]> {
  return result.ok ? [] : result.errors.map((e) => [e.pointer, e.rule] as [string, string]).sort();
}

/** A certificate applied to two accounts (CDS-WG3-01 §10.9.1, §10.9.2). */
const eac = {
  cds_eac_id: "eac-1",
  cds_created: "2025-02-01T00:00:00Z",
  cds_modified: "2025-02-01T00:00:00Z",
  cds_synced: "2025-02-01T00:00:00Z",
  beneficiary_type: "account",
  beneficiaries: ["acct-1", "acct-2"],
  eac_numbers: ["REC-2025-0001"],
  eac_format: "energytag_v2",
  eac_data_url: "https://example.com/cds-customerdata-api/v1/eac-data/eac-1",
  period_start: "2025-01-01T00:00:00Z",
  period_end: "2025-02-01T00:00:00Z",
};

describe("validateEnergyAttributeCertificate", () => {
  const cases: Array<{ name: string; change: (v: any) => void; strict: Array<[string, string]>; lenient: Array<[string, string]> }> = [
    { name: "as is", change: () => {}, strict: [], lenient: [] },
    { name: "a general certificate without beneficiaries", change: (v) => { v.beneficiary_type = "general"; v.beneficiaries = []; }, strict: [], lenient: [] },
    { name: "a general certificate with beneficiaries", change: (v) => (v.beneficiary_type = "general"), strict: [["/beneficiaries", "maxItems"]], lenient: [["/beneficiaries", "maxItems"]] },
    { name: "an unknown beneficiary type (an extension's)", change: (v) => (v.beneficiary_type = "building"), strict: [["/beneficiary_type", "enum"]], lenient: [] },
    { name: "no EAC numbers the Client may see", change: (v) => (v.eac_numbers = []), strict: [], lenient: [] },
    { name: "a data URL that is not a URL", change: (v) => (v.eac_data_url = "eac-1.json"), strict: [["/eac_data_url", "format"]], lenient: [["/eac_data_url", "format"]] },
    { name: "a missing period end", change: (v) => delete v.period_end, strict: [["/period_end", "required"]], lenient: [["/period_end", "required"]] },
  ];

  it.each(cases)("$name", ({ change, strict, lenient }) => {
    const value = structuredClone(eac);
    change(value);
    expect(findings(validateEnergyAttributeCertificate(value))).toEqual(strict);
    expect(findings(validateEnergyAttributeCertificate(value, "lenient"))).toEqual(lenient);
  });

  it("validates listings and format descriptions", () => {
    expect(findings(validateEnergyAttributeCertificateListing({ eacs: [eac], next: null, previous: null }))).toEqual([]);
    expect(findings(validateEnergyAttributeCertificateListing({ eacs: [{ ...eac, beneficiaries: "acct-1" }], next: null }))).toEqual([
      ["/eacs/0/beneficiaries", "type"],
      ["/previous", "required"],
    ]);
    const description = { id: "energytag_v2", name: "Energy Tag API", description: "Granular certificates.", documentation: "https://example.com/docs/eacs" };
    expect(findings(validateEACDataFormatDescription(description))).toEqual([]);
    expect(findings(validateEACDataFormatDescription({ ...description, id: undefined }))).toEqual([["/id", "required"]]);
  });
});
