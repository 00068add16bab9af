/**
 * The changelog (CDS-WG1-02 §5.3, §7.3): every change to a Client Object or a
 * Credential after registration, by the Client or by the Server, leaves a
 * Message saying so, written in the same transaction as the change and never
 * carrying a secret. Disabling a Client Object changes the expiry its
 * Credentials show (§7.1), so that is logged for each Credential too.
 */
import type { Client, ClientRegistrationResponse, Credential, Message } from "@cds-toolkit/types";
import { validateCredential, validateCredentialListing, validateMessage, validateMessageListing } from "@cds-toolkit/validators";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { oauthClients } from "../src/db/schema.ts";
import type { CdsServer } from "../src/server.ts";
import { call, strictly } from "./helpers/cds-client.ts";
import { describeEachDatabase } from "./helpers/databases.ts";
import { useRegistrationWithGrantAdmin } from "./helpers/registered-clients.ts";

describeEachDatabase("changelog Messages for Client Objects and Credentials (§5.3, §7.3)", (under) => {
  let server: CdsServer;
  let registered: ClientRegistrationResponse;
  let token: string;
  /** The registration's Grant Admin Client Object: not the admin one, so it may be disabled. */
  let grantAdmin: Client;

  useRegistrationWithGrantAdmin(under, (made) => ({ server, registered, token, grantAdmin } = made));

  const allMessages = async (): Promise<Message[]> => {
    const res = await call(server, "GET", "/cds-api/v1/messages", { token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const listing = strictly(validateMessageListing(res.body, "strict"));
    const byId = new Map([...listing.outstanding, ...listing.unread, ...listing.read].map((m) => [m.message_id, m]));
    return [...byId.values()];
  };
  /** The Messages about `uri` that were not there in `seen` (ids taken before the change). */
  const loggedAbout = async (uri: string, seen: ReadonlySet<string>) => (await allMessages()).filter((m) => m.related_uri === uri && !seen.has(m.message_id));
  const seenNow = async () => new Set((await allMessages()).map((m) => m.message_id));
  const credentialsOf = async (clientId: string): Promise<Credential[]> => {
    const res = await call(server, "GET", `/cds-api/v1/credentials?client_ids=${encodeURIComponent(clientId)}`, { token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return strictly(validateCredentialListing(res.body, "strict")).credentials;
  };
  const newCredential = async (clientId: string) => {
    const res = await call(server, "POST", "/cds-api/v1/credentials", { token, body: { client_id: clientId } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return strictly(validateCredential(res.body, "strict"));
  };
  const put = (client: Client, changes: Record<string, unknown>) => call(server, "PUT", client.cds_client_uri, { token, body: { scope: client.scope, ...changes } });
  /** Now, in the whole seconds of `client_secret_expires_at`. */
  const secondNow = () => Math.floor(Date.now() / 1000);

  it("disabling a Client Object logs it and each of its Credentials, whose expiry becomes the moment it was disabled", async () => {
    const extra = await newCredential(grantAdmin.client_id);
    const credentials = await credentialsOf(grantAdmin.client_id);
    expect(credentials.length).toBeGreaterThanOrEqual(2);
    const seen = await seenNow();
    const before = secondNow();
    const res = await put(grantAdmin, { cds_status: "disabled" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const after = Math.ceil(Date.now() / 1000);

    const clientLog = await loggedAbout(grantAdmin.cds_client_uri, seen);
    expect(clientLog).toHaveLength(1);
    expect(clientLog[0]).toMatchObject({ type: "private_message", creator: null, read: false, status: "complete", related_type: "client" });
    for (const credential of await credentialsOf(grantAdmin.client_id)) {
      // §7.1: the expiry shown is when the Client Object was disabled; §7.3: listed as modified then.
      expect(credential.client_secret_expires_at).toBeGreaterThanOrEqual(before);
      expect(credential.client_secret_expires_at).toBeLessThanOrEqual(after);
      expect(Date.parse(credential.modified)).toBeGreaterThanOrEqual(before * 1000);
      const log = await loggedAbout(credential.uri, seen);
      expect(log, `Messages about ${credential.credential_id}`).toHaveLength(1);
      expect(log[0]).toMatchObject({ type: "private_message", creator: null, read: false, status: "complete", related_type: "credential" });
    }
    // Never a secret in the changelog.
    expect(JSON.stringify(await allMessages())).not.toContain(extra.client_secret!);
    expect(JSON.stringify(await allMessages())).not.toContain(registered.client_secret);
  });

  it("a PUT that leaves the status alone logs the Client Object only, not its Credentials", async () => {
    const seen = await seenNow();
    expect((await put(grantAdmin, { cds_status: grantAdmin.cds_status, client_name: "Grant desk" })).status).toBe(200);
    expect(await loggedAbout(grantAdmin.cds_client_uri, seen)).toHaveLength(1);
    for (const credential of await credentialsOf(grantAdmin.client_id)) expect(await loggedAbout(credential.uri, seen)).toEqual([]);
  });

  it("re-enabling, once the operator approves it, logs the Server's change to the Client Object and to each Credential", async () => {
    expect((await put(grantAdmin, { cds_status: "disabled" })).status).toBe(200);
    const held = await put(grantAdmin, { cds_status: "production" });
    expect(held.status, JSON.stringify(held.body)).toBe(202);
    const pending = (await allMessages()).find((m) => m.type === "field_changes" && m.status === "pending")!;
    const seen = await seenNow();
    await server.operator.resolveRequest({ messageId: pending.message_id, status: "complete" });

    const clientLog = (await loggedAbout(grantAdmin.cds_client_uri, seen)).filter((m) => m.type === "private_message");
    expect(clientLog).toHaveLength(1);
    expect(clientLog[0]).toMatchObject({ creator: null, read: false, related_type: "client" });
    expect(clientLog[0]!.description).toContain("cds_status");
    for (const credential of await credentialsOf(grantAdmin.client_id)) {
      // Back to its own expiry (none), as a modified Credential.
      expect(credential.client_secret_expires_at).toBe(0);
      const log = await loggedAbout(credential.uri, seen);
      expect(log).toHaveLength(1);
      expect(log[0]).toMatchObject({ creator: null, read: false, related_type: "credential" });
    }
  });

  it("a rejected review changes nothing, so logs nothing beyond the reply", async () => {
    expect((await put(grantAdmin, { cds_status: "disabled" })).status).toBe(200);
    expect((await put(grantAdmin, { cds_status: "production" })).status).toBe(202);
    const pending = (await allMessages()).find((m) => m.type === "field_changes" && m.status === "pending")!;
    const seen = await seenNow();
    await server.operator.resolveRequest({ messageId: pending.message_id, status: "rejected", description: "Not yet." });
    const about = (await loggedAbout(grantAdmin.cds_client_uri, seen)).filter((m) => m.type === "private_message");
    expect(about).toEqual([]);
  });

  it("approving a production request logs the Server's change to the Client Object's status options", async () => {
    await under.database.db.update(oauthClients).set({ status: "sandbox", statusOptions: ["sandbox", "disabled"] }).where(eq(oauthClients.clientId, grantAdmin.client_id));
    const asked = await call(server, "POST", "/cds-api/v1/messages", { token, body: { type: "production_request", previous_uri: null, name: "Go live", description: "Ready.", related_uri: grantAdmin.cds_client_uri } });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    const seen = await seenNow();
    await server.operator.resolveRequest({ messageId: strictly(validateMessage(asked.body, "strict")).message_id, status: "complete" });
    const log = (await loggedAbout(grantAdmin.cds_client_uri, seen)).filter((m) => m.type === "private_message");
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ creator: null, read: false, related_type: "client" });
    expect(log[0]!.description).toContain("production");
  });
});
