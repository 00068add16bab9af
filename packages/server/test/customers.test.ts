/**
 * Customers in the database: added through `server.operator`, signing in and
 * approving on the real login and consent pages, input rules, passwords
 * that never appear anywhere but as salted argon2id hashes, and scrypt hashes
 * from before argon2id that still sign in and are upgraded when they do.
 */
import { eq } from "drizzle-orm";
import fc from "fast-check";
import * as oauth from "openid-client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CustomerInputError, type NewCustomer } from "../src/customers/index.ts";
import { hashPassword, needsRehash, verifyPassword } from "../src/customers/password.ts";
import { customers } from "../src/db/schema.ts";
import { seedDemoData } from "../src/demo/seed.ts";
import { generateClientSecret } from "../src/oauth/client-secrets.ts";
import type { CdsServer } from "../src/server.ts";
import { approve, discoverApp, openLogin, pushAuthorization, signIn } from "./helpers/authorization-code.ts";
import { Browser } from "./helpers/browser.ts";
import { describeEachDatabase } from "./helpers/databases.ts";
import { LogCapture, testServer } from "./helpers/servers.ts";

const jo = { username: "jo.customer", displayName: "Jo Customer", password: "correct horse battery" } satisfies NewCustomer;

/** alex.demo's hash as the demo seeded it before argon2id (scrypt, N = 2^17, r = 8, p = 1); its password is sandbox-alex-2024. */
const legacyAlexHash = "$scrypt$ln=17,r=8,p=1$RlcI5+y8VOAb6Ef1byQM+A$MiUDYS3QIba5RJnCAtQkJpcpFPE3R7FpcQFtkhsdSzA";
const alex = { username: "alex.demo", password: "sandbox-alex-2024" };

describe("verifyPassword", () => {
  it("never matches a stored value that is not a hash of ours, or one whose cost is out of bounds", async () => {
    const salt = "AAAAAAAAAAAAAAAAAAAAAA";
    const key = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    for (const stored of [
      "",
      "correct horse battery",
      `$scrypt$ln=40,r=8,p=1$${salt}$${key}`,
      `$argon2id$v=19$m=4194304,t=2,p=1$${salt}$${key}`,
      `$argon2id$v=19$m=19456,t=99,p=1$${salt}$${key}`,
      `$argon2i$v=19$m=19456,t=2,p=1$${salt}$${key}`,
      `$argon2id$v=19$m=19456,t=2,p=1$${salt}$${key}`,
    ]) {
      expect(await verifyPassword("correct horse battery", stored)).toBe(false);
    }
  });

  it("still verifies a scrypt hash from before argon2id, and asks for it to be rehashed", async () => {
    expect(await verifyPassword(alex.password, legacyAlexHash)).toBe(true);
    expect(await verifyPassword("sandbox-alex-2025", legacyAlexHash)).toBe(false);
    expect(needsRehash(legacyAlexHash)).toBe(true);
  });

  it("makes argon2id hashes at OWASP's cost that verify only their own password (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ minLength: 1, maxLength: 40 }), async (password, other) => {
        fc.pre(password.normalize("NFKC") !== other.normalize("NFKC"));
        const stored = await hashPassword(password);
        expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
        expect(needsRehash(stored)).toBe(false);
        expect(await verifyPassword(password, stored)).toBe(true);
        expect(await verifyPassword(other, stored)).toBe(false);
      }),
      { numRuns: 15 },
    );
  });

  it("hashes the NFKC form, so the same password typed differently matches", async () => {
    // "ﬁ" (U+FB01, one ligature) is "fi" under NFKC.
    expect(await verifyPassword("ﬁle-cabinet-42", await hashPassword("file-cabinet-42"))).toBe(true);
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

  it("stores only salted argon2id hashes: never the password, different for equal passwords", async () => {
    const first = await server.operator.addCustomer({ ...jo, accountId: "acct-a" });
    const second = await server.operator.addCustomer({ ...jo, accountId: "acct-b", username: "jo.twin" });
    const [hashA, hashB] = [await storedHash(first.accountId), await storedHash(second.accountId)];
    expect(hashA).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(hashA).not.toContain(jo.password);
    expect(hashA).not.toBe(hashB);
    expect(await verifyPassword(jo.password, hashA)).toBe(true);
    expect(await verifyPassword(jo.password, hashB)).toBe(true);
  });

  it("the demo customers are seeded with argon2id hashes of their published passwords", async () => {
    for (const [accountId, password] of [["dge-customer-1001", "sandbox-alex-2024"], ["dge-customer-1002", "sandbox-sam-2024"]] as const) {
      const stored = await storedHash(accountId);
      expect(needsRehash(stored)).toBe(false);
      expect(await verifyPassword(password, stored)).toBe(true);
    }
  });

  it("a customer whose hash is an old scrypt one signs in, and it is then stored as argon2id; a wrong password changes nothing", async () => {
    await under.database.db.update(customers).set({ passwordHash: legacyAlexHash }).where(eq(customers.accountId, "dge-customer-1001"));
    const browser = new Browser(server.url);
    const login = await openLogin(browser, (await pushAuthorization(config)).url);

    const wrong = await browser.submit(login, "/login", { username: alex.username, password: "sandbox-alex-2025" });
    expect(await wrong.text()).toContain("The username or password is incorrect.");
    expect(await storedHash("dge-customer-1001")).toBe(legacyAlexHash);

    expect(await signIn(browser, login, alex)).toContain("/confirm");
    const upgraded = await storedHash("dge-customer-1001");
    expect(upgraded).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(alex.password, upgraded)).toBe(true);
    expect(await verifyPassword("sandbox-alex-2025", upgraded)).toBe(false);

    // And the upgraded hash signs in again, without another rewrite.
    const again = new Browser(server.url);
    await signIn(again, await openLogin(again, (await pushAuthorization(config)).url), alex);
    expect(await storedHash("dge-customer-1001")).toBe(upgraded);
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
