/**
 * The demo Direct Access client (CDS-WG3-01 §6.2): a client_credentials
 * Client Object of the demo registration holding the eight `cds_query_*`
 * scopes, and one Server-made Grant per demo customer (CDS-WG1-02 §8, which
 * lets a Server create Grants), so that a token for those scopes reads the
 * demo data out of the box. A token alone opens nothing: only a Grant in
 * force names whose data the Client sees (customer-data/access.ts).
 *
 * The Grants' authorization details show what a utility might let a
 * contracted vendor see (the §13.2.1 example shows such a Server-set
 * `include_*` list); an operator making its own Grant chooses them.
 */
import type { Db } from "../db/index.js";
import { grants, oauthClients } from "../db/schema.js";
import { addClientSecret, generateClientSecret, replaceClientSecrets } from "../oauth/client-secrets.js";
// cds/scopes.js first: it and scopes/direct-access.js import each other, and only this order initialises both.
import "../cds/scopes.js";
import { directAccessScopes } from "../customer-data/scopes/direct-access.js";
import { demoCustomers } from "./customers.js";
import { demoClient } from "./demo-utility.js";
import type { DemoClientInfo } from "./seed.js";

const scope = directAccessScopes.map((s) => s.id).join(" ");

export const demoDirectAccess = {
  clientId: "demo-direct-access",
  scope,
  /** The Grant of each demo customer: `demo-direct-grant-<customer>`. */
  grantId: (customer: string) => `demo-direct-grant-${customer}`,
} as const;

/** The `include_*` fields each scope's Grant entry turns on, beyond the scope's own (§6.2.x). */
const shown: Record<string, string[]> = {
  cds_query_accounts_1: ["include_account_numbers", "include_account_details", "include_account_programs"],
  cds_query_service_contracts_1: ["include_account_numbers", "include_contract_numbers", "include_rate_plans", "include_service_contract_details", "include_service_programs"],
  cds_query_service_points_1: ["include_premises", "include_service_point_addresses", "include_coordinates"],
  cds_query_meter_devices_1: ["include_meter_numbers", "include_meter_apps"],
  cds_query_bill_statements_1: ["include_account_numbers", "include_bill_statement_files", "include_bill_statement_charges", "include_bill_statement_programs"],
  cds_query_bill_sections_1: ["include_account_numbers", "include_contract_numbers", "include_bill_section_line_items"],
  cds_query_aggregations_1: ["include_aggregation_addresses"],
  cds_query_usage_1: [],
};

export const demoDirectAccessDetails = directAccessScopes.map((s) => ({
  type: s.id,
  sync_until: "infinite",
  ...Object.fromEntries((shown[s.id] ?? []).map((f) => [f, true])),
}));

const metadata = {
  client_name: "Demo direct access client",
  contacts: [],
  // As registration records them (cds/registration.ts): each scope's own authorization details type.
  authorization_details_types: directAccessScopes.map((s) => s.id),
  grant_types: ["client_credentials"],
  response_types: [],
  redirect_uris: [],
  token_endpoint_auth_method: "client_secret_basic",
  scope,
};

/** Creates the client and its Grants once; a configured secret replaces its secrets on every start, as for the demo client. */
export async function seedDemoDirectAccess(db: Db, configuredSecret: string | null): Promise<DemoClientInfo> {
  const created = await db
    .insert(oauthClients)
    .values({ clientId: demoDirectAccess.clientId, registrationId: demoClient.registrationId, registeredScope: scope, statusOptions: ["production", "disabled"], metadata })
    .onConflictDoNothing()
    .returning({ clientId: oauthClients.clientId });
  const at = new Date("2025-03-01T12:00:00.000Z");
  await db
    .insert(grants)
    .values(
      demoCustomers.map((c) => ({
        id: demoDirectAccess.grantId(c.accountId),
        clientId: demoDirectAccess.clientId,
        createdAt: at,
        modifiedAt: at,
        status: "active" as const,
        scope,
        enabledScope: scope,
        authorizationDetails: demoDirectAccessDetails as never,
        enabledAuthorizationDetails: demoDirectAccessDetails as never,
        accountId: c.accountId,
      })),
    )
    .onConflictDoNothing();
  if (configuredSecret) {
    await replaceClientSecrets(db, demoDirectAccess.clientId, configuredSecret);
    return { clientId: demoDirectAccess.clientId, generatedSecret: null };
  }
  if (!created.length) return { clientId: demoDirectAccess.clientId, generatedSecret: null };
  const secret = generateClientSecret();
  await addClientSecret(db, demoDirectAccess.clientId, secret);
  return { clientId: demoDirectAccess.clientId, generatedSecret: secret };
}
