/**
 * Customers in the database: added through `server.operator`, signing in and
 * approving on the real login and consent pages, input rules, and passwords
 * that never appear anywhere but as salted scrypt hashes.
 */
import * as oauth from "openid-client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CustomerInputError, type NewCustomer } from "../src/customers/index.ts";
import { verifyPassword } from "../src/customers/password.ts";
import { customers } from "../src/db/schema.ts";
import { seedDemoData } from "../src/demo/seed.ts";
import { generateClientSecret } from "../src/oauth/client-secrets.ts";
import type { CdsServer } from "../src/server.ts";
import { approve, discoverApp, openLogin, pushAuthorization, signIn } from "./helpers/authorization-code.ts";
import { Browser } from "./helpers/browser.ts";
import { describeEachDatabase } from "./helpers/databases.ts";
import { LogCapture, testServer } from "./helpers/servers.ts";

const jo = { username: "jo.customer", displayName: "Jo Customer", password: "correct horse battery" } satisfies NewCustomer;

describe("verifyPassword", () => {
  it("never matches a stored value that is not a scrypt string of ours", async () => {
    for (const stored of ["", "correct horse battery", "$scrypt$ln=40,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"]) {
      expect(await verifyPassword("correct horse battery", stored)).toBe(false);
    }
  });
});

describeEachDatabase("customers", (under) => {
  let server: CdsServer;
  const logs = new LogCapture();
  let config: oauth.Configuration;

  beforeAll(async () => {
    // trace: the most the server ever logs, so nothing secret can hide below the level.
    server = await testServer({ database: under.database, logs, settings: { logLevel: "trace" } });
    await server.listen();
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(async () => {
    const secret = generateClientSecret();
    await seedDemoData(under.database.db, secret);
    config = await discoverApp(server.url, secret);
    logs.lines.length = 0;
  });

  const storedHash = async (accountId: string) => {
    const rows = await under.database.db.select().from(customers);
    return rows.find((row) => row.accountId === accountId)!.passwordHash;
  };

  it("a customer the operator adds signs in and approves, and tokens name their account", async () => {
    const added = await server.operator.addCustomer({ ...jo, accountId: "acct-jo-1" });
    expect(Object.keys(added).sort()).toEqual(["accountId", "created", "displayName", "modified", "username"]);
    expect(added).toMatchObject({ accountId: "acct-jo-1", username: jo.username, displayName: jo.displayName });

    const started = await pushAuthorization(config);
    const browser = new Browser(server.url);
    const consent = await signIn(browser, await openLogin(browser, started.url), jo);
    expect(consent).toContain("Jo Customer");
    const callback = await approve(browser, consent);
    const tokens = await oauth.authorizationCodeGrant(config, callback, { pkceCodeVerifier: started.verifier, expectedState: started.state });
    expect((await oauth.tokenIntrospection(config, tokens.access_token)).sub).toBe("acct-jo-1");
  });

  it("makes up an account id when none is given", async () => {
    const added = await server.operator.addCustomer(jo);
    expect(added.accountId).toMatch(/^customer-[0-9a-f-]{36}$/);
  });

  it("refuses a wrong password with the same message as an unknown user", async () => {
    await server.operator.addCustomer(jo);
    const browser = new Browser(server.url);
    const login = await openLogin(browser, (await pushAuthorization(config)).url);
    const res = await browser.submit(login, "/login", { username: jo.username, password: "correct horse battery!" });
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('name="password"');
    expect(page).toContain("The username or password is incorrect.");
  });

  it.each([
    ["a username too short", { username: "jo" }, "username", "3 to 64 characters"],
    ["a username too long", { username: "j".repeat(65) }, "username", "3 to 64 characters"],
    ["a username in capitals", { username: "Jo.Customer" }, "username", "a-z, 0-9"],
    ["a username with a space", { username: "jo customer" }, "username", "a-z, 0-9"],
    ["a password of 11 characters", { password: "a".repeat(11) }, "password", "at least 12 characters"],
    ["an empty display name", { displayName: "  " }, "displayName", "1 to 200 characters"],
  ])("refuses %s, naming the field and the rule", async (_name, change, field, rule) => {
    const error = await server.operator.addCustomer({ ...jo, ...change }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CustomerInputError);
    expect(error).toMatchObject({ field, message: expect.stringContaining(`${field}: `) });
    expect((error as Error).message).toContain(rule);
    expect(await under.database.db.select().from(customers)).toHaveLength(2);
  });

  it("accepts the shortest and longest usernames and a 12-character password", async () => {
    await server.operator.addCustomer({ ...jo, username: "a.b", password: "twelve-chars" });
    await server.operator.addCustomer({ ...jo, username: "x".repeat(64), password: "twelve-chars" });
  });

  it("refuses a username or an account id already taken, naming it", async () => {
    await expect(server.operator.addCustomer({ ...jo, username: "alex.demo" })).rejects.toMatchObject({ field: "username", message: expect.stringContaining('"alex.demo" is taken') });
    await expect(server.operator.addCustomer({ ...jo, accountId: "dge-customer-1001" })).rejects.toMatchObject({ field: "accountId", message: expect.stringContaining('"dge-customer-1001" is taken') });
  });

  it("stores only salted scrypt hashes: never the password, different for equal passwords", async () => {
    const first = await server.operator.addCustomer({ ...jo, accountId: "acct-a" });
    const second = await server.operator.addCustomer({ ...jo, accountId: "acct-b", username: "jo.twin" });
    const [hashA, hashB] = [await storedHash(first.accountId), await storedHash(second.accountId)];
    expect(hashA).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(hashA).not.toContain(jo.password);
    expect(hashA).not.toBe(hashB);
    expect(await verifyPassword(jo.password, hashA)).toBe(true);
    expect(await verifyPassword(jo.password, hashB)).toBe(true);
  });

  it("keeps passwords and hashes out of every log line", async () => {
    const added = await server.operator.addCustomer(jo);
    const browser = new Browser(server.url);
    const login = await openLogin(browser, (await pushAuthorization(config)).url);
    await browser.submit(login, "/login", { username: jo.username, password: "not-the-password-42" });
    await signIn(browser, login, jo);
    const hash = await storedHash(added.accountId);
    expect(logs.lines.length).toBeGreaterThan(5);
    for (const secret of [jo.password, "not-the-password-42", hash, ...hash.split("$").slice(3)]) {
      expect(logs.text).not.toContain(secret);
    }
  });
});
