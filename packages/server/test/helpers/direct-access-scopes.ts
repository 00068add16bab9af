/**
 * The eight CDS-WG3-01 §6.2 Direct Access scope ids the reference server
 * describes, spelled out here (not imported from src/) so the metadata tests
 * check the served document against the spec's list, not against itself.
 */
export const directAccessScopeIds = [
  "cds_query_accounts_1",
  "cds_query_service_contracts_1",
  "cds_query_service_points_1",
  "cds_query_meter_devices_1",
  "cds_query_bill_statements_1",
  "cds_query_bill_sections_1",
  "cds_query_aggregations_1",
  "cds_query_usage_1",
] as const;
