/**
 * Plain words and examples for what each scope and `include_*` field shares
 * (CDS-WG3-01 §9.2.2.1: terms a customer understands, with an example of
 * each field in the details toggle).
 */
export const INCLUDED_WORDS: Record<string, { words: string; example: string }> = {
  include_accounts: { words: "your account list", example: "Account 001001-001" },
  include_account_numbers: { words: "account numbers", example: "001001-001" },
  include_account_details: { words: "account names, addresses and contacts", example: "Alex Demo, 10 Harbor St" },
  include_account_programs: { words: "account programs you take part in", example: "Budget billing" },
  include_service_contracts: { words: "your services (electric, gas, water)", example: "Home electric service" },
  include_contract_numbers: { words: "service numbers", example: "SA-1001-001-ELECTRIC" },
  include_rate_plans: { words: "your rate plans", example: "Residential time-of-use" },
  include_service_contract_details: { words: "service names, start dates and status", example: "Active since March 2021" },
  include_service_programs: { words: "service programs you take part in", example: "Demand response" },
  include_service_points: { words: "where your services are delivered", example: "Service point SP-1001-001-ELECTRIC" },
  include_premises: { words: "your premises", example: "Premise PR-1001" },
  include_service_point_addresses: { words: "service addresses", example: "10 Harbor Street, Lake Demo" },
  include_coordinates: { words: "map location of your services", example: "39.78, -89.65" },
  include_meter_devices: { words: "your meters", example: "Electric meter" },
  include_meter_numbers: { words: "meter numbers", example: "M001001001E" },
  include_meter_apps: { words: "apps installed on your meters", example: "Home energy display link" },
  include_bill_statements: { words: "your bills", example: "March bill, $84.20 due April 10" },
  include_bill_statement_files: { words: "copies of your bills (PDF)", example: "bill-2025-03.pdf" },
  include_bill_statement_charges: { words: "new charges on your bills", example: "Late fee $5.00" },
  include_bill_statement_programs: { words: "programs listed on your bills", example: "Budget billing" },
  include_bill_sections: { words: "bill charges by service", example: "Electric: $61.10" },
  include_bill_section_line_items: { words: "each line of your bill charges", example: "Delivery charge $12.40" },
  include_aggregations: { words: "groups your data is counted in", example: "Whole-building usage for your address" },
  include_aggregation_addresses: { words: "addresses in those groups", example: "10–20 Harbor Street" },
  include_usage_segments: { words: "your energy usage", example: "2.4 kWh between 1 pm and 2 pm" },
};

/** What a scope always shares, in words (its §6.1.x default access). */
export const SCOPE_DATA: Record<string, { words: string; example: string }> = {
  cds_rate_plan: { words: "the rate plans of your services", example: "Residential time-of-use" },
  cds_account_programs: { words: "the account programs you take part in", example: "Bill assistance" },
  cds_service_programs: { words: "the service programs you take part in", example: "Demand response" },
  cds_accounts: { words: "your list of accounts", example: "Account 001001-001" },
  cds_service_contracts: { words: "your list of services and their accounts", example: "Home electric service" },
  cds_meters: { words: "your list of meters", example: "Electric meter" },
  cds_bill_statements: { words: "your bills", example: "March bill, $84.20 due April 10" },
  cds_service_bills: { words: "your bill charges, service by service", example: "Electric: $61.10" },
  cds_usage: { words: "your meters' energy usage", example: "2.4 kWh between 1 pm and 2 pm" },
  cds_aggregation_consent: { words: "counting your usage in a group total", example: "Whole-building energy use" },
};

/** What the Selection Component lists, in words (§9.2.3). */
export const SELECTION_WORDS: Record<string, { title: string; singular: string; plural: string }> = {
  account_selection: { title: "For these accounts", singular: "account", plural: "accounts" },
  service_contract_selection: { title: "For these services", singular: "service", plural: "services" },
  servicepoint_selection: { title: "For these service locations", singular: "service location", plural: "service locations" },
  meter_device_selection: { title: "For these meters", singular: "meter", plural: "meters" },
  aggregation_selection: { title: "For these groups", singular: "group", plural: "groups" },
};

/** Which lists the Duration Component's `sync_until` statement is about (§9.2.2.2). */
export const LIST_WORDS: Record<string, string> = {
  cds_rate_plan: "service details",
  cds_account_programs: "account details",
  cds_service_programs: "service details",
  cds_accounts: "account details",
  cds_service_contracts: "service details",
  cds_meters: "meter details",
  cds_usage: "account, service and meter details",
};
