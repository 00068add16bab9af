/**
 * The demo app: a confidential client for the authorization-code flow, so a
 * person can walk through login and consent against `pnpm start` (README).
 * Its redirect URI is on loopback (nothing needs to listen there: the code
 * can be read from the browser's address bar).
 */
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/index.js";
import { oauthClients } from "../db/schema.js";
import { addClientSecret, generateClientSecret, replaceClientSecrets } from "../oauth/client-secrets.js";
import { CONSENT_SCOPES, consentScopeIds, defaultPurpose } from "../customer-data/scopes/consent.js";
import { demoClient } from "./demo-utility.js";
import type { DemoClientInfo } from "./seed.js";

export const demoApp = {
  clientId: "demo-app",
  redirectUri: "http://127.0.0.1:8400/callback",
  /** What the walkthrough and tests ask for: meter usage (CDS-WG3-01 §6.1.9). */
  scope: CONSENT_SCOPES.usage,
  /** What it may ask for: every Customer Consent scope. */
  registeredScope: consentScopeIds.join(" "),
} as const;

const defaultPurposeId = defaultPurpose([]).id;

const demoAppMetadata = {
  client_name: "Demo energy app",
  grant_types: ["authorization_code", "refresh_token"],
  response_types: ["code"],
  redirect_uris: [demoApp.redirectUri],
  token_endpoint_auth_method: "client_secret_basic",
  scope: demoApp.registeredScope,
  authorization_details_types: [...consentScopeIds],
  client_uri: "https://example.org/demo-energy-app",
  cds_default_scope: demoApp.scope,
  cds_default_redirect_uri: demoApp.redirectUri,
  cds_default_authorization_details: [{ type: demoApp.scope }],
  cds_purposes: { [defaultPurposeId]: defaultPurpose(consentScopeIds) },
};

/** Creates the demo app once; like the demo client, a configured secret replaces its secrets on every start. */
export async function seedDemoApp(db: Db, configuredSecret: string | null): Promise<DemoClientInfo> {
  const created = await db
    .insert(oauthClients)
    .values({
      clientId: demoApp.clientId,
      // In the demo registration, so the demo client sees the Grants customers make for it (CDS-WG1-02 §8).
      registrationId: demoClient.registrationId,
      registeredScope: demoApp.registeredScope,
      status: "sandbox",
      statusOptions: ["sandbox", "disabled"],
      metadata: demoAppMetadata,
    })
    .onConflictDoNothing()
    .returning({ clientId: oauthClients.clientId });
  // Data directories from before the CDS-WG3-01 scopes: the retired sandbox scope gives way to the consent scopes.
  await db
    .update(oauthClients)
    .set({ registeredScope: demoApp.registeredScope, metadata: demoAppMetadata })
    .where(and(eq(oauthClients.clientId, demoApp.clientId), eq(oauthClients.registeredScope, "sandbox_customer_data")));
  // Data directories from before the demo app joined the demo registration.
  await db
    .update(oauthClients)
    .set({ registrationId: demoClient.registrationId })
    .where(and(eq(oauthClients.clientId, demoApp.clientId), isNull(oauthClients.registrationId)));
  if (configuredSecret) {
    await replaceClientSecrets(db, demoApp.clientId, configuredSecret);
    return { clientId: demoApp.clientId, generatedSecret: null };
  }
  if (!created.length) return { clientId: demoApp.clientId, generatedSecret: null };
  const secret = generateClientSecret();
  await addClientSecret(db, demoApp.clientId, secret);
  return { clientId: demoApp.clientId, generatedSecret: secret };
}
