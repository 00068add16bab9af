/**
 * Pins the oidc-provider behaviour that src/oauth/provider-internals.ts relies
 * on, so an upgrade that changes it fails here first.
 */
import { generateKeyPairSync } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import Provider, { type Adapter, type Configuration, type JWK } from "oidc-provider";
import { describe, expect, it } from "vitest";
import { installClientSecretVerifier, SUPPORTED_OIDC_PROVIDER_VERSION } from "../src/oauth/provider-internals.ts";

const require = createRequire(import.meta.url);

describe("oidc-provider internals", () => {
  it("is the exact oidc-provider version the hooks were written for, pinned in package.json", async () => {
    const entry = require.resolve("oidc-provider");
    const pkg = JSON.parse(await readFile(path.join(entry.slice(0, entry.lastIndexOf("/lib/")), "package.json"), "utf8")) as { version: string };
    expect(pkg.version).toBe(SUPPORTED_OIDC_PROVIDER_VERSION);
    const ours = JSON.parse(await readFile(path.join(import.meta.dirname, "../package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(ours.dependencies["oidc-provider"]).toBe(SUPPORTED_OIDC_PROVIDER_VERSION);
  });

  it("still awaits Client.prototype.compareClientSecret from its client authentication", async () => {
    const source = await readFile(path.join(path.dirname(require.resolve("oidc-provider")), "shared/client_auth.js"), "utf8");
    expect(source).toContain("await ctx.oidc.client.compareClientSecret(clientSecret)");
  });

  it("routes secret checks to the verifier, per provider, with the client id and the presented secret", async () => {
    // No storage is touched here; a stub adapter keeps oidc-provider from warning about its in-memory one.
    const key = { ...generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" }), alg: "RS256", use: "sig" } as JWK;
    const config: Configuration = {
      adapter: () => ({}) as Adapter,
      jwks: { keys: [key] },
      features: { clientCredentials: { enabled: true }, devInteractions: { enabled: false } },
    };
    const provider = new Provider("http://127.0.0.1:1", config);
    const untouched = new Provider("http://127.0.0.1:2", config);
    const calls: [string, string][] = [];
    installClientSecretVerifier(provider, async (clientId, presented) => {
      calls.push([clientId, presented]);
      return presented === "right";
    });
    // The Client constructor takes metadata at run time; @types/oidc-provider declares it without.
    type ClientCtor = new (metadata: Record<string, unknown>) => { compareClientSecret(s: string): Promise<boolean> };
    const client = new (provider.Client as unknown as ClientCtor)({ client_id: "c1", client_secret: "placeholder", redirect_uris: [], grant_types: ["client_credentials"], response_types: [] });
    const compare = client.compareClientSecret.bind(client);
    expect(await compare("right")).toBe(true);
    expect(await compare("placeholder")).toBe(false);
    expect(calls).toEqual([
      ["c1", "right"],
      ["c1", "placeholder"],
    ]);
    const other = new (untouched.Client as unknown as ClientCtor)({ client_id: "c2", client_secret: "s", redirect_uris: [], grant_types: ["client_credentials"], response_types: [] });
    expect(await other.compareClientSecret("s")).toBe(true);
  });

  it("fails loudly when the hook is gone", () => {
    const fake = { Client: { prototype: {} } } as unknown as Provider;
    expect(() => installClientSecretVerifier(fake, async () => true)).toThrow(/compareClientSecret/);
  });
});

describe("the authenticating Credential's request context", () => {
  it("keeps each request's Credential apart, across awaits, and is empty outside a request", async () => {
    const { authenticatingCredential, recordAuthenticatingCredential, withCredentialContext } = await import("../src/oauth/credential-context.ts");
    const request = (id: string, delay: number) =>
      withCredentialContext(async () => {
        recordAuthenticatingCredential(id);
        await new Promise((resolve) => setTimeout(resolve, delay));
        return authenticatingCredential();
      });
    expect(await Promise.all([request("first", 20), request("second", 5)])).toEqual(["first", "second"]);
    recordAuthenticatingCredential("outside");
    expect(authenticatingCredential()).toBeNull();
  });
});
