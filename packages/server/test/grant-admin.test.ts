/**
 * Grant Admin tokens (CDS-WG1-02 §3.3.2) and the Server-Provided Files API
 * (§9), end to end: registration brings the Server-Provided Files and Grant
 * Admin Client Objects, the Server shares a file through a Grant, and the
 * Grant Admin Client Object reaches it only through that Grant.
 */
import {
  validateCredential,
  validateGrant,
  validateIntrospectionResponse,
  validateOAuthError,
  validateServerProvidedFile,
  validateServerProvidedFileListing,
  validateCustomerDataTokenResponse,
} from "@cds-toolkit/validators";
import { beforeEach, describe, expect, it } from "vitest";
import { addServerProvidedFile, shareServerProvidedFiles } from "../src/cds/server-provided-files.ts";
import { eq } from "drizzle-orm";
import { grants, serverProvidedFiles } from "../src/db/schema.ts";
import { demoFiles } from "../src/demo/demo-files.ts";
import { demoClient } from "../src/demo/demo-utility.ts";
import { seedDemoData } from "../src/demo/seed.ts";
import { generateClientSecret } from "../src/oauth/client-secrets.ts";
import type { CdsServer } from "../src/server.ts";
import { adminToken, basic, call, expectProblem, introspect, strictly } from "./helpers/cds-client.ts";
import {
  FILES_SCOPE,
  GRANT_ADMIN,
  grantAdminEntry,
  grantAdminToken as grantAdminTokenWith,
  grantAdminTokenResponse as tokenResponseWith,
  registerForFiles as registerForFilesWith,
  type FilesRegistration,
} from "./helpers/grant-admin.ts";
import { describeEachDatabase } from "./helpers/databases.ts";
import { useListeningServer } from "./helpers/servers.ts";

describeEachDatabase("Grant Admin tokens (§3.3.2) and Server-Provided Files (§9)", (under) => {
  let server: CdsServer;
  useListeningServer(under, (started) => (server = started));

  const registerForFiles = () => registerForFilesWith(server);
  const grantAdminTokenResponse = (r: FilesRegistration, details: unknown, scope?: string | null) => tokenResponseWith(server, r, details, scope);
  const grantAdminToken = (r: FilesRegistration, grantId: string) => grantAdminTokenWith(server, r, grantId);
  const entry = grantAdminEntry;

  function expectRefused(res: { status: number; body: unknown }, error: string, description: RegExp) {
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    const body = strictly(validateOAuthError(res.body, "strict"));
    expect(body.error).toBe(error);
    expect(body.error_description).toMatch(description);
  }

  let r: FilesRegistration;
  let pdf: string;
  let csv: string;
  let grantId: string;
  const csvBytes = new TextEncoder().encode("meter,kwh\nM-1,12.5\n");

  beforeEach(async () => {
    await seedDemoData(under.database.db, null);
    r = await registerForFiles();
    const db = under.database.db;
    pdf = await addServerProvidedFile(db, { name: "API guide (v1).pdf", mimeType: "application/pdf", description: "How to connect", content: new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d]) });
    csv = await addServerProvidedFile(db, { name: "backfill.csv", mimeType: "text/csv", content: csvBytes });
    // The csv changes later: it lists first (§9.2 newest modified first).
    await db.update(serverProvidedFiles).set({ modifiedAt: new Date(Date.now() + 60_000) }).where(eq(serverProvidedFiles.id, csv));
    grantId = await shareServerProvidedFiles(db, { clientId: r.files.client_id, scope: FILES_SCOPE, fileIds: [pdf, csv] });
  });

  describe("registration and the Grant", () => {
    it("gives a Server-Provided Files Client Object (no grant types, no Credential) and its Grant Admin Client Object", async () => {
      expect(r.files).toMatchObject({ grant_types: [], response_types: [], token_endpoint_auth_method: null, authorization_details_types: [FILES_SCOPE] });
      expect(r.grantAdmin).toMatchObject({ grant_types: ["client_credentials"], authorization_details_types: [GRANT_ADMIN] });
    });

    it("shows the Server's Grant on the Grants API, listing each file_id (§3.3.3)", async () => {
      const res = await call(server, "GET", `/cds-api/v1/grants/${grantId}`, { token: r.adminToken });
      const grant = strictly(validateGrant(res.body, "strict"));
      expect(grant).toMatchObject({ client_id: r.files.client_id, scope: FILES_SCOPE, enabled_scope: FILES_SCOPE, status: "active" });
      expect(grant.authorization_details).toEqual([
        { type: FILES_SCOPE, file_id: pdf },
        { type: FILES_SCOPE, file_id: csv },
      ]);
    });
  });

  describe("token requests", () => {
    it("issues a token for the Grant, echoing the entry in the token response and introspection", async () => {
      const res = await grantAdminTokenResponse(r, [entry(r, grantId)]);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const token = strictly(validateCustomerDataTokenResponse(res.body, "strict"));
      expect(token.scope).toBe(GRANT_ADMIN);
      expect(token.authorization_details).toEqual([entry(r, grantId)]);
      const info = strictly(validateIntrospectionResponse(await introspect(server, r.grantAdmin.client_id, r.grantAdminSecret, token.access_token), "strict"));
      expect(info).toMatchObject({ active: true, client_id: r.grantAdmin.client_id, scope: GRANT_ADMIN, authorization_details: [entry(r, grantId)] });
    });

    it("treats the entry as the scope when the scope parameter is left out", async () => {
      const res = await grantAdminTokenResponse(r, [entry(r, grantId)], null);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(strictly(validateCustomerDataTokenResponse(res.body, "strict")).authorization_details).toEqual([entry(r, grantId)]);
    });

    it.each([
      ["no authorization_details", undefined, /needs one authorization_details entry/],
      ["two entries", "two", /exactly one/],
      ["a client_id other than the Grant's", "wrong-client", /client_id is not the Grant's/],
      ["an unknown grant_id", "unknown-grant", /does not name a Grant of this registration/],
      ["an extra field", "extra-field", /unsupported field 'file_id'/],
      ["no grant_id", "no-grant-id", /'grant_id' is required/],
    ])("refuses %s", async (_name, variant, description) => {
      const one = entry(r, grantId);
      const details = {
        undefined: undefined,
        two: [one, one],
        "wrong-client": [entry(r, grantId, r.grantAdmin.client_id)],
        "unknown-grant": [entry(r, "no-such-grant")],
        "extra-field": [{ ...one, file_id: pdf }],
        "no-grant-id": [{ type: GRANT_ADMIN, client_id: r.files.client_id }],
      }[String(variant)];
      expectRefused(await grantAdminTokenResponse(r, details), "invalid_authorization_details", description);
    });

    it("refuses another registration's Grant as if it did not exist", async () => {
      const other = await registerForFiles();
      const theirs = await shareServerProvidedFiles(under.database.db, { clientId: other.files.client_id, scope: FILES_SCOPE, fileIds: [pdf] });
      expectRefused(await grantAdminTokenResponse(r, [entry(r, theirs, other.files.client_id)]), "invalid_authorization_details", /does not name a Grant of this registration/);
    });

    it("refuses a Grant the Client closed, and one enabling a scope this Grant Admin scope does not administer", async () => {
      const closed = await call(server, "PATCH", `/cds-api/v1/grants/${grantId}`, { token: r.adminToken, body: { status: "closed" } });
      expect(strictly(validateGrant(closed.body, "strict")).status).toBe("closed");
      expectRefused(await grantAdminTokenResponse(r, [entry(r, grantId)]), "invalid_authorization_details", /gives no access \(status closed\)/);

      await under.database.db.insert(grants).values({ id: "admin-grant", clientId: r.files.client_id, status: "active", scope: "cds_client_admin", enabledScope: "cds_client_admin" });
      expectRefused(await grantAdminTokenResponse(r, [entry(r, "admin-grant")]), "invalid_authorization_details", /not administered by cds_grant_admin_1: cds_client_admin/);
    });

    it("refuses Grant Admin entries from a Client Object without the Grant Admin scope", async () => {
      const res = await fetch(`${server.url}/oauth/token`, {
        method: "POST",
        headers: { authorization: basic(r.adminId, r.adminSecret), "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "client_credentials", authorization_details: JSON.stringify([entry(r, grantId)]) }),
      });
      expectRefused({ status: res.status, body: await res.json() }, "invalid_authorization_details", /not allowed for this client/);
    });
  });

  describe("Server-Provided Files API", () => {
    const listing = async (token: string, query = "") => {
      const res = await call(server, "GET", `/cds-api/v1/server-provided-files${query}`, { token });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return strictly(validateServerProvidedFileListing(res.body, "strict"));
    };

    it("lists the Grant's files newest modified first, filters by file_ids, and gets each at its uri", async () => {
      const token = await grantAdminToken(r, grantId);
      const all = await listing(token);
      expect(all.files.map((f) => f.file_id)).toEqual([csv, pdf]);
      expect(all).toMatchObject({ next: null, previous: null });
      const guide = all.files[1]!;
      expect(guide).toMatchObject({ name: "API guide (v1).pdf", mime_type: "application/pdf", size: 5, description: "How to connect", uri: `${server.url}/cds-api/v1/server-provided-files/${pdf}`, download_uri: `${server.url}/cds-api/v1/server-provided-files/${pdf}/download` });
      expect(all.files[0]!.description).toBe("");

      expect((await listing(token, `?file_ids=${pdf}%20unknown`)).files.map((f) => f.file_id)).toEqual([pdf]);
      const one = await call(server, "GET", guide.uri, { token });
      expect(strictly(validateServerProvidedFile(one.body, "strict"))).toEqual(guide);
    });

    it("pages with next and previous links that keep the filter", async () => {
      const token = await grantAdminToken(r, grantId);
      const first = await listing(token, `?page_size=1&file_ids=${pdf}%20${csv}`);
      expect(first.files.map((f) => f.file_id)).toEqual([csv]);
      const second = strictly(validateServerProvidedFileListing((await call(server, "GET", first.next!, { token })).body, "strict"));
      expect(second.files.map((f) => f.file_id)).toEqual([pdf]);
      expect(second.next).toBeNull();
      const back = strictly(validateServerProvidedFileListing((await call(server, "GET", second.previous!, { token })).body, "strict"));
      expect(back.files.map((f) => f.file_id)).toEqual([csv]);
    });

    it("downloads the exact bytes with the stored type, length and a safe attachment name", async () => {
      const token = await grantAdminToken(r, grantId);
      const res = await fetch(`${server.url}/cds-api/v1/server-provided-files/${csv}/download`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(csvBytes);
      expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
      expect(res.headers.get("content-length")).toBe(String(csvBytes.length));
      expect(res.headers.get("content-disposition")).toBe(`attachment; filename="backfill.csv"; filename*=UTF-8''backfill.csv`);
      expect(res.headers.get("cache-control")).toBe("no-store");

      const guide = await fetch(`${server.url}/cds-api/v1/server-provided-files/${pdf}/download`, { headers: { authorization: `Bearer ${token}` } });
      expect(guide.headers.get("content-disposition")).toBe(`attachment; filename="API guide (v1).pdf"; filename*=UTF-8''API%20guide%20%28v1%29.pdf`);
    });

    it("hides files no Grant of the token shares, answering 404 as for unknown files", async () => {
      const other = await addServerProvidedFile(under.database.db, { name: "private.txt", mimeType: "text/plain", content: new Uint8Array([1]) });
      const token = await grantAdminToken(r, grantId);
      expect((await listing(token)).files.map((f) => f.file_id)).not.toContain(other);
      expectProblem(await call(server, "GET", `/cds-api/v1/server-provided-files/${other}`, { token }), 404);
      expectProblem(await call(server, "GET", `/cds-api/v1/server-provided-files/${other}/download`, { token }), 404);
      expectProblem(await call(server, "GET", `/cds-api/v1/server-provided-files/no-such-file`, { token }), 404);
    });

    it("needs a Grant Admin token: 401 without one, 403 with a cds_client_admin token", async () => {
      const none = expectProblem(await call(server, "GET", "/cds-api/v1/server-provided-files"), 401);
      expect(none.status).toBe(401);
      const res = await call(server, "GET", "/cds-api/v1/server-provided-files", { token: r.adminToken });
      expectProblem(res, 403);
      expect(res.headers.get("www-authenticate")).toMatch(/insufficient_scope/);
    });

    it("stops answering a token once its Grant is closed, or no longer shares the file", async () => {
      const token = await grantAdminToken(r, grantId);
      const reduced = await call(server, "PATCH", `/cds-api/v1/grants/${grantId}`, { token: r.adminToken, body: { authorization_details: [{ type: FILES_SCOPE, file_id: csv }] } });
      expect(strictly(validateGrant(reduced.body, "strict")).enabled_authorization_details).toEqual([{ type: FILES_SCOPE, file_id: csv }]);
      expect((await listing(token)).files.map((f) => f.file_id)).toEqual([csv]);
      expectProblem(await call(server, "GET", `/cds-api/v1/server-provided-files/${pdf}`, { token }), 404);

      await call(server, "PATCH", `/cds-api/v1/grants/${grantId}`, { token: r.adminToken, body: { status: "closed" } });
      const res = await call(server, "GET", "/cds-api/v1/server-provided-files", { token });
      expectProblem(res, 401);
      expect(res.headers.get("www-authenticate")).toMatch(/invalid_token/);
    });
  });

  it("walks the demo data: a Credential for demo-grant-admin, a Grant Admin token, the shared guide downloaded", async () => {
    const secret = generateClientSecret();
    await seedDemoData(under.database.db, secret);
    const admin = await adminToken(server, demoClient.clientId, secret);
    const created = await call(server, "POST", "/cds-api/v1/credentials", { token: admin, body: { client_id: demoFiles.grantAdminClientId } });
    const credential = strictly(validateCredential(created.body, "strict"));
    const demo = { grantAdmin: { client_id: demoFiles.grantAdminClientId }, grantAdminSecret: credential.client_secret! } as FilesRegistration;
    const res = await grantAdminTokenResponse(demo, [grantAdminEntry({ files: { client_id: demoFiles.filesClientId } } as FilesRegistration, demoFiles.grantId)]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const token = strictly(validateCustomerDataTokenResponse(res.body, "strict")).access_token;
    const files = strictly(validateServerProvidedFileListing((await call(server, "GET", "/cds-api/v1/server-provided-files", { token })).body, "strict")).files;
    expect(files.map((f) => f.file_id)).toEqual([demoFiles.fileId]);
    const download = await fetch(files[0]!.download_uri, { headers: { authorization: `Bearer ${token}` } });
    expect(download.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    expect(await download.text()).toMatch(/^# Demo Gas & Electric: onboarding guide/);
  });

  it("offers file sharing and authorization requests on server.operator, answering the Grants as the API shows them", async () => {
    const operator = (server as CdsServer).operator;
    const fileId = await operator.addServerProvidedFile({ name: "notes.txt", mimeType: "text/plain", content: new TextEncoder().encode("n") });
    const shared = await operator.shareServerProvidedFiles({ clientId: r.files.client_id, scope: FILES_SCOPE, fileIds: [fileId] });
    expect(strictly(validateGrant(shared, "strict"))).toMatchObject({ status: "active", client_id: r.files.client_id, authorization_details: [{ type: FILES_SCOPE, file_id: fileId }] });
    expect(strictly(validateGrant((await call(server, "GET", shared.uri, { token: r.adminToken })).body, "strict"))).toEqual(shared);
    await expect(operator.shareServerProvidedFiles({ clientId: r.grantAdmin.client_id, scope: FILES_SCOPE, fileIds: [fileId] })).rejects.toThrow(/does not hold the cds_server_provided_files_01 scope/);
    await expect(operator.shareServerProvidedFiles({ clientId: r.files.client_id, scope: FILES_SCOPE, fileIds: ["missing"] })).rejects.toThrow(/no such Server-Provided File: missing/);
  });
});
