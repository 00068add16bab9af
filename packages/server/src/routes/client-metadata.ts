/**
 * The Client-specific metadata documents (CDS-WG1-02 §5.1
 * `cds_server_metadata`, §3.2): a Client Object's CDS Server Metadata and
 * the RFC 8414 document its `oauth_metadata` names. The contract lets a
 * Server require a `cds_client_admin` token here (401 without one, §5.1);
 * this one does, since the documents describe one registration's Client
 * Objects, and answers 404 for another registration's, as the Clients API does.
 */
import type { CustomerDataAuthorizationServerMetadata as AuthorizationServerMetadata } from "@cds-toolkit/types";
// CDS-WG3-01 extends both documents (§5, §7): its scope descriptions validate only against the extended models.
import {
  validateCustomerDataAuthorizationServerMetadata as validateAuthorizationServerMetadata,
  validateCustomerDataClientAuthorizationServerMetadata as validateClientAuthorizationServerMetadata,
  validateOAuthServerMetadata,
} from "@cds-toolkit/validators";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { clientAuthorizationServerMetadata, clientServerMetadata } from "../cds/client-metadata.js";
import { findClientRow, toClient, type ClientRow } from "../cds/client-objects.js";
import { sendModel } from "../http/contract-response.js";
import { ProblemError } from "../http/problem.js";
import { RateLimitedError } from "../http/rate-limit.js";
import { loadServerMetadata } from "../server-metadata/index.js";
import { clientMetadataPaths, paths } from "../urls.js";
import type { ServerContext } from "../context.js";

type ClientRequest = FastifyRequest<{ Params: { client_id: string } }>;

const notConfigured = () => new ProblemError(503, "This Server has no metadata document configured yet.");

export function registerClientMetadataRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { db, urls } = ctx;
  const auth = ctx.auth.clientAdmin;
  const clientRow = async (request: ClientRequest): Promise<ClientRow> => {
    const row = await findClientRow(db, request.clientAdmin!.registrationId, request.params.client_id);
    if (!row) throw new ProblemError(404, "No such Client Object.");
    return row;
  };

  app.get<{ Params: { client_id: string } }>(clientMetadataPaths.serverMetadata, { preHandler: auth }, async (request, reply) => {
    const row = await clientRow(request);
    const metadata = await loadServerMetadata(db, urls);
    if (!metadata) throw notConfigured();
    return sendModel(request, reply, "OAuthServerMetadata", validateOAuthServerMetadata, clientServerMetadata(metadata, row, urls), { etag: true });
  });

  app.get<{ Params: { client_id: string } }>(clientMetadataPaths.oauthMetadata, { preHandler: auth }, async (request, reply) => {
    const row = await clientRow(request);
    const metadata = clientAuthorizationServerMetadata(await publicAuthorizationServerMetadata(app, request), toClient(row, urls).scope);
    return sendModel(request, reply, "CustomerDataClientAuthorizationServerMetadata", validateClientAuthorizationServerMetadata, metadata, { etag: true });
  });
}

/**
 * The public RFC 8414 document exactly as the well-known URL serves it.
 * oidc-provider builds its part of the document only while it handles a
 * request, so the server asks itself; the document then has one assembly
 * (provider.ts), and no second copy can drift from it. The inner request
 * carries the caller's address, so it counts against the caller's rate limit
 * like a fetch of the public document would, not against a shared one. It
 * carries none of the caller's other headers: the caller's `If-None-Match`
 * names a Client-specific document, and a 304 would leave nothing to narrow.
 */
async function publicAuthorizationServerMetadata(app: FastifyInstance, request: FastifyRequest): Promise<AuthorizationServerMetadata> {
  const res = await app.inject({ method: "GET", url: paths.oauthMetadata, remoteAddress: request.ip });
  if (res.statusCode === 503) throw notConfigured();
  if (res.statusCode === 429) throw new RateLimitedError(Number(res.headers["retry-after"]) || 60);
  const checked = res.statusCode === 200 ? validateAuthorizationServerMetadata(res.json(), "strict") : null;
  if (!checked?.ok) {
    request.log.error({ status: res.statusCode }, "the public Authorization Server Metadata is unavailable; answering 500");
    throw new ProblemError(500, "The server failed to assemble its Authorization Server Metadata.");
  }
  return checked.value;
}
