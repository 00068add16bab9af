/**
 * CDS-WG3-01 §5, §6, §7 as the Authorization Server Metadata shows them:
 * the version and the nine listing URLs wherever a described scope can
 * include their objects, the maps that accompany the Usage Segments and EAC
 * APIs, the fixed settings of every §6 Scope Description the Server offers,
 * and the id, format and `is_required` of every §7 Authorization Details
 * Field Object a scope lists.
 */
import { isObject, type Json, type ScenarioContext } from "../../context.js";
import type { Scenario } from "../../scenario.js";
import { scopeDefaults } from "./grant-flags.js";
import { listings, type Kind } from "./listings.js";
import { fieldRules, scopeRules } from "./scope-rules.js";

/** §5: the `include_*` field whose presence in a scope makes each listing URL REQUIRED, and the statement. */
const apiRules: { kind: Kind; include: string; must: string }[] = [
  { kind: "accounts", include: "include_accounts", must: "WG3-01-5-2" },
  { kind: "service_contracts", include: "include_service_contracts", must: "WG3-01-5-3" },
  { kind: "service_points", include: "include_service_points", must: "WG3-01-5-4" },
  { kind: "meter_devices", include: "include_meter_devices", must: "WG3-01-5-5" },
  { kind: "bill_statements", include: "include_bill_statements", must: "WG3-01-5-6" },
  { kind: "bill_sections", include: "include_bill_sections", must: "WG3-01-5-7" },
  { kind: "aggregations", include: "include_aggregations", must: "WG3-01-5-8" },
  { kind: "usage_segments", include: "include_usage_segments", must: "WG3-01-5-9" },
  { kind: "eacs", include: "include_eacs", must: "WG3-01-5-11" },
];

const fieldsOf = (d: Json): Json[] => (Array.isArray(d.authorization_details_fields_supported) ? d.authorization_details_fields_supported.filter(isObject) : []);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const isUrl = (v: unknown) => typeof v === "string" && URL.canParse(v);

function checkApis(ctx: ScenarioContext, as: Json, descriptions: Json[]): void {
  ctx.check(as.cds_customerdata_version === "v1", "5", `\`cds_customerdata_version\` is ${JSON.stringify(as.cds_customerdata_version)}, not "v1"`);
  for (const { kind, include } of apiRules) {
    const field = listings.find((l) => l.kind === kind)!.field;
    const needing = descriptions.filter((d) => fieldsOf(d).some((f) => f.id === include) || (scopeDefaults[String(d.type)] ?? []).includes(include));
    if (needing.length) ctx.check(isUrl(as[field]), "5", `scope ${String(needing[0]!.id)} can include \`${include}\`, but the metadata has no \`${field}\` URL`);
  }
  if (as.cds_usagesegments_api !== undefined) {
    const types = as.cds_usagesegments_additional_value_types;
    ctx.check(isObject(types), "5", "`cds_usagesegments_api` is given without a `cds_usagesegments_additional_value_types` object");
    // Keyed by each description's `type` (spec/ERRATA.md E-WG3-01-205).
    for (const [key, d] of Object.entries(types)) ctx.check(isObject(d) && d.type === key, "5", `\`cds_usagesegments_additional_value_types.${key}\` describes type ${JSON.stringify(isObject(d) ? d.type : d)}`);
  }
  if (as.cds_eacs_api !== undefined) {
    const formats = as.cds_eac_formats;
    ctx.check(isObject(formats), "5", "`cds_eacs_api` is given without a `cds_eac_formats` object");
    for (const [key, d] of Object.entries(formats)) ctx.check(isObject(d) && d.id === key, "5", `\`cds_eac_formats.${key}\` describes format ${JSON.stringify(isObject(d) ? d.id : d)}`);
  }
}

function checkScopes(ctx: ScenarioContext, descriptions: Json[]): void {
  for (const d of descriptions) {
    const rule = scopeRules.find((r) => r.type === d.type);
    if (!rule) continue;
    const where = `scope ${String(d.id)} (type ${rule.type}, §${rule.section})`;
    const ids = fieldsOf(d).map((f) => String(f.id));
    if (rule.musts.grantTypes) {
      const grants = strings(d.grant_types_supported);
      ctx.check(grants.includes("authorization_code") && grants.includes("refresh_token") && !grants.includes("client_credentials"), rule.section, `${where}: \`grant_types_supported\` is ${JSON.stringify(grants)}`);
    }
    const missing = rule.atLeast.filter((f) => !ids.includes(f));
    ctx.check(missing.length === 0, rule.section, `${where} lacks the authorization details fields ${missing.join(", ")}`);
    const banned = (rule.never ?? []).filter((f) => ids.includes(f));
    ctx.check(banned.length === 0, rule.section, `${where} offers ${banned.join(", ")}, which the section rules out`);
    const selection = fieldsOf(d).find((f) => f.id === "authorization_form_selection_type");
    const choices = selection && Array.isArray(selection.choices) ? selection.choices.filter(isObject).map((c) => String(c.id)) : [];
    if (rule.choice) ctx.check(choices.length === 1 && choices[0] === rule.choice, rule.section, `${where}: the selection choices are [${choices.join(", ")}], not only ${rule.choice}`);
    if (rule.choices) ctx.check(rule.choices.every((c) => choices.includes(c)), rule.section, `${where}: the selection choices [${choices.join(", ")}] lack some of ${rule.choices.join(", ")}`);
    if (rule.oneOf) ctx.check(choices.length > 0 && choices.every((c) => rule.oneOf!.includes(c)), rule.section, `${where}: the selection choices [${choices.join(", ")}] are not one or more of ${rule.oneOf.join(", ")}`);
  }
}

function checkFields(ctx: ScenarioContext, descriptions: Json[]): void {
  for (const d of descriptions) {
    const consent = strings(d.response_types_supported).length > 0;
    for (const f of fieldsOf(d)) {
      const rule = fieldRules.find((r) => r.id === f.id);
      if (!rule) continue;
      const where = `scope ${String(d.id)}'s field ${rule.id} (§${rule.section})`;
      ctx.check(rule.formats.includes(String(f.format)), rule.section, `${where} has format ${JSON.stringify(f.format)}, not ${rule.formats.join(" or ")}`);
      if (rule.musts.isRequired && consent) ctx.check(f.is_required === false, rule.section, `${where} has is_required ${JSON.stringify(f.is_required)} in a scope with customer authorization`);
    }
  }
}

export const customerDataMetadata: Scenario = {
  id: "wg3-01/metadata-scopes",
  spec: "CDS-WG3-01",
  title: "The metadata gives the Customer Data version and listing URLs, and every §6 scope and §7 field takes the settings its section fixes",
  sections: ["5", "6.1", "6.2", "7.1", "7.2", "7.3", "7.4"],
  musts: [
    "WG3-01-5-1",
    ...apiRules.map((r) => r.must),
    "WG3-01-5-10",
    "WG3-01-5-12",
    ...scopeRules.flatMap((r) => Object.values(r.musts)),
    ...fieldRules.flatMap((r) => Object.values(r.musts)),
  ],
  async run(ctx: ScenarioContext) {
    const as = await ctx.asMetadata();
    const descriptions = isObject(as.cds_scope_descriptions) ? Object.values(as.cds_scope_descriptions).filter(isObject) : [];
    checkApis(ctx, as, descriptions);
    checkScopes(ctx, descriptions);
    checkFields(ctx, descriptions);
  },
};
