/**
 * The fuzzer's credentials and known ids, obtained through the documented
 * flows as a client would: the demo utility's seed, a registration of its
 * own (client_credentials Client Admin token, a Grant Admin Credential and
 * token for a Grant sharing a file), the demo Direct Access client's token,
 * and a Customer Consent token from the authorization-code flow with PKCE
 * (login and consent in a cookie-keeping browser).
 *
 * Requests that change state never touch what the session's own tokens rest
 * on: the registration's Client Admin Client Object and Credential, and the
 * Grants behind the Grant Admin and consent tokens. They target the spare
 * Credentials and Grants made here, so a run does not lock itself out.
 */
import fc from "fast-check";
// cds/scopes first: it and the scope modules import each other, and only this order initialises both.
import "../../src/cds/scopes.ts";
import { consentScopeIds } from "../../src/customer-data/scopes/consent.ts";
import { directAccessScopes } from "../../src/customer-data/scopes/direct-access.ts";
import * as oauth from "openid-client";
import { addServerProvidedFile, shareServerProvidedFiles } from "../../src/cds/server-provided-files.ts";
import type { Db } from "../../src/db/index.ts";
import { demoApp } from "../../src/demo/demo-app.ts";
import { demoDirectAccess } from "../../src/demo/demo-direct-access.ts";
import { generateDemoUtility, defaultDemoSize } from "../../src/demo/customer-data/generator.ts";
import { seedDemoData } from "../../src/demo/seed.ts";
import { generateClientSecret } from "../../src/oauth/client-secrets.ts";
import type { CdsServer } from "../../src/server.ts";
import { customer, discoverApp, pushAuthorization, authorizeInBrowser } from "../helpers/authorization-code.ts";
import { Browser } from "../helpers/browser.ts";
import { adminToken, basic, call } from "../helpers/cds-client.ts";
import { FILES_SCOPE, grantAdminWithToken } from "../helpers/grant-admin.ts";
import { contract, type Operation } from "./contract-operations.ts";
import type { Example, RequestContext } from "./request-arbitrary.ts";
import type { Hints } from "./schema-arbitrary.ts";

/** `secrets`: every secret, token, code and password the session holds, never to be echoed. */
export type FuzzSession = RequestContext;

const ids = (listing: unknown, key: string, field: string) => ((listing as Record<string, Record<string, string>[]>)[key] ?? []).map((o) => o[field]!).filter(Boolean);

export async function startFuzzSession(server: CdsServer, db: Db): Promise<FuzzSession> {
  const demoSecret = generateClientSecret();
  await seedDemoData(db, demoSecret);
  const files = await grantAdminWithToken(server, db);
  // Spare Grants and Credentials for the requests that close, expire or change them.
  const spareGrants: string[] = [];
  for (let i = 0; i < 3; i++) {
    const fileId = await addServerProvidedFile(db, { name: `spare-${i}.txt`, mimeType: "text/plain", content: new TextEncoder().encode(`spare ${i}`) });
    spareGrants.push(await shareServerProvidedFiles(db, { clientId: files.files.client_id, scope: FILES_SCOPE, fileIds: [fileId] }));
  }
  const admin = files.adminToken;
  const spareCredentials: string[] = [];
  for (const clientId of [files.grantAdmin.client_id, files.adminId, files.grantAdmin.client_id]) {
    const created = await call(server, "POST", "/cds-api/v1/credentials", { token: admin, body: { client_id: clientId } });
    if (created.status !== 201) throw new Error(`a spare Credential for ${clientId}: ${created.status} ${JSON.stringify(created.body)}`);
    spareCredentials.push((created.body as { credential_id: string }).credential_id);
  }
  await call(server, "POST", "/cds-api/v1/messages", { token: admin, body: { type: "private_message", previous_uri: null, name: "Fuzz", description: "A message to read and mark." } });

  const clients = ids((await call(server, "GET", "/cds-api/v1/clients", { token: admin })).body, "clients", "client_id");
  const credentials = ids((await call(server, "GET", "/cds-api/v1/credentials", { token: admin })).body, "credentials", "credential_id");
  const grantIds = ids((await call(server, "GET", "/cds-api/v1/grants", { token: admin })).body, "grants", "grant_id");
  const messageListing = (await call(server, "GET", "/cds-api/v1/messages", { token: admin })).body;
  const messages = ["outstanding", "unread", "read"].flatMap((list) => ids(messageListing, list, "message_id"));
  const fileIds = ids((await call(server, "GET", "/cds-api/v1/server-provided-files", { token: files.token })).body, "files", "file_id");
  for (const [name, list] of Object.entries({ clients, credentials, grantIds, messages, fileIds })) if (!list.length) throw new Error(`the fuzz session found no ${name}`);

  const directScope = directAccessScopes.map((s) => s.id).join(" ");
  const directToken = await adminToken(server, demoDirectAccess.clientId, demoSecret, directScope);

  // Customer Consent: Alex signs in and approves the demo app's usage request.
  const app = await discoverApp(server.url, demoSecret);
  const started = await pushAuthorization(app, { authorization_details: JSON.stringify([{ type: demoApp.scope }]) });
  const callback = await authorizeInBrowser(new Browser(server.url), started.url);
  const consent = await oauth.authorizationCodeGrant(app, callback, { pkceCodeVerifier: started.verifier, expectedState: started.state });

  // Pushed authorization requests whose request_uri the authorization endpoint's valid requests use.
  const requestUris: string[] = [];
  for (let i = 0; i < 5; i++) requestUris.push((await pushAuthorization(app, { authorization_details: JSON.stringify([{ type: demoApp.scope }]) })).url.searchParams.get("request_uri")!);

  const utility = generateDemoUtility(defaultDemoSize);
  const customerValues = new Map<string, Set<string>>();
  for (const o of utility.objects) {
    for (const [field, value] of Object.entries(o.object as unknown as Record<string, unknown>)) {
      if (typeof value !== "string" || !/(_id|_number)$/.test(field)) continue;
      // The listings filter by the plural of the field (`cds_account_ids`, `account_numbers`).
      const set = customerValues.get(`${field}s`) ?? new Set<string>();
      set.add(value);
      customerValues.set(`${field}s`, set);
    }
  }

  const bearer = (t: string) => `Bearer ${t}`;
  const clientAdmin = bearer(admin);
  const grantAdmin = bearer(files.token);
  const dataTokens = [bearer(directToken), bearer(consent.access_token)];
  const basics = [basic(files.adminId, files.adminSecret), basic(demoApp.clientId, demoSecret), basic(demoDirectAccess.clientId, demoSecret), basic(files.grantAdmin.client_id, files.grantAdminSecret)];

  const some = (values: readonly string[]) => fc.constantFrom(...(values.length ? values : ["none"]));
  const listOf = (values: readonly string[]) => fc.uniqueArray(some(values), { minLength: 1, maxLength: 3 });
  const scopes = [...new Set([...Object.keys(contract.components.securitySchemes.OAuth2Auth.flows.clientCredentials.scopes), ...consentScopeIds, ...directAccessScopes.map((s) => s.id), FILES_SCOPE, "cds_grant_admin_1"])];
  const baseHints: Hints = {
    client_id: some(clients),
    client_ids: listOf(clients),
    credential_id: some(credentials),
    credential_ids: listOf(credentials),
    grant_id: some(grantIds),
    grant_ids: listOf(grantIds),
    message_id: some(messages),
    message_ids: listOf(messages),
    file_id: some(fileIds),
    file_ids: listOf(fileIds),
    scope: fc.uniqueArray(fc.constantFrom(...scopes), { minLength: 1, maxLength: 3 }).map((s) => s.join(" ")),
    scopes: listOf(scopes),
    statuses: listOf(["active", "closed", "pending", "revoked", "expired"]),
    redirect_uri: fc.constant(demoApp.redirectUri),
    redirect_uris: fc.constant([demoApp.redirectUri]),
    response_type: fc.constant("code"),
    code_challenge_method: fc.constant("S256"),
    code_challenge: fc.constant("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"),
    token: some([admin, directToken, consent.access_token, ...(consent.refresh_token ? [consent.refresh_token] : [])]),
    previous_uri: fc.constant(null),
    ...Object.fromEntries([...customerValues].map(([name, values]) => [name, listOf([...values])])),
  };
  // Writes go to the spares only (see the module comment).
  const writeHints: Record<string, Hints> = {
    modifyClient: { client_id: some(clients.filter((c) => c !== files.adminId)) },
    modifyCredential: { credential_id: some(spareCredentials) },
    modifyGrant: { grant_id: some(spareGrants) },
    // Revocation gets tokens nobody relies on: random ones, or the spare consent refresh token never used.
    revokeToken: { token: fc.string({ minLength: 1, maxLength: 40 }) },
    createCredential: { client_id: some([files.adminId, files.grantAdmin.client_id, files.files.client_id]) },
  };

  const text = fc.string({ minLength: 1, maxLength: 30 });
  const verifier = fc.stringMatching(/^[A-Za-z0-9\-._~]{43,60}$/);
  const directScopes = directAccessScopes.map((s) => s.id);
  const consentRequest = fc.record({ scope: fc.constantFrom(...consentScopeIds), state: text, verifier });
  const examples: Record<string, fc.Arbitrary<Example>> = {
    requestToken: fc.oneof(
      fc.constant({ authorization: basics[0]!, body: { grant_type: "client_credentials", scope: "cds_client_admin" } }),
      fc.subarray(directScopes, { minLength: 1 }).map((s) => ({ authorization: basics[2]!, body: { grant_type: "client_credentials", scope: s.join(" ") } })),
      fc.constantFrom(files.grantId, ...spareGrants).map((grantId) => ({
        authorization: basics[3]!,
        body: { grant_type: "client_credentials", scope: "cds_grant_admin_1", authorization_details: JSON.stringify([{ type: "cds_grant_admin_1", client_id: files.files.client_id, grant_id: grantId }]) },
      })),
      fc.record({ code: text, code_verifier: verifier }).map((b) => ({ authorization: basics[1]!, body: { grant_type: "authorization_code", redirect_uri: demoApp.redirectUri, ...b } })),
      text.map((refresh_token) => ({ authorization: basics[1]!, body: { grant_type: "refresh_token", refresh_token } })),
    ),
    pushAuthorizationRequest: consentRequest.map(({ scope, state }) => ({
      authorization: basics[1]!,
      body: { response_type: "code", client_id: demoApp.clientId, redirect_uri: demoApp.redirectUri, scope, state, code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", code_challenge_method: "S256", authorization_details: JSON.stringify([{ type: scope }]) },
    })),
    authorize: fc.oneof(
      fc.constantFrom(...requestUris).map((request_uri) => ({ query: { client_id: demoApp.clientId, request_uri } })),
      consentRequest.map(({ scope, state }) => ({ query: { client_id: demoApp.clientId, response_type: "code", redirect_uri: demoApp.redirectUri, scope, state, code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", code_challenge_method: "S256" } })),
    ),
    registerClient: fc.record({ scopes: fc.subarray(["cds_client_admin", FILES_SCOPE, ...directScopes], { minLength: 1 }), client_name: text }).map(({ scopes, client_name }) => ({ body: { scope: scopes.join(" "), client_name } })),
    createMessage: fc.record({ name: text, description: text }).map((b) => ({ body: { type: "private_message", previous_uri: null, ...b } })),
    introspectToken: fc.constantFrom(admin, directToken, consent.access_token, files.token).map((token) => ({ authorization: basics[0]!, body: { token } })),
  };

  return {
    examples: (op: Operation) => examples[op.id],
    schemas: contract.components.schemas,
    secrets: [demoSecret, files.adminSecret, files.grantAdminSecret, admin, files.token, directToken, consent.access_token, ...(consent.refresh_token ? [consent.refresh_token] : []), customer.password, started.verifier],
    hints: (op: Operation) => ({ ...baseHints, ...writeHints[op.id] }),
    authorizations(op: Operation) {
      const options = op.security.flatMap((alternative): (string | undefined)[] => {
        if (alternative.length === 0) return [undefined];
        const [{ scheme, scopes: needed }] = alternative as [{ scheme: string; scopes: string[] }];
        if (scheme === "ClientSecretBasic") return basics;
        if (scheme === "BearerAuth") return dataTokens;
        return needed.includes("cds_grant_admin") ? [grantAdmin] : [clientAdmin];
      });
      return fc.constantFrom(...options);
    },
    wrongAuthorizations: [clientAdmin, grantAdmin, ...dataTokens, basics[0]!, `Bearer ${demoSecret}`],
  };
}
