/** The discovery chain (CDS-WG1-01 §5.1 → CDS-WG1-02 §3.1–§3.2): the reference server, then each broken link. */
import { describe, expect, it } from "vitest";
import { discover, DiscoveryError, metadataUrlOf } from "../src/index.ts";
import { useFakeServer } from "./helpers/fake-server.ts";
import { freePort } from "./helpers/ports.ts";
import { useReferenceServer } from "./helpers/reference-server.ts";

describe("discovery against the reference server", () => {
  const ref = useReferenceServer();

  it("follows a bare base URL to typed Server and Authorization Server metadata, with coverage", async () => {
    const found = await discover(ref.url, { coverage: true, related: true });
    expect(found.metadataUrl).toBe(`${ref.url}/.well-known/cds-server-metadata.json`);
    expect(found.serverMetadata.capabilities).toContain("oauth");
    expect(found.authorizationServer.issuer).toBe(ref.url);
    expect(found.authorizationServer.token_endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(found.authorizationServer.cds_clients_api).toBe(`${ref.url}/cds-api/v1/clients`);
    // the demo utility has several coverage entries; every page was read
    expect(found.coverage?.length).toBeGreaterThan(1);
    expect(new Set(found.coverage?.map((e) => e.id)).size).toBe(found.coverage?.length);
    expect(found.related).toEqual((found.serverMetadata.related_metadata ?? []).map((url) => expect.objectContaining({ url })));
  });

  it("refuses plain http off loopback unless allowed", async () => {
    const error = await discover("http://utility.example").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscoveryError);
    expect((error as DiscoveryError).url).toBe("http://utility.example/.well-known/cds-server-metadata.json");
    expect((error as DiscoveryError).message).toMatch(/refusing http:/);
  });
});

describe("metadataUrlOf", () => {
  it.each([
    ["utility.example", "https://utility.example/.well-known/cds-server-metadata.json"],
    ["https://utility.example/", "https://utility.example/.well-known/cds-server-metadata.json"],
    ["http://127.0.0.1:8113", "http://127.0.0.1:8113/.well-known/cds-server-metadata.json"],
    ["https://utility.example/cds/metadata.json", "https://utility.example/cds/metadata.json"],
  ])("%s → %s", (given, want) => {
    expect(metadataUrlOf(given).href).toBe(want);
  });
});

describe("each broken link of the chain is a DiscoveryError naming the URL", () => {
  const metadata = (base: string, extra: Record<string, unknown> = {}) => ({
    cds_metadata_version: "v1",
    cds_metadata_url: `${base}/.well-known/cds-server-metadata.json`,
    created: "2024-01-01T00:00:00Z",
    updated: "2024-01-01T00:00:00Z",
    name: "Fake utility",
    description: "A stub",
    website: base,
    documentation: base,
    support: base,
    capabilities: ["oauth"],
    oauth_metadata: `${base}/.well-known/oauth-authorization-server`,
    ...extra,
  });
  const fake = useFakeServer((app, url) => {
    app.get("/html/.well-known/cds-server-metadata.json", async (_req, reply) => reply.type("text/html").send("<html>hello</html>"));
    app.get("/other-json/.well-known/cds-server-metadata.json", async () => ({ hello: "world" }));
    app.get("/no-oauth/.well-known/cds-server-metadata.json", async () => {
      const { oauth_metadata: _o, ...rest } = metadata(`${url()}/no-oauth`, { capabilities: [] });
      return rest;
    });
    app.get("/moved/.well-known/cds-server-metadata.json", async (_req, reply) => reply.redirect("https://elsewhere.example/.well-known/cds-server-metadata.json", 301));
    app.get("/found/.well-known/cds-server-metadata.json", async (_req, reply) => reply.redirect("/other", 302));
    app.get("/missing/.well-known/cds-server-metadata.json", async (_req, reply) => reply.code(404).send({}));
    app.get("/bad-as/.well-known/cds-server-metadata.json", async () => metadata(`${url()}/bad-as`));
    app.get("/bad-as/.well-known/oauth-authorization-server", async () => ({ issuer: `${url()}/bad-as` }));
    app.get("/moved-as/.well-known/cds-server-metadata.json", async () => metadata(`${url()}/moved-as`));
    app.get("/moved-as/.well-known/oauth-authorization-server", async (_req, reply) => reply.redirect("/x", 302));
  });

  it.each([
    ["html", "not_cds_server", /not JSON/],
    ["other-json", "not_cds_server", /not a CDS Server Metadata document.*required/],
    ["no-oauth", "no_oauth_capability", /without the "oauth" capability/],
    ["moved", "moved", /answered 301 \(moved to https:\/\/elsewhere\.example/],
    ["found", "moved", /answered 302/],
    ["missing", "http_status", /answered 404/],
  ])("%s → %s", async (prefix, failure, message) => {
    const target = `${fake.url}/${prefix}/.well-known/cds-server-metadata.json`;
    const error = await discover(target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscoveryError);
    expect((error as DiscoveryError).failure).toBe(failure);
    expect((error as DiscoveryError).url).toBe(target);
    expect((error as DiscoveryError).message).toContain(target);
    expect((error as DiscoveryError).message).toMatch(message);
  });

  it("an RFC 8414 document without the CDS fields → invalid_oauth_metadata, with pointers", async () => {
    const error = (await discover(`${fake.url}/bad-as/.well-known/cds-server-metadata.json`).catch((e: unknown) => e)) as DiscoveryError;
    expect(error.failure).toBe("invalid_oauth_metadata");
    expect(error.url).toBe(`${fake.url}/bad-as/.well-known/oauth-authorization-server`);
    expect(error.details.errors?.map((e) => e.pointer)).toContain("/token_endpoint");
  });

  it("a redirected RFC 8414 document → moved, naming that URL", async () => {
    const error = (await discover(`${fake.url}/moved-as/.well-known/cds-server-metadata.json`).catch((e: unknown) => e)) as DiscoveryError;
    expect(error.failure).toBe("moved");
    expect(error.url).toBe(`${fake.url}/moved-as/.well-known/oauth-authorization-server`);
  });

  it("nothing listening → unreachable", async () => {
    const closed = await freePort();
    const error = (await discover(`http://127.0.0.1:${closed}`).catch((e: unknown) => e)) as DiscoveryError;
    expect(error.failure).toBe("unreachable");
    expect(error.message.startsWith(`http://127.0.0.1:${closed}/.well-known/cds-server-metadata.json: unreachable (`)).toBe(true);
    expect(error.message).not.toContain("bad port");
  });
});
