/**
 * The CDS-WG1-02 APIs a registered Client calls with its `cds_client_admin`
 * token: Clients (§5), Messages (§6), Credentials (§7), Grants (§8), and the
 * Server-Provided Files (§9, with a Grant Admin token).
 */
import type * as M from "@cds-toolkit/types";
import type { ClientRegistrationApi } from "@cds-toolkit/types";
import * as V from "@cds-toolkit/validators";
import type { Lenient } from "@cds-toolkit/validators";
import { CdsApiError } from "../errors.js";
import { readBody, type Validator } from "../http/read.js";
import type { Filters } from "../http/query.js";
import { paginate } from "../paging/paginate.js";
import { checked } from "../http/read.js";
import type { Endpoint } from "./endpoint.js";
import { Listing } from "./listing.js";

type Paths = ClientRegistrationApi.paths;
type Ops = ClientRegistrationApi.operations;
type Query<Op extends keyof Ops> = Filters<NonNullable<Ops[Op]["parameters"]["query"]>>;

async function read<T>(endpoint: Endpoint<Paths>, call: Promise<{ data?: unknown; error?: unknown; response: Response }>, validator: Validator<T>, model: string): Promise<Lenient<T>> {
  const { data, error, response } = await call;
  return readBody(response, (data ?? error) as string | undefined, validator, model, endpoint.mode);
}

export class ClientsApi {
  readonly listing: Listing<Query<"listClients">, M.ClientListing, "clients">;
  private readonly endpoint: Endpoint<Paths>;
  constructor(endpoint: Endpoint<Paths>) {
    this.endpoint = endpoint;
    this.listing = new Listing(endpoint, "/cds-api/v1/clients", V.validateClientListing, "ClientListing", "clients");
  }
  list(filters?: Query<"listClients">) {
    return this.listing.page(filters);
  }
  all(filters?: Query<"listClients">) {
    return this.listing.all(filters);
  }
  get(clientId: string) {
    return read(this.endpoint, this.endpoint.client.GET("/cds-api/v1/clients/{client_id}", { params: { path: { client_id: clientId } }, parseAs: "text" }), V.validateClient, "Client");
  }
  modify(clientId: string, body: M.ClientModificationRequest) {
    return read(this.endpoint, this.endpoint.client.PUT("/cds-api/v1/clients/{client_id}", { params: { path: { client_id: clientId } }, body, parseAs: "text" }), V.validateClient, "Client");
  }
  /** Client-specific Server Metadata (CDS-WG1-02 §5.3). */
  serverMetadata(clientId: string) {
    return read(this.endpoint, this.endpoint.client.GET("/cds-api/v1/clients/{client_id}/cds-server-metadata", { params: { path: { client_id: clientId } }, parseAs: "text" }), V.validateOAuthServerMetadata, "OAuthServerMetadata");
  }
  /** Client-specific Authorization Server Metadata (CDS-WG1-02 §5.4): the endpoints this Client Object uses. */
  authorizationServerMetadata(clientId: string) {
    return read(this.endpoint, this.endpoint.client.GET("/cds-api/v1/clients/{client_id}/oauth-authorization-server", { params: { path: { client_id: clientId } }, parseAs: "text" }), V.validateClientAuthorizationServerMetadata, "ClientAuthorizationServerMetadata");
  }
}

export class CredentialsApi {
  readonly listing: Listing<Query<"listCredentials">, M.CredentialListing, "credentials">;
  private readonly endpoint: Endpoint<Paths>;
  constructor(endpoint: Endpoint<Paths>) {
    this.endpoint = endpoint;
    this.listing = new Listing(endpoint, "/cds-api/v1/credentials", V.validateCredentialListing, "CredentialListing", "credentials");
  }
  list(filters?: Query<"listCredentials">) {
    return this.listing.page(filters);
  }
  all(filters?: Query<"listCredentials">) {
    return this.listing.all(filters);
  }
  get(credentialId: string) {
    return read(this.endpoint, this.endpoint.client.GET("/cds-api/v1/credentials/{credential_id}", { params: { path: { credential_id: credentialId } }, parseAs: "text" }), V.validateCredential, "Credential");
  }
  create(body: M.CredentialCreationRequest) {
    return read(this.endpoint, this.endpoint.client.POST("/cds-api/v1/credentials", { body, parseAs: "text" }), V.validateCredential, "Credential");
  }
  modify(credentialId: string, body: M.CredentialModificationRequest) {
    return read(this.endpoint, this.endpoint.client.PATCH("/cds-api/v1/credentials/{credential_id}", { params: { path: { credential_id: credentialId } }, body, parseAs: "text" }), V.validateCredential, "Credential");
  }
}

export class GrantsApi {
  readonly listing: Listing<Query<"listGrants">, M.GrantListing, "grants">;
  private readonly endpoint: Endpoint<Paths>;
  constructor(endpoint: Endpoint<Paths>) {
    this.endpoint = endpoint;
    this.listing = new Listing(endpoint, "/cds-api/v1/grants", V.validateGrantListing, "GrantListing", "grants");
  }
  list(filters?: Query<"listGrants">) {
    return this.listing.page(filters);
  }
  all(filters?: Query<"listGrants">) {
    return this.listing.all(filters);
  }
  get(grantId: string) {
    return read(this.endpoint, this.endpoint.client.GET("/cds-api/v1/grants/{grant_id}", { params: { path: { grant_id: grantId } }, parseAs: "text" }), V.validateGrant, "Grant");
  }
  modify(grantId: string, body: M.GrantModificationRequest) {
    return read(this.endpoint, this.endpoint.client.PATCH("/cds-api/v1/grants/{grant_id}", { params: { path: { grant_id: grantId } }, body, parseAs: "text" }), V.validateGrant, "Grant");
  }
}

/** Which of a Message listing's three lists (CDS-WG1-02 §6.2). */
export type MessageBox = "outstanding" | "unread" | "read";

export class MessagesApi {
  private readonly endpoint: Endpoint<Paths>;
  constructor(endpoint: Endpoint<Paths>) {
    this.endpoint = endpoint;
  }
  /** The first page of each of the three lists. */
  list(filters?: Query<"listMessages">) {
    return read(this.endpoint, this.endpoint.client.GET("/cds-api/v1/messages", { params: { query: filters as never }, parseAs: "text" }), V.validateMessageListing, "MessageListing");
  }
  /** Every Message of one list, following that list's own `<list>_next` link. */
  async *all(box: MessageBox, filters?: Query<"listMessages">): AsyncGenerator<Lenient<M.Message>, void, undefined> {
    const first = await this.list(filters);
    const asPage = (listing: Lenient<M.MessageListing>) => ({ items: listing[box] as Array<Lenient<M.Message>>, next: listing[`${box}_next`] ?? null });
    yield* paginate({ first: asPage(first), fetch: this.endpoint.fetch, read: (body, url) => asPage(checked(V.validateMessageListing, "MessageListing", body, url, this.endpoint.mode)) });
  }
  get(messageId: string) {
    return read(this.endpoint, this.endpoint.client.GET("/cds-api/v1/messages/{message_id}", { params: { path: { message_id: messageId } }, parseAs: "text" }), V.validateMessage, "Message");
  }
  create(body: M.MessageCreationRequest) {
    return read(this.endpoint, this.endpoint.client.POST("/cds-api/v1/messages", { body, parseAs: "text" }), V.validateMessage, "Message");
  }
  modify(messageId: string, body: M.MessageModificationRequest) {
    return read(this.endpoint, this.endpoint.client.PATCH("/cds-api/v1/messages/{message_id}", { params: { path: { message_id: messageId } }, body, parseAs: "text" }), V.validateMessage, "Message");
  }
}

export class ServerProvidedFilesApi {
  readonly listing: Listing<Query<"listServerProvidedFiles">, M.ServerProvidedFileListing, "files">;
  private readonly endpoint: Endpoint<Paths>;
  constructor(endpoint: Endpoint<Paths>) {
    this.endpoint = endpoint;
    this.listing = new Listing(endpoint, "/cds-api/v1/server-provided-files", V.validateServerProvidedFileListing, "ServerProvidedFileListing", "files");
  }
  list(filters?: Query<"listServerProvidedFiles">) {
    return this.listing.page(filters);
  }
  all(filters?: Query<"listServerProvidedFiles">) {
    return this.listing.all(filters);
  }
  get(fileId: string) {
    return read(this.endpoint, this.endpoint.client.GET("/cds-api/v1/server-provided-files/{file_id}", { params: { path: { file_id: fileId } }, parseAs: "text" }), V.validateServerProvidedFile, "ServerProvidedFile");
  }
  /** The file's bytes, as a stream (they may be large). */
  async download(fileId: string): Promise<Response> {
    const { response } = await this.endpoint.client.GET("/cds-api/v1/server-provided-files/{file_id}/download", { params: { path: { file_id: fileId } }, parseAs: "stream" });
    if (!response.ok) throw new CdsApiError(response.status, null, response.url);
    return response;
  }
}
