/**
 * Every RFC 9396 authorization details type this server accepts, with its
 * validator (`features.richAuthorizationRequests.types`). A Client Object's
 * `authorization_details_types` is narrowed to these when oidc-provider loads
 * it (adapter.ts): oidc-provider refuses clients naming unknown types.
 */
import { grantAdminDetailTypes } from "./grant-admin-tokens.js";
import { consentDetailTypes } from "./consent-details.js";

export const authorizationDetailsTypes = { ...consentDetailTypes, ...grantAdminDetailTypes };
