/**
 * `CdsApi`: every API of a discovered Server behind one fetch stack —
 * bearer tokens that refresh themselves, bounded retries on 429/503, and
 * responses checked against the contract (leniently unless asked otherwise).
 */
import createClient from "openapi-fetch";
import type { ClientRegistrationApi, CustomerDataApi } from "@cds-toolkit/types";
import type { Mode } from "@cds-toolkit/validators";
import { assertSecure, type Discovery } from "../discovery/discover.js";
import { CdsClientError } from "../errors.js";
import { platformFetch, withBearer, withRetries, type AccessTokenSource, type Fetch, type RetryOptions } from "../http/fetch.js";
import { customerDataApis, customerDataListings, type CustomerDataApiName } from "./customer-data.js";
import { endpoint, type Endpoint } from "./endpoint.js";
import { ClientsApi, CredentialsApi, GrantsApi, MessagesApi, ServerProvidedFilesApi } from "./registration-apis.js";

export interface CdsApiOptions {
  /** Where the bearer token comes from: `ClientCredentialsTokens`, `RefreshingTokens`, or your own. */
  tokens: AccessTokenSource;
  /** The base fetch (default: the platform's). */
  fetch?: Fetch;
  /** Retries on 429/503; `false` for none. */
  retry?: RetryOptions | false;
  /** Override discovery's mode: `"strict"` checks responses with the strict validators. */
  mode?: Mode;
}

export class CdsApi {
  readonly clients: ClientsApi;
  readonly credentials: CredentialsApi;
  readonly grants: GrantsApi;
  readonly messages: MessagesApi;
  readonly serverProvidedFiles: ServerProvidedFilesApi;
  /** CDS-WG3-01 §10; each API is at the URL the metadata advertises for it. */
  readonly customerData: ReturnType<typeof customerDataListings>;
  /** The fetch stack, for URLs a response hands back (such as a `next` link). */
  readonly fetch: Fetch;

  readonly discovery: Discovery;

  constructor(discovery: Discovery, options: CdsApiOptions) {
    this.discovery = discovery;
    const mode = options.mode ?? discovery.mode;
    const base = options.fetch ?? platformFetch;
    const secure: Fetch = (request) => {
      assertSecure(new URL(request.url), discovery.allowInsecureHttp);
      return base(request);
    };
    const retried = options.retry === false ? secure : withRetries(secure, options.retry);
    this.fetch = withBearer(retried, options.tokens);
    const as = discovery.authorizationServer;
    const wg1 = (url: string, path: string) => endpoint<ClientRegistrationApi.paths>(url, path, this.fetch, mode);
    this.clients = new ClientsApi(wg1(as.cds_clients_api, "/cds-api/v1/clients"));
    this.credentials = new CredentialsApi(wg1(as.cds_credentials_api, "/cds-api/v1/credentials"));
    this.grants = new GrantsApi(wg1(as.cds_grants_api, "/cds-api/v1/grants"));
    this.messages = new MessagesApi(wg1(as.cds_messages_api, "/cds-api/v1/messages"));
    this.serverProvidedFiles = new ServerProvidedFilesApi(
      as.cds_server_provided_files_api ? wg1(as.cds_server_provided_files_api, "/cds-api/v1/server-provided-files") : notAdvertised<ClientRegistrationApi.paths>("cds_server_provided_files_api", as.issuer, mode),
    );
    this.customerData = customerDataListings((name: CustomerDataApiName) => {
      const { field, path } = customerDataApis[name];
      const advertised = discovery.customerData?.[field];
      return typeof advertised === "string" ? endpoint<CustomerDataApi.paths>(advertised, path, this.fetch, mode) : notAdvertised<CustomerDataApi.paths>(field, as.issuer, mode);
    });
  }
}

/** An API the Server does not advertise: every call fails with an error naming the missing metadata field. */
function notAdvertised<Paths extends {}>(field: string, issuer: string, mode: Mode): Endpoint<Paths> {
  const refuse: Fetch = async () => {
    throw new CdsClientError(`${issuer}: the Authorization Server Metadata advertises no ${field}, so this Server does not offer that API`, issuer);
  };
  return { client: createClient<Paths>({ baseUrl: new URL(issuer).origin, fetch: refuse }), fetch: refuse, mode };
}
