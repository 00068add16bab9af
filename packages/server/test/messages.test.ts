/**
 * The Messages API (CDS-WG1-02 §6): the changelog the Server writes for
 * Client Object and Credential changes (§5.3, §7.3), the three listings
 * (§6.8), creation (§6.9), get and PATCH `read` (§6.11).
 */
import { validateMessage, validateMessageListing } from "@cds-toolkit/validators";
import type { ClientRegistrationResponse } from "@cds-toolkit/types";
import { beforeEach, describe, expect, it } from "vitest";
import { messages } from "../src/db/schema.ts";
import { seedDemoData } from "../src/demo/seed.ts";
import type { CdsServer } from "../src/server.ts";
import { adminToken, call, expectProblem, registerClient, strictly } from "./helpers/cds-client.ts";
import { describeEachDatabase } from "./helpers/databases.ts";
import { useListeningServer } from "./helpers/servers.ts";

describeEachDatabase("Messages API (§6)", (under) => {
  let server: CdsServer;
  let registered: ClientRegistrationResponse;
  let token: string;

  useListeningServer(under, (started) => (server = started));
  beforeEach(async () => {
    await seedDemoData(under.database.db, null);
    registered = await registerClient(server);
    token = await adminToken(server, registered.client_id, registered.client_secret);
  });

  const listing = async (query = "") => {
    const res = await call(server, "GET", query.startsWith("http") ? query : `/cds-api/v1/messages${query}`, { token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return strictly(validateMessageListing(res.body, "strict"));
  };
  const create = async (body: Record<string, unknown>) => call(server, "POST", "/cds-api/v1/messages", { token, body });

  it("starts empty: registration itself is not a change", async () => {
    expect(await listing()).toEqual({ outstanding: [], outstanding_next: null, outstanding_previous: null, unread: [], unread_next: null, unread_previous: null, read: [], read_next: null, read_previous: null });
  });

  it("logs Client Object and Credential changes as unread Server Messages (§5.3, §7.3), never with a secret", async () => {
    await call(server, "PUT", registered.cds_client_uri, { token, body: { scope: "cds_client_admin", client_name: "Renamed" } });
    const created = await call(server, "POST", "/cds-api/v1/credentials", { token, body: { client_id: registered.client_id } });
    const credential = created.body as { uri: string; client_secret: string };
    await call(server, "PATCH", credential.uri, { token, body: { client_secret_expires_at: Math.floor(Date.now() / 1000) } });

    const { unread, read, outstanding } = await listing();
    expect(read).toEqual([]);
    expect(outstanding).toEqual([]);
    expect(unread.map((m) => [m.related_type, m.related_uri])).toEqual([
      ["credential", credential.uri],
      ["credential", credential.uri],
      ["client", registered.cds_client_uri],
    ]);
    for (const m of unread) expect(m).toMatchObject({ creator: null, read: false, status: "complete", type: "private_message" });
    expect(JSON.stringify(unread)).not.toContain(credential.client_secret);
  });

  it("creates Client Messages (201, read, pending or complete per §6.9) and threads replies", async () => {
    const res = await create({ type: "support_request", previous_uri: null, name: "Token help", description: "Our tokens expire early.", related_uri: `${server.url}/cds-api/v1/credentials` });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const support = strictly(validateMessage(res.body, "strict"));
    expect(support).toMatchObject({ type: "support_request", read: true, creator: registered.client_id, status: "pending", previous_uri: null, related_type: "credential_list" });
    expect(support.modified).toBe(support.created);

    const reply = strictly(validateMessage((await create({ type: "private_message", previous_uri: support.uri, name: "More", description: "It happens hourly." })).body, "strict"));
    expect(reply).toMatchObject({ status: "complete", previous_uri: support.uri });

    const { outstanding, read, unread } = await listing();
    expect(outstanding.map((m) => m.message_id)).toEqual([support.message_id]);
    expect(read.map((m) => m.message_id)).toEqual([reply.message_id, support.message_id]);
    expect(unread).toEqual([]);
  });

  it("moves an open server_request to pending when the Client answers it", async () => {
    const requestId = "11111111-1111-4111-8111-111111111111";
    await under.database.db.insert(messages).values({
      id: requestId,
      registrationId: (await under.database.db.query.oauthClients.findFirst({ where: (c, { eq }) => eq(c.clientId, registered.client_id) }))!.registrationId!,
      type: "server_request",
      read: false,
      creator: null,
      status: "open",
      name: "W-9",
      description: "Send your tax form.",
      updatesRequested: [{ field: "w9", description: "Your W-9 form" }],
    });
    const uri = `${server.url}/cds-api/v1/messages/${requestId}`;
    const answer = await create({ type: "client_submission", previous_uri: uri, name: "", description: "", updates_requested: [{ field: "w9", uri: "https://acme.example/w9.pdf" }] });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(strictly(validateMessage((await call(server, "GET", uri, { token })).body, "strict")).status).toBe("pending");
  });

  it.each([
    [{ type: "notification", previous_uri: null, name: "n", description: "d" }, "/type"],
    [{ type: "private_message", previous_uri: "http://127.0.0.1/cds-api/v1/messages/none", name: "n", description: "d" }, "/previous_uri"],
    [{ type: "client_submission", name: "", description: "" }, "/updates_requested"],
    [{ type: "production_request", previous_uri: null, name: "p", description: "d" }, "/related_uri"],
    [{ type: "grant_request", previous_uri: null, name: "g", description: "d" }, "/grants_requested"],
    [{ type: "private_message", previous_uri: null, name: "n", description: "d", read: false }, "/read"],
  ])("refuses %j with 400 naming the field", async (body, pointer) => {
    const problem = expectProblem(await create(body), 400);
    expect(problem.errors?.map((e) => e.pointer), JSON.stringify(problem)).toContain(pointer);
  });

  it("marks Messages read and unread (§6.11), ignoring other fields, and 404s other registrations' Messages", async () => {
    await call(server, "PUT", registered.cds_client_uri, { token, body: { scope: "cds_client_admin" } });
    const [entry] = (await listing()).unread;
    const res = await call(server, "PATCH", entry!.uri, { token, body: { read: true, status: "rejected" } });
    expect(strictly(validateMessage(res.body, "strict"))).toMatchObject({ read: true, status: "complete" });
    expect((await listing()).read.map((m) => m.message_id)).toEqual([entry!.message_id]);
    expectProblem(await call(server, "PATCH", entry!.uri, { token, body: { read: "yes" } }), 400);

    const other = await registerClient(server);
    const otherToken = await adminToken(server, other.client_id, other.client_secret);
    expectProblem(await call(server, "GET", entry!.uri, { token: otherToken }), 404);
    expectProblem(await call(server, "PATCH", entry!.uri, { token: otherToken, body: { read: false } }), 404);
    expect((await call(server, "GET", "/cds-api/v1/messages", { token: otherToken })).body).toMatchObject({ unread: [], read: [] });
  });

  it("pages one listing at a time, the other two empty (§6.8), and filters by message_ids", async () => {
    for (const name of ["a", "b", "c"]) await create({ type: "private_message", previous_uri: null, name, description: name });
    const first = await listing("?page_size=2");
    expect(first.read.map((m) => m.name)).toEqual(["c", "b"]);
    const next = await listing(first.read_next!);
    expect(next.read.map((m) => m.name)).toEqual(["a"]);
    expect(next.unread).toEqual([]);
    expect(next.outstanding).toEqual([]);
    expect(next.read_next).toBeNull();
    const back = await listing(next.read_previous!);
    expect(back.read.map((m) => m.name)).toEqual(["c", "b"]);
    const only = await listing(`?message_ids=${first.read[1]!.message_id}`);
    expect(only.read.map((m) => m.name)).toEqual(["b"]);
  });
});
