/**
 * The Clients listing's in-memory pages (src/routes/clients.ts): a page is
 * served from memory until one of its registration's Client Objects is
 * added, changed or removed, by any instance or any writer to the database
 * (migration 0010's `r:<registration_id>` notices); then the other instance
 * shows the change at its very next request.
 */
import { randomUUID } from "node:crypto";
import { validateCustomerDataClientListing } from "@cds-toolkit/validators";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { oauthClients } from "../src/db/schema.ts";
import { adminToken, call, registerClient, strictly } from "./helpers/cds-client.ts";
import { describeEachDatabase } from "./helpers/databases.ts";
import { useTwoInstances } from "./helpers/servers.ts";
import type { CdsServer } from "../src/server.ts";

/** A Client Object's metadata as a writer other than the server might store it. */
const metadata = { scope: "cds_client_admin", grant_types: ["client_credentials"], response_types: [], redirect_uris: [], token_endpoint_auth_method: "client_secret_basic" } as never;

describeEachDatabase("Clients listing cache across two instances", (under) => {
  let first: CdsServer;
  let second: CdsServer;
  useTwoInstances(under, (a, b) => {
    first = a;
    second = b;
  });

  async function listing(server: CdsServer, token: string, query = "") {
    const res = await call(server, "GET", `/cds-api/v1/clients${query}`, { token });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("etag")).toBeNull();
    return strictly(validateCustomerDataClientListing(res.body, "strict"));
  }

  /** A registration and its token, with its listing held by the second instance (asked twice). */
  async function heldOnSecond() {
    const registration = await registerClient(first);
    const token = await adminToken(first, registration.client_id, registration.client_secret!);
    const held = await listing(second, token);
    expect(await listing(second, token)).toEqual(held);
    const [row] = await under.database.db.select().from(oauthClients).where(eq(oauthClients.clientId, registration.client_id));
    return { registration, token, held, registrationId: row!.registrationId! };
  }

  it("shows a Client Object added to the registration by any writer at the next request", async () => {
    const { token, held, registrationId } = await heldOnSecond();
    const clientId = `added-${randomUUID()}`;
    await under.database.db.insert(oauthClients).values({ clientId, registrationId, metadata: metadata });
    const after = await listing(second, token);
    expect(after.clients.map((c) => c.client_id).sort()).toEqual([...held.clients.map((c) => c.client_id), clientId].sort());
  });

  it("shows a Client Object changed through one instance at the next request on the other (§5.5)", async () => {
    const { registration, token } = await heldOnSecond();
    const put = await call(first, "PUT", `/cds-api/v1/clients/${registration.client_id}`, { token, body: { client_name: "Renamed through the first instance" } });
    expect([200, 202]).toContain(put.status);
    const shown = (await call(first, "GET", `/cds-api/v1/clients/${registration.client_id}`, { token })).body as { client_name: string };
    const after = await listing(second, token);
    expect(after.clients.find((c) => c.client_id === registration.client_id)?.client_name).toBe(shown.client_name);
  });

  it("drops a Client Object removed by any writer at the next request", async () => {
    const { token, registrationId } = await heldOnSecond();
    const extra = `extra-${randomUUID()}`;
    await under.database.db.insert(oauthClients).values({ clientId: extra, registrationId, metadata: metadata });
    expect((await listing(second, token)).clients.map((c) => c.client_id)).toContain(extra);
    await under.database.db.delete(oauthClients).where(eq(oauthClients.clientId, extra));
    expect((await listing(second, token)).clients.map((c) => c.client_id)).not.toContain(extra);
  });

  it("keeps each registration's pages its own: one registration's change neither shows in nor empties another's", async () => {
    const one = await heldOnSecond();
    const other = await heldOnSecond();
    await under.database.db.insert(oauthClients).values({ clientId: `one-${randomUUID()}`, registrationId: one.registrationId, metadata: metadata });
    expect(await listing(second, other.token)).toEqual(other.held);
    expect((await listing(second, one.token)).clients).toHaveLength(one.held.clients.length + 1);
  });

  it("keeps pages of different queries apart (filter, page size)", async () => {
    const { registration, token, registrationId } = await heldOnSecond();
    await under.database.db.insert(oauthClients).values({ clientId: `more-${randomUUID()}`, registrationId, metadata: metadata });
    const filtered = await listing(second, token, `?client_ids=${registration.client_id}`);
    expect(filtered.clients.map((c) => c.client_id)).toEqual([registration.client_id]);
    const small = await listing(second, token, "?page_size=1");
    expect(small.clients).toHaveLength(1);
    expect(small.next).not.toBeNull();
    expect((await listing(second, token)).clients).toHaveLength(2);
  });
});
