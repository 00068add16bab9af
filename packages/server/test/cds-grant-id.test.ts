/**
 * `cds_grant_id` (CDS-WG1-02 §8.3) at PAR and at the authorization endpoint.
 * No Grant exists until the CDS Grants API arrives (cds-grant-id.ts), so
 * every non-empty value names an unknown Grant.
 */
import type * as oauth from "openid-client";
import { beforeEach, expect, it } from "vitest";
import { demoApp } from "../src/demo/demo-app.ts";
import { seedDemoData } from "../src/demo/seed.ts";
import { generateClientSecret } from "../src/oauth/client-secrets.ts";
import type { CdsServer } from "../src/server.ts";
import { discoverApp, openLogin, pushAuthorization } from "./helpers/authorization-code.ts";
import { Browser } from "./helpers/browser.ts";
import { describeEachDatabase } from "./helpers/databases.ts";
import { useListeningServer } from "./helpers/servers.ts";

describeEachDatabase("cds_grant_id", (under) => {
  let server: CdsServer;
  let config: oauth.Configuration;

  useListeningServer(under, (started) => (server = started));
  beforeEach(async () => {
    const secret = generateClientSecret();
    await seedDemoData(under.database.db, secret);
    config = await discoverApp(server.url, secret);
  });

  const authorize = (query: string) =>
    new Browser(server.url).get(
      `${server.url}/oauth/authorize?client_id=${demoApp.clientId}&response_type=code&scope=${demoApp.scope}&state=s-1&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&${query}`,
    );
  const redirect = `redirect_uri=${encodeURIComponent(demoApp.redirectUri)}`;

  it("redirects an unknown Grant back with error=cds_grant_id_invalid_value (and iss, state)", async () => {
    const res = await authorize(`${redirect}&cds_grant_id=c644a5da13f379db`);
    const location = new URL(res.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe(demoApp.redirectUri);
    expect(location.searchParams.get("error")).toBe("cds_grant_id_invalid_value");
    expect(location.searchParams.get("state")).toBe("s-1");
    expect(location.searchParams.get("iss")).toBe(server.url);
  });

  it("carries cds_grant_id through PAR: rejected at the PAR endpoint", async () => {
    await expect(pushAuthorization(config, { cds_grant_id: "c644a5da13f379db" })).rejects.toMatchObject({ error: "cds_grant_id_invalid_value" });
  });

  it("ignores an empty cds_grant_id, as if absent", async () => {
    const { url } = await pushAuthorization(config, { cds_grant_id: "" });
    await openLogin(new Browser(server.url), url);
    const res = await authorize(`${redirect}&cds_grant_id=`);
    expect(res.headers.get("location")).toMatch(/^\/oauth\/interaction\//);
  });

  it("drops empty copies before counting: one empty and one non-empty value is that one value", async () => {
    const res = await authorize(`${redirect}&cds_grant_id=&cds_grant_id=c644a5da13f379db&cds_grant_id=`);
    expect(new URL(res.headers.get("location")!).searchParams.get("error")).toBe("cds_grant_id_invalid_value");
  });

  it("rejects more than one non-empty cds_grant_id", async () => {
    const res = await authorize(`${redirect}&cds_grant_id=a1&cds_grant_id=b2`);
    const location = new URL(res.headers.get("location")!);
    expect(location.searchParams.get("error")).toBe("invalid_request");
    expect(location.searchParams.get("error_description")).toContain("cds_grant_id");
  });

  it("checks the other parameters first: a bad redirect_uri is an error page, not a redirect", async () => {
    const res = await authorize(`redirect_uri=${encodeURIComponent("https://attacker.example/cb")}&cds_grant_id=c644a5da13f379db`);
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
  });
});
