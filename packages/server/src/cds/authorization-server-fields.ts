/**
 * The CDS-WG1-02 §3.2 fields of the RFC 8414 document: the RFC 8414 fields
 * §3.2 makes REQUIRED (registration endpoint, documentation, policies) and the
 * `cds_*` fields. Built from the stored metadata document and the issuer URL.
 */
import type { CustomerDataAuthorizationServerMetadata } from "@cds-toolkit/types";
import { customerDataMetadataFields } from "../customer-data/metadata-fields.js";
import { eq } from "drizzle-orm";
import type { Db } from "../db/index.js";
import { serverMetadata } from "../db/schema.js";
import { WELL_KNOWN_METADATA_ID } from "../server-metadata/index.js";
import type { PublicUrls } from "../urls.js";
import { describedScopes, scopeDescriptions } from "./scopes.js";

export type CdsAuthorizationServerFields = Pick<
  CustomerDataAuthorizationServerMetadata,
  | "registration_endpoint"
  | "scopes_supported"
  | "service_documentation"
  | "op_policy_uri"
  | "op_tos_uri"
  | "cds_oauth_version"
  | "cds_human_registration"
  | "cds_timezone"
  | "cds_clients_api"
  | "cds_messages_api"
  | "cds_credentials_api"
  | "cds_grants_api"
  | "cds_server_provided_files_api"
  | "cds_test_accounts"
  | "cds_scope_descriptions"
  | "cds_registration_fields"
  | keyof ReturnType<typeof customerDataMetadataFields>
>;

/** The fields, or null when no metadata document is configured (the document would be incomplete). */
export async function loadCdsAuthorizationServerFields(db: Db, urls: PublicUrls): Promise<CdsAuthorizationServerFields | null> {
  const [row] = await db.select().from(serverMetadata).where(eq(serverMetadata.id, WELL_KNOWN_METADATA_ID));
  if (!row) return null;
  return {
    registration_endpoint: urls.registration,
    scopes_supported: [...describedScopes],
    service_documentation: row.documentation,
    // Operators set these; without them the developer documentation is the best pointer there is.
    op_policy_uri: row.oauthPolicyUri ?? row.documentation,
    op_tos_uri: row.oauthTosUri ?? row.documentation,
    cds_oauth_version: "v1",
    cds_human_registration: row.humanRegistrationUri ?? row.support,
    cds_timezone: row.timezone,
    cds_clients_api: urls.clientsApi,
    cds_messages_api: urls.messagesApi,
    cds_credentials_api: urls.credentialsApi,
    cds_grants_api: urls.grantsApi,
    // Required once a cds_server_provided_files scope is described (§3.2, §3.3.3).
    cds_server_provided_files_api: urls.serverProvidedFilesApi,
    // Required while the authorization endpoint is advertised (response type `code`, §3.2).
    cds_test_accounts: `${row.documentation}#test-accounts`,
    cds_scope_descriptions: scopeDescriptions(row.documentation),
    // No scope here names a Registration Field (§3.2: `{}` then).
    cds_registration_fields: {},
    // CDS-WG3-01 §5.
    ...customerDataMetadataFields(urls),
  };
}
