/**
 * Puts the demo data in on first start. Idempotent and safe when several
 * instances start at once: every insert skips rows that exist.
 */
import type { Db } from "../db/index.js";
import { coverageEntries, oauthClients, registrations, serverMetadata } from "../db/schema.js";
import { addClientSecret, generateClientSecret, replaceClientSecrets } from "../oauth/client-secrets.js";
import { WELL_KNOWN_METADATA_ID } from "../server-metadata/index.js";
import { seedDemoCustomers } from "./customers.js";
import { seedDemoCustomerData } from "./customer-data/seed.js";
import { defaultDemoSize, type DemoUtilitySize } from "./customer-data/generator.js";
import { seedDemoApp } from "./demo-app.js";
import { seedDemoDirectAccess } from "./demo-direct-access.js";
import { seedDemoFiles } from "./demo-files.js";
import { seedDemoConsentGrant } from "./demo-consent-grant.js";
import { demoClient, demoCoverage, demoMetadata } from "./demo-utility.js";
import type { DemoClientInfo } from "./demo-client-info.js";

export type { DemoClientInfo };

/** `size`: the demo utility's customer data (the fixed default unless a running server asks for today's, customer-data/seed.ts). */
export async function seedDemoData(db: Db, configuredSecret: string | null, size: DemoUtilitySize = defaultDemoSize): Promise<DemoClientInfo> {
  // Each Client Object is written with its Credential in one transaction: a start killed between the two
  // left a client without a secret, and later starts, finding the client, never made one (issue 16).
  // Transactions inside become savepoints.
  const inOne = <T>(seed: (t: Db) => Promise<T>) => db.transaction((tx) => seed(tx as unknown as Db));
  // The demo client first: it makes the demo registration the demo app belongs to.
  const client = await inOne((t) => seedDemoClient(t, configuredSecret));
  await seedDemoCustomers(db);
  await seedDemoCustomerData(db, size);
  const app = await inOne((t) => seedDemoApp(t, configuredSecret));
  await seedDemoConsentGrant(db);
  return { ...client, app, direct: await inOne((t) => seedDemoDirectAccess(t, configuredSecret)) };
}

async function seedDemoClient(db: Db, configuredSecret: string | null): Promise<DemoClientInfo> {
  await db.insert(serverMetadata).values({ id: WELL_KNOWN_METADATA_ID, ...demoMetadata }).onConflictDoNothing();
  await db.insert(coverageEntries).values(demoCoverage).onConflictDoNothing();
  await db.insert(registrations).values({ id: demoClient.registrationId }).onConflictDoNothing();
  const created = await db
    .insert(oauthClients)
    .values({
      clientId: demoClient.clientId,
      registrationId: demoClient.registrationId,
      registeredScope: demoClient.metadata.scope,
      metadata: { ...demoClient.metadata, contacts: [], authorization_details_types: [], grant_types: [...demoClient.metadata.grant_types], response_types: [], redirect_uris: [] },
    })
    .onConflictDoNothing()
    .returning({ clientId: oauthClients.clientId });
  await seedDemoFiles(db);

  if (configuredSecret) {
    // A configured secret replaces whatever the demo client had, so it always works.
    await replaceClientSecrets(db, demoClient.clientId, configuredSecret);
    return { clientId: demoClient.clientId, generatedSecret: null };
  }
  if (created.length) {
    const secret = generateClientSecret();
    await addClientSecret(db, demoClient.clientId, secret);
    return { clientId: demoClient.clientId, generatedSecret: secret };
  }
  return { clientId: demoClient.clientId, generatedSecret: null };
}
