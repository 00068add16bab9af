/**
 * Checks one `authorization_details` entry of a Customer Consent scope
 * against the fields its Scope Description lists (CDS-WG3-01 §7, §6.1.x),
 * before anything is known about the customer (§9.1.1). A refusal names the
 * field and the rule; the caller turns it into `invalid_authorization_details`
 * (RFC 9396 §5).
 */
import { consentFieldOf, consentFieldIds, consentScopeRule } from "../scopes/consent.js";

export interface ConsentDetail {
  type: string;
  [field: string]: unknown;
}

export class DetailRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DetailRefused";
  }
}

/** A relative value is an ISO 8601 duration, optionally negative (spec/ERRATA.md E-WG3-01-5). */
const DURATION = /^-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function isDuration(value: string): boolean {
  return DURATION.test(value);
}

const MAX_LIST = 100;
const MAX_STRING = 200;

function checkFormat(scope: string, field: string, value: unknown): void {
  const spec = consentFieldOf(scope, field)!;
  const where = `${field} (in the ${scope} entry)`;
  const choiceIds = new Set((spec.choices ?? []).map((c) => c.id));
  switch (spec.format) {
    case "boolean":
      if (typeof value !== "boolean") throw new DetailRefused(`${where}: must be true or false`);
      return;
    case "string_list_or_null":
    case "choice_list_or_null": {
      if (value === null) return;
      if (!Array.isArray(value) || value.length === 0 || value.length > MAX_LIST) throw new DetailRefused(`${where}: must be null or a list of 1 to ${MAX_LIST} strings`);
      for (const item of value) {
        if (typeof item !== "string" || item.length === 0 || item.length > MAX_STRING) throw new DetailRefused(`${where}: every item must be a string of 1 to ${MAX_STRING} characters`);
        if (spec.format === "choice_list_or_null" && !choiceIds.has(item)) throw new DetailRefused(`${where}: '${item}' is not one of its choices (${[...choiceIds].join(", ")})`);
      }
      return;
    }
    case "relative_or_absolute_date":
    case "relative_or_absolute_datetime": {
      const absolute = spec.format === "relative_or_absolute_date" ? DATE : DATETIME;
      const ok = typeof value === "string" && (value === "infinite" || DURATION.test(value) || (absolute.test(value) && !Number.isNaN(Date.parse(value))));
      if (!ok) throw new DetailRefused(`${where}: must be "infinite", an ISO 8601 duration such as "P1Y", or an absolute ${spec.format === "relative_or_absolute_date" ? "date" : "date-time"}`);
      return;
    }
    case "choice":
      if (typeof value !== "string" || !choiceIds.has(value)) throw new DetailRefused(`${where}: must be one of ${[...choiceIds].join(", ")}`);
      return;
    case "choice_or_null":
      // The choices are the Client's own Purposes: checked against its Client Object (checkPurpose).
      if (value !== null && typeof value !== "string") throw new DetailRefused(`${where}: must be null or a Purpose id`);
      return;
    case "string_or_null":
      if (value !== null && (typeof value !== "string" || value.length === 0)) throw new DetailRefused(`${where}: must be null or a scope id`);
      return;
    case "jwk_or_null":
      // §7.4.6 names no encryption algorithm (spec/ERRATA.md E-WG3-01-7): this server supports none.
      if (value !== null) throw new DetailRefused(`${where}: response encryption is not supported by this server; send null`);
      return;
    default:
      throw new DetailRefused(`${where}: unsupported format`);
  }
}

/** Checks one entry as sent; throws DetailRefused naming the field. */
export function validateConsentDetail(detail: ConsentDetail): void {
  const rule = consentScopeRule(detail.type);
  if (!rule) throw new DetailRefused(`type: '${String(detail.type)}' is not a customer consent scope of this server`);
  const listed = new Set(consentFieldIds(rule.id));
  for (const [field, value] of Object.entries(detail)) {
    if (field === "type") continue;
    if (!listed.has(field)) throw new DetailRefused(`${field}: not a field of ${rule.id} (see its authorization_details_fields_supported)`);
    checkFormat(rule.id, field, value);
    if (rule.alwaysIncluded.includes(field) && value === false) throw new DetailRefused(`${field}: ${rule.id} always includes this data (CDS-WG3-01 ${rule.section}); it cannot be false`);
    if (rule.fixed && Object.hasOwn(rule.fixed, field) && rule.fixed[field] !== value) throw new DetailRefused(`${field}: must be ${JSON.stringify(rule.fixed[field])} for ${rule.id} (CDS-WG3-01 ${rule.section})`);
  }
  for (const field of rule.notNull) {
    const value = Object.hasOwn(detail, field) ? detail[field] : consentFieldOf(rule.id, field)?.default;
    if (value === null || value === undefined) throw new DetailRefused(`${field}: must list what is asked for; null is not accepted for ${rule.id} (CDS-WG3-01 ${rule.section})`);
  }
}

/** The entry with every listed field the request left out set to its default (§7: "as if included with the default"). */
export function withDefaults(detail: ConsentDetail): ConsentDetail {
  const out: ConsentDetail = { type: detail.type };
  for (const field of consentFieldIds(detail.type)) {
    out[field] = Object.hasOwn(detail, field) ? detail[field] : structuredClone(consentFieldOf(detail.type, field)!.default ?? null);
  }
  return out;
}
