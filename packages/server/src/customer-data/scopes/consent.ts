/**
 * The ten Customer Consent scopes of CDS-WG3-01 §6.1, described as §6.1.x
 * fixes them: type, the `code` response type, the `authorization_code` and
 * `refresh_token` grants (never `client_credentials`), and the §7
 * authorization details fields each one must list, with the optional ones
 * this server has the data for. Following CDS-WG1-02 (spec/ERRATA.md
 * E-WG3-01-3), a scope's `authorization_details_types_supported` is its own
 * id and the fields are in `authorization_details_fields_supported`.
 *
 * Every description here is this project's own wording.
 */
import type { CustomerDataAuthorizationDetailsField, CustomerDataAuthorizationDetailsFieldChoice, CustomerDataScopeDescription, Purpose } from "@cds-toolkit/types";

/** Scope ids: the §6.1 type with a version suffix, so a later revision can be described beside this one. */
export const CONSENT_SCOPES = {
  ratePlan: "cds_rate_plan_1",
  accountPrograms: "cds_account_programs_1",
  servicePrograms: "cds_service_programs_1",
  accounts: "cds_accounts_1",
  serviceContracts: "cds_service_contracts_1",
  meters: "cds_meters_1",
  billStatements: "cds_bill_statements_1",
  serviceBills: "cds_service_bills_1",
  usage: "cds_usage_1",
  aggregationConsent: "cds_aggregation_consent_1",
} as const;

export type ConsentScopeId = (typeof CONSENT_SCOPES)[keyof typeof CONSENT_SCOPES];

/** The Selection Components of §9.2.3, by their Choice ids (§7.4.1). */
export type SelectionType = "account_selection" | "service_contract_selection" | "servicepoint_selection" | "meter_device_selection" | "aggregation_selection";

/** The Server default Purpose every consent Client Object gets (§8.2 keeps it; §7.4.4 lists it as a choice). */
export const DEFAULT_PURPOSE_ID = "dge_own_use";

export function defaultPurpose(scopes: readonly string[]): Purpose {
  return {
    id: DEFAULT_PURPOSE_ID,
    name: "Customer's own use (server default)",
    content: "To show you your own energy information in this app. The app will not sell or share it.",
    related_uri: null,
    related_name: null,
    scopes_supported: [...scopes],
  };
}

type FieldSpec = Omit<CustomerDataAuthorizationDetailsField, "documentation" | "for_types" | "is_required">;

const bool = (id: string, name: string, description: string, def = false): FieldSpec => ({ id, name, description, format: "boolean", default: def });
const list = (id: string, name: string, description: string, format: "string_list_or_null" | "choice_list_or_null" = "string_list_or_null", choices?: CustomerDataAuthorizationDetailsFieldChoice[]): FieldSpec => ({
  id,
  name,
  description,
  format,
  default: null,
  ...(choices ? { choices } : {}),
});
/** Durations reach as far as the data goes: from none (`PT0S`) to unbounded (`infinite`). */
const when = (id: string, name: string, description: string, format: "relative_or_absolute_date" | "relative_or_absolute_datetime", def: string): FieldSpec => ({ id, name, description, format, default: def, maximum: "infinite", minimum: "PT0S" });

type ChoiceSpec = Omit<CustomerDataAuthorizationDetailsFieldChoice, "documentation">;

const serviceTypeChoices: ChoiceSpec[] = [
  { id: "electric", name: "Electric", description: "Electric service." },
  { id: "natural_gas", name: "Natural gas", description: "Natural gas service." },
  { id: "water", name: "Water", description: "Water service." },
];
const meterTypeChoices: ChoiceSpec[] = [
  { id: "electric_usage", name: "Electric meter", description: "Meters measuring electricity use." },
  { id: "natural_gas_usage", name: "Gas meter", description: "Meters measuring natural gas use." },
  { id: "water_usage", name: "Water meter", description: "Meters measuring water use." },
];
const servicePointTypeChoices: ChoiceSpec[] = [
  { id: "electric", name: "Electric", description: "Points where electric service is delivered." },
  { id: "natural_gas", name: "Natural gas", description: "Points where gas service is delivered." },
  { id: "water", name: "Water", description: "Points where water service is delivered." },
];
const programChoices: ChoiceSpec[] = [
  { id: "care", name: "Bill assistance (CARE)", description: "Participation in the income-qualified bill discount program." },
  { id: "budget_billing", name: "Budget billing", description: "Participation in level monthly payments." },
];
/** §7.2.8.1 / §5.2: every choice carries the Value Format it adds to Usage Segments. */
const valueTypeChoices: ChoiceSpec[] = [
  {
    id: "electric_intervals_01",
    name: "Electric intervals (kWh)",
    description: "Net electricity use per interval from smart meters.",
    usagesegment_format: { id: "electric_intervals_01", type: "electric_usage", units: "kWh", direction: "net", quality: "raw" },
  } as ChoiceSpec,
  {
    id: "gas_daily_01",
    name: "Natural gas daily use (therms)",
    description: "Natural gas use per day.",
    usagesegment_format: { id: "gas_daily_01", type: "natural_gas_usage", units: "therm", quality: "raw" },
  } as ChoiceSpec,
];

/**
 * The Value Type a choice of `include_usage_segment_value_types` stands for:
 * the `type` of its `usagesegment_format` (§5.2). A choice admits every format
 * of that type, whatever the format's own id (spec/ERRATA.md E-WG3-01-360).
 */
export function valueTypeOfChoice(id: string): string | undefined {
  const format = (valueTypeChoices.find((c) => c.id === id) as { usagesegment_format?: { type?: unknown } } | undefined)?.usagesegment_format;
  return typeof format?.type === "string" ? format.type : undefined;
}

/** Every §7 field this server supports, keyed by id. Defaults are the access a plain `scope` request asks for. */
const FIELDS: Record<string, FieldSpec> = Object.fromEntries(
  ([
    // §7.1 preselection
    list("account_numbers", "Preselect accounts", "Account numbers to tick in advance on the authorization form (`_all` ticks every account, `_include_future` also accounts added later)."),
    list("account_programs", "Preselect account programs", "Account-level programs whose participation the Client asks about; accounts in them are ticked in advance.", "choice_list_or_null", programChoices as CustomerDataAuthorizationDetailsFieldChoice[]),
    list("contract_numbers", "Preselect service contracts", "Service contract numbers to tick in advance (`_all` and `_include_future` as for accounts)."),
    list("service_types", "Preselect service types", "Tick in advance the services of these types.", "choice_list_or_null", serviceTypeChoices as CustomerDataAuthorizationDetailsFieldChoice[]),
    list("service_programs", "Preselect service programs", "Service-level programs whose participation the Client asks about; contracts in them are ticked in advance.", "choice_list_or_null", programChoices as CustomerDataAuthorizationDetailsFieldChoice[]),
    list("servicepoint_numbers", "Preselect service points", "Service point numbers to tick in advance (`_all` ticks every one)."),
    list("servicepoint_types", "Preselect service point types", "Tick in advance the service points of these types.", "choice_list_or_null", servicePointTypeChoices as CustomerDataAuthorizationDetailsFieldChoice[]),
    list("premise_numbers", "Preselect premises", "Tick in advance what belongs to these premise numbers."),
    list("meter_numbers", "Preselect meters", "Meter numbers to tick in advance (`_all` ticks every meter)."),
    list("meter_types", "Preselect meter types", "Tick in advance the meters of these types.", "choice_list_or_null", meterTypeChoices as CustomerDataAuthorizationDetailsFieldChoice[]),
    list("aggregation_numbers", "Aggregations", "The aggregation numbers the request is about."),
    list("addresses", "Preselect by address", "Service addresses; what is at a matching address is ticked in advance."),
    // §7.2 included data
    bool("include_accounts", "Include accounts", "Also share the accounts related to the shared data."),
    bool("include_account_numbers", "Include account numbers", "Show account numbers in the shared accounts."),
    bool("include_account_details", "Include account details", "Share account names, addresses and contacts."),
    bool("include_account_programs", "Include account programs", "Share the account-level programs the customer takes part in."),
    bool("include_service_contracts", "Include service contracts", "Also share the service contracts related to the shared data."),
    bool("include_contract_numbers", "Include contract numbers", "Show contract numbers in the shared service contracts."),
    bool("include_rate_plans", "Include rate plans", "Share the tariffs of the shared service contracts."),
    bool("include_service_contract_details", "Include service contract details", "Share service contract names, dates and status."),
    bool("include_service_programs", "Include service programs", "Share the service-level programs the customer takes part in."),
    bool("include_service_points", "Include service points", "Also share the service points related to the shared data."),
    bool("include_premises", "Include premises", "Share the premises of the shared service points."),
    bool("include_service_point_addresses", "Include service point addresses", "Share the addresses of the shared service points."),
    bool("include_coordinates", "Include coordinates", "Share the map coordinates of the shared service points."),
    bool("include_meter_devices", "Include meters", "Also share the meters related to the shared data."),
    bool("include_meter_numbers", "Include meter numbers", "Show meter numbers in the shared meters."),
    bool("include_meter_apps", "Include meter apps", "Share the apps installed on the shared meters."),
    bool("include_bill_statements", "Include bill statements", "Also share the bill statements of the shared accounts."),
    bool("include_bill_statement_files", "Include bill files", "Share the bill documents (PDF) of the shared bill statements."),
    bool("include_bill_statement_charges", "Include bill charges", "Share the new charges listed on the shared bill statements."),
    bool("include_bill_statement_programs", "Include bill programs", "Share the programs listed on the shared bill statements."),
    bool("include_bill_sections", "Include bill sections", "Also share the per-service bill breakdowns."),
    bool("include_bill_section_line_items", "Include bill line items", "Share each line item of the shared bill sections."),
    bool("include_aggregations", "Include aggregations", "Also share the aggregations the shared data belongs to."),
    bool("include_aggregation_addresses", "Include aggregation addresses", "Share the addresses grouped in the shared aggregations."),
    bool("include_usage_segments", "Include usage", "Also share the energy usage of the shared items."),
    {
      id: "include_usage_segment_value_types",
      name: "Usage value types",
      description: "Which kinds of usage values the shared usage may contain.",
      format: "choice_list_or_null",
      default: valueTypeChoices.map((c) => c.id),
      choices: valueTypeChoices as CustomerDataAuthorizationDetailsFieldChoice[],
    },
    // §7.3 durations. Relative values are resolved at approval (authorization-details/durations.ts).
    when("sync_until", "Keep updating until", "Until when shared data keeps being updated.", "relative_or_absolute_datetime", "P1Y"),
    when("statement_date_start", "Bills issued from", "The earliest statement date of shared bills (relative values count back from approval).", "relative_or_absolute_date", "P1Y"),
    when("statement_date_end", "Bills issued until", "The latest statement date of shared bills (relative values count forward from approval, §7.3.3).", "relative_or_absolute_date", "P1Y"),
    when("start_date", "Bill details from", "The earliest start date of shared bill sections (relative values count back).", "relative_or_absolute_date", "P1Y"),
    when("end_date", "Bill details until", "The latest end date of shared bill sections (relative values count forward).", "relative_or_absolute_date", "P1Y"),
    when("segment_start", "Usage from", "The earliest start of shared usage (relative values count back).", "relative_or_absolute_datetime", "P1Y"),
    when("segment_end", "Usage until", "The latest end of shared usage (relative values count forward).", "relative_or_absolute_datetime", "P1Y"),
    when("expires", "Authorization ends", "When the authorization ends.", "relative_or_absolute_datetime", "P1Y"),
    // §7.4 other
    { id: "merge_selection_with", name: "Merge selection with", description: "Another requested scope whose selection list this scope shares on the form.", format: "string_or_null", default: null, maximum: 100, minimum: 1 },
    bool("error_if_no_preselections", "Error if nothing preselected", "Show the Preselection Error when none of the customer's items match the preselection fields."),
    bool("allow_scope_modifications", "Allow changes", "Whether the customer may change the selection before approving.", true),
    { id: "jwk", name: "Response encryption key", description: "A public key for encrypting API responses; not supported by this server, so only `null` is accepted.", format: "jwk_or_null", default: null },
  ] satisfies FieldSpec[]).map((f) => [f.id, f]),
);

const SELECTION_CHOICES: Record<SelectionType, ChoiceSpec> = {
  account_selection: { id: "account_selection", name: "Choose accounts", description: "The customer ticks accounts (§9.2.3.1)." },
  service_contract_selection: { id: "service_contract_selection", name: "Choose services", description: "The customer ticks service contracts (§9.2.3.2)." },
  servicepoint_selection: { id: "servicepoint_selection", name: "Choose service points", description: "The customer ticks service points (§9.2.3.3)." },
  meter_device_selection: { id: "meter_device_selection", name: "Choose meters", description: "The customer ticks meters (§9.2.3.4)." },
  aggregation_selection: { id: "aggregation_selection", name: "Aggregations", description: "The customer reviews the aggregations they would be included in (§9.2.3.5)." },
};

/** A consent scope: what §6.1.x requires, and what this server adds. */
export interface ConsentScopeRule {
  id: ConsentScopeId;
  type: string;
  section: string;
  name: string;
  /** Plain words for the form's Data Component (§9.2.2.1). */
  summary: string;
  /** The fields listed, the §6.1.x MUST list first. */
  fields: string[];
  /** Selection choices, the default first (§7.4.1). */
  selections: SelectionType[];
  /** Fields the scope always treats as `true` (§6.1.x "default access"). */
  alwaysIncluded: string[];
  /** Preselection fields that may not be `null` (§6.1.2, §6.1.3, §6.1.10). */
  notNull: string[];
  /** Field defaults §6.1.x fixes. */
  defaults?: Record<string, unknown>;
  /** Fields whose value is fixed (§6.1.10: `error_if_no_preselections` true, `allow_scope_modifications` false). */
  fixed?: Record<string, unknown>;
  /** Preselection fields kept in the Grant's details (§6.1.2, §6.1.3). */
  keptPreselections: string[];
}

const common = ["authorization_form_selection_type", "merge_selection_with", "error_if_no_preselections", "allow_scope_modifications", "jwk", "purpose"];

export const consentScopeRules: readonly ConsentScopeRule[] = [
  {
    id: CONSENT_SCOPES.ratePlan,
    type: "cds_rate_plan",
    section: "§6.1.1",
    name: "Rate Plan",
    summary: "the rate plans (tariffs) of your services",
    fields: ["contract_numbers", "service_types", "include_contract_numbers", "sync_until", ...common, "account_numbers", "meter_numbers", "addresses", "include_accounts", "include_account_numbers", "include_meter_devices", "include_meter_numbers"],
    selections: ["service_contract_selection"],
    alwaysIncluded: ["include_service_contracts", "include_rate_plans"],
    notNull: [],
    keptPreselections: [],
  },
  {
    id: CONSENT_SCOPES.accountPrograms,
    type: "cds_account_programs",
    section: "§6.1.2",
    name: "Account Program Participation",
    summary: "which account programs (such as bill assistance) your accounts take part in",
    fields: ["account_numbers", "account_programs", "include_account_numbers", "sync_until", ...common, "addresses"],
    selections: ["account_selection"],
    alwaysIncluded: ["include_accounts", "include_account_programs"],
    notNull: ["account_programs"],
    defaults: { account_programs: programChoices.map((c) => c.id) },
    keptPreselections: ["account_programs"],
  },
  {
    id: CONSENT_SCOPES.servicePrograms,
    type: "cds_service_programs",
    section: "§6.1.3",
    name: "Service Program Participation",
    summary: "which service programs (such as demand response) your services take part in",
    fields: ["contract_numbers", "service_programs", "service_types", "include_contract_numbers", "sync_until", ...common, "account_numbers", "meter_numbers", "addresses", "include_accounts", "include_account_numbers", "include_rate_plans", "include_meter_devices", "include_meter_numbers"],
    selections: ["service_contract_selection"],
    alwaysIncluded: ["include_service_contracts", "include_service_programs"],
    notNull: ["service_programs"],
    defaults: { service_programs: programChoices.map((c) => c.id) },
    keptPreselections: ["service_programs"],
  },
  {
    id: CONSENT_SCOPES.accounts,
    type: "cds_accounts",
    section: "§6.1.4",
    name: "Account List",
    summary: "your list of utility accounts",
    fields: ["account_numbers", "include_account_numbers", "sync_until", ...common, "addresses", "include_account_details", "include_account_programs", "include_aggregations"],
    selections: ["account_selection"],
    alwaysIncluded: ["include_accounts"],
    notNull: [],
    keptPreselections: [],
  },
  {
    id: CONSENT_SCOPES.serviceContracts,
    type: "cds_service_contracts",
    section: "§6.1.5",
    name: "Service List",
    summary: "your list of utility services (electric, gas, water) and their accounts",
    fields: [
      "contract_numbers", "service_types", "include_contract_numbers", "sync_until", ...common,
      "account_numbers", "meter_numbers", "addresses", "include_account_numbers", "include_account_details", "include_account_programs", "include_rate_plans",
      "include_service_contract_details", "include_service_programs", "include_meter_devices", "include_meter_numbers", "include_meter_apps", "include_aggregations",
    ],
    selections: ["service_contract_selection", "account_selection"],
    alwaysIncluded: ["include_accounts", "include_service_contracts"],
    notNull: [],
    keptPreselections: [],
  },
  {
    id: CONSENT_SCOPES.meters,
    type: "cds_meters",
    section: "§6.1.6",
    name: "Meter List",
    summary: "your list of meters",
    fields: [
      "meter_numbers", "meter_types", "include_meter_numbers", "sync_until", ...common,
      "account_numbers", "contract_numbers", "service_types", "servicepoint_numbers", "servicepoint_types", "premise_numbers", "addresses",
      "include_accounts", "include_account_numbers", "include_account_details", "include_account_programs", "include_service_contracts", "include_contract_numbers",
      "include_rate_plans", "include_service_contract_details", "include_service_programs", "include_service_points", "include_premises", "include_service_point_addresses",
      "include_coordinates", "include_meter_apps", "include_aggregations",
    ],
    selections: ["meter_device_selection", "service_contract_selection", "account_selection", "servicepoint_selection"],
    alwaysIncluded: ["include_meter_devices"],
    notNull: [],
    keptPreselections: [],
  },
  {
    id: CONSENT_SCOPES.billStatements,
    type: "cds_bill_statements",
    section: "§6.1.7",
    name: "Bill Statements",
    summary: "your bills",
    fields: ["account_numbers", "statement_date_start", "statement_date_end", ...common, "contract_numbers", "meter_numbers", "addresses", "include_bill_statement_files", "include_bill_statement_charges", "include_bill_statement_programs"],
    selections: ["account_selection"],
    alwaysIncluded: ["include_bill_statements", "include_accounts", "include_account_numbers"],
    notNull: [],
    keptPreselections: [],
  },
  {
    id: CONSENT_SCOPES.serviceBills,
    type: "cds_service_bills",
    section: "§6.1.8",
    name: "Service Bills",
    summary: "the charges on your bills, service by service",
    fields: [
      "contract_numbers", "service_types", "start_date", "end_date", ...common,
      "account_numbers", "meter_numbers", "addresses", "statement_date_start", "statement_date_end", "include_bill_statements", "include_bill_statement_files",
      "include_bill_statement_charges", "include_bill_statement_programs", "include_bill_section_line_items", "include_aggregations", "include_service_points",
      "include_meter_devices", "include_meter_numbers",
    ],
    selections: ["service_contract_selection", "account_selection"],
    alwaysIncluded: ["include_bill_sections", "include_accounts", "include_account_numbers", "include_service_contracts", "include_contract_numbers"],
    notNull: [],
    keptPreselections: [],
  },
  {
    id: CONSENT_SCOPES.usage,
    type: "cds_usage",
    section: "§6.1.9",
    name: "Meter Usage",
    summary: "your meters' energy usage",
    // The per-selection MUST lists of §6.1.9 for the four selections offered here are all included.
    fields: [
      "include_meter_devices", "include_meter_numbers", "include_usage_segment_value_types", "segment_start", "segment_end", ...common,
      "sync_until", "account_numbers", "contract_numbers", "service_types", "servicepoint_numbers", "servicepoint_types", "premise_numbers", "meter_numbers", "meter_types", "addresses",
      "include_accounts", "include_account_numbers", "include_service_contracts", "include_contract_numbers", "include_service_points", "include_premises",
      "include_service_point_addresses", "include_coordinates",
    ],
    selections: ["service_contract_selection", "account_selection", "servicepoint_selection", "meter_device_selection"],
    alwaysIncluded: ["include_usage_segments"],
    notNull: [],
    keptPreselections: [],
  },
  {
    id: CONSENT_SCOPES.aggregationConsent,
    type: "cds_aggregation_consent",
    section: "§6.1.10",
    name: "Aggregation Inclusion",
    summary: "being counted in an aggregation (such as whole-building energy use)",
    fields: ["aggregation_numbers", "premise_numbers", "expires", "authorization_form_selection_type", "error_if_no_preselections", "allow_scope_modifications", "purpose"],
    selections: ["aggregation_selection"],
    alwaysIncluded: [],
    notNull: ["aggregation_numbers", "premise_numbers"],
    defaults: { error_if_no_preselections: true, allow_scope_modifications: false },
    fixed: { error_if_no_preselections: true, allow_scope_modifications: false },
    keptPreselections: ["aggregation_numbers", "premise_numbers"],
  },
];

export const consentScopeIds: readonly ConsentScopeId[] = consentScopeRules.map((r) => r.id);

const byId = new Map(consentScopeRules.map((r) => [r.id as string, r]));

export function consentScopeRule(scope: string): ConsentScopeRule | undefined {
  return byId.get(scope);
}

export function isConsentScope(scope: string): scope is ConsentScopeId {
  return byId.has(scope);
}

/** The field objects of one scope, as its Scope Description lists them. */
function fieldsOf(rule: ConsentScopeRule, doc: (fragment: string) => string, purposes: readonly Purpose[]): CustomerDataAuthorizationDetailsField[] {
  return rule.fields.map((id) => {
    const base = { documentation: doc(id), for_types: [rule.id], is_required: false };
    if (id === "authorization_form_selection_type") {
      return {
        id,
        name: "Selection type",
        description: "Which list the customer chooses from on the authorization form.",
        ...base,
        format: "choice",
        default: rule.selections[0],
        choices: rule.selections.map((s) => ({ ...SELECTION_CHOICES[s], documentation: doc(s) })),
      };
    }
    if (id === "purpose") {
      return {
        id,
        name: "Purpose",
        description: "Which of the Client's Purposes the form shows (`null`: none).",
        ...base,
        format: "choice_or_null",
        default: null,
        choices: purposes.filter((p) => p.scopes_supported.includes(rule.id)).map((p) => ({ id: p.id, name: p.name, description: "A Purpose shown on the authorization form.", documentation: doc(`purpose-${p.id}`) })),
      };
    }
    const spec = FIELDS[id];
    if (!spec) throw new Error(`no field ${id}`);
    const choices = spec.choices?.map((c) => ({ ...c, documentation: doc(c.id) }));
    const def = rule.defaults && Object.hasOwn(rule.defaults, id) ? rule.defaults[id] : rule.alwaysIncluded.includes(id) ? true : spec.default;
    return { ...spec, ...base, default: def, ...(choices ? { choices } : {}) };
  });
}

/**
 * The Scope Descriptions of the consent scopes. `purposes` are the Purposes
 * the `purpose` field offers: the Server defaults in the public metadata, a
 * Client's own `cds_purposes` in its Client-specific metadata (§7.4.4).
 */
export function consentScopeDescriptions(documentation: string, purposes: readonly Purpose[] = [defaultPurpose(consentScopeIds)]): Record<string, CustomerDataScopeDescription> {
  const doc = (fragment: string) => `${documentation}#${fragment}`;
  return Object.fromEntries(
    consentScopeRules.map((rule): [string, CustomerDataScopeDescription] => [
      rule.id,
      {
        id: rule.id,
        type: rule.type,
        name: rule.name,
        description: `Customer consent (CDS-WG3-01 ${rule.section}): ${rule.summary}.`,
        documentation: doc(rule.id),
        registration_requirements: [],
        registration_optional: [],
        response_types_supported: ["code"],
        grant_types_supported: ["authorization_code", "refresh_token"],
        token_endpoint_auth_methods_supported: ["client_secret_basic"],
        code_challenge_methods_supported: ["S256"],
        coverages_supported: [],
        // The default redirect URI leaves Clients only Grant Admin tokens to reach the data (§9.1.1).
        grant_admin_scope: "cds_grant_admin_1",
        authorization_details_types_supported: [rule.id],
        authorization_details_fields_supported: fieldsOf(rule, doc, purposes),
      },
    ]),
  );
}

/** The field object of `field` in `scope`'s description, from the public rules. */
const publicDescriptions = consentScopeDescriptions("https://invalid.example/");
export function consentFieldOf(scope: string, field: string): CustomerDataAuthorizationDetailsField | undefined {
  return publicDescriptions[scope]?.authorization_details_fields_supported.find((f) => f.id === field) as CustomerDataAuthorizationDetailsField | undefined;
}

/** The fields `scope` lists, by id. */
export function consentFieldIds(scope: string): string[] {
  return (publicDescriptions[scope]?.authorization_details_fields_supported ?? []).map((f) => f.id);
}
