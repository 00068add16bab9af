/**
 * The RFC 9396 authorization details types of the Customer Consent scopes
 * (CDS-WG3-01 §6.1): each entry's `type` is its scope id (CDS-WG1-02 §3.4),
 * checked field by field as the authorization request arrives (§9.1.1).
 */
import { errors } from "oidc-provider";
import { canonicalJson as canonical } from "../cds/canonical-json.js";
import { DetailRefused, validateConsentDetail, type ConsentDetail } from "../customer-data/authorization-details/validate.js";
import { consentScopeIds } from "../customer-data/scopes/consent.js";

export type AuthorizationDetail = ConsentDetail;

function validate(_ctx: unknown, detail: AuthorizationDetail): void {
  try {
    validateConsentDetail(detail);
  } catch (error) {
    if (error instanceof DetailRefused) throw new errors.InvalidAuthorizationDetails(error.message);
    throw error;
  }
}

/** The consent scopes' entries of `features.richAuthorizationRequests.types` (detail-types.ts). */
export const consentDetailTypes = Object.fromEntries(consentScopeIds.map((id) => [id, { validate }]));

interface RarContext {
  oidc: { params?: { authorization_details?: unknown }; grant?: { rar?: AuthorizationDetail[] } };
}

/**
 * `authorizationDetailsForGrantSource`: the code carries what the customer
 * approved for this request (stored on the oidc-provider grant at approval),
 * never anything a grant may hold from an earlier request.
 */
export async function authorizationDetailsForCode(ctx: RarContext): Promise<AuthorizationDetail[] | undefined> {
  const approved = ctx.oidc.grant?.rar;
  if (!approved?.length) return undefined;
  // Each approved entry once, in a stable order.
  const seen = new Set<string>();
  return approved.filter((d) => (seen.has(canonical(d)) ? false : (seen.add(canonical(d)), true)));
}
