/**
 * The CDS-WG1-02 §3.2 fields of the RFC 8414 document: the RFC 8414 fields
 * §3.2 makes REQUIRED (registration endpoint, documentation, policies) and the
 * `cds_*` fields. Built from the stored metadata document and the issuer URL.
 */
import type { CustomerDataAuthorizationServerMetadata as AuthorizationServerMetadata } from "@cds-toolkit/types";
import { eq } from "drizzle-orm";
import type { Db } from "../db/index.js";
import { serverMetadata } from "../db/schema.js";
import { WELL_KNOWN_METADATA_ID } from "../server-metadata/index.js";
import type { PublicUrls } from "../urls.js";
import { describedScopes, scopeDescriptions } from "./scopes.js";

export type CdsAuthorizationServerFields = Pick<
  AuthorizationServerMetadata,
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
  | "cds_customerdata_version"
  | "cds_accounts_api"
  | "cds_servicecontracts_api"
  | "cds_servicepoints_api"
  | "cds_meterdevices_api"
  | "cds_billstatement_api"
  | "cds_billsection_api"
  | "cds_aggregations_api"
  | "cds_usagesegments_api"
  | "cds_usagesegments_additional_value_types"
>;

/** The fields, or null when no metadata document is configured (the document would be incomplete). */
export async function loadCdsAuthorizationServerFields(db: Db, urls: PublicUrls): Promise<CdsAuthorizationServerFields | null> {
  const [row] = await db.select().from(serverMetadata).where(eq(serverMetadata.id, WELL_KNOWN_METADATA_ID));
  if (!row) return null;
  return {
    registration_endpoint: urls.registration,
    // Every scope here is described (CDS-WG1-02 §3.2, §3.3; CDS-WG3-01 §6.1).
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
    // CDS-WG3-01 §5: the consent scopes name include_* fields of every API but the EAC one (no include_eacs).
    cds_customerdata_version: "v1",
    cds_accounts_api: urls.customerData.accounts,
    cds_servicecontracts_api: urls.customerData.serviceContracts,
    cds_servicepoints_api: urls.customerData.servicePoints,
    cds_meterdevices_api: urls.customerData.meterDevices,
    cds_billstatement_api: urls.customerData.billStatements,
    cds_billsection_api: urls.customerData.billSections,
    cds_aggregations_api: urls.customerData.aggregations,
    cds_usagesegments_api: urls.customerData.usageSegments,
    // Only the Value Types CDS-WG3-01 §10.8.5 defines.
    cds_usagesegments_additional_value_types: {},
  };
}
