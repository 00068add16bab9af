/**
 * The settings CDS-WG3-01 fixes for Scope Descriptions (§6.1.x, §6.2.x) and
 * for Authorization Details Field Objects (§7.x), transcribed from the
 * sections' lists as identifiers only, each with the catalogue ids of the
 * statements it checks. Per spec/ERRATA.md E-WG3-01-3, the field ids §6 lists
 * under `authorization_details_types_supported` are read from the scope's
 * `authorization_details_fields_supported`.
 */

export interface ScopeRule {
  section: string;
  type: string;
  /** Field ids the scope supports at least, and those it never offers. */
  atLeast: string[];
  never?: string[];
  /** The one selection choice the form offers, the choices it must offer, or those it may choose among. */
  choice?: string;
  choices?: string[];
  oneOf?: string[];
  /** `settings`: the section's "takes the settings listed below"; `selectionField`: its selection field's. */
  musts: { type: string; grantTypes?: string; atLeast: string; never?: string; choice?: string; choices?: string; oneOf?: string; settings?: string; selectionField?: string };
}

export interface FieldRule {
  section: string;
  id: string;
  formats: string[];
  /** `settings`: the section's "takes the settings listed below", where id, format and is_required are all it lists. */
  musts: { id: string; format: string; isRequired?: string; settings?: string };
}

export const scopeRules: ScopeRule[] = [
  {section: "6.1.1", type: "cds_rate_plan", atLeast: ["contract_numbers", "service_types", "include_contract_numbers", "sync_until", "authorization_form_selection_type", "merge_selection_with", "error_if_no_preselections", "allow_scope_modifications", "jwk"], never: ["include_bill_statements", "include_bill_sections", "include_usage_segments"], choice: "service_contract_selection", musts: {type: "WG3-01-6.1.1-2", grantTypes: "WG3-01-6.1.1-3", atLeast: "WG3-01-6.1.1-4", never: "WG3-01-6.1.1-6", choice: "WG3-01-6.1.1-8", settings: "WG3-01-6.1.1-1", selectionField: "WG3-01-6.1.1-7"}},
  {section: "6.1.2", type: "cds_account_programs", atLeast: ["account_numbers", "account_programs", "include_account_numbers", "sync_until", "authorization_form_selection_type", "merge_selection_with", "error_if_no_preselections", "allow_scope_modifications", "jwk"], never: ["include_bill_statements", "include_bill_sections", "include_usage_segments"], choice: "account_selection", musts: {type: "WG3-01-6.1.2-2", grantTypes: "WG3-01-6.1.2-3", atLeast: "WG3-01-6.1.2-4", never: "WG3-01-6.1.2-6", choice: "WG3-01-6.1.2-8", settings: "WG3-01-6.1.2-1", selectionField: "WG3-01-6.1.2-7"}},
  {section: "6.1.3", type: "cds_service_programs", atLeast: ["contract_numbers", "service_programs", "service_types", "include_contract_numbers", "sync_until", "authorization_form_selection_type", "merge_selection_with", "error_if_no_preselections", "allow_scope_modifications", "jwk"], never: ["include_bill_statements", "include_bill_sections", "include_usage_segments"], choice: "service_contract_selection", musts: {type: "WG3-01-6.1.3-2", grantTypes: "WG3-01-6.1.3-3", atLeast: "WG3-01-6.1.3-4", never: "WG3-01-6.1.3-6", choice: "WG3-01-6.1.3-8", settings: "WG3-01-6.1.3-1", selectionField: "WG3-01-6.1.3-7"}},
  {section: "6.1.4", type: "cds_accounts", atLeast: ["account_numbers", "include_account_numbers", "sync_until", "authorization_form_selection_type", "merge_selection_with", "error_if_no_preselections", "allow_scope_modifications", "jwk"], never: ["include_bill_statements", "include_bill_sections", "include_usage_segments"], choice: "account_selection", musts: {type: "WG3-01-6.1.4-2", grantTypes: "WG3-01-6.1.4-3", atLeast: "WG3-01-6.1.4-4", never: "WG3-01-6.1.4-6", choice: "WG3-01-6.1.4-8", settings: "WG3-01-6.1.4-1", selectionField: "WG3-01-6.1.4-7"}},
  {section: "6.1.5", type: "cds_service_contracts", atLeast: ["contract_numbers", "service_types", "include_contract_numbers", "sync_until", "authorization_form_selection_type", "merge_selection_with", "error_if_no_preselections", "allow_scope_modifications", "jwk"], never: ["include_bill_statements", "include_bill_sections", "include_usage_segments"], choices: ["service_contract_selection"], musts: {type: "WG3-01-6.1.5-2", grantTypes: "WG3-01-6.1.5-3", atLeast: "WG3-01-6.1.5-4", never: "WG3-01-6.1.5-6", choices: "WG3-01-6.1.5-8", settings: "WG3-01-6.1.5-1", selectionField: "WG3-01-6.1.5-7"}},
  {section: "6.1.6", type: "cds_meters", atLeast: ["meter_numbers", "meter_types", "include_meter_numbers", "sync_until", "authorization_form_selection_type", "merge_selection_with", "error_if_no_preselections", "allow_scope_modifications", "jwk"], never: ["include_bill_statements", "include_bill_sections", "include_usage_segments"], choices: ["meter_device_selection"], musts: {type: "WG3-01-6.1.6-2", grantTypes: "WG3-01-6.1.6-3", atLeast: "WG3-01-6.1.6-4", never: "WG3-01-6.1.6-6", choices: "WG3-01-6.1.6-8", settings: "WG3-01-6.1.6-1", selectionField: "WG3-01-6.1.6-7"}},
  {section: "6.1.7", type: "cds_bill_statements", atLeast: ["account_numbers", "statement_date_start", "statement_date_end", "authorization_form_selection_type", "merge_selection_with", "error_if_no_preselections", "allow_scope_modifications", "jwk"], never: ["include_usage_segments"], choice: "account_selection", musts: {type: "WG3-01-6.1.7-2", grantTypes: "WG3-01-6.1.7-3", atLeast: "WG3-01-6.1.7-4", never: "WG3-01-6.1.7-6", choice: "WG3-01-6.1.7-8", settings: "WG3-01-6.1.7-1", selectionField: "WG3-01-6.1.7-7"}},
  {section: "6.1.8", type: "cds_service_bills", atLeast: ["contract_numbers", "service_types", "start_date", "end_date", "authorization_form_selection_type", "merge_selection_with", "error_if_no_preselections", "allow_scope_modifications", "jwk"], never: ["include_usage_segments"], choices: ["service_contract_selection", "account_selection"], musts: {type: "WG3-01-6.1.8-2", grantTypes: "WG3-01-6.1.8-3", atLeast: "WG3-01-6.1.8-4", never: "WG3-01-6.1.8-6", choices: "WG3-01-6.1.8-8", settings: "WG3-01-6.1.8-1", selectionField: "WG3-01-6.1.8-7"}},
  {section: "6.1.9", type: "cds_usage", atLeast: ["include_meter_devices", "include_meter_numbers", "include_usage_segment_value_types", "segment_start", "segment_end", "authorization_form_selection_type", "merge_selection_with", "error_if_no_preselections", "allow_scope_modifications", "jwk"], oneOf: ["account_selection", "service_contract_selection", "servicepoint_selection", "meter_device_selection", "aggregation_selection"], musts: {type: "WG3-01-6.1.9-2", grantTypes: "WG3-01-6.1.9-3", atLeast: "WG3-01-6.1.9-4", oneOf: "WG3-01-6.1.9-7", settings: "WG3-01-6.1.9-1", selectionField: "WG3-01-6.1.9-6"}},
  {section: "6.1.10", type: "cds_aggregation_consent", atLeast: ["aggregation_numbers", "premise_numbers", "expires", "authorization_form_selection_type", "error_if_no_preselections", "allow_scope_modifications"], choice: "aggregation_selection", musts: {type: "WG3-01-6.1.10-2", grantTypes: "WG3-01-6.1.10-3", atLeast: "WG3-01-6.1.10-4", choice: "WG3-01-6.1.10-6", settings: "WG3-01-6.1.10-1", selectionField: "WG3-01-6.1.10-5"}},
  {section: "6.2.1", type: "cds_query_accounts", atLeast: ["sync_until"], musts: {type: "WG3-01-6.2.1-2", atLeast: "WG3-01-6.2.1-3", settings: "WG3-01-6.2.1-1"}},
  {section: "6.2.2", type: "cds_query_service_contracts", atLeast: ["sync_until"], musts: {type: "WG3-01-6.2.2-2", atLeast: "WG3-01-6.2.2-3", settings: "WG3-01-6.2.2-1"}},
  {section: "6.2.3", type: "cds_query_service_points", atLeast: ["sync_until"], musts: {type: "WG3-01-6.2.3-2", atLeast: "WG3-01-6.2.3-3", settings: "WG3-01-6.2.3-1"}},
  {section: "6.2.4", type: "cds_query_meter_devices", atLeast: ["sync_until"], musts: {type: "WG3-01-6.2.4-2", atLeast: "WG3-01-6.2.4-3", settings: "WG3-01-6.2.4-1"}},
  {section: "6.2.5", type: "cds_query_bill_statements", atLeast: ["sync_until", "statement_date_start", "statement_date_end"], musts: {type: "WG3-01-6.2.5-2", atLeast: "WG3-01-6.2.5-3", settings: "WG3-01-6.2.5-1"}},
  {section: "6.2.6", type: "cds_query_bill_sections", atLeast: ["sync_until", "start_date", "end_date"], musts: {type: "WG3-01-6.2.6-2", atLeast: "WG3-01-6.2.6-3", settings: "WG3-01-6.2.6-1"}},
  {section: "6.2.7", type: "cds_query_aggregations", atLeast: ["sync_until"], musts: {type: "WG3-01-6.2.7-2", atLeast: "WG3-01-6.2.7-3", settings: "WG3-01-6.2.7-1"}},
  {section: "6.2.8", type: "cds_query_usage", atLeast: ["sync_until", "segment_start", "segment_end"], musts: {type: "WG3-01-6.2.8-2", atLeast: "WG3-01-6.2.8-3", settings: "WG3-01-6.2.8-1"}},
];

export const fieldRules: FieldRule[] = [
  {section: "7.1.1", id: "account_numbers", formats: ["string_list_or_null", "choice_list_or_null"], musts: {id: "WG3-01-7.1.1-2", format: "WG3-01-7.1.1-3", isRequired: "WG3-01-7.1.1-4", settings: "WG3-01-7.1.1-1"}},
  {section: "7.1.2", id: "account_programs", formats: ["choice_list_or_null"], musts: {id: "WG3-01-7.1.2-2", format: "WG3-01-7.1.2-3", isRequired: "WG3-01-7.1.2-4", settings: "WG3-01-7.1.2-1"}},
  {section: "7.1.3", id: "contract_numbers", formats: ["string_list_or_null", "choice_list_or_null"], musts: {id: "WG3-01-7.1.3-2", format: "WG3-01-7.1.3-3", isRequired: "WG3-01-7.1.3-4", settings: "WG3-01-7.1.3-1"}},
  {section: "7.1.4", id: "service_types", formats: ["choice_list_or_null"], musts: {id: "WG3-01-7.1.4-2", format: "WG3-01-7.1.4-3", isRequired: "WG3-01-7.1.4-4", settings: "WG3-01-7.1.4-1"}},
  {section: "7.1.5", id: "service_programs", formats: ["choice_list_or_null"], musts: {id: "WG3-01-7.1.5-2", format: "WG3-01-7.1.5-3", isRequired: "WG3-01-7.1.5-4", settings: "WG3-01-7.1.5-1"}},
  {section: "7.1.6", id: "servicepoint_numbers", formats: ["string_list_or_null", "choice_list_or_null"], musts: {id: "WG3-01-7.1.6-2", format: "WG3-01-7.1.6-3", isRequired: "WG3-01-7.1.6-4", settings: "WG3-01-7.1.6-1"}},
  {section: "7.1.7", id: "servicepoint_types", formats: ["choice_list_or_null"], musts: {id: "WG3-01-7.1.7-2", format: "WG3-01-7.1.7-3", isRequired: "WG3-01-7.1.7-4", settings: "WG3-01-7.1.7-1"}},
  {section: "7.1.8", id: "premise_numbers", formats: ["string_list_or_null", "choice_list_or_null"], musts: {id: "WG3-01-7.1.8-2", format: "WG3-01-7.1.8-3", isRequired: "WG3-01-7.1.8-4", settings: "WG3-01-7.1.8-1"}},
  {section: "7.1.9", id: "meter_numbers", formats: ["string_list_or_null", "choice_list_or_null"], musts: {id: "WG3-01-7.1.9-2", format: "WG3-01-7.1.9-3", isRequired: "WG3-01-7.1.9-4", settings: "WG3-01-7.1.9-1"}},
  {section: "7.1.10", id: "meter_types", formats: ["choice_list_or_null"], musts: {id: "WG3-01-7.1.10-2", format: "WG3-01-7.1.10-3", isRequired: "WG3-01-7.1.10-4", settings: "WG3-01-7.1.10-1"}},
  {section: "7.1.11", id: "meter_apps", formats: ["choice_list_or_null"], musts: {id: "WG3-01-7.1.11-2", format: "WG3-01-7.1.11-3", isRequired: "WG3-01-7.1.11-4", settings: "WG3-01-7.1.11-1"}},
  {section: "7.1.12", id: "aggregation_numbers", formats: ["string_list_or_null", "choice_list_or_null"], musts: {id: "WG3-01-7.1.12-2", format: "WG3-01-7.1.12-3", isRequired: "WG3-01-7.1.12-4", settings: "WG3-01-7.1.12-1"}},
  {section: "7.1.13", id: "addresses", formats: ["string_list_or_null", "choice_list_or_null"], musts: {id: "WG3-01-7.1.13-2", format: "WG3-01-7.1.13-3", isRequired: "WG3-01-7.1.13-4", settings: "WG3-01-7.1.13-1"}},
  {section: "7.2.1", id: "include_accounts", formats: ["boolean"], musts: {id: "WG3-01-7.2.1-2", format: "WG3-01-7.2.1-3", isRequired: "WG3-01-7.2.1-4", settings: "WG3-01-7.2.1-1"}},
  {section: "7.2.1.1", id: "include_account_numbers", formats: ["boolean"], musts: {id: "WG3-01-7.2.1.1-2", format: "WG3-01-7.2.1.1-3", isRequired: "WG3-01-7.2.1.1-4", settings: "WG3-01-7.2.1.1-1"}},
  {section: "7.2.1.2", id: "include_account_details", formats: ["boolean"], musts: {id: "WG3-01-7.2.1.2-2", format: "WG3-01-7.2.1.2-3", isRequired: "WG3-01-7.2.1.2-4", settings: "WG3-01-7.2.1.2-1"}},
  {section: "7.2.1.3", id: "include_account_programs", formats: ["boolean"], musts: {id: "WG3-01-7.2.1.3-2", format: "WG3-01-7.2.1.3-3", isRequired: "WG3-01-7.2.1.3-4", settings: "WG3-01-7.2.1.3-1"}},
  {section: "7.2.2", id: "include_service_contracts", formats: ["boolean"], musts: {id: "WG3-01-7.2.2-2", format: "WG3-01-7.2.2-3", isRequired: "WG3-01-7.2.2-4", settings: "WG3-01-7.2.2-1"}},
  {section: "7.2.2.1", id: "include_contract_numbers", formats: ["boolean"], musts: {id: "WG3-01-7.2.2.1-2", format: "WG3-01-7.2.2.1-3", isRequired: "WG3-01-7.2.2.1-4", settings: "WG3-01-7.2.2.1-1"}},
  {section: "7.2.2.2", id: "include_rate_plans", formats: ["boolean"], musts: {id: "WG3-01-7.2.2.2-2", format: "WG3-01-7.2.2.2-3", isRequired: "WG3-01-7.2.2.2-4", settings: "WG3-01-7.2.2.2-1"}},
  {section: "7.2.2.3", id: "include_service_contract_details", formats: ["boolean"], musts: {id: "WG3-01-7.2.2.3-2", format: "WG3-01-7.2.2.3-3", isRequired: "WG3-01-7.2.2.3-4", settings: "WG3-01-7.2.2.3-1"}},
  {section: "7.2.2.4", id: "include_service_programs", formats: ["boolean"], musts: {id: "WG3-01-7.2.2.4-2", format: "WG3-01-7.2.2.4-3", isRequired: "WG3-01-7.2.2.4-4", settings: "WG3-01-7.2.2.4-1"}},
  {section: "7.2.3", id: "include_service_points", formats: ["boolean"], musts: {id: "WG3-01-7.2.3-2", format: "WG3-01-7.2.3-3", isRequired: "WG3-01-7.2.3-4", settings: "WG3-01-7.2.3-1"}},
  {section: "7.2.3.1", id: "include_premises", formats: ["boolean"], musts: {id: "WG3-01-7.2.3.1-2", format: "WG3-01-7.2.3.1-3", isRequired: "WG3-01-7.2.3.1-4", settings: "WG3-01-7.2.3.1-1"}},
  {section: "7.2.3.2", id: "include_service_point_addresses", formats: ["boolean"], musts: {id: "WG3-01-7.2.3.2-2", format: "WG3-01-7.2.3.2-3", isRequired: "WG3-01-7.2.3.2-4", settings: "WG3-01-7.2.3.2-1"}},
  {section: "7.2.3.3", id: "include_coordinates", formats: ["boolean"], musts: {id: "WG3-01-7.2.3.3-2", format: "WG3-01-7.2.3.3-3", isRequired: "WG3-01-7.2.3.3-4", settings: "WG3-01-7.2.3.3-1"}},
  {section: "7.2.4", id: "include_meter_devices", formats: ["boolean"], musts: {id: "WG3-01-7.2.4-2", format: "WG3-01-7.2.4-3", isRequired: "WG3-01-7.2.4-4", settings: "WG3-01-7.2.4-1"}},
  {section: "7.2.4.1", id: "include_meter_numbers", formats: ["boolean"], musts: {id: "WG3-01-7.2.4.1-2", format: "WG3-01-7.2.4.1-3", isRequired: "WG3-01-7.2.4.1-4", settings: "WG3-01-7.2.4.1-1"}},
  {section: "7.2.4.2", id: "include_meter_apps", formats: ["boolean"], musts: {id: "WG3-01-7.2.4.2-2", format: "WG3-01-7.2.4.2-3", isRequired: "WG3-01-7.2.4.2-4", settings: "WG3-01-7.2.4.2-1"}},
  {section: "7.2.5", id: "include_bill_statements", formats: ["boolean"], musts: {id: "WG3-01-7.2.5-2", format: "WG3-01-7.2.5-3", isRequired: "WG3-01-7.2.5-4", settings: "WG3-01-7.2.5-1"}},
  {section: "7.2.5.1", id: "include_bill_statement_files", formats: ["boolean"], musts: {id: "WG3-01-7.2.5.1-2", format: "WG3-01-7.2.5.1-3", isRequired: "WG3-01-7.2.5.1-4", settings: "WG3-01-7.2.5.1-1"}},
  {section: "7.2.5.2", id: "include_bill_statement_charges", formats: ["boolean"], musts: {id: "WG3-01-7.2.5.2-2", format: "WG3-01-7.2.5.2-3", isRequired: "WG3-01-7.2.5.2-4", settings: "WG3-01-7.2.5.2-1"}},
  {section: "7.2.5.3", id: "include_bill_statement_programs", formats: ["boolean"], musts: {id: "WG3-01-7.2.5.3-2", format: "WG3-01-7.2.5.3-3", isRequired: "WG3-01-7.2.5.3-4", settings: "WG3-01-7.2.5.3-1"}},
  {section: "7.2.6", id: "include_bill_sections", formats: ["boolean"], musts: {id: "WG3-01-7.2.6-2", format: "WG3-01-7.2.6-3", isRequired: "WG3-01-7.2.6-4", settings: "WG3-01-7.2.6-1"}},
  {section: "7.2.6.1", id: "include_bill_section_line_items", formats: ["boolean"], musts: {id: "WG3-01-7.2.6.1-2", format: "WG3-01-7.2.6.1-3", isRequired: "WG3-01-7.2.6.1-4", settings: "WG3-01-7.2.6.1-1"}},
  {section: "7.2.7", id: "include_aggregations", formats: ["boolean"], musts: {id: "WG3-01-7.2.7-2", format: "WG3-01-7.2.7-3", isRequired: "WG3-01-7.2.7-4", settings: "WG3-01-7.2.7-1"}},
  {section: "7.2.7.1", id: "include_aggregation_addresses", formats: ["boolean"], musts: {id: "WG3-01-7.2.7.1-2", format: "WG3-01-7.2.7.1-3", isRequired: "WG3-01-7.2.7.1-4", settings: "WG3-01-7.2.7.1-1"}},
  {section: "7.2.8", id: "include_usage_segments", formats: ["boolean"], musts: {id: "WG3-01-7.2.8-2", format: "WG3-01-7.2.8-3", isRequired: "WG3-01-7.2.8-4", settings: "WG3-01-7.2.8-1"}},
  {section: "7.2.8.1", id: "include_usage_segment_value_types", formats: ["choice_list_or_null"], musts: {id: "WG3-01-7.2.8.1-2", format: "WG3-01-7.2.8.1-3", isRequired: "WG3-01-7.2.8.1-6", settings: "WG3-01-7.2.8.1-1"}},
  {section: "7.2.9", id: "include_eacs", formats: ["boolean"], musts: {id: "WG3-01-7.2.9-2", format: "WG3-01-7.2.9-3", isRequired: "WG3-01-7.2.9-4", settings: "WG3-01-7.2.9-1"}},
  {section: "7.3.1", id: "sync_until", formats: ["relative_or_absolute_datetime"], musts: {id: "WG3-01-7.3.1-2", format: "WG3-01-7.3.1-3", isRequired: "WG3-01-7.3.1-4", settings: "WG3-01-7.3.1-1"}},
  {section: "7.3.2", id: "statement_date_start", formats: ["relative_or_absolute_date"], musts: {id: "WG3-01-7.3.2-2", format: "WG3-01-7.3.2-3", isRequired: "WG3-01-7.3.2-4", settings: "WG3-01-7.3.2-1"}},
  {section: "7.3.3", id: "statement_date_end", formats: ["relative_or_absolute_date"], musts: {id: "WG3-01-7.3.3-2", format: "WG3-01-7.3.3-3", isRequired: "WG3-01-7.3.3-4", settings: "WG3-01-7.3.3-1"}},
  {section: "7.3.4", id: "start_date", formats: ["relative_or_absolute_date"], musts: {id: "WG3-01-7.3.4-2", format: "WG3-01-7.3.4-3", isRequired: "WG3-01-7.3.4-4", settings: "WG3-01-7.3.4-1"}},
  {section: "7.3.5", id: "end_date", formats: ["relative_or_absolute_date"], musts: {id: "WG3-01-7.3.5-2", format: "WG3-01-7.3.5-3", isRequired: "WG3-01-7.3.5-4", settings: "WG3-01-7.3.5-1"}},
  {section: "7.3.6", id: "segment_start", formats: ["relative_or_absolute_datetime"], musts: {id: "WG3-01-7.3.6-2", format: "WG3-01-7.3.6-3", isRequired: "WG3-01-7.3.6-4", settings: "WG3-01-7.3.6-1"}},
  {section: "7.3.7", id: "segment_end", formats: ["relative_or_absolute_datetime"], musts: {id: "WG3-01-7.3.7-2", format: "WG3-01-7.3.7-3", isRequired: "WG3-01-7.3.7-4", settings: "WG3-01-7.3.7-1"}},
  {section: "7.3.8", id: "expires", formats: ["relative_or_absolute_datetime"], musts: {id: "WG3-01-7.3.8-2", format: "WG3-01-7.3.8-3", isRequired: "WG3-01-7.3.8-4", settings: "WG3-01-7.3.8-1"}},
  {section: "7.4.1", id: "authorization_form_selection_type", formats: ["choice"], musts: {id: "WG3-01-7.4.1-2", format: "WG3-01-7.4.1-3", isRequired: "WG3-01-7.4.1-4", settings: "WG3-01-7.4.1-1"}},
  {section: "7.4.2", id: "merge_selection_with", formats: ["string_or_null"], musts: {id: "WG3-01-7.4.2-2", format: "WG3-01-7.4.2-3", isRequired: "WG3-01-7.4.2-4", settings: "WG3-01-7.4.2-1"}},
  {section: "7.4.3", id: "error_if_no_preselections", formats: ["boolean"], musts: {id: "WG3-01-7.4.3-2", format: "WG3-01-7.4.3-3"}},
  {section: "7.4.4", id: "purpose", formats: ["choice", "choice_or_null"], musts: {id: "WG3-01-7.4.4-2", format: "WG3-01-7.4.4-3", isRequired: "WG3-01-7.4.4-4", settings: "WG3-01-7.4.4-1"}},
  {section: "7.4.5", id: "allow_scope_modifications", formats: ["boolean"], musts: {id: "WG3-01-7.4.5-2", format: "WG3-01-7.4.5-3"}},
  {section: "7.4.6", id: "jwk", formats: ["jwk_or_null"], musts: {id: "WG3-01-7.4.6-2", format: "WG3-01-7.4.6-3", isRequired: "WG3-01-7.4.6-4"}},
];
