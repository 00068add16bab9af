/**
 * The specs send list filters as one query parameter whose values are
 * separated by spaces (e.g. CDS-WG1-02 §7.2 `client_ids`, shown in the
 * CDS-WG3-01 §13.1.6 example). The contract types them as arrays with
 * `style: spaceDelimited, explode: false`, so a typed client passes
 * `string[]`; this test checks that an openapi-fetch call configured with that
 * style puts on the wire exactly the query string the spec's example shows.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import createClient from "openapi-fetch";
import { describe, expect, it } from "vitest";
import type { ClientRegistrationApi, CustomerDataApi } from "@cds-toolkit/types";

const examples = path.resolve(import.meta.dirname, "../../../spec/examples");
const openapi = path.resolve(import.meta.dirname, "../../../generated/openapi");

/** A fetch that answers 200 `{}` and records the URL it was asked for. */
function recordingFetch(seen: URL[]) {
  return async (input: Request | string | URL) => {
    seen.push(new URL(input instanceof Request ? input.url : String(input)));
    return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
  };
}

describe("space-separated list parameters", () => {
  it("a generated-client call with an array filter sends the spec example's query string", async () => {
    const example = JSON.parse(await readFile(path.join(examples, "wg3-01/13.1.6-1.json"), "utf8")) as { messages: Array<{ target?: string }> };
    const target = new URL(example.messages[0]!.target!, "https://example.com");
    const wanted = target.searchParams.get("client_ids")!.split(" ");
    expect(wanted.length).toBeGreaterThan(1);

    const seen: URL[] = [];
    const client = createClient<CustomerDataApi.paths>({
      baseUrl: "https://example.com",
      fetch: recordingFetch(seen),
      querySerializer: { array: { style: "spaceDelimited", explode: false } },
    });
    // Typed: `client_ids` is `string[]` (a string would not compile).
    const clientIds: string[] = wanted;
    await client.GET("/cds-api/v1/credentials", { params: { query: { client_ids: clientIds } } });

    expect(seen).toHaveLength(1);
    expect(seen[0]!.pathname).toBe(target.pathname);
    expect(seen[0]!.search).toBe(target.search);
  });

  it("every space-separated parameter of every document is a spaceDelimited, non-exploded array", async () => {
    const found: string[] = [];
    for (const file of ["CDS.ServerMetadata.openapi.json", "CDS.ClientRegistration.openapi.json", "CDS.CustomerData.openapi.json"]) {
      const document = JSON.parse(await readFile(path.join(openapi, file), "utf8")) as { paths: Record<string, Record<string, { parameters?: any[] }>> };
      for (const [route, operations] of Object.entries(document.paths)) {
        for (const operation of Object.values(operations)) {
          for (const parameter of operation.parameters ?? []) {
            if (parameter.in !== "query" || !/space-separated/i.test(parameter.description ?? "")) continue;
            found.push(`${route} ${parameter.name}`);
            expect({ name: parameter.name, type: parameter.schema?.type, style: parameter.style, explode: parameter.explode }).toEqual({
              name: parameter.name,
              type: "array",
              style: "spaceDelimited",
              explode: false,
            });
          }
        }
      }
    }
    expect(found.length).toBeGreaterThan(40);
  });

  it("types array filters as string[] in each document's paths", () => {
    type GrantFilters = NonNullable<ClientRegistrationApi.paths["/cds-api/v1/grants"]["get"]["parameters"]["query"]>;
    const filters: GrantFilters = { grant_ids: ["a", "b"], statuses: ["active"] };
    expect(filters.grant_ids).toEqual(["a", "b"]);
  });
});
