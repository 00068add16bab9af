/**
 * The sandbox scope a customer can consent to, and its RFC 9396
 * authorization details type. CDS scopes and authorization details are
 * Server-defined ids (CDS-WG1-02 §3.3, §3.4: a details entry's `type` is the
 * scope id); the CDS-WG3-01 customer-data scopes arrive with the customer
 * data APIs. Until then this one scope lets the authorization-code flow run
 * end to end, with details shaped like CDS-WG3-01 §7 filters.
 */
import { errors } from "oidc-provider";
import { canonicalJson as canonical } from "../cds/canonical-json.js";

export const SANDBOX_SCOPE = "sandbox_customer_data";

/** Human words for the consent page. */
export const scopeDescriptions: Readonly<Record<string, string>> = {
  [SANDBOX_SCOPE]: "Read your energy usage and billing data (sandbox: fictional data only)",
  cds_client_admin: "Manage this application's registration with the utility",
};

/** The CDS-WG3-01 §7.1 string-list filters a sandbox entry may carry, with their plain-word labels. */
export const sandboxDetailFields: Readonly<Record<string, string>> = {
  account_numbers: "Accounts",
  contract_numbers: "Service contracts",
  service_types: "Service types",
  servicepoint_numbers: "Service points",
  premise_numbers: "Premises",
  meter_numbers: "Meters",
};

export interface AuthorizationDetail {
  type: string;
  [field: string]: unknown;
}

/** Rejects any field the consent page could not show: the customer must see everything they approve. */
function validateSandboxDetail(_ctx: unknown, detail: AuthorizationDetail): void {
  for (const [key, value] of Object.entries(detail)) {
    if (key === "type") continue;
    if (!Object.hasOwn(sandboxDetailFields, key)) {
      throw new errors.InvalidAuthorizationDetails(`unsupported field '${key}' in a ${SANDBOX_SCOPE} entry`);
    }
    const ok = value === null || (Array.isArray(value) && value.length <= 100 && value.every((v) => typeof v === "string" && v.length > 0 && v.length <= 200));
    if (!ok) throw new errors.InvalidAuthorizationDetails(`'${key}' must be null or a list of strings`);
  }
}

/** This scope's entry of `features.richAuthorizationRequests.types` (detail-types.ts). */
export const sandboxDetailTypes = {
  [SANDBOX_SCOPE]: { validate: validateSandboxDetail },
};

interface RarContext {
  oidc: { params?: { authorization_details?: unknown }; grant?: { rar?: AuthorizationDetail[] } };
}

/**
 * `authorizationDetailsForGrantSource`: the code carries the details this
 * request asked for that the customer approved on the consent page (stored
 * on the grant), nothing a grant may hold from an earlier request.
 */
export async function authorizationDetailsForCode(ctx: RarContext): Promise<AuthorizationDetail[] | undefined> {
  const raw = ctx.oidc.params?.authorization_details;
  if (typeof raw !== "string") return undefined;
  const requested = JSON.parse(raw) as AuthorizationDetail[];
  const approved = new Set((ctx.oidc.grant?.rar ?? []).map(canonical));
  const granted = requested.filter((d) => approved.has(canonical(d)));
  return granted.length ? granted : undefined;
}
