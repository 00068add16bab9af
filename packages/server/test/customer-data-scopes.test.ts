/**
 * The CDS-WG3-01 §6.2 Direct Access scope descriptions, checked rule by rule
 * against what each subsection fixes, and their place in the metadata.
 */
import { validateCustomerDataScopeDescription } from "@cds-toolkit/validators";
import { describe, expect, it } from "vitest";
import { describedScopes, scopeDescriptions } from "../src/cds/scopes.ts";
import { directAccessScopeDescriptions, directAccessScopes } from "../src/customer-data/scopes/direct-access.ts";

/** §6.2.1–§6.2.8: the type and the duration fields each section names. */
const sections: Record<string, string[]> = {
  cds_query_accounts: ["sync_until"],
  cds_query_service_contracts: ["sync_until"],
  cds_query_service_points: ["sync_until"],
  cds_query_meter_devices: ["sync_until"],
  cds_query_bill_statements: ["sync_until", "statement_date_start", "statement_date_end"],
  cds_query_bill_sections: ["sync_until", "start_date", "end_date"],
  cds_query_aggregations: ["sync_until"],
  cds_query_usage: ["sync_until", "segment_start", "segment_end"],
};

describe("Direct Access scopes (CDS-WG3-01 §6.2)", () => {
  const descriptions = directAccessScopeDescriptions("https://dge.example/developers/docs");

  it("describes one scope per §6.2 subsection, each valid and shaped as its section says", () => {
    expect(Object.values(descriptions).map((d) => d.type).sort()).toEqual(Object.keys(sections).sort());
    for (const d of Object.values(descriptions)) {
      const checked = validateCustomerDataScopeDescription(d, "strict");
      expect(checked.ok ? [] : checked.errors, d.id).toEqual([]);
      expect(d.response_types_supported).toEqual([]);
      expect(d.grant_types_supported).toContain("client_credentials");
      const fields = d.authorization_details_fields_supported.map((f) => f.id);
      expect(fields).toEqual(expect.arrayContaining(sections[d.type]!));
      for (const f of d.authorization_details_fields_supported) expect(d.authorization_details_types_supported).toEqual(expect.arrayContaining(f.for_types));
    }
  });

  it("makes every direct access scope registrable: described and listed with the CDS-WG1-02 scopes", () => {
    const all = scopeDescriptions("https://dge.example/developers/docs");
    for (const s of directAccessScopes) {
      expect(describedScopes).toContain(s.id);
      expect(all[s.id]).toEqual(descriptions[s.id]);
    }
  });
});
