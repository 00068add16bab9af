/**
 * One CDS API as the client reaches it: an openapi-fetch client typed by the
 * generated OpenAPI paths, at the URL the Server's metadata advertises (a
 * Server may mount an API anywhere, CDS-WG1-02 §3.2), sharing the fetch stack.
 */
import createClient, { type Client } from "openapi-fetch";
import type { Mode } from "@cds-toolkit/validators";
import type { Fetch } from "../http/fetch.js";
import { serializeQuery } from "../http/query.js";

export interface Endpoint<Paths extends {}> {
  client: Client<Paths>;
  fetch: Fetch;
  mode: Mode;
}

/**
 * `advertised` is the API's URL from the metadata (such as `cds_grants_api`);
 * `standardPath` the path the contract gives it. When the advertised URL ends
 * with that path, the rest is the base URL; otherwise requests are rewritten
 * from the contract's path to the advertised URL.
 */
export function endpoint<Paths extends {}>(advertised: string, standardPath: string, fetch: Fetch, mode: Mode): Endpoint<Paths> {
  const url = new URL(advertised);
  const trimmed = url.href.replace(/\/$/, "");
  let baseUrl: string;
  let layer: Fetch = fetch;
  if (trimmed.endsWith(standardPath)) {
    baseUrl = trimmed.slice(0, trimmed.length - standardPath.length);
  } else {
    baseUrl = url.origin;
    const from = `${url.origin}${standardPath}`;
    layer = (request) => {
      if (!request.url.startsWith(from)) return fetch(request);
      return fetch(new Request(trimmed + request.url.slice(from.length), request));
    };
  }
  return { client: createClient<Paths>({ baseUrl, fetch: layer, querySerializer: serializeQuery }), fetch: layer, mode };
}
