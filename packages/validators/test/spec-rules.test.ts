/**
 * Rules the specs state about Scope Descriptions, Authorization Details
 * Fields, Authorization Server Metadata and registration responses, as the
 * strict validators enforce them (CDS-WG1-02 §3.8, §4.2; CDS-WG3-01 §5, §5.2,
 * §6.1, §7). Each case changes one conforming value so that it breaks one
 * rule, and names the pointer and keyword the validator reports.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  validateAuthorizationDetailsField,
  validateCustomerDataAuthorizationDetail,
  validateCustomerDataAuthorizationDetailsField,
  validateCustomerDataAuthorizationServerMetadata,
  validateCustomerDataClientRegistrationResponse,
  validateCustomerDataScopeDescription,
} from "@cds-toolkit/validators";

type Result = { ok: true } | { ok: false; errors: Array<{ pointer: string; rule: string }> };
const rules = (r: Result) => (r.ok ? [] : r.errors.map((e) => `${e.pointer} ${e.rule}`));

const field = (id: string, format: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: id,
  description: `The ${id} field.`,
  documentation: `https://example.com/docs#${id}`,
  for_types: ["cds_usage_1"],
  format,
  is_required: false,
  ...extra,
});
const choice = (id: string, extra: Record<string, unknown> = {}) => ({ id, name: id, description: id, documentation: `https://example.com/docs#${id}`, ...extra });
const selection = (...ids: string[]) => field("authorization_form_selection_type", "choice", { default: ids[0], choices: ids.map((id) => choice(id)) });

const consent = (type: string, fields: unknown[]) => ({
  id: `${type}_1`,
  type,
  name: type,
  description: "A consent scope.",
  documentation: "https://example.com/docs/scopes",
  registration_requirements: [],
  registration_optional: [],
  response_types_supported: ["code"],
  grant_types_supported: ["authorization_code", "refresh_token"],
  token_endpoint_auth_methods_supported: ["client_secret_basic"],
  code_challenge_methods_supported: ["S256"],
  coverages_supported: [],
  grant_admin_scope: null,
  authorization_details_types_supported: [`${type}_1`],
  authorization_details_fields_supported: fields,
});
const direct = (type: string, fields: unknown[]) => ({
  ...consent(type, fields),
  response_types_supported: [],
  grant_types_supported: ["client_credentials"],
  code_challenge_methods_supported: [],
});

/** A CDS-WG3-01 Authorization Server Metadata document with no Scope Descriptions. */
const metadataBase = {
  issuer: "https://example.com",
  token_endpoint: "https://example.com/oauth/token",
  scopes_supported: ["cds_usage_1"],
  response_types_supported: [],
  grant_types_supported: ["client_credentials"],
  token_endpoint_auth_methods_supported: ["client_secret_basic"],
  service_documentation: "https://example.com/docs",
  op_policy_uri: "https://example.com/policy",
  op_tos_uri: "https://example.com/tos",
  revocation_endpoint: "https://example.com/oauth/revoke",
  introspection_endpoint: "https://example.com/oauth/introspect",
  code_challenge_methods_supported: [],
  authorization_details_types_supported: ["cds_query_usage_1"],
  cds_oauth_version: "v1",
  cds_human_registration: "https://example.com/register",
  cds_timezone: "America/Chicago",
  cds_clients_api: "https://example.com/api/clients",
  cds_messages_api: "https://example.com/api/messages",
  cds_credentials_api: "https://example.com/api/credentials",
  cds_grants_api: "https://example.com/api/grants",
  cds_scope_descriptions: {},
  cds_registration_fields: {},
  registration_endpoint: "https://example.com/oauth/register",
  cds_customerdata_version: "v1",
};

/** A conforming CDS-WG3-01 registration response (§4.2). */
const registrationResponse = {
  client_id: "c1",
  client_id_issued_at: 1700000000,
  client_name: "Example",
  client_uri: "https://client.example",
  logo_uri: null,
  contacts: ["ops@client.example"],
  tos_uri: null,
  policy_uri: null,
  software_id: null,
  software_version: null,
  redirect_uris: [],
  token_endpoint_auth_method: "client_secret_basic",
  grant_types: ["client_credentials"],
  response_types: [],
  scope: "cds_client_admin",
  client_secret: "s3cret",
};

describe("CDS-WG1-02 §3.8: maximum and minimum typed by format", () => {
  it.each([
    { name: "int with integers", value: field("n", "int", { maximum: 10, minimum: 1 }), want: [] },
    { name: "int with infinite", value: field("n", "int", { maximum: "infinite", minimum: 0 }), want: [] },
    { name: "int with a fraction", value: field("n", "int", { maximum: 1.5, minimum: 0 }), want: ["/maximum type", "/maximum const", "/maximum anyOf"] },
    { name: "decimal with a fraction", value: field("n", "decimal", { maximum: 1.5, minimum: 0.25 }), want: [] },
    { name: "decimal with a string", value: field("n", "decimal", { maximum: "10", minimum: 0 }), want: ["/maximum type", "/maximum const", "/maximum anyOf"] },
    { name: "string with lengths", value: field("s", "string", { maximum: 100, minimum: 1 }), want: [] },
    { name: "string_list with a negative length", value: field("s", "string_list", { maximum: 100, minimum: -1 }), want: ["/minimum minimum"] },
    { name: "string with infinite", value: field("s", "string_or_null", { maximum: "infinite", minimum: 1 }), want: ["/maximum type"] },
    { name: "date with durations", value: field("d", "relative_or_absolute_date", { maximum: "infinite", minimum: "P0D" }), want: [] },
    { name: "date with an absolute date", value: field("d", "relative_or_absolute_date", { maximum: "2030-01-01", minimum: "P0D" }), want: [] },
    { name: "date with a number", value: field("d", "relative_or_absolute_date", { maximum: 30, minimum: "P0D" }), want: ["/maximum type"] },
    { name: "date with a time duration (E-WG1-02-61)", value: field("d", "relative_or_absolute_date", { maximum: "infinite", minimum: "PT0S" }), want: ["/minimum pattern"] },
    { name: "datetime with durations", value: field("t", "relative_or_absolute_datetime", { maximum: "P13M", minimum: "PT0S" }), want: [] },
    { name: "datetime with a word", value: field("t", "relative_or_absolute_datetime", { maximum: "soon", minimum: "PT0S" }), want: ["/maximum pattern"] },
  ])("$name", ({ value, want }) => {
    expect(rules(validateAuthorizationDetailsField(value)).sort()).toEqual([...want].sort());
    // Lenient accepts whatever strict accepts.
    if (want.length === 0) expect(validateAuthorizationDetailsField(value, "lenient").ok).toBe(true);
  });
});

describe("JWK Public Encryption Key: use is enc (CDS-WG1-02 §2, CDS-WG3-01 §7.4.6)", () => {
  const key = { kty: "EC", crv: "P-256", x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0", use: "enc" };
  it("accepts an encryption key and null in an authorization_details entry", () => {
    expect(rules(validateCustomerDataAuthorizationDetail({ type: "cds_usage_1", jwk: key }))).toEqual([]);
    expect(rules(validateCustomerDataAuthorizationDetail({ type: "cds_usage_1", jwk: null }))).toEqual([]);
  });
  it("rejects a signing key", () => {
    expect(rules(validateCustomerDataAuthorizationDetail({ type: "cds_usage_1", jwk: { ...key, use: "sig" } }))).toContain("/jwk/use const");
  });
  it("rejects a jwk_or_null default that is a signing key", () => {
    expect(rules(validateAuthorizationDetailsField(field("jwk", "jwk_or_null", { default: { ...key, use: "sig" } })))).toContain("/default/use const");
    expect(rules(validateAuthorizationDetailsField(field("jwk", "jwk_or_null", { default: key })))).toEqual([]);
  });
});

describe("CDS-WG3-01 §7 fixed values", () => {
  it.each(["authorization_form_selection_type", "merge_selection_with", "purpose"])("%s is never required, in any scope (§7.4)", (id) => {
    const format = id === "merge_selection_with" ? "string_or_null" : "choice";
    const extra = format === "choice" ? { choices: [choice("a")] } : { maximum: 100, minimum: 1 };
    expect(rules(validateCustomerDataAuthorizationDetailsField(field(id, format, { ...extra, is_required: true })))).toContain("/is_required const");
    expect(rules(validateCustomerDataAuthorizationDetailsField(field(id, format, { ...extra, default: format === "choice" ? "a" : null })))).toEqual([]);
  });

  it("a consent scope's preselection, include and duration fields are optional (§7.1–§7.3)", () => {
    const bad = consent("cds_service_contracts", [selection("service_contract_selection"), field("include_rate_plans", "boolean", { is_required: true })]);
    expect(rules(validateCustomerDataScopeDescription(bad))).toContain("/authorization_details_fields_supported/1/is_required const");
  });

  it("a direct-access scope may require them (the rule is only for consent scopes)", () => {
    const ok = direct("cds_query_accounts", [field("account_numbers", "string_list_or_null", { is_required: true, maximum: 100, minimum: 1 })]);
    expect(rules(validateCustomerDataScopeDescription(ok))).toEqual([]);
  });

  it("jwk defaults to null in a consent scope (§7.4.6)", () => {
    const scope = (jwk: Record<string, unknown>) => consent("cds_service_contracts", [selection("service_contract_selection"), jwk]);
    expect(rules(validateCustomerDataScopeDescription(scope(field("jwk", "jwk_or_null", { default: null }))))).toEqual([]);
    expect(rules(validateCustomerDataScopeDescription(scope(field("jwk", "jwk_or_null"))))).toEqual(["/authorization_details_fields_supported/1/default required"]);
  });

  it("addresses and allow_scope_modifications are not offered by direct-access scopes (§7.1.13, §7.4.5)", () => {
    const bad = direct("cds_query_accounts", [field("allow_scope_modifications", "boolean", { default: true })]);
    expect(rules(validateCustomerDataScopeDescription(bad))).toContain("/authorization_details_fields_supported/0 not");
  });

  it("Aggregation Inclusion fixes error_if_no_preselections true and allow_scope_modifications false (§6.1.10)", () => {
    const scope = (a: boolean, b: boolean) =>
      consent("cds_aggregation_consent", [selection("aggregation_selection"), field("error_if_no_preselections", "boolean", { default: a }), field("allow_scope_modifications", "boolean", { default: b })]);
    expect(rules(validateCustomerDataScopeDescription(scope(true, false)))).toEqual([]);
    expect(rules(validateCustomerDataScopeDescription(scope(false, false)))).toContain("/authorization_details_fields_supported/1/default const");
    expect(rules(validateCustomerDataScopeDescription(scope(true, true)))).toContain("/authorization_details_fields_supported/2/default const");
  });
});

describe("CDS-WG3-01 §6.1: the selections each consent scope type offers", () => {
  it.each([
    { type: "cds_rate_plan", ok: [["service_contract_selection"]], bad: [["account_selection"], ["service_contract_selection", "account_selection"]] },
    { type: "cds_accounts", ok: [["account_selection"]], bad: [["service_contract_selection"]] },
    { type: "cds_service_contracts", ok: [["service_contract_selection"], ["service_contract_selection", "account_selection"]], bad: [["account_selection"]] },
    { type: "cds_meters", ok: [["meter_device_selection", "service_contract_selection"]], bad: [["meter_device_selection"], ["service_contract_selection"]] },
    { type: "cds_service_bills", ok: [["service_contract_selection", "account_selection"]], bad: [["account_selection"], ["service_contract_selection", "account_selection", "meter_device_selection"]] },
    { type: "cds_usage", ok: [["service_contract_selection"], ["aggregation_selection", "service_contract_selection"]], bad: [["account_selection"], ["service_contract_selection", "something_else"]] },
    { type: "cds_aggregation_consent", ok: [["aggregation_selection"]], bad: [["account_selection"]] },
  ])("$type", ({ type, ok, bad }) => {
    for (const ids of ok) expect(rules(validateCustomerDataScopeDescription(consent(type, [selection(...ids)]))), ids.join()).toEqual([]);
    for (const ids of bad) expect(rules(validateCustomerDataScopeDescription(consent(type, [selection(...ids)]))), ids.join()).not.toEqual([]);
  });
});

describe("CDS-WG3-01 §5.2: usagesegment_format only in include_usage_segment_value_types choices", () => {
  const format = { id: "electric_intervals_01", type: "electric_usage", units: "kWh", direction: "net", quality: "raw" };
  it("required there", () => {
    const withIt = field("include_usage_segment_value_types", "choice_list_or_null", { default: null, choices: [choice("electric_intervals_01", { usagesegment_format: format })] });
    expect(rules(validateCustomerDataAuthorizationDetailsField(withIt))).toEqual([]);
    const without = { ...withIt, choices: [choice("electric_intervals_01")] };
    expect(rules(validateCustomerDataAuthorizationDetailsField(without))).toEqual(["/choices/0/usagesegment_format required"]);
  });
  it("forbidden elsewhere", () => {
    const bad = { ...selection("service_contract_selection"), choices: [choice("service_contract_selection", { usagesegment_format: format })] };
    expect(rules(validateCustomerDataAuthorizationDetailsField(bad))).toContain("/choices/0 not");
  });
});

describe("CDS-WG3-01 §5: an API URL for every include_* field a scope offers", () => {
  const base = metadataBase;
  const apis: Array<[string, string]> = [
    ["include_accounts", "cds_accounts_api"],
    ["include_service_contracts", "cds_servicecontracts_api"],
    ["include_service_points", "cds_servicepoints_api"],
    ["include_meter_devices", "cds_meterdevices_api"],
    ["include_bill_statements", "cds_billstatement_api"],
    ["include_bill_sections", "cds_billsection_api"],
    ["include_aggregations", "cds_aggregations_api"],
    ["include_usage_segments", "cds_usagesegments_api"],
    ["include_eacs", "cds_eacs_api"],
  ];
  it("the base document is valid", () => {
    expect(rules(validateCustomerDataAuthorizationServerMetadata(base))).toEqual([]);
  });
  it.each(apis)("%s needs %s", (fieldId, api) => {
    const doc = { ...base, cds_scope_descriptions: { cds_query_usage_1: direct("cds_query_usage", [field(fieldId, "boolean", { default: true })]) } };
    doc.cds_scope_descriptions.cds_query_usage_1.id = "cds_query_usage_1";
    expect(rules(validateCustomerDataAuthorizationServerMetadata(doc))).toContain(`/${api} required`);
    const extra = api === "cds_usagesegments_api" ? { cds_usagesegments_additional_value_types: {} } : api === "cds_eacs_api" ? { cds_eac_formats: {} } : {};
    expect(rules(validateCustomerDataAuthorizationServerMetadata({ ...doc, [api]: "https://example.com/api/x", ...extra }))).toEqual([]);
  });
});

describe("CDS-WG1-02 §4.2: the registration response's fixed values", () => {
  const response = registrationResponse;
  it.each([
    { name: "a scope beyond cds_client_admin", change: { scope: "cds_client_admin cds_usage_1" }, rule: "/scope const" },
    { name: "a redirect URI", change: { redirect_uris: ["https://client.example/cb"] }, rule: "/redirect_uris maxItems" },
    { name: "a response type", change: { response_types: ["code"] }, rule: "/response_types maxItems" },
    { name: "another grant", change: { grant_types: ["client_credentials", "authorization_code"] }, rule: "/grant_types/1 const" },
    { name: "no grant", change: { grant_types: [] }, rule: "/grant_types minItems" },
    { name: "another auth method", change: { token_endpoint_auth_method: "private_key_jwt" }, rule: "/token_endpoint_auth_method const" },
  ])("rejects $name", ({ change, rule }) => {
    expect(rules(validateCustomerDataClientRegistrationResponse({ ...response, ...change }))).toContain(rule);
  });
});

/**
 * The same rules as properties: for generated documents, strict accepts exactly
 * when an independent reading of the rule says so, and lenient accepts whatever
 * strict accepts (the modes' promise, tools/codegen/schema-modes.ts).
 */
describe("the rules as properties (fast-check)", () => {
  it("§6.1: a consent scope's selection choices are accepted exactly when they are the type's own and include the ones it must offer", () => {
    // [allowed, required, at most one], per §6.1.x (and the §6 intro for cds_meters/cds_usage, E-WG3-01-292).
    const table: Record<string, [string[], string[], boolean]> = {
      cds_rate_plan: [["service_contract_selection"], ["service_contract_selection"], true],
      cds_account_programs: [["account_selection"], ["account_selection"], true],
      cds_service_programs: [["service_contract_selection"], ["service_contract_selection"], true],
      cds_accounts: [["account_selection"], ["account_selection"], true],
      cds_service_contracts: [["service_contract_selection", "account_selection"], ["service_contract_selection"], false],
      cds_meters: [["meter_device_selection", "service_contract_selection", "account_selection", "servicepoint_selection"], ["meter_device_selection", "service_contract_selection"], false],
      cds_bill_statements: [["account_selection"], ["account_selection"], true],
      cds_service_bills: [["service_contract_selection", "account_selection"], ["service_contract_selection", "account_selection"], false],
      cds_usage: [["account_selection", "service_contract_selection", "servicepoint_selection", "meter_device_selection", "aggregation_selection"], ["service_contract_selection"], false],
      cds_aggregation_consent: [["aggregation_selection"], ["aggregation_selection"], true],
    };
    const ids = ["account_selection", "service_contract_selection", "servicepoint_selection", "meter_device_selection", "aggregation_selection", "other_selection"];
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(table)), fc.uniqueArray(fc.constantFrom(...ids), { minLength: 1, maxLength: 6 }), (type, chosen) => {
        const [allowed, required, single] = table[type]!;
        const scope = consent(type, [selection(...chosen)]);
        const hasRequired = required.every((id) => chosen.includes(id)) && (!single || chosen.length <= 1);
        expect(validateCustomerDataScopeDescription(scope).ok).toBe(hasRequired && chosen.every((id) => allowed.includes(id)));
        // Lenient reads unknown selection ids as ones it does not know, not as errors.
        expect(validateCustomerDataScopeDescription(scope, "lenient").ok).toBe(hasRequired);
      }),
      { seed: 61, numRuns: 300 },
    );
  });

  it("§5.2: usagesegment_format only in include_usage_segment_value_types (both modes), on every choice there (strict only)", () => {
    const format = { id: "electric_intervals_01", type: "electric_usage", units: "kWh", direction: "net", quality: "raw" };
    fc.assert(
      fc.property(fc.boolean(), fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }), (usageField, carries) => {
        const choices = carries.map((has, i) => choice(`c${i}`, has ? { usagesegment_format: { ...format, id: `c${i}` } } : {}));
        const value = usageField
          ? field("include_usage_segment_value_types", "choice_list_or_null", { default: null, choices })
          : field("purpose", "choice", { default: "c0", choices });
        const nowhereElse = usageField || carries.every((has) => !has);
        expect(validateCustomerDataAuthorizationDetailsField(value).ok).toBe(nowhereElse && (!usageField || carries.every(Boolean)));
        expect(validateCustomerDataAuthorizationDetailsField(value, "lenient").ok).toBe(nowhereElse);
      }),
      { seed: 52, numRuns: 200 },
    );
  });

  it("§5: metadata is accepted exactly when every include_* field a scope offers has its API URL", () => {
    const apis: Record<string, string> = {
      include_accounts: "cds_accounts_api",
      include_service_contracts: "cds_servicecontracts_api",
      include_service_points: "cds_servicepoints_api",
      include_meter_devices: "cds_meterdevices_api",
      include_bill_statements: "cds_billstatement_api",
      include_bill_sections: "cds_billsection_api",
      include_aggregations: "cds_aggregations_api",
      include_usage_segments: "cds_usagesegments_api",
      include_eacs: "cds_eacs_api",
    };
    const includes = Object.keys(apis);
    fc.assert(
      fc.property(
        fc.array(fc.uniqueArray(fc.constantFrom(...includes), { maxLength: 4 }), { maxLength: 3 }),
        fc.subarray(Object.values(apis)),
        (scopes, present) => {
          const descriptions = Object.fromEntries(
            scopes.map((offered, i) => [`cds_query_usage_${i}`, { ...direct("cds_query_usage", offered.map((id) => field(id, "boolean", { default: true }))), id: `cds_query_usage_${i}` }]),
          );
          const urls = Object.fromEntries(present.map((api) => [api, `https://example.com/api/${api}`]));
          const extra = { cds_usagesegments_additional_value_types: {}, cds_eac_formats: {} };
          const doc = { ...metadataBase, scopes_supported: Object.keys(descriptions), cds_scope_descriptions: descriptions, ...urls, ...extra };
          const needed = new Set(scopes.flat().map((id) => apis[id]!));
          const ok = [...needed].every((api) => present.includes(api));
          expect(validateCustomerDataAuthorizationServerMetadata(doc).ok).toBe(ok);
          if (ok) expect(validateCustomerDataAuthorizationServerMetadata(doc, "lenient").ok).toBe(true);
        },
      ),
      { seed: 5, numRuns: 150 },
    );
  });

  it("§4.2: a registration response's grant_types passes exactly when it is client_credentials only", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("client_credentials", "authorization_code", "refresh_token"), { maxLength: 3 }), (grants) => {
        const value = { ...registrationResponse, grant_types: grants };
        const ok = grants.length > 0 && grants.every((g) => g === "client_credentials");
        // The fixture has only the §4.2 fields; judge the rule by the findings on grant_types.
        const onGrants = (r: Result) => rules(r).filter((f) => f.startsWith("/grant_types"));
        expect(onGrants(validateCustomerDataClientRegistrationResponse(value))).toEqual(ok ? [] : expect.arrayContaining([expect.any(String)]));
        if (ok) expect(onGrants(validateCustomerDataClientRegistrationResponse(value, "lenient"))).toEqual([]);
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it("§3.8: an int field's bounds are accepted exactly when they are integers or \"infinite\"", () => {
    const bound = fc.oneof(fc.integer({ min: -1e6, max: 1e6 }), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), fc.constantFrom("infinite", "10"));
    fc.assert(
      fc.property(bound, bound, (maximum, minimum) => {
        const value = field("n", "int", { maximum, minimum });
        const typed = (b: unknown) => b === "infinite" || Number.isInteger(b);
        expect(validateAuthorizationDetailsField(value).ok).toBe(typed(maximum) && typed(minimum));
        if (typed(maximum) && typed(minimum)) expect(validateAuthorizationDetailsField(value, "lenient").ok).toBe(true);
      }),
      { seed: 38, numRuns: 300 },
    );
  });
});
