/**
 * The CDS specifications are layered: CDS-WG1-02 extends documents that
 * CDS-WG1-01 defines (its Server Metadata gains `oauth_metadata` and the
 * `oauth` capability), and CDS-WG3-01 extends CDS-WG1-02's (its Authorization
 * Server Metadata gains the Customer Data fields, its Clients gain Purposes).
 * Each layer is its own model, so a strict validator of the base model
 * rightly rejects a document of the extended layer — which is what a
 * newcomer running `validateServerMetadata` on a CDS-WG1-02 Server's metadata
 * meets first. This table says which model to use for which layer, feeds the
 * hint a strict failure carries (./result.ts), and is printed in the README.
 *
 * Curated rather than inferred: models that merely share fields (a listing
 * and its page links) are not layers of one document. The test
 * (test/layers.test.ts) checks that every extension keeps all of its base's
 * fields.
 */
import type { ModelName } from "@cds-toolkit/schemas";

export interface SpecLayer {
  /** What the document is, in words. */
  document: string;
  /** The model of the lower layer. */
  base: ModelName;
  /** The model of the layer above it. */
  extension: ModelName;
  /** The specification and section that define the extension. */
  extendedBy: string;
}

export const specLayers: readonly SpecLayer[] = [
  { document: "CDS Server Metadata (`/.well-known/cds-server-metadata.json`)", base: "ServerMetadata", extension: "OAuthServerMetadata", extendedBy: "CDS-WG1-02 §3.1" },
  { document: "Coverage entry", base: "CoverageEntry", extension: "OAuthCoverageEntry", extendedBy: "CDS-WG1-02 §3.1" },
  { document: "Coverage Endpoint page", base: "CoverageListing", extension: "OAuthCoverageListing", extendedBy: "CDS-WG1-02 §3.1" },
  { document: "Authorization Server Metadata (`/.well-known/oauth-authorization-server`)", base: "AuthorizationServerMetadata", extension: "CustomerDataAuthorizationServerMetadata", extendedBy: "CDS-WG3-01 §5" },
  { document: "Client-specific Authorization Server Metadata", base: "ClientAuthorizationServerMetadata", extension: "CustomerDataClientAuthorizationServerMetadata", extendedBy: "CDS-WG3-01 §5" },
  { document: "Scope Description", base: "ScopeDescription", extension: "CustomerDataScopeDescription", extendedBy: "CDS-WG3-01 §6" },
  { document: "Registration Field", base: "RegistrationField", extension: "CustomerDataRegistrationField", extendedBy: "CDS-WG3-01 §5.1" },
  { document: "Authorization Details Field", base: "AuthorizationDetailsField", extension: "CustomerDataAuthorizationDetailsField", extendedBy: "CDS-WG3-01 §7" },
  { document: "Client Object", base: "Client", extension: "CustomerDataClient", extendedBy: "CDS-WG3-01 §8.1" },
  { document: "Clients API page", base: "ClientListing", extension: "CustomerDataClientListing", extendedBy: "CDS-WG3-01 §8.1" },
  { document: "Client registration response", base: "ClientRegistrationResponse", extension: "CustomerDataClientRegistrationResponse", extendedBy: "CDS-WG3-01 §8.1" },
  { document: "Client Object modification", base: "ClientModificationRequest", extension: "CustomerDataClientModificationRequest", extendedBy: "CDS-WG3-01 §8.2" },
  { document: "Grant", base: "Grant", extension: "CustomerDataGrant", extendedBy: "CDS-WG3-01 §7.3" },
  { document: "Grants API page", base: "GrantListing", extension: "CustomerDataGrantListing", extendedBy: "CDS-WG3-01 §7.3" },
  { document: "Grant modification", base: "GrantModificationRequest", extension: "CustomerDataGrantModificationRequest", extendedBy: "CDS-WG3-01 §7.3" },
  { document: "Token response", base: "TokenResponse", extension: "CustomerDataTokenResponse", extendedBy: "CDS-WG3-01 §13.2.1" },
];

/** A base model's extensions, nearest layer first (an extension may itself be extended). */
export function extensionsOf(model: ModelName): SpecLayer[] {
  const found: SpecLayer[] = [];
  const queue: ModelName[] = [model];
  while (queue.length) {
    const next = queue.shift()!;
    for (const layer of specLayers) {
      if (layer.base === next && !found.includes(layer)) {
        found.push(layer);
        queue.push(layer.extension);
      }
    }
  }
  return found;
}
