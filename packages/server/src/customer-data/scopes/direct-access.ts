/**
 * The eight Direct Access scopes of CDS-WG3-01 §6.2: Client Credentials
 * (RFC 6749 §4.4) access to the Customer Data APIs without a customer's
 * consent, for cases the utility decides (§6.2: a customer reading its own
 * data as a Client, a contracted vendor, aggregated data). Each description
 * is shaped as §6.2.1–§6.2.8 fix it: its `type`, no response types, the
 * `client_credentials` grant type, the duration fields each section names,
 * plus the preselection and include fields its listing honours (§7.1, §7.2).
 * Ids follow the §13 examples (`cds_query_accounts_1`, …); as for the other
 * scopes here, a scope's authorization details type is its id.
 */
import type { CustomerDataAuthorizationDetailsField, CustomerDataScopeDescription, CustomerDataScopeType } from "@cds-toolkit/types";
import { GRANT_ADMIN_SCOPE } from "../../cds/scopes.js";
import type { CustomerDataKind } from "../data-source.js";

type DirectAccessType = Extract<CustomerDataScopeType, `cds_query_${string}`>;

interface DirectAccessScope {
  id: string;
  type: DirectAccessType;
  /** The listing the scope opens (§6.2.x "treat this Scope as having included …"). */
  kind: CustomerDataKind;
  name: string;
  description: string;
  /** The `include_*` fields the scope counts as `true` (§6.2.x). */
  included: readonly string[];
  /** The §7.3 duration fields besides `sync_until`. */
  durations: readonly ("statement_date_start" | "statement_date_end" | "start_date" | "end_date" | "segment_start" | "segment_end")[];
  /** The §7.1 preselection fields that narrow this listing. */
  preselections: readonly ("account_numbers" | "contract_numbers" | "servicepoint_numbers" | "meter_numbers" | "aggregation_numbers")[];
}

export const directAccessScopes = [
  { id: "cds_query_accounts_1", type: "cds_query_accounts", kind: "accounts", name: "Query Accounts", description: "Lists the customer Accounts the Client is permitted to see, without per-customer consent.", included: ["include_accounts"], durations: [], preselections: ["account_numbers"] },
  { id: "cds_query_service_contracts_1", type: "cds_query_service_contracts", kind: "service_contracts", name: "Query Service Contracts", description: "Lists the Service Contracts the Client is permitted to see, without per-customer consent.", included: ["include_accounts", "include_service_contracts"], durations: [], preselections: ["account_numbers", "contract_numbers"] },
  { id: "cds_query_service_points_1", type: "cds_query_service_points", kind: "service_points", name: "Query Service Points", description: "Lists the Service Points the Client is permitted to see, without per-customer consent.", included: ["include_service_points"], durations: [], preselections: ["servicepoint_numbers"] },
  { id: "cds_query_meter_devices_1", type: "cds_query_meter_devices", kind: "meter_devices", name: "Query Meter Devices", description: "Lists the Meter Devices the Client is permitted to see, without per-customer consent.", included: ["include_meter_devices"], durations: [], preselections: ["meter_numbers"] },
  { id: "cds_query_bill_statements_1", type: "cds_query_bill_statements", kind: "bill_statements", name: "Query Bill Statements", description: "Lists the Bill Statements the Client is permitted to see, without per-customer consent.", included: ["include_bill_statements"], durations: ["statement_date_start", "statement_date_end"], preselections: ["account_numbers"] },
  { id: "cds_query_bill_sections_1", type: "cds_query_bill_sections", kind: "bill_sections", name: "Query Bill Sections", description: "Lists the Bill Sections the Client is permitted to see, without per-customer consent.", included: ["include_bill_sections"], durations: ["start_date", "end_date"], preselections: ["account_numbers", "contract_numbers"] },
  { id: "cds_query_aggregations_1", type: "cds_query_aggregations", kind: "aggregations", name: "Query Aggregations", description: "Searches the Aggregations the Client is permitted to see, such as whole-building groupings.", included: ["include_aggregations"], durations: [], preselections: ["aggregation_numbers"] },
  { id: "cds_query_usage_1", type: "cds_query_usage", kind: "usage_segments", name: "Query Usage", description: "Lists the Usage Segments the Client is permitted to see, without per-customer consent.", included: ["include_usage_segments", "include_usage_segment_value_types"], durations: ["segment_start", "segment_end"], preselections: ["account_numbers", "contract_numbers", "servicepoint_numbers", "meter_numbers"] },
] as const satisfies readonly DirectAccessScope[];

export type DirectAccessScopeId = (typeof directAccessScopes)[number]["id"];

const fieldTexts: Record<string, { name: string; description: string; format: CustomerDataAuthorizationDetailsField["format"] }> = {
  account_numbers: { name: "Account numbers", description: "Limits the data to the Accounts with these account numbers.", format: "string_list_or_null" },
  contract_numbers: { name: "Contract numbers", description: "Limits the data to the Service Contracts with these contract numbers.", format: "string_list_or_null" },
  servicepoint_numbers: { name: "Service point numbers", description: "Limits the data to the Service Points with these numbers.", format: "string_list_or_null" },
  meter_numbers: { name: "Meter numbers", description: "Limits the data to the Meter Devices with these meter numbers.", format: "string_list_or_null" },
  aggregation_numbers: { name: "Aggregation numbers", description: "Limits the data to the Aggregations with these numbers.", format: "string_list_or_null" },
  sync_until: { name: "Keep data current until", description: "How long the Server keeps the data up to date for the Grant.", format: "relative_or_absolute_datetime" },
  statement_date_start: { name: "Earliest statement date", description: "Bill Statements dated before this are left out.", format: "relative_or_absolute_date" },
  statement_date_end: { name: "Latest statement date", description: "Bill Statements dated after this are left out.", format: "relative_or_absolute_date" },
  start_date: { name: "Earliest bill section date", description: "Bill Sections ending before this are left out.", format: "relative_or_absolute_date" },
  end_date: { name: "Latest bill section date", description: "Bill Sections starting after this are left out.", format: "relative_or_absolute_date" },
  segment_start: { name: "Earliest usage", description: "Usage before this is left out: a Usage Segment running across it is cut to the Value Sets that start on or after it.", format: "relative_or_absolute_datetime" },
  segment_end: { name: "Latest usage", description: "Usage after this is left out: a Usage Segment running across it is cut to the Value Sets that end on or before it.", format: "relative_or_absolute_datetime" },
};

function field(id: string, scope: string, doc: (f: string) => string): CustomerDataAuthorizationDetailsField {
  const text = fieldTexts[id]!;
  const base = { id, name: text.name, description: text.description, documentation: doc(id), for_types: [scope], format: text.format, is_required: false };
  if (text.format === "string_list_or_null") return { ...base, default: null, maximum: 1000, minimum: 1 };
  if (text.format === "relative_or_absolute_datetime") return { ...base, default: id === "sync_until" ? "infinite" : null, maximum: "infinite", minimum: id === "sync_until" ? "PT0S" : "-P100Y" };
  return { ...base, default: null, maximum: "P100Y", minimum: "-P100Y" };
}

/** The descriptions for `cds_scope_descriptions`, keyed by scope id. */
export function directAccessScopeDescriptions(documentation: string): Record<DirectAccessScopeId, CustomerDataScopeDescription> {
  const doc = (fragment: string) => `${documentation}#${fragment}`;
  return Object.fromEntries(
    directAccessScopes.map((s) => [
      s.id,
      {
        id: s.id,
        type: s.type,
        name: s.name,
        description: s.description,
        documentation: doc(s.id),
        registration_requirements: [],
        registration_optional: [],
        response_types_supported: [],
        grant_types_supported: ["client_credentials"],
        token_endpoint_auth_methods_supported: ["client_secret_basic"],
        code_challenge_methods_supported: [],
        coverages_supported: [],
        grant_admin_scope: GRANT_ADMIN_SCOPE,
        authorization_details_types_supported: [s.id],
        authorization_details_fields_supported: [...s.preselections, "sync_until", ...s.durations].map((f) => field(f, s.id, doc)),
      } satisfies CustomerDataScopeDescription,
    ]),
  ) as unknown as Record<DirectAccessScopeId, CustomerDataScopeDescription>;
}
