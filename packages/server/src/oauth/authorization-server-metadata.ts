/**
 * The RFC 8414 metadata this server publishes. oidc-provider's discovery
 * document also describes OpenID Connect features (`openid` scope, ID token
 * algorithms, userinfo, claims) that this OAuth-only server does not offer,
 * so only the fields below pass through; the CDS-WG1-02 §3.2 fields are
 * added from the server's own data (cds-fields.ts).
 */

/** RFC 8414 §2 fields and the registered extensions this server implements. */
const published = new Set([
  // RFC 8414 §2
  "issuer",
  "authorization_endpoint",
  "token_endpoint",
  "registration_endpoint",
  "scopes_supported",
  "response_types_supported",
  "response_modes_supported",
  "grant_types_supported",
  "token_endpoint_auth_methods_supported",
  "service_documentation",
  "ui_locales_supported",
  "op_policy_uri",
  "op_tos_uri",
  "revocation_endpoint",
  "revocation_endpoint_auth_methods_supported",
  "introspection_endpoint",
  "introspection_endpoint_auth_methods_supported",
  "code_challenge_methods_supported",
  // RFC 9126 (PAR), RFC 9396 (RAR), RFC 9207 (issuer in authorization responses)
  "pushed_authorization_request_endpoint",
  "require_pushed_authorization_requests",
  "authorization_details_types_supported",
  "authorization_response_iss_parameter_supported",
]);

/** Scopes oidc-provider always lists that mean something only in OpenID Connect. */
const oidcOnlyScopes = new Set(["openid", "offline_access"]);

export function toAuthorizationServerMetadata(discovery: Record<string, unknown>, cds: Record<string, unknown> = {}): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(discovery)) {
    if (published.has(key) || key.startsWith("cds_")) metadata[key] = value;
  }
  if (Array.isArray(metadata.scopes_supported)) {
    metadata.scopes_supported = metadata.scopes_supported.filter((s) => !oidcOnlyScopes.has(String(s)));
  }
  // oidc-provider authenticates clients at these endpoints exactly as at the token endpoint.
  const methods = metadata.token_endpoint_auth_methods_supported;
  if (metadata.revocation_endpoint) metadata.revocation_endpoint_auth_methods_supported ??= methods;
  if (metadata.introspection_endpoint) metadata.introspection_endpoint_auth_methods_supported ??= methods;
  return selfConsistent({ ...metadata, ...cds });
}

/**
 * Makes the document agree with its own Scope Descriptions (CDS-WG1-02 §3.2,
 * §3.4): `scopes_supported` lists only described scopes (the sandbox scope the
 * authorization-code flow uses until the CDS-WG3-01 scopes land is granted but
 * not advertised, spec/ERRATA.md E-WG1-02-38), and the top-level
 * `authorization_details_types_supported` lists every type a described scope
 * lists (the Server-Provided Files type, whose Grants only the Server creates,
 * included) and no type of an undescribed scope.
 */
function selfConsistent(metadata: Record<string, unknown>): Record<string, unknown> {
  const descriptions = metadata.cds_scope_descriptions;
  if (typeof descriptions !== "object" || descriptions === null) return metadata;
  const described = Object.values(descriptions as Record<string, { id: string; authorization_details_types_supported?: string[] }>);
  const ids = new Set(described.map((d) => d.id));
  const types = new Set(described.flatMap((d) => d.authorization_details_types_supported ?? []));
  const out = { ...metadata };
  if (Array.isArray(out.scopes_supported)) out.scopes_supported = out.scopes_supported.filter((s) => ids.has(String(s)));
  const served = Array.isArray(out.authorization_details_types_supported) ? (out.authorization_details_types_supported as string[]) : [];
  out.authorization_details_types_supported = [...new Set([...served.filter((t) => types.has(t)), ...types])];
  return out;
}
