import { describe, expect, it } from "vitest";
import { validateCustomerDataScopeDescription } from "@cds-toolkit/validators";

/** A customer-consent scope as CDS-WG3-01 §6.1.9 shapes it. */
const usage = {
  id: "cds_usage_1",
  type: "cds_usage",
  name: "Usage",
  description: "Interval usage of the selected service points.",
  documentation: "https://example.com/docs/scopes#usage",
  registration_requirements: [],
  registration_optional: [],
  response_types_supported: ["code"],
  grant_types_supported: ["authorization_code", "refresh_token"],
  token_endpoint_auth_methods_supported: ["client_secret_basic"],
  code_challenge_methods_supported: ["S256"],
  coverages_supported: [],
  grant_admin_scope: null,
  authorization_details_types_supported: ["cds_usage_1"],
  authorization_details_fields_supported: [],
};

/** A direct-access scope as CDS-WG3-01 §6.2.1 shapes it. */
const query = {
  ...usage,
  id: "cds_query_accounts_1",
  type: "cds_query_accounts",
  response_types_supported: [],
  grant_types_supported: ["client_credentials"],
  code_challenge_methods_supported: [],
};

function rules(value: unknown): string[] {
  const result = validateCustomerDataScopeDescription(value);
  return result.ok ? [] : result.errors.map((e) => `${e.pointer} ${e.rule}`).sort();
}

describe("CustomerDataScopeDescription (CDS-WG3-01 §6.1, §6.2)", () => {
  it.each([
    { name: "a consent scope as specified", value: usage, want: [] },
    { name: "a direct-access scope as specified", value: query, want: [] },
    { name: "a consent scope offering client_credentials", value: { ...usage, grant_types_supported: ["authorization_code", "refresh_token", "client_credentials"] }, want: ["/grant_types_supported not"] },
    { name: "a consent scope without refresh_token", value: { ...usage, grant_types_supported: ["authorization_code"] }, want: ["/grant_types_supported contains"] },
    { name: "a consent scope without the code response type", value: { ...usage, response_types_supported: [] }, want: ["/response_types_supported contains"] },
    { name: "a direct-access scope with a response type", value: { ...query, response_types_supported: ["code"] }, want: ["/response_types_supported maxItems"] },
    { name: "a direct-access scope without client_credentials", value: { ...query, grant_types_supported: [] }, want: ["/grant_types_supported contains"] },
    { name: "a Server-defined scope type, free of these rules", value: { ...usage, type: "exampleutility_custom", grant_types_supported: ["client_credentials"] }, want: [] },
  ])("$name", ({ value, want }) => {
    expect(rules(value)).toEqual(want);
  });
});
