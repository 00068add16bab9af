/** Listings across pages: `next` followed exactly as given, lazily (an early stop stops the fetching), loops refused. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CdsApi, discover, pages, PagingLoopError, serializeQuery, type AccessTokenSource } from "../src/index.ts";
import { useFakeServer } from "./helpers/fake-server.ts";

const staticToken: AccessTokenSource = { accessToken: async () => "t", refresh: async () => "t" };

describe("paging over the reference server's coverage listing and a many-page stub", () => {
  const requested: string[] = [];
  const PAGES = 25;
  const fake = useFakeServer((app, url) => {
    app.addHook("onRequest", async (request) => {
      requested.push(request.url);
    });
    app.get("/.well-known/cds-server-metadata.json", async () => ({
      cds_metadata_version: "v1",
      cds_metadata_url: `${url()}/.well-known/cds-server-metadata.json`,
      created: "2024-01-01T00:00:00Z",
      updated: "2024-01-01T00:00:00Z",
      name: "Paging stub",
      description: "Many pages",
      website: url(),
      documentation: url(),
      support: url(),
      capabilities: ["oauth"],
      oauth_metadata: `${url()}/oauth-metadata`,
    }));
    app.get("/oauth-metadata", async () => ({
      issuer: url(),
      token_endpoint: `${url()}/token`,
      scopes_supported: [],
      response_types_supported: [],
      grant_types_supported: ["client_credentials"],
      token_endpoint_auth_methods_supported: ["client_secret_basic"],
      service_documentation: url(),
      op_policy_uri: url(),
      op_tos_uri: url(),
      revocation_endpoint: `${url()}/revoke`,
      introspection_endpoint: `${url()}/introspect`,
      code_challenge_methods_supported: ["S256"],
      authorization_details_types_supported: [],
      cds_oauth_version: "v1",
      cds_human_registration: url(),
      cds_timezone: "UTC",
      cds_clients_api: `${url()}/cds-api/v1/clients`,
      cds_messages_api: `${url()}/cds-api/v1/messages`,
      cds_credentials_api: `${url()}/cds-api/v1/credentials`,
      // mounted elsewhere than the contract's path: the client must use the advertised URL
      cds_grants_api: `${url()}/mounted/elsewhere/grants`,
      cds_scope_descriptions: {},
      cds_registration_fields: {},
      registration_endpoint: `${url()}/register`,
    }));
    // Pages chained by opaque cursors, with a percent-encoded path segment: the client must not rebuild them.
    app.get("/mounted/elsewhere/grants", async () => ({ grants: [], next: `${url()}/pages/p%2F1?cursor=a%20b&n=1`, previous: null }));
    app.get("/pages/*", async (request) => {
      const n = Number((request.query as Record<string, string>).n);
      if (n === 99) return { grants: [], next: `${url()}/pages/loop?n=99`, previous: null };
      return { grants: [], next: n < PAGES ? `${url()}/pages/p%2F${n + 1}?cursor=a%20b&n=${n + 1}` : null, previous: null };
    });
    app.get("/loop", async () => ({ grants: [], next: `${url()}/pages/loop?n=99`, previous: null }));
  });

  it("reads every page, requesting each next URL byte for byte as given", async () => {
    const api = new CdsApi(await discover(fake.url), { tokens: staticToken });
    requested.length = 0;
    const read = [];
    for await (const page of api.grants.listing.pages()) read.push(page);
    expect(read).toHaveLength(PAGES + 1);
    expect(requested[0]).toBe("/mounted/elsewhere/grants");
    expect(requested.slice(1)).toEqual(Array.from({ length: PAGES }, (_, i) => `/pages/p%2F${i + 1}?cursor=a%20b&n=${i + 1}`));
  });

  it("a consumer that stops early stops the fetching", async () => {
    const api = new CdsApi(await discover(fake.url), { tokens: staticToken });
    requested.length = 0;
    let read = 0;
    for await (const _page of api.grants.listing.pages()) {
      if (++read === 3) break;
    }
    expect(requested).toHaveLength(3);
  });

  it("a next link back to a page already read is a PagingLoopError", async () => {
    const api = new CdsApi(await discover(fake.url), { tokens: staticToken });
    const loop = pages({ first: `${fake.url}/loop`, fetch: api.fetch, read: (body) => body as { items: never[]; next: string | null } });
    const error = await (async () => {
      for await (const _ of loop) void _;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PagingLoopError);
    expect((error as PagingLoopError).url).toBe(`${fake.url}/pages/loop?n=99`);
  });
});

describe("serializeQuery", () => {
  it("joins arrays with single spaces and percent-encodes them as %20, for any ids", () => {
    const id = fc.stringMatching(/^[A-Za-z0-9_.~-]{1,12}$/);
    fc.assert(
      fc.property(fc.array(id, { minLength: 1, maxLength: 6 }), (ids) => {
        const query = serializeQuery({ ids });
        expect(query).toBe(`ids=${ids.join("%20")}`);
        expect(new URLSearchParams(query).get("ids")!.split(" ")).toEqual(ids);
      }),
    );
  });

  it("treats a space-separated string (the contract's current type) and an array alike", () => {
    expect(serializeQuery({ ids: "a b" })).toBe(serializeQuery({ ids: ["a", "b"] }));
  });

  it("drops undefined, null and empty arrays; writes Dates as RFC 3339 UTC", () => {
    expect(serializeQuery({ a: undefined, b: null, c: [], after: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)) })).toBe("after=2024-01-02T03%3A04%3A05Z");
  });
});
