/** CDS-WG1-02 §3: discovery from the Server Metadata and the Authorization Server Metadata's invariants. */
import type { ScenarioContext } from "../../context.js";
import { isObject, type Json } from "../../context.js";
import type { Scenario } from "../../scenario.js";
import { range } from "../musts-ids.js";

const spec = "CDS-WG1-02" as const;

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

export const discovery: Scenario = {
  id: "wg1-02/discovery",
  spec,
  title: "The Server Metadata lists the `oauth` capability and links the Authorization Server Metadata",
  sections: ["3", "3.1"],
  musts: ["WG1-02-3-1", "WG1-02-3.1-1", "WG1-02-3.1-2", "WG1-02-3.1-3"],
  async run(ctx: ScenarioContext) {
    // The document's strict validity is wg1-01/metadata-fields' check (at this layer too); here, the discovery fields.
    const metadata = await ctx.serverMetadata();
    ctx.check(strings(metadata.capabilities).includes("oauth"), "3.1", "the Server Metadata's capabilities do not include `oauth`");
    ctx.check(typeof metadata.oauth_metadata === "string", "3.1", "the Server Metadata has no `oauth_metadata` URL");
    const res = await ctx.request(metadata.oauth_metadata as string);
    ctx.expectStatus(res, 200, "3.1", "GET oauth_metadata without authentication");
  },
};

/** The settings §3.3.1–§3.3.3 fix for the three scope types CDS-WG1-02 defines. */
function checkFixedSettings(ctx: ScenarioContext, key: string, d: Json, all: Record<string, Json>): void {
  const same = (field: string, want: unknown, section: string) =>
    ctx.check(JSON.stringify(d[field]) === JSON.stringify(want), section, `scope ${key} (${String(d.type)}) has ${field} ${JSON.stringify(d[field])}, not ${JSON.stringify(want)}`);
  const none = ["registration_requirements", "registration_optional", "response_types_supported", "code_challenge_methods_supported", "coverages_supported"];
  if (d.type === "cds_client_admin" || d.type === "cds_grant_admin") {
    const section = d.type === "cds_client_admin" ? "3.3.1" : "3.3.2";
    for (const f of none) same(f, [], section);
    same("grant_types_supported", ["client_credentials"], section);
    same("token_endpoint_auth_methods_supported", ["client_secret_basic"], section);
    same("grant_admin_scope", null, section);
    if (d.type === "cds_grant_admin") same("authorization_details_types_supported", [key], section);
  }
  if (d.type === "cds_server_provided_files") {
    for (const f of [...none, "grant_types_supported", "token_endpoint_auth_methods_supported"]) same(f, [], "3.3.3");
    ctx.check(typeof d.grant_admin_scope === "string" && all[d.grant_admin_scope]?.type === "cds_grant_admin", "3.3.3", `files scope ${key} names no cds_grant_admin scope in grant_admin_scope`);
    same("authorization_details_types_supported", [key], "3.3.3");
  }
}

const relativeOrAbsolute = /^(-?P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?|\d{4}-\d{2}-\d{2})$/;

/** §3.8: the bounds each format needs, in that format, and the choices of a `choice` field. */
function checkDetailsField(ctx: ScenarioContext, name: string, f: Json): void {
  const bounded = ["int", "decimal", "string", "string_or_null", "string_list", "relative_or_absolute_date", "relative_or_absolute_datetime"];
  const format = String(f.format);
  if (bounded.includes(format)) ctx.check(f.maximum !== undefined, "3.8", `authorization details field ${name} (${format}) has no maximum`);
  if (f.maximum !== undefined) ctx.check(f.minimum !== undefined, "3.8", `authorization details field ${name} has a maximum but no minimum`);
  for (const bound of ["maximum", "minimum"] as const) {
    const v = f[bound];
    if (v === undefined) continue;
    const ok =
      format === "int" ? Number.isInteger(v) || v === "infinite"
      : format === "decimal" ? (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v)) || typeof v === "number" || v === "infinite"
      : ["string", "string_or_null", "string_list"].includes(format) ? Number.isInteger(v)
      // CDS-WG3-01 §6 makes some date bounds "infinite" (ERRATA E-WG1-02-150).
      : format === "relative_or_absolute_date" ? v === "infinite" || (typeof v === "string" && relativeOrAbsolute.test(v))
      : format === "relative_or_absolute_datetime" ? v === "infinite" || (typeof v === "string" && (relativeOrAbsolute.test(v) || /^-?P/.test(v) || !Number.isNaN(Date.parse(v))))
      : true;
    ctx.check(ok, "3.8", `authorization details field ${name}'s ${bound} ${JSON.stringify(v)} is not in the ${format} format`);
  }
  if (format === "choice") ctx.check(Array.isArray(f.choices) && f.choices.length > 0, "3.8", `choice field ${name} lists no choices`);
}

export const asMetadata: Scenario = {
  id: "wg1-02/as-metadata",
  spec,
  title: "The Authorization Server Metadata is strictly valid and its lists cover every scope description",
  sections: ["3.2", "3.4", "3.5", "3.8", "3.10"],
  musts: [
    ...range("WG1-02-3.2-", 1, 29, [4]),
    ...range("WG1-02-3.4-", 1, 19),
    ...range("WG1-02-3.5-", 1, 6),
    "WG1-02-3.6-2",
    "WG1-02-3.6-3",
    ...range("WG1-02-3.8-", 1, 8),
    ...range("WG1-02-3.8-", 10, 19),
    "WG1-02-3.3.1-1",
    "WG1-02-3.3.2-1",
    "WG1-02-3.3.2-7",
    "WG1-02-3.3.3-2",
    "WG1-02-2-2",
    ...range("WG1-02-3.10-", 1, 4),
  ],
  async run(ctx: ScenarioContext) {
    const as = await ctx.asMetadata();
    ctx.conforms("AuthorizationServerMetadata", as, "3.2", "the Authorization Server Metadata");
    ctx.check(as.cds_oauth_version === "v1", "3.2", `cds_oauth_version is ${JSON.stringify(as.cds_oauth_version)}, not "v1"`);
    const descriptions = as.cds_scope_descriptions as Record<string, Json>;
    const fields = as.cds_registration_fields as Record<string, Json>;
    const scopes = strings(as.scopes_supported);
    for (const [key, d] of Object.entries(descriptions)) {
      ctx.check(d.id === key, "3.4", `the scope description under key ${key} has id ${JSON.stringify(d.id)}`);
      ctx.check(scopes.includes(key), "3.2", `scope ${key} is described but missing from scopes_supported`);
      // §3.3.3 gives the Server-Provided Files scope no grant types of its own (ERRATA E-WG1-02-3).
      if (d.type !== "cds_server_provided_files") ctx.check(strings(d.grant_types_supported).length > 0, "3.4", `scope ${key} has no grant types`);
      for (const req of [...strings(d.registration_requirements), ...strings(d.registration_optional)]) {
        ctx.check(isObject(fields[req]), "3.2", `scope ${key} names registration field ${req}, which cds_registration_fields does not describe`);
      }
      if (d.grant_admin_scope !== null && d.grant_admin_scope !== undefined) {
        const admin = descriptions[String(d.grant_admin_scope)];
        ctx.check(admin?.type === "cds_grant_admin", "3.4", `scope ${key} names grant_admin_scope ${String(d.grant_admin_scope)}, which is not a cds_grant_admin scope description`);
      }
      const detailTypes = strings(d.authorization_details_types_supported);
      for (const f of Array.isArray(d.authorization_details_fields_supported) ? d.authorization_details_fields_supported.filter(isObject) : []) {
        const forTypes = strings(f.for_types);
        ctx.check(forTypes.length > 0 && forTypes.every((t) => detailTypes.includes(t)), "3.8", `scope ${key}'s authorization details field ${String(f.id)} has for_types outside the scope's types`);
      }
    }
    for (const [key, f] of Object.entries(fields)) {
      ctx.check(f.id === key, "3.5", `the registration field under key ${key} has id ${JSON.stringify(f.id)}`);
      if (f.type === "registration_field") {
        ctx.check(typeof f.field_name === "string" && f.field_name.startsWith("cds_"), "3.5", `registration field ${key}'s field_name does not start with cds_`);
        ctx.check(typeof f.format === "string", "3.6", `registration field ${key} of type registration_field has no format`);
      }
      if (f.type === "payment") ctx.check(f.amount !== undefined && f.currency !== undefined, "3.6", `payment registration field ${key} lacks amount or currency`);
    }
    for (const [key, d] of Object.entries(descriptions)) {
      checkFixedSettings(ctx, key, d, descriptions);
      for (const f of Array.isArray(d.authorization_details_fields_supported) ? d.authorization_details_fields_supported.filter(isObject) : []) checkDetailsField(ctx, `${key}/${String(f.id)}`, f);
    }
    // The top-level lists are at least the union of the descriptions' lists (§3.2).
    const unions: [string, string][] = [
      ["code_challenge_methods_supported", "code_challenge_methods_supported"],
      ["authorization_details_types_supported", "authorization_details_types_supported"],
      ["response_types_supported", "response_types_supported"],
      ["grant_types_supported", "grant_types_supported"],
      ["token_endpoint_auth_methods_supported", "token_endpoint_auth_methods_supported"],
    ];
    for (const [top, inner] of unions) {
      const have = new Set(strings(as[top]));
      for (const [key, d] of Object.entries(descriptions)) {
        for (const v of strings(d[inner])) ctx.check(have.has(v), "3.2", `${top} lacks \`${v}\`, which scope ${key} supports`);
      }
    }
    if (strings(as.response_types_supported).length > 0) {
      ctx.check(typeof as.pushed_authorization_request_endpoint === "string", "3.2", "response types are supported but no pushed_authorization_request_endpoint is advertised");
      ctx.check(typeof as.cds_test_accounts === "string", "3.2", "response types are supported but cds_test_accounts is missing");
    }
    if (Object.values(descriptions).some((d) => d.type === "cds_server_provided_files")) {
      ctx.check(typeof as.cds_server_provided_files_api === "string", "3.2", "a cds_server_provided_files scope is described but cds_server_provided_files_api is missing");
    }
  },
};
