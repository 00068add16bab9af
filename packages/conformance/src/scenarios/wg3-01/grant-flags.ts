/**
 * What a Grant turns on (CDS-WG3-01 §6, §7.2): the `include_*` fields true in
 * its enabled authorization details, plus those each entry's scope treats as
 * true by default (the "default access" lists of §6.1.x and §6.2.x).
 */
import { isObject, type Json, type ScenarioContext } from "../../context.js";
import { listAll } from "../wg1-02/listing.js";

/** §6.1, §6.2: the `include_*` fields each scope type treats as true. */
export const scopeDefaults: Readonly<Record<string, readonly string[]>> = {
  cds_rate_plan: ["include_service_contracts", "include_rate_plans"],
  cds_account_programs: ["include_accounts", "include_account_programs"],
  cds_service_programs: ["include_service_contracts", "include_service_programs"],
  cds_accounts: ["include_accounts"],
  cds_service_contracts: ["include_accounts", "include_service_contracts"],
  cds_meters: ["include_meter_devices"],
  cds_bill_statements: ["include_bill_statements", "include_accounts", "include_account_numbers"],
  cds_service_bills: ["include_bill_sections", "include_accounts", "include_account_numbers", "include_service_contracts", "include_contract_numbers"],
  cds_usage: ["include_usage_segments"],
  cds_query_accounts: ["include_accounts"],
  cds_query_service_contracts: ["include_accounts", "include_service_contracts"],
  cds_query_service_points: ["include_service_points"],
  cds_query_meter_devices: ["include_meter_devices"],
  cds_query_bill_statements: ["include_bill_statements"],
  cds_query_bill_sections: ["include_bill_sections"],
  cds_query_aggregations: ["include_aggregations"],
  cds_query_usage: ["include_usage_segments", "include_usage_segment_value_types"],
};

/** Scope id → scope type, from the Scope Descriptions the Server publishes. */
export async function scopeTypes(ctx: ScenarioContext): Promise<Map<string, string>> {
  const descriptions = (await ctx.asMetadata()).cds_scope_descriptions;
  return new Map(isObject(descriptions) ? Object.values(descriptions).filter(isObject).map((d) => [String(d.id), String(d.type)] as const) : []);
}

/** The Grants `ids` names, read through the Grants API with the run's Client admin. */
export async function readGrants(ctx: ScenarioContext, ids: readonly string[]): Promise<Json[]> {
  if (ids.length === 0) return [];
  const url = new URL(await ctx.endpoint("cds_grants_api"));
  url.searchParams.set("grant_ids", ids.join(" "));
  return listAll(ctx, url.toString(), await ctx.adminToken(), "grants", "8.4");
}

/** The `include_*` fields the Grants turn on, counting only entries whose scope type `only` accepts. */
export function enabledFlags(grants: readonly Json[], types: ReadonlyMap<string, string>, only: (scopeType: string) => boolean = () => true): Set<string> {
  const on = new Set<string>();
  for (const grant of grants) {
    const details = Array.isArray(grant.enabled_authorization_details) ? grant.enabled_authorization_details.filter(isObject) : [];
    for (const d of details) {
      const type = types.get(String(d.type)) ?? "";
      if (!only(type)) continue;
      for (const [k, v] of Object.entries(d)) if (k.startsWith("include_") && v !== false && v !== null) on.add(k);
      for (const f of scopeDefaults[type] ?? []) on.add(f);
    }
  }
  return on;
}
