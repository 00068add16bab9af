/**
 * CDS-WG3-01 §6, §7.2: what a customer's consent lets the Client see, read
 * with a fresh authorization-code token. A listing opens only when the
 * Grant's enabled authorization details (or the scope's defaults, §6.1)
 * include its objects; an OPTIONAL field appears only when its `include_*`
 * field is on; every related id names an object the same token lists (the
 * reading of spec/ERRATA.md E-WG3-01-253), so nothing outside the Grant
 * leaks through a reference either.
 */
import { isObject, type Json, type ScenarioContext } from "../../context.js";
import type { Scenario } from "../../scenario.js";
import { listAll } from "../wg1-02/listing.js";
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

/**
 * §7.3.2–§7.3.7: a duration field of the Grant bounds a field of the objects
 * listed. A Usage Segment lies wholly inside the window (its `segment_start`
 * on or after `segment_start`, its `segment_end` on or before `segment_end`):
 * one straddling a bound is never listed whole, and the Value Sets of a
 * segment cut to the window (§7.3.6, §7.3.7) each cover an interval inside
 * it (checkValueSets). What the cut keeps cannot be seen from outside; that
 * nothing outside is shown can.
 */
const durations: { kind: Kind; grantField: string; objectField: string; bound: "min" | "max"; section: string }[] = [
  { kind: "bill_statements", grantField: "statement_date_start", objectField: "statement_date", bound: "min", section: "7.3.2" },
  { kind: "bill_statements", grantField: "statement_date_end", objectField: "statement_date", bound: "max", section: "7.3.3" },
  { kind: "bill_sections", grantField: "start_date", objectField: "start_date", bound: "min", section: "7.3.4" },
  { kind: "bill_sections", grantField: "end_date", objectField: "end_date", bound: "max", section: "7.3.5" },
  { kind: "usage_segments", grantField: "segment_start", objectField: "segment_start", bound: "min", section: "7.3.6" },
  { kind: "usage_segments", grantField: "segment_end", objectField: "segment_end", bound: "max", section: "7.3.7" },
];

/** A date or datetime, as a time; "infinite" and anything else: undefined. */
const absolute = (v: unknown) => (typeof v === "string" && /^\d{4}-\d{2}-\d{2}/.test(v) ? Date.parse(v) : undefined);

function checkDurations(ctx: ScenarioContext, grants: readonly Json[], readable: readonly Readable[]): void {
  const details = grants.flatMap((g) => (Array.isArray(g.enabled_authorization_details) ? g.enabled_authorization_details.filter(isObject) : []));
  for (const d of details) {
    for (const { grantField, section } of durations) {
      const v = d[grantField];
      // §7.3: the Grant holds the absolute time a relative request was turned into.
      if (v !== undefined && v !== null) ctx.check(v === "infinite" || absolute(v) !== undefined, "7.3", `the Grant's \`${grantField}\` is ${JSON.stringify(v)}, not an absolute ${section === "7.3.6" || section === "7.3.7" ? "datetime" : "date"}`);
    }
  }
  for (const { kind, grantField, objectField, bound, section } of durations) {
    const limits = details.map((d) => absolute(d[grantField])).filter((t): t is number => t !== undefined);
    const objects = readable.find((r) => r.listing.kind === kind);
    if (!objects || limits.length === 0) continue;
    // With several entries the widest counts: each may open its own objects.
    const limit = bound === "min" ? Math.min(...limits) : Math.max(...limits);
    const outside = objects.objects.filter((o) => {
      const t = absolute(o[objectField]);
      return t === undefined || (bound === "min" ? t < limit : t > limit);
    });
    ctx.check(
      outside.length === 0,
      section,
      `${objects.listing.title} [${some(outside.map((o) => `${String(o[objects.listing.id])} ${objectField} ${String(o[objectField])}`), 3)}] lie ${bound === "min" ? "before" : "after"} the Grant's \`${grantField}\` ${new Date(limit).toISOString()}`,
    );
  }
}

/**
 * §7.3.6, §7.3.7 with §10.8.3: the n-th Value Set of a segment covers
 * `segment_start + n·interval` to `segment_start + (n+1)·interval`; none may
 * start before the Grant's `segment_start` or end after its `segment_end`.
 */
function checkValueSets(ctx: ScenarioContext, grants: readonly Json[], readable: readonly Readable[]): void {
  const details = grants.flatMap((g) => (Array.isArray(g.enabled_authorization_details) ? g.enabled_authorization_details.filter(isObject) : []));
  const starts = details.map((d) => absolute(d.segment_start)).filter((t): t is number => t !== undefined);
  const ends = details.map((d) => absolute(d.segment_end)).filter((t): t is number => t !== undefined);
  const segments = readable.find((r) => r.listing.kind === "usage_segments");
  if (!segments || (starts.length === 0 && ends.length === 0)) return;
  // With several entries the widest counts, as for the segments themselves.
  const start = starts.length ? Math.min(...starts) : -Infinity;
  const end = ends.length ? Math.max(...ends) : Infinity;
  for (const [section, side, limit] of [["7.3.6", "start", start], ["7.3.7", "end", end]] as const) {
    if (!Number.isFinite(limit)) continue;
    const outside: string[] = [];
    for (const o of segments.objects) {
      const s0 = absolute(o.segment_start);
      const step = typeof o.interval === "number" ? o.interval * 1000 : Number.NaN;
      if (s0 === undefined || !(step > 0) || !Array.isArray(o.values)) continue;
      for (let n = 0; n < o.values.length; n++) {
        const from = s0 + n * step;
        const to = from + step;
        if (side === "start" ? from < limit : to > limit) outside.push(`${String(o[segments.listing.id])} Value Set ${n} (${new Date(from).toISOString()}–${new Date(to).toISOString()})`);
      }
    }
    ctx.check(
      outside.length === 0,
      section,
      `${segments.listing.title} hold Value Sets of intervals ${side === "start" ? "starting before" : "ending after"} the Grant's \`segment_${side}\` ${new Date(limit).toISOString()}: [${some(outside, 3)}]; a segment straddling it must be cut to the Value Sets inside`,
    );
  }
}

/** The Client's consent scopes to check: the app's configured one, and one of type `cds_bill_statements` if the app holds it (it shows Accounts with their details hidden). */
async function consentScopes(ctx: ScenarioContext): Promise<string[]> {
  const app = ctx.app();
  const types = await scopeTypes(ctx);
  const clients = await listAll(ctx, await ctx.endpoint("cds_clients_api"), await ctx.adminToken(), "clients", "5.2");
  const held = String(clients.find((c) => c.client_id === app.clientId)?.scope ?? "").split(" ");
  const bills = held.find((s) => types.get(s) === "cds_bill_statements" && s !== app.scope);
  return bills ? [app.scope, bills] : [app.scope];
}

async function checkConsent(ctx: ScenarioContext, scope: string): Promise<void> {
  const app = ctx.app();
  const tokens = await ctx.customerTokens(scope === app.scope ? {} : { params: { scope, authorization_details: JSON.stringify([{ type: scope }]) } });
  const token = tokens.access_token;
  const ids = Array.isArray(tokens.cds_grant_ids) ? tokens.cds_grant_ids.map(String) : [];
  ctx.check(ids.length > 0, "6", `the ${scope} consent's token response names no Grant (\`cds_grant_ids\`)`);
  const grants = await readGrants(ctx, ids);
  ctx.check(grants.length > 0, "6", `the ${scope} consent's Grant is not listed to the app's Client admin`);
  const flags = enabledFlags(grants, await scopeTypes(ctx));

  const { readable, refused } = await readListings(ctx, token);
  const refusedKinds = new Set(refused.map((l) => l.kind));
  ctx.check(readable.length > 0, "6.1", `the ${scope} consent's token reads none of the Customer Data listings`);
  for (const { listing, objects } of readable) {
    if (!flags.has(opens[listing.kind])) {
      ctx.check(objects.length === 0, "7.2", `${scope}: ${listing.title} lists ${objects.length} objects [${some(objects.map((o) => String(o[listing.id])))}] though the Grant does not include \`${opens[listing.kind]}\``);
      continue;
    }
    for (const [field, flag] of Object.entries(fieldFlags[listing.kind] ?? {})) {
      if (flags.has(flag)) continue;
      const leaking = objects.filter((o) => field in o);
      ctx.check(leaking.length === 0, "7.2", `${scope}: ${listing.title} [${some(leaking.map((o) => String(o[listing.id])))}] carry \`${field}\` though the Grant does not include \`${flag}\``);
    }
  }
  checkRelated(ctx, readable, refusedKinds);
  checkDurations(ctx, grants, readable);
  checkValueSets(ctx, grants, readable);
}

export const customerDataVisibility: Scenario = {
  id: "wg3-01/grant-visibility",
  spec: "CDS-WG3-01",
  title: "A customer's consent token sees only the listings, fields, related objects and durations its Grant's enabled authorization details include",
  sections: ["6.1", "7.2", "7.3"],
  musts: [
    // Optional fields only when the Grant includes them (§7.2.x), and no listing the Grant leaves out.
    "WG3-01-7.2.1-8",
    "WG3-01-7.2.2-10",
    "WG3-01-7.2.3-7",
    "WG3-01-7.2.4-9",
    "WG3-01-7.2.5-7",
    "WG3-01-7.2.6-7",
    "WG3-01-7.2.7-7",
    "WG3-01-7.2.8-7",
    "WG3-01-7.2.9-7",
    "WG3-01-6.1.9-20",
    "WG3-01-6.1.7-12",
    // Durations: absolute in the Grant, and bounding what is listed.
    "WG3-01-7.3-3",
    "WG3-01-7.3.2-6",
    "WG3-01-7.3.3-6",
    // Usage Segments inside the window, straddling ones never whole, no Value Set outside (checkValueSets).
    "WG3-01-7.3.6-6",
    "WG3-01-7.3.6-7",
    "WG3-01-7.3.6-8",
    "WG3-01-7.3.7-6",
    "WG3-01-7.3.7-7",
    "WG3-01-7.3.7-8",
  ],
  async run(ctx: ScenarioContext) {
    if (!ctx.options.credentials?.clientAdmin) ctx.skip("needs the Client admin of the app's registration (credentials.clientAdmin) to read the consent's Grant");
    for (const scope of await consentScopes(ctx)) await checkConsent(ctx, scope);
  },
};
