/**
 * The scopes this server describes in `cds_scope_descriptions`
 * (CDS-WG1-02 §3.3), configured exactly as §3.3.1, §3.3.2 and §3.3.3
 * prescribe, and how registration groups them into Client Objects (§4.2).
 */
import type { CustomerDataScopeDescription, Purpose, ScopeDescription } from "@cds-toolkit/types";
import { consentScopeDescriptions, consentScopeIds } from "../customer-data/scopes/consent.js";
import { directAccessScopeDescriptions, directAccessScopes } from "../customer-data/scopes/direct-access.js";

/** A CDS-WG1-02 §3.4 Scope Description, or a CDS-WG3-01 §6 one (whose fields use the §7 formats). */
export type AnyScopeDescription = ScopeDescription | CustomerDataScopeDescription;

export const CLIENT_ADMIN_SCOPE = "cds_client_admin";
export const GRANT_ADMIN_SCOPE = "cds_grant_admin_1";
/** The id the spec's own examples use (CDS-WG1-02 §12.5, §12.16). */
export const SERVER_PROVIDED_FILES_SCOPE = "cds_server_provided_files_01";

/** Every scope registrable here, in the order the metadata lists them: CDS-WG1-02 §3.3's, then CDS-WG3-01 §6.2's and §6.1's. */
export const describedScopes: readonly string[] = [
  CLIENT_ADMIN_SCOPE,
  GRANT_ADMIN_SCOPE,
  SERVER_PROVIDED_FILES_SCOPE,
  // CDS-WG3-01 §6.2 (customer-data/scopes/direct-access.ts).
  ...directAccessScopes.map((s) => s.id),
  // CDS-WG3-01 §6.1 (customer-data/scopes/consent.ts).
  ...consentScopeIds,
];

/**
 * The Scope Descriptions, keyed by id. `documentation` is the server's
 * developer documentation with the scope as fragment (§3.3.1 allows any
 * documentation URL).
 */
export function scopeDescriptions(documentation: string, purposes?: readonly Purpose[]): Record<string, AnyScopeDescription> {
  const doc = (fragment: string) => `${documentation}#${fragment}`;
  const clientCredentialsOnly = {
    registration_requirements: [],
    registration_optional: [],
    response_types_supported: [],
    grant_types_supported: ["client_credentials"],
    token_endpoint_auth_methods_supported: ["client_secret_basic"],
    code_challenge_methods_supported: [],
    coverages_supported: [],
    grant_admin_scope: null,
  };
  const wg1: Record<string, AnyScopeDescription> = {
    // §3.3.1
    [CLIENT_ADMIN_SCOPE]: {
      id: CLIENT_ADMIN_SCOPE,
      type: "cds_client_admin",
      name: "Client Admin",
      description: "This scope grants administrative access to the Client management APIs.",
      documentation: doc(CLIENT_ADMIN_SCOPE),
      ...clientCredentialsOnly,
      authorization_details_types_supported: [],
      authorization_details_fields_supported: [],
    },
    // §3.3.2
    [GRANT_ADMIN_SCOPE]: {
      id: GRANT_ADMIN_SCOPE,
      type: "cds_grant_admin",
      name: "Grant Admin",
      description: "This scope grants administrative access to previously created Grants.",
      documentation: doc(GRANT_ADMIN_SCOPE),
      ...clientCredentialsOnly,
      authorization_details_types_supported: [GRANT_ADMIN_SCOPE],
      authorization_details_fields_supported: [
        {
          id: "client_id",
          name: "Client Object identifier",
          description: "The Client Object identifier for which the Grant is issued.",
          documentation: doc("client_id"),
          // §3.8 (for_types ⊆ the scope's types) over §3.3.2's literal "cds_grant_admin": spec/ERRATA.md E-WG1-02-37.
          for_types: [GRANT_ADMIN_SCOPE],
          format: "string",
          is_required: true,
          maximum: 1000,
          minimum: 1,
        },
        {
          id: "grant_id",
          name: "Grant identifier",
          description: "The Grant identifier for which the returned access_token will be given access.",
          documentation: doc("grant_id"),
          // §3.8 (for_types ⊆ the scope's types) over §3.3.2's literal "cds_grant_admin": spec/ERRATA.md E-WG1-02-37.
          for_types: [GRANT_ADMIN_SCOPE],
          format: "string",
          is_required: true,
          maximum: 1000,
          minimum: 1,
        },
      ],
    },
    // §3.3.3: Grants of this scope are made by the Server only; Clients reach them with Grant Admin tokens.
    [SERVER_PROVIDED_FILES_SCOPE]: {
      id: SERVER_PROVIDED_FILES_SCOPE,
      type: "cds_server_provided_files",
      name: "Server-Provided Files",
      description: "This scope grants access to specific files that the Server wants make available to the Client.",
      documentation: doc(SERVER_PROVIDED_FILES_SCOPE),
      registration_requirements: [],
      registration_optional: [],
      response_types_supported: [],
      grant_types_supported: [],
      token_endpoint_auth_methods_supported: [],
      code_challenge_methods_supported: [],
      coverages_supported: [],
      grant_admin_scope: GRANT_ADMIN_SCOPE,
      authorization_details_types_supported: [SERVER_PROVIDED_FILES_SCOPE],
      authorization_details_fields_supported: [
        {
          id: "file_id",
          name: "File identifier",
          description: "A file provided by the Server that may be accessed by the Client as part of the Grant.",
          documentation: doc("file_id"),
          for_types: [SERVER_PROVIDED_FILES_SCOPE],
          format: "string",
          is_required: true,
          maximum: 1000,
          minimum: 1,
        },
      ],
    },
    ...directAccessScopeDescriptions(documentation),
  };
  // CDS-WG3-01 §6.1 (customer-data/scopes/consent.ts).
  return { ...wg1, ...consentScopeDescriptions(documentation, purposes) };
}

/** The ids of the described scopes of `type` (a Server may describe several of one type, §3.3.2, §3.3.3). */
export function scopesOfType(descriptions: Record<string, AnyScopeDescription>, type: string): string[] {
  return Object.values(descriptions)
    .filter((d) => d.type === type)
    .map((d) => d.id);
}

/** What makes scopes combinable into one Client Object (§4.2): equal response types, grant types and auth method. */
export interface ScopeGroupKey {
  responseTypes: string[];
  grantTypes: string[];
  tokenEndpointAuthMethod: string | null;
}

export function groupKeyOf(description: AnyScopeDescription): ScopeGroupKey {
  return {
    responseTypes: [...description.response_types_supported],
    grantTypes: [...description.grant_types_supported],
    tokenEndpointAuthMethod: description.token_endpoint_auth_methods_supported[0] ?? null,
  };
}

export function sameGroup(a: ScopeGroupKey, b: ScopeGroupKey): boolean {
  return (
    a.tokenEndpointAuthMethod === b.tokenEndpointAuthMethod &&
    a.responseTypes.join(" ") === b.responseTypes.join(" ") &&
    a.grantTypes.join(" ") === b.grantTypes.join(" ")
  );
}

/** The descriptions' rules (types, grant admin scopes), which do not depend on the documentation URL. */
const rules = scopeDescriptions("https://invalid.example/");

/** The `grant_admin_scope` of a described scope; null for undescribed scopes and those without one. */
export function grantAdminScopeOf(scope: string): string | null {
  return Object.hasOwn(rules, scope) ? (rules[scope]!.grant_admin_scope ?? null) : null;
}

/** Whether `scope` is a described scope of type `type`. */
export function isScopeOfType(scope: string, type: string): boolean {
  return Object.hasOwn(rules, scope) && rules[scope]!.type === type;
}
