/**
 * CDS-WG3-01 §6, §7.2: what a customer's consent lets the Client see, read
 * with a fresh authorization-code token. A listing opens only when the
 * Grant's enabled authorization details (or the scope's defaults, §6.1)
 * include its objects; an OPTIONAL field appears only when its `include_*`
 * field is on; every related id names an object the same token lists (the
 * reading of spec/ERRATA.md E-WG3-01-253), so nothing outside the Grant
 * leaks through a reference either.
 */
import type { ScenarioContext } from "../../context.js";
import type { Scenario } from "../../scenario.js";
import { enabledFlags, readGrants, scopeTypes } from "./grant-flags.js";
import type { Kind } from "./listings.js";
import { readListings, some, type Readable } from "./read.js";

/** The `include_*` field that opens each listing (§7.2.1–§7.2.9). */
const opens: Record<Kind, string> = {
  accounts: "include_accounts",
  service_contracts: "include_service_contracts",
  service_points: "include_service_points",
  meter_devices: "include_meter_devices",
  bill_statements: "include_bill_statements",
  bill_sections: "include_bill_sections",
  aggregations: "include_aggregations",
  usage_segments: "include_usage_segments",
  eacs: "include_eacs",
};

/** OPTIONAL fields and the `include_*` field that shows each (§7.2.1–§7.2.7). */
const fieldFlags: Partial<Record<Kind, Record<string, string>>> = {
  accounts: {
    customer_number: "include_account_numbers",
    account_number: "include_account_numbers",
    account_name: "include_account_details",
    account_address: "include_account_details",
    account_contacts: "include_account_details",
    account_programs: "include_account_programs",
  },
  service_contracts: {
    account_number: "include_account_numbers",
    contract_number: "include_contract_numbers",
    rateplan_code: "include_rate_plans",
    rateplan_name: "include_rate_plans",
    contract_address: "include_service_contract_details",
    service_programs: "include_service_programs",
  },
  service_points: { premises: "include_premises", servicepoint_address: "include_service_point_addresses", latitude: "include_coordinates", longitude: "include_coordinates" },
  meter_devices: { meter_number: "include_meter_numbers", meter_apps: "include_meter_apps" },
  bill_statements: { file_uri: "include_bill_statement_files", new_charges: "include_bill_statement_charges", account_programs: "include_bill_statement_programs" },
  bill_sections: { line_items: "include_bill_section_line_items" },
  aggregations: { grouped_addresses: "include_aggregation_addresses" },
};

/** Related-id fields and the kind of object each names. */
const relatedFields: Partial<Record<Kind, Record<string, Kind>>> = {
  accounts: { cds_account_parent: "accounts" },
  service_points: { current_servicecontracts: "service_contracts", previous_servicecontracts: "service_contracts" },
  meter_devices: { current_servicepoints: "service_points", previous_servicepoints: "service_points" },
  bill_sections: { cds_billstatement_id: "bill_statements", related_servicecontracts: "service_contracts", related_servicepoints: "service_points", related_meterdevices: "meter_devices" },
  aggregations: { grouped_accounts: "accounts", grouped_servicecontracts: "service_contracts", grouped_servicepoints: "service_points", grouped_meterdevices: "meter_devices", grouped_aggregations: "aggregations" },
  usage_segments: {
    related_aggregations: "aggregations",
    related_accounts: "accounts",
    related_servicecontracts: "service_contracts",
    related_servicepoints: "service_points",
    related_meterdevices: "meter_devices",
    related_billsections: "bill_sections",
  },
};

const idField: Record<Kind, string> = {
  accounts: "cds_account_id",
  service_contracts: "cds_servicecontract_id",
  service_points: "cds_servicepoint_id",
  meter_devices: "cds_meterdevice_id",
  bill_statements: "cds_billstatement_id",
  bill_sections: "cds_billsection_id",
  aggregations: "cds_aggregation_id",
  usage_segments: "cds_usagesegment_id",
  eacs: "cds_eac_id",
};

function checkRelated(ctx: ScenarioContext, readable: readonly Readable[], refused: ReadonlySet<Kind>): void {
  const listed = new Map(readable.map((r) => [r.listing.kind, new Set(r.objects.map((o) => String(o[idField[r.listing.kind]])))]));
  for (const { listing, objects } of readable) {
    for (const [field, kind] of Object.entries(relatedFields[listing.kind] ?? {})) {
      const visible = listed.get(kind);
      for (const o of objects) {
        const value = o[field];
        const ids = Array.isArray(value) ? value.map(String) : typeof value === "string" ? [value] : [];
        const hidden = ids.filter((id) => !visible?.has(id));
        ctx.check(
          hidden.length === 0,
          "7.2",
          `${listing.title} ${String(o[listing.id])}: \`${field}\` names ${kind} the token ${refused.has(kind) ? "may not read at all" : "does not list"} [${some(hidden)}] (spec/ERRATA.md E-WG3-01-253)`,
        );
      }
    }
  }
}

export const customerDataVisibility: Scenario = {
  id: "wg3-01/grant-visibility",
  spec: "CDS-WG3-01",
  title: "A customer's consent token sees only the listings, fields and related objects its Grant's enabled authorization details include",
  sections: ["6", "6.1", "7.2"],
  musts: ["WG3-01-6.1.9-12", "WG3-01-6.1.9-13"],
  async run(ctx: ScenarioContext) {
    if (!ctx.options.credentials?.clientAdmin) ctx.skip("needs the Client admin of the app's registration (credentials.clientAdmin) to read the consent's Grant");
    const tokens = await ctx.customerTokens();
    const token = tokens.access_token;
    const ids = Array.isArray(tokens.cds_grant_ids) ? tokens.cds_grant_ids.map(String) : [];
    ctx.check(ids.length > 0, "6", "the consent's token response names no Grant (`cds_grant_ids`)");
    const grants = await readGrants(ctx, ids);
    ctx.check(grants.length > 0, "6", "the consent's Grant is not listed to the app's Client admin");
    const flags = enabledFlags(grants, await scopeTypes(ctx));

    const { readable, refused } = await readListings(ctx, token);
    const refusedKinds = new Set(refused.map((l) => l.kind));
    ctx.check(readable.length > 0, "6.1", "the consent's token reads none of the Customer Data listings");
    for (const { listing, objects } of readable) {
      if (!flags.has(opens[listing.kind])) {
        ctx.check(objects.length === 0, "7.2", `${listing.title} lists ${objects.length} objects [${some(objects.map((o) => String(o[listing.id])))}] though the Grant does not include \`${opens[listing.kind]}\``);
        continue;
      }
      for (const [field, flag] of Object.entries(fieldFlags[listing.kind] ?? {})) {
        if (flags.has(flag)) continue;
        const leaking = objects.filter((o) => field in o);
        ctx.check(leaking.length === 0, "7.2", `${listing.title} [${some(leaking.map((o) => String(o[listing.id])))}] carry \`${field}\` though the Grant does not include \`${flag}\``);
      }
    }
    checkRelated(ctx, readable, refusedKinds);
  },
};
