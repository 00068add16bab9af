/**
 * The Client-specific metadata of CDS-WG1-02 §5.1 (`cds_server_metadata`),
 * derived from the public documents rather than assembled again, so the two
 * never disagree on anything but what belongs to the Client Object.
 */
import type { AnyScopeDescription } from "./scopes.js";
// The CDS-WG3-01 forms: their scope descriptions may use the §7 field formats (CDS-WG3-01 §3, §5).
import type { CustomerDataAuthorizationServerMetadata as AuthorizationServerMetadata, CustomerDataClientAuthorizationServerMetadata as ClientAuthorizationServerMetadata, OAuthServerMetadata, ScopeDescription } from "@cds-toolkit/types";
import { clientMetadataUrls, type PublicUrls } from "../urls.js";
import type { ClientRow } from "./client-objects.js";

const later = (a: string, b: string) => (Date.parse(a) >= Date.parse(b) ? a : b);

/**
 * The public CDS Server Metadata at the Client Object's own URL: its
 * `oauth_metadata` leads to the Client-specific RFC 8414 document.
 * `cds_metadata_url` names this document's own location (CDS-WG1-01 §3.2),
 * and since that URL exists only from the Client Object's creation,
 * `created` and `updated` are never earlier than that.
 */
export function clientServerMetadata(publicMetadata: OAuthServerMetadata, row: ClientRow, urls: PublicUrls): OAuthServerMetadata {
  const own = clientMetadataUrls(urls, row.clientId);
  const created = later(publicMetadata.created, row.createdAt.toISOString());
  return {
    ...publicMetadata,
    cds_metadata_url: own.serverMetadata,
    created,
    updated: later(publicMetadata.updated, created),
    oauth_metadata: own.oauthMetadata,
  };
}

/**
 * The public RFC 8414 document limited to the scopes the Client Object holds
 * (its `scope`), which is what the Client-specific document is for (§5.1).
 * A kept scope that names a `grant_admin_scope` brings that scope's
 * description along, since a description may only point at one that is
 * present (§3.4). `scopes_supported` keeps the kept descriptions and the
 * Client Object's undescribed scopes the Server supports (§3.2); registration
 * fields and authorization details types shrink to those the kept scopes use.
 * Everything else stays as published: endpoints and methods are the
 * Server's, whichever Client asks.
 */
export function clientAuthorizationServerMetadata(publicMetadata: AuthorizationServerMetadata, scope: string): ClientAuthorizationServerMetadata {
  const held = new Set(scope.split(" ").filter(Boolean));
  const described = publicMetadata.cds_scope_descriptions;
  const keptIds = new Set<string>();
  const keep = (id: string) => {
    if (keptIds.has(id) || !Object.hasOwn(described, id)) return;
    keptIds.add(id);
    const grantAdmin = described[id]!.grant_admin_scope;
    if (grantAdmin) keep(grantAdmin);
  };
  for (const id of held) keep(id);
  // In the public document's order, so the body (and its ETag) does not depend on the order of `scope`.
  const kept: Record<string, AnyScopeDescription> = Object.fromEntries(Object.entries(described).filter(([id]) => keptIds.has(id)));

  const scopesSupported = publicMetadata.scopes_supported.filter((id) => held.has(id) || keptIds.has(id));

  const fieldIds = new Set(Object.values(kept).flatMap((d) => [...d.registration_requirements, ...d.registration_optional]));
  // RFC 9396 entries are typed by scope id (§3.4), so an undescribed scope's type is its id.
  const detailTypes = new Set([...Object.values(kept).flatMap((d) => d.authorization_details_types_supported), ...scopesSupported]);

  return {
    ...publicMetadata,
    scopes_supported: scopesSupported,
    authorization_details_types_supported: publicMetadata.authorization_details_types_supported.filter((type) => detailTypes.has(type)),
    cds_scope_descriptions: kept,
    cds_registration_fields: Object.fromEntries(Object.entries(publicMetadata.cds_registration_fields).filter(([id]) => fieldIds.has(id))),
  };
}
