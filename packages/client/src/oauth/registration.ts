/**
 * Client registration (CDS-WG1-02 §4, RFC 7591): one request, answered with
 * the `cds_client_admin` Client Object and its secret; the other Client
 * Objects of the registration (one per scope group) are then read through the
 * Clients API and their secrets through the Credentials API.
 */
import type * as M from "@cds-toolkit/types";
import { validateClientRegistrationResponse, validateRegistrationError, type Lenient, type Mode } from "@cds-toolkit/validators";
import { OAuthError } from "../errors.js";
import { assertSecure } from "../discovery/discover.js";
import type { Discovery } from "../discovery/discover.js";
import { platformFetch, type Fetch } from "../http/fetch.js";
import { checked, parseJson } from "../http/read.js";

export async function registerClient(discovery: Discovery, request: M.ClientRegistrationRequest, options: { fetch?: Fetch; mode?: Mode } = {}): Promise<Lenient<M.ClientRegistrationResponse>> {
  const url = discovery.authorizationServer.registration_endpoint;
  assertSecure(new URL(url), discovery.allowInsecureHttp);
  const response = await (options.fetch ?? platformFetch)(
    new Request(url, { method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify(request) }),
  );
  const text = await response.text();
  const body = parseJson(text, url, response.status);
  if (!response.ok) {
    const error = validateRegistrationError(body, "lenient");
    if (error.ok) throw new OAuthError(error.value.error, error.value.error_description ?? undefined, url, response.status);
    throw new OAuthError("registration_failed", `answered ${response.status}`, url, response.status);
  }
  // 201 (RFC 7591 §3.2.1) or 200 (CDS-WG1-02 §12.3's example): both are success.
  return checked(validateClientRegistrationResponse, "ClientRegistrationResponse", body, url, options.mode ?? discovery.mode);
}
