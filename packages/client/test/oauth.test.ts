/**
 * Registration, client_credentials tokens that refresh themselves, the
 * CDS-WG1-02 APIs, and the authorization-code flow (PAR + PKCE S256 + RAR,
 * code exchange, refresh with rotation), all against the reference server.
 */
import { describe, expect, it } from "vitest";
import {
  buildAuthorizationRequest,
  CdsApi,
  CdsApiError,
  ClientCredentialsTokens,
  discover,
  exchangeAuthorizationCode,
  introspectToken,
  InvalidTokenError,
  MemoryTokenStore,
  OAuthError,
  oauthContext,
  RefreshingTokens,
  registerClient,
  revokeToken,
  type Discovery,
  type Fetch,
} from "../src/index.ts";
// The server's test browser (cookie jar, forms): the customer's side of the flow.
import { Browser } from "../../server/test/helpers/browser.ts";
import { approve, sandboxDetails } from "../../server/test/helpers/authorization-code.ts";
import { DEMO_SECRET, useReferenceServer } from "./helpers/reference-server.ts";

/** A fetch that counts the requests to each path. */
function countingFetch(): { fetch: Fetch; count: (path: string) => number } {
  const counts = new Map<string, number>();
  return {
    fetch: (request) => {
      const path = new URL(request.url).pathname;
      counts.set(path, (counts.get(path) ?? 0) + 1);
      return fetch(request);
    },
    count: (path) => counts.get(path) ?? 0,
  };
}

describe("registration, client_credentials and the CDS-WG1-02 APIs", () => {
  const ref = useReferenceServer();
  let discovery: Discovery;
  let clientId: string;
  let clientSecret: string;

  it("registers: the cds_client_admin Client Object and its secret", async () => {
    discovery = await discover(ref.url);
    const registration = await registerClient(discovery, { scope: "cds_client_admin cds_grant_admin_1", client_name: "SDK test app", contacts: ["dev@sdk.example"] } as never);
    expect(registration.scope).toBe("cds_client_admin");
    expect(registration.client_secret).toEqual(expect.any(String));
    clientId = registration.client_id;
    clientSecret = registration.client_secret!;
  });

  it("a refused registration is an OAuthError naming the field", async () => {
    const error = (await registerClient(discovery, { scope: "no_such_scope" } as never).catch((e: unknown) => e)) as OAuthError;
    expect(error).toBeInstanceOf(OAuthError);
    expect(error.error).toMatch(/invalid_/);
    expect(error.url).toBe(discovery.authorizationServer.registration_endpoint);
  });

  it("lists the registration's Client Objects, and filters by arrays of ids", async () => {
    const counter = countingFetch();
    const tokens = new ClientCredentialsTokens(oauthContext(discovery, counter.fetch), { clientId, clientSecret, scope: "cds_client_admin" });
    const api = new CdsApi(discovery, { tokens, fetch: counter.fetch });
    const page = await api.clients.list();
    expect(page.clients.map((c) => c.scope).sort()).toEqual(["cds_client_admin", "cds_grant_admin_1"]);
    const grantAdmin = page.clients.find((c) => c.scope === "cds_grant_admin_1")!;
    const filtered = await api.clients.list({ client_ids: [grantAdmin.client_id] });
    expect(filtered.clients.map((c) => c.client_id)).toEqual([grantAdmin.client_id]);
    const both = await api.clients.list({ client_ids: [clientId, grantAdmin.client_id] });
    expect(both.clients).toHaveLength(2);
    // one token served all three calls
    expect(counter.count(new URL(discovery.authorizationServer.token_endpoint).pathname)).toBe(1);
    const modified = await api.clients.modify(clientId, { scope: "cds_client_admin", client_name: "SDK test app (renamed)", contacts: ["ops@sdk.example"] } as never);
    expect(modified.client_name).toBe("SDK test app (renamed)");
    const metadata = await api.clients.authorizationServerMetadata(clientId);
    expect(metadata.issuer).toBe(discovery.authorizationServer.issuer);
  });

  it("a refused API call is a CdsApiError carrying the Server's problem details (pointer and rule)", async () => {
    const tokens = new ClientCredentialsTokens(oauthContext(discovery), { clientId, clientSecret, scope: "cds_client_admin" });
    const api = new CdsApi(discovery, { tokens });
    const error = (await api.clients
      .modify(clientId, { scope: "cds_client_admin", client_name: "SDK test app", contacts: ["not-an-email"], client_uri: "javascript:alert(1)" } as never)
      .catch((e: unknown) => e)) as CdsApiError;
    expect(error).toBeInstanceOf(CdsApiError);
    expect(error.status).toBe(400);
    const errors = (error.problem?.errors ?? []) as { pointer: string; rule: string }[];
    expect(errors.map((e) => e.pointer)).toContain("/client_uri");
  });

  it("Credentials: create, list by client, expire", async () => {
    const tokens = new ClientCredentialsTokens(oauthContext(discovery), { clientId, clientSecret, scope: "cds_client_admin" });
    const api = new CdsApi(discovery, { tokens });
    const created = await api.credentials.create({ client_id: clientId });
    expect(created.client_secret).toEqual(expect.any(String));
    const listed = [];
    for await (const credential of api.credentials.all({ client_ids: [clientId] })) listed.push(credential);
    expect(listed.map((c) => c.credential_id)).toContain(created.credential_id);
    // a listing never shows secrets again
    expect(listed.every((c) => c.client_secret === null || c.client_secret === undefined)).toBe(true);
    const expired = await api.credentials.modify(created.credential_id, { client_secret_expires_at: Math.floor(Date.now() / 1000) });
    expect(expired.client_secret_expires_at).toBeGreaterThan(0);
  });

  it("Grants and Messages answer typed listings", async () => {
    const api = new CdsApi(discovery, { tokens: new ClientCredentialsTokens(oauthContext(discovery), { clientId, clientSecret, scope: "cds_client_admin" }) });
    const grants = await api.grants.list({ statuses: ["active", "pending"] });
    expect(grants.grants).toEqual([]);
    expect(grants.next).toBeNull();
    const messages = await api.messages.list();
    // the Server logs the changes made above as private messages (and their types need no updates_requested)
    expect(messages.unread.map((m) => m.type)).toContain("private_message");
    const all = [];
    for await (const message of api.messages.all("unread")) all.push(message.message_id);
    expect(all).toEqual(messages.unread.map((m) => m.message_id));
    const asked = await api.messages.create({ type: "support_request", name: "Help with the SDK", description: "A support request sent by the SDK's tests" });
    expect(asked).toMatchObject({ type: "support_request", status: "pending", name: "Help with the SDK" });
    expect((await api.messages.get(asked.message_id)).message_id).toBe(asked.message_id);
    const outstanding = [];
    for await (const message of api.messages.all("outstanding")) outstanding.push(message.message_id);
    expect(outstanding).toContain(asked.message_id);
  });

  it("renews the token before it expires, not after", async () => {
    let now = Math.floor(Date.now() / 1000);
    const store = new MemoryTokenStore();
    const tokens = new ClientCredentialsTokens(oauthContext(discovery), { clientId, clientSecret, scope: "cds_client_admin", store, refreshMarginSeconds: 60, now: () => now });
    const first = await tokens.accessToken();
    const expiresAt = (await tokens.tokens())!.expires_at!;
    now = expiresAt - 61;
    expect(await tokens.accessToken()).toBe(first);
    now = expiresAt - 59; // inside the margin: renewed while still valid
    const second = await tokens.accessToken();
    expect(second).not.toBe(first);
    const info = await introspectToken(oauthContext(discovery), clientId, clientSecret, second);
    expect(info.active).toBe(true);
    expect(info.scope).toBe("cds_client_admin");
  });

  it("invalid_token → one refresh and a retry; refused again → InvalidTokenError", async () => {
    const counter = countingFetch();
    const tokens = new ClientCredentialsTokens(oauthContext(discovery, counter.fetch), { clientId, clientSecret, scope: "cds_client_admin" });
    const api = new CdsApi(discovery, { tokens, fetch: counter.fetch });
    await api.grants.list();
    // The Server forgets the token (revoked); the cache still holds it.
    await revokeToken(oauthContext(discovery), clientId, clientSecret, await tokens.accessToken());
    const page = await api.grants.list();
    expect(page.grants).toEqual([]);
    expect(counter.count(new URL(discovery.authorizationServer.token_endpoint).pathname)).toBe(2);

    const broken = new CdsApi(discovery, { tokens: { accessToken: async () => "not-a-token", refresh: async () => "still-not-a-token" } });
    const error = await broken.grants.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidTokenError);
    expect((error as InvalidTokenError).url).toBe(`${ref.url}/cds-api/v1/grants`);
  });

  it("a wrong secret is an OAuthError, and the secret appears nowhere in it", async () => {
    const wrong = "wrong-secret-value-123456";
    const tokens = new ClientCredentialsTokens(oauthContext(discovery), { clientId, clientSecret: wrong, scope: "cds_client_admin" });
    const error = (await tokens.accessToken().catch((e: unknown) => e)) as OAuthError;
    expect(error).toBeInstanceOf(OAuthError);
    expect(error.error).toBe("invalid_client");
    expect(JSON.stringify({ message: error.message, error: error.error, description: error.description })).not.toContain(wrong);
  });
});

describe("authorization code: PAR + PKCE S256 + RAR, exchange, refresh with rotation", () => {
  const ref = useReferenceServer();
  const app = { clientId: "demo-app", clientSecret: DEMO_SECRET, redirectUri: "http://127.0.0.1:8400/callback" };

  it("walks the customer through login and consent and keeps the session's tokens fresh", async () => {
    const discovery = await discover(ref.url);
    const context = oauthContext(discovery);
    // The demo app's CDS-WG3-01 consent scope, preselecting one of Alex's accounts (§7.1).
    const pending = await buildAuthorizationRequest(context, { ...app, scope: "cds_usage_1", authorizationDetails: sandboxDetails });
    // PAR: the authorization URL carries only the client id and the request_uri, nothing else
    expect([...pending.url.searchParams.keys()].sort()).toEqual(["client_id", "request_uri"]);
    expect(pending.url.href.startsWith(discovery.authorizationServer.authorization_endpoint!)).toBe(true);

    const browser = new Browser(ref.url);
    const login = await (await browser.follow(pending.url.href)).response.text();
    const consent = await (await browser.follow(await browser.submit(login, "/login", { username: "alex.demo", password: "sandbox-alex-2024" }))).response.text();
    // The Authorization Form (§9.2): the server's test helper ticks what the customer must choose.
    const callback = await approve(browser, consent);
    expect(callback.searchParams.get("state")).toBe(pending.state);

    const store = new MemoryTokenStore();
    const { key, tokens } = await exchangeAuthorizationCode(context, pending, callback, { clientSecret: app.clientSecret, store });
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(tokens.authorization_details).toEqual([expect.objectContaining({ type: "cds_usage_1" })]);

    const session = new RefreshingTokens(context, { clientId: app.clientId, clientSecret: app.clientSecret, key, store });
    expect(await session.accessToken()).toBe(tokens.access_token);
    const renewed = await session.refresh();
    expect(renewed).not.toBe(tokens.access_token);
    const after = (await store.load(key))!;
    expect(after.refresh_token).toEqual(expect.any(String));
    expect(after.refresh_token).not.toBe(tokens.refresh_token); // rotated

    // the old refresh token is spent
    await store.save("old", { ...tokens });
    const stale = new RefreshingTokens(context, { clientId: app.clientId, clientSecret: app.clientSecret, key: "old", store });
    const error = (await stale.refresh().catch((e: unknown) => e)) as OAuthError;
    expect(error).toBeInstanceOf(OAuthError);
    expect(error.error).toBe("invalid_grant");

    // a code cannot be exchanged twice
    const again = (await exchangeAuthorizationCode(context, pending, callback, { clientSecret: app.clientSecret }).catch((e: unknown) => e)) as OAuthError;
    expect(again).toBeInstanceOf(OAuthError);
    expect(again.error).toBe("invalid_grant");
  });

  it("a callback with the wrong state is refused before any code exchange", async () => {
    const discovery = await discover(ref.url);
    const context = oauthContext(discovery);
    const pending = await buildAuthorizationRequest(context, { ...app, scope: "cds_usage_1" });
    const forged = new URL(`${app.redirectUri}?code=abc&state=not-the-state&iss=${encodeURIComponent(discovery.authorizationServer.issuer)}`);
    await expect(exchangeAuthorizationCode(context, pending, forged, { clientSecret: app.clientSecret })).rejects.toBeInstanceOf(OAuthError);
  });
});
