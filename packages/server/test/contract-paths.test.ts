/**
 * The reference server serves each operation at the path the contract's
 * OpenAPI document gives it: every URL the metadata advertises (the fields an
 * operation names in `x-cds-url-from`) has that operation's path, and every
 * path and method of the document is routed.
 */
import { openapiDocuments } from "@cds-toolkit/schemas";
import { afterAll, beforeAll, expect, it } from "vitest";
import { seedDemoData } from "../src/demo/seed.ts";
import { generateClientSecret } from "../src/oauth/client-secrets.ts";
import type { CdsServer } from "../src/server.ts";
import { describeEachDatabase } from "./helpers/databases.ts";
import { testServer } from "./helpers/servers.ts";

type Operation = { operationId?: string; "x-cds-url-from"?: string };



const httpMethods = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

/** `METHOD path` of every operation in the Client Registration OpenAPI document. */
const operations: string[] = Object.entries(openapiDocuments["client-registration"].paths).flatMap(([path, item]) =>
  Object.keys(item as Record<string, unknown>)
    .filter((method) => httpMethods.has(method))
    .map((method) => `${method.toUpperCase()} ${path}`),
);

/** `[metadata field, OpenAPI path]` for every operation whose URL the Authorization Server Metadata names. */
const advertised: Array<[field: string, path: string]> = Object.entries(openapiDocuments["client-registration"].paths).flatMap(([path, item]) =>
  Object.values(item as Record<string, Operation>)
    .map((op) => op["x-cds-url-from"])
    .filter((from): from is string => typeof from === "string" && from.startsWith("AuthorizationServerMetadata."))
    .map((from) => [from.slice("AuthorizationServerMetadata.".length), path] as [string, string]),
);

describeEachDatabase("contract paths", (under) => {
  let server: CdsServer;
  let metadata: Record<string, unknown>;

  beforeAll(async () => {
    server = await testServer({ database: under.database });
    await server.listen();
    await seedDemoData(under.database.db, generateClientSecret());
    metadata = (await (await fetch(`${server.url}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
  });
  afterAll(async () => {
    await server.close();
  });

  it("covers the token, introspection, revocation, PAR, registration and CDS API operations", () => {
    expect(advertised.map(([field]) => field)).toEqual(
      expect.arrayContaining(["token_endpoint", "introspection_endpoint", "revocation_endpoint", "registration_endpoint", "cds_clients_api", "cds_grants_api"]),
    );
  });

  it.each(advertised)("advertises %s at the contract's path %s", (field, path) => {
    const value = metadata[field];
    expect(value, `${field} is missing from the metadata`).toBeTypeOf("string");
    expect(new URL(String(value)).pathname).toBe(path);
  });

  it.each(operations)("routes %s", async (operation) => {
    const [method, path] = operation.split(" ") as [string, string];
    const url = path.replace(/\{[^}]+\}/g, "contract-paths-probe");
    const res = await server.app.inject({ method: method as "GET", url });
    // The two "no such route" answers: Fastify's not-found handler and oidc-provider's unknown OAuth path (error-handler.ts, provider.ts).
    const body = (res.headers["content-type"] ?? "").includes("json") ? (res.json() as { detail?: string; error_description?: string }) : {};
    const unrouted = res.statusCode === 404 && (body.detail?.startsWith("No resource at ") || body.error_description === "no such OAuth endpoint");
    expect(unrouted, `${operation} answered ${res.statusCode} ${res.body}`).toBe(false);
  });
});
