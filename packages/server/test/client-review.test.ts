/**
 * Asynchronous review (CDS-WG1-02 §5.5, §6.2–§6.5, §6.9): a PUT changing a
 * reviewed field answers 202 and leaves a pending `field_changes` Message;
 * the operator API resolves it and the Client's requests, writing
 * `request_update` replies. Every body is checked with the strict validators.
 */
import type { Client, ClientRegistrationResponse, Message } from "@cds-toolkit/types";
import { validateCustomerDataClient, validateGrantListing, validateMessage, validateMessageListing } from "@cds-toolkit/validators";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { RequestResolutionError, type ResolveRequestInput } from "../src/cds/reviews.ts";
import { grants, oauthClients } from "../src/db/schema.ts";
import type { CdsServer } from "../src/server.ts";
import { adminToken, call, strictly } from "./helpers/cds-client.ts";
import { describeEachDatabase } from "./helpers/databases.ts";
import { useRegistrationWithGrantAdmin } from "./helpers/registered-clients.ts";
import { testServer } from "./helpers/servers.ts";

describeEachDatabase("Client review and Server replies (§5.5, §6)", (under) => {
  let server: CdsServer;
  let registered: ClientRegistrationResponse;
  let token: string;
  /** The registration's Grant Admin Client Object: not the admin one, so it may be disabled and reviewed. */
  let grantAdmin: Client;

  useRegistrationWithGrantAdmin(under, (made) => ({ server, registered, token, grantAdmin } = made));

  const getClient = async (uri: string) => strictly(validateCustomerDataClient((await call(server, "GET", uri, { token })).body, "strict"));
  const getMessage = async (uri: string) => strictly(validateMessage((await call(server, "GET", uri, { token })).body, "strict"));
  const listing = async () => {
    const res = await call(server, "GET", "/cds-api/v1/messages", { token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return strictly(validateMessageListing(res.body, "strict"));
  };
  const put = async (client: Client, changes: Record<string, unknown>) => call(server, "PUT", client.cds_client_uri, { token, body: { scope: client.scope, ...changes } });
  const createMessage = async (body: Record<string, unknown>) => {
    const res = await call(server, "POST", "/cds-api/v1/messages", { token, body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return strictly(validateMessage(res.body, "strict"));
  };
  /** The operator's answer, with both Messages checked strictly. */
  const resolve = async (input: ResolveRequestInput) => {
    const { request, update } = await server.operator.resolveRequest(input);
    return { request: strictly(validateMessage(request, "strict")), update: strictly(validateMessage(update, "strict")) };
  };
  const refusal = async (input: ResolveRequestInput) => {
    const error = await server.operator.resolveRequest(input).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(RequestResolutionError);
    return error as RequestResolutionError;
  };
  /** A disabled Grant Admin Client Object asking to be back in production: a reviewed change (202). */
  const requestReEnabling = async (): Promise<Message> => {
    expect((await put(grantAdmin, { cds_status: "disabled" })).status).toBe(200);
    const res = await put(grantAdmin, { cds_status: "production", client_name: "Grant desk" });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const [pending] = (await listing()).outstanding;
    return pending!;
  };
  const setStatus = (clientId: string, status: Client["cds_status"], statusOptions: Client["cds_status_options"]) =>
    under.database.db.update(oauthClients).set({ status, statusOptions }).where(eq(oauthClients.clientId, clientId));

  it("applies a PUT without reviewed changes at once (200), with no field_changes Message", async () => {
    const res = await put(grantAdmin, { cds_status: "production", client_name: "Grant desk" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(strictly(validateCustomerDataClient(res.body, "strict")).client_name).toBe("Grant desk");
    const { outstanding, unread } = await listing();
    expect(outstanding).toEqual([]);
    expect(unread.map((m) => m.type)).toEqual(["private_message"]);
  });

  it("holds a reviewed change (202): previous value shown, other fields applied, one pending field_changes Message", async () => {
    expect((await put(grantAdmin, { cds_status: "disabled" })).status).toBe(200);
    const res = await put(grantAdmin, { cds_status: "production", client_name: "Grant desk" });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const answered = strictly(validateCustomerDataClient(res.body, "strict"));
    expect(answered).toMatchObject({ cds_status: "disabled", client_name: "Grant desk" });
    expect(await getClient(grantAdmin.cds_client_uri)).toEqual(answered);

    const { outstanding, unread } = await listing();
    expect(outstanding).toHaveLength(1);
    expect(outstanding[0]).toMatchObject({
      type: "field_changes",
      creator: null,
      status: "pending",
      read: false,
      previous_uri: null,
      related_type: "client",
      related_uri: grantAdmin.cds_client_uri,
      updates_requested: [{ field: "cds_status", previous_value: "disabled", new_value: "production" }],
    });
    // The synchronous part is logged as before (§5.3), beside the field_changes Message; the earlier
    // disabling logged the Client Object and its one Credential, whose expiry it changed (§7.1, §7.3).
    expect(unread.map((m) => m.type).sort()).toEqual(["field_changes", "private_message", "private_message", "private_message"]);

    // The same change sent again is already waiting: 202, no second Message.
    expect((await put(grantAdmin, { cds_status: "production", client_name: "Grant desk" })).status).toBe(202);
    expect((await listing()).outstanding.map((m) => m.message_id)).toEqual([outstanding[0]!.message_id]);
    const queue = await server.operator.pendingRequests();
    expect(queue.map((p) => p.message.message_id)).toEqual([outstanding[0]!.message_id]);
    strictly(validateMessage(queue[0]!.message, "strict"));
  });

  it("approved: applies the held value and replies with a request_update; the listings agree", async () => {
    const pending = await requestReEnabling();
    const { request, update } = await resolve({ messageId: pending.message_id, status: "complete" });
    expect(request).toMatchObject({ message_id: pending.message_id, status: "complete" });
    expect(update).toMatchObject({ type: "request_update", previous_uri: pending.uri, status: "complete", creator: null, read: false, related_type: "client", related_uri: grantAdmin.cds_client_uri });
    expect(await getClient(grantAdmin.cds_client_uri)).toMatchObject({ cds_status: "production", client_name: "Grant desk" });

    expect(await getMessage(pending.uri)).toEqual(request);
    expect(await getMessage(update.uri)).toEqual(update);
    const { outstanding, unread } = await listing();
    expect(outstanding).toEqual([]);
    expect(unread.map((m) => m.message_id)).toEqual(expect.arrayContaining([pending.message_id, update.message_id]));
    expect(await server.operator.pendingRequests()).toEqual([]);

    expect((await refusal({ messageId: pending.message_id, status: "rejected", description: "again" })).rule).toBe("already-resolved");
  });

  it("rejected: the value stays, and the reply says why (§6.3)", async () => {
    const pending = await requestReEnabling();
    expect((await refusal({ messageId: pending.message_id, status: "rejected" })).rule).toBe("description-required");
    const { request, update } = await resolve({ messageId: pending.message_id, status: "rejected", description: "Re-enabling needs a security review first." });
    expect(request.status).toBe("rejected");
    expect(update).toMatchObject({ type: "request_update", status: "rejected", description: "Re-enabling needs a security review first.", previous_uri: pending.uri });
    expect((await getClient(grantAdmin.cds_client_uri)).cds_status).toBe("disabled");
    expect((await listing()).outstanding).toEqual([]);
  });

  it("errored: an approval that no longer applies to the current Client Object changes nothing and says why", async () => {
    const pending = await requestReEnabling();
    // The Server has since withdrawn production from the Client Object's options.
    await setStatus(grantAdmin.client_id, "disabled", ["disabled"]);
    const { request, update } = await resolve({ messageId: pending.message_id, status: "complete" });
    expect(request.status).toBe("errored");
    expect(update.status).toBe("errored");
    expect(update.description).toMatch(/cds_status_options/);
    expect((await getClient(grantAdmin.cds_client_uri)).cds_status).toBe("disabled");
  });

  it("production_request: completing adds production to the linked Client Object's options and links it (§6.3, §6.9)", async () => {
    await setStatus(grantAdmin.client_id, "sandbox", ["sandbox", "disabled"]);
    const asked = await createMessage({ type: "production_request", previous_uri: null, name: "Go live", description: "Ready for production.", related_uri: grantAdmin.cds_client_uri });
    const registrationId = (await under.database.db.query.oauthClients.findFirst({ where: (c, { eq }) => eq(c.clientId, registered.client_id) }))!.registrationId!;
    const queue = await server.operator.pendingRequests({ registrationId });
    expect(queue).toEqual([{ registrationId, message: asked }]);
    expect(await server.operator.pendingRequests({ registrationId: "another-registration" })).toEqual([]);

    const { request, update } = await resolve({ messageId: asked.message_id, status: "complete" });
    expect(request).toMatchObject({ type: "production_request", status: "complete", related_type: "client", related_uri: grantAdmin.cds_client_uri, creator: registered.client_id });
    expect(update).toMatchObject({ type: "request_update", status: "complete", previous_uri: asked.uri, related_type: "client", related_uri: grantAdmin.cds_client_uri });
    const approved = await getClient(grantAdmin.cds_client_uri);
    expect(approved).toMatchObject({ cds_status: "sandbox", cds_status_options: ["production", "sandbox", "disabled"] });

    // Switching is then the Client's PUT, itself reviewed under the default policy.
    const switched = await put(approved, { cds_status: "production" });
    expect(switched.status, JSON.stringify(switched.body)).toBe(202);
    const [review] = (await listing()).outstanding;
    await resolve({ messageId: review!.message_id, status: "complete" });
    expect((await getClient(grantAdmin.cds_client_uri)).cds_status).toBe("production");
  });

  it("production_request: rejecting leaves the options as they were", async () => {
    await setStatus(grantAdmin.client_id, "sandbox", ["sandbox", "disabled"]);
    const asked = await createMessage({ type: "production_request", previous_uri: null, name: "Go live", description: "Please.", related_uri: grantAdmin.cds_client_uri });
    expect((await refusal({ messageId: asked.message_id, status: "errored" })).rule).toBe("status-not-allowed");
    const { update } = await resolve({ messageId: asked.message_id, status: "rejected", description: "Your privacy policy is missing." });
    expect(update).toMatchObject({ status: "rejected", description: "Your privacy policy is missing." });
    expect((await getClient(grantAdmin.cds_client_uri)).cds_status_options).toEqual(["sandbox", "disabled"]);
  });

  it("grant_request: complete only with the Grants made for it, linked as a filtered Grants listing (§6.3)", async () => {
    const asked = await createMessage({
      type: "grant_request",
      previous_uri: null,
      name: "Grant",
      description: "Access for our back office.",
      related_uri: grantAdmin.cds_client_uri,
      grants_requested: [{ scope: "cds_grant_admin_1", authorization_details: [] }],
    });
    expect((await refusal({ messageId: asked.message_id, status: "complete" })).rule).toBe("grants-required");
    expect((await refusal({ messageId: asked.message_id, status: "complete", grantIds: ["demo-grant-1"] })).rule).toBe("unknown-grant");

    await under.database.db.insert(grants).values([
      { id: "review-grant-1", clientId: grantAdmin.client_id, status: "active", scope: "cds_grant_admin_1", enabledScope: "cds_grant_admin_1" },
      { id: "review-grant-admin", clientId: registered.client_id, status: "active", scope: "cds_client_admin", enabledScope: "cds_client_admin" },
    ]);
    expect((await refusal({ messageId: asked.message_id, status: "complete", grantIds: ["review-grant-admin"] })).rule).toBe("grant-for-another-client");
    expect((await getMessage(asked.uri)).status).toBe("pending");
    const { request, update } = await resolve({ messageId: asked.message_id, status: "complete", grantIds: ["review-grant-1"] });
    expect(request).toMatchObject({ status: "complete", related_type: "grant_list" });
    expect(update).toMatchObject({ status: "complete", related_type: "grant_list", related_uri: request.related_uri });
    const listed = await call(server, "GET", request.related_uri!, { token });
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    expect(strictly(validateGrantListing(listed.body, "strict")).grants.map((g) => g.grant_id)).toEqual(["review-grant-1"]);
  });

  it("refuses what cannot be resolved, naming the rule, and changes nothing", async () => {
    const note = await createMessage({ type: "private_message", previous_uri: null, name: "Hello", description: "Just saying." });
    expect((await refusal({ messageId: note.message_id, status: "complete" })).rule).toBe("not-a-request");
    expect((await refusal({ messageId: "no-such-message", status: "complete" })).rule).toBe("unknown-message");

    const support = await createMessage({ type: "support_request", previous_uri: null, name: "Help", description: "Tokens?" });
    const notAllowed = await refusal({ messageId: support.message_id, status: "rejected", description: "No." });
    expect(notAllowed.rule).toBe("status-not-allowed");
    expect(notAllowed.message).toContain("§6.3");
    expect((await getMessage(support.uri)).status).toBe("pending");

    const { update } = await resolve({ messageId: support.message_id, status: "complete", description: "Tokens last an hour." });
    expect(update).toMatchObject({ status: "complete", description: "Tokens last an hour." });
    expect((await refusal({ messageId: update.message_id, status: "complete" })).rule).toBe("not-a-request");
  });

  it("applies cds_status at once (200) on a server that reviews nothing", async () => {
    const unreviewed = await testServer({ database: under.database, settings: { reviewedClientFields: "none" } });
    try {
      await unreviewed.listen();
      const own = await adminToken(unreviewed, registered.client_id, registered.client_secret);
      const uri = grantAdmin.cds_client_uri.replace(server.url, unreviewed.url);
      const body = { scope: grantAdmin.scope, cds_status: "disabled" };
      expect((await call(unreviewed, "PUT", uri, { token: own, body })).status).toBe(200);
      const res = await call(unreviewed, "PUT", uri, { token: own, body: { ...body, cds_status: "production" } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(strictly(validateCustomerDataClient(res.body, "strict")).cds_status).toBe("production");
    } finally {
      await unreviewed.close();
    }
  });
});
