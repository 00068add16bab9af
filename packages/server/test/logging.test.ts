/** Logs never hold a secret or a token, whatever the request carried. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { demoClient } from "../src/demo/demo-utility.ts";
import { seedDemoData } from "../src/demo/seed.ts";
import { redactUrl } from "../src/http/logging.ts";
import { generateClientSecret } from "../src/oauth/client-secrets.ts";
import type { CdsServer } from "../src/server.ts";
import { describeEachDatabase } from "./helpers/databases.ts";
import { LogCapture, testServer } from "./helpers/servers.ts";

describe("redactUrl", () => {
  it.each([
    ["/cds-coverage.json?ids=a", "/cds-coverage.json?ids=a"],
    ["/x?access_token=abc&ids=a", "/x?access_token=[Redacted]&ids=a"],
    ["/cb?code=abc&state=s", "/cb?code=[Redacted]&state=s"],
    ["/x?client_secret=s&refresh_token=r&TOKEN=t", "/x?client_secret=[Redacted]&refresh_token=[Redacted]&TOKEN=[Redacted]"],
    ["/x?client%5Fsecret=s", "/x?client%5Fsecret=[Redacted]"],
    ["/x?code", "/x?code"],
  ])("%s → %s", (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});

describeEachDatabase("log redaction", (under) => {
  let server: CdsServer;
  const logs = new LogCapture();
  let secret: string;

  beforeAll(async () => {
    server = await testServer({ database: under.database, logs, settings: { logLevel: "trace" } });
    await server.listen();
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(async () => {
    secret = generateClientSecret();
    await seedDemoData(under.database.db, secret);
    logs.lines.length = 0;
  });

  const form = (auth: string) => ({ authorization: `Basic ${Buffer.from(auth).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" });

  it("keeps client secrets, access tokens and credentials out of every log line", async () => {
    const wrongSecret = `wrong-${generateClientSecret()}`;
    const tokenResponse = await fetch(`${server.url}/oauth/token`, { method: "POST", headers: form(`${demoClient.clientId}:${secret}`), body: "grant_type=client_credentials" });
    const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
    expect(token).toBeTruthy();

    await fetch(`${server.url}/oauth/token/info`, { method: "POST", headers: form(`${demoClient.clientId}:${secret}`), body: `token=${token}` });
    await fetch(`${server.url}/oauth/token`, { method: "POST", headers: form(`${demoClient.clientId}:${wrongSecret}`), body: `grant_type=client_credentials&client_secret=${wrongSecret}` });
    await fetch(`${server.url}/.well-known/cds-server-metadata.json`, { headers: { authorization: `Bearer ${token}`, cookie: `session=${token}` } });
    await fetch(`${server.url}/cds-coverage.json?access_token=${token}&code=${secret}&cursor=bad`);
    await fetch(`${server.url}/oauth/token/revoke`, { method: "POST", headers: form(`${demoClient.clientId}:${secret}`), body: `token=${token}` });

    const text = logs.text;
    expect(logs.lines.length).toBeGreaterThan(10);
    expect(text).toContain('"url":"/oauth/token"');
    expect(text).toContain("access_token=[Redacted]");
    for (const value of [secret, wrongSecret, token, Buffer.from(`${demoClient.clientId}:${secret}`).toString("base64")]) {
      expect(text).not.toContain(value);
    }
  });

  it("keeps secrets out of the logs through registration, credential creation and the CDS APIs", async () => {
    const registration = await fetch(`${server.url}/oauth/register`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ scope: "cds_client_admin" }) });
    const { client_id: clientId, client_secret: adminSecret } = (await registration.json()) as { client_id: string; client_secret: string };
    const tokenResponse = await fetch(`${server.url}/oauth/token`, { method: "POST", headers: form(`${clientId}:${adminSecret}`), body: "grant_type=client_credentials&scope=cds_client_admin" });
    const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
    const bearer = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const created = await fetch(`${server.url}/cds-api/v1/credentials`, { method: "POST", headers: bearer, body: JSON.stringify({ client_id: clientId }) });
    const { client_secret: newSecret, uri } = (await created.json()) as { client_secret: string; uri: string };
    await fetch(`${server.url}/cds-api/v1/clients`, { headers: bearer });
    // The Client-specific RFC 8414 document makes a request of its own inside the server (routes/client-metadata.ts).
    const clientMetadata = (await (await fetch(`${server.url}/cds-api/v1/clients/${clientId}/cds-server-metadata`, { headers: bearer })).json()) as { oauth_metadata: string };
    expect((await fetch(clientMetadata.oauth_metadata, { headers: bearer })).status).toBe(200);
    // A refused body that carries a secret-looking value: the 400 names the field, never the value.
    await fetch(`${server.url}/cds-api/v1/credentials`, { method: "POST", headers: bearer, body: JSON.stringify({ client_id: clientId, client_secret: newSecret }) });
    await fetch(uri, { method: "PATCH", headers: bearer, body: JSON.stringify({ client_secret_expires_at: Math.floor(Date.now() / 1000) }) });

    expect(adminSecret && newSecret && token).toBeTruthy();
    expect(logs.text).toContain('"url":"/oauth/register"');
    for (const value of [adminSecret, newSecret, token]) {
      expect(logs.text).not.toContain(value);
    }
  });

  it("redacts sensitive fields wherever code logs them", () => {
    server.app.log.info({ headers: { authorization: "Bearer s3cret-token" }, body: { client_secret: "s3cret-client", nested: { refresh_token: "s3cret-refresh" } } }, "oops");
    const line = logs.lines.at(-1)!;
    expect(line).not.toContain("s3cret");
    expect(line).toContain("[Redacted]");
  });
});
