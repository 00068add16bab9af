/**
 * The Clients API (CDS-WG1-02 §5): list, get, and PUT-modify the Client
 * Objects of the token's registration. Another registration's Client Object
 * is a 404, exactly like one that does not exist. Changes to reviewed fields
 * wait for the Server (cds/field-changes.ts).
 */
import { validateCustomerDataClient, validateCustomerDataClientListing, validateCustomerDataClientModificationRequest } from "@cds-toolkit/validators";
import type { FastifyInstance } from "fastify";
import { findClientRow, listClientRows, toClient } from "../cds/client-objects.js";
import { modifyClient } from "../cds/field-changes.js";
import { scopeDescriptions } from "../cds/scopes.js";
import { sendModel } from "../http/contract-response.js";
import { FeedCache } from "../db/feed-cache.js";
import { prebuild, sendPrebuilt, type Prebuilt } from "../http/prebuilt-response.js";
import { requestSync } from "../http/request-sync.js";
import { querystringSchema } from "../http/operation-schema.js";
import { ProblemError } from "../http/problem.js";
import { checkBody } from "../http/request-body.js";
import { loadServerMetadata } from "../server-metadata/index.js";
import { paths } from "../urls.js";
import { idList, listingPageSizes, pageLink, pagingParameters, readCursor, type PagingQuery } from "./listing.js";
import type { ServerContext } from "../context.js";

const notFound = () => new ProblemError(404, "No such Client Object.");

/** Distinct listing pages kept per instance; the oldest goes first. */
const maxListingPages = 10_000;

/** `reviewed`: the fields whose changes wait for the Server's review (CDS-WG1-02 §5.5). */
export function registerClientsRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { db, urls } = ctx;
  const auth = ctx.auth.clientAdmin;
  const reviewed = ctx.config.reviewedClientFields;
  // Listing pages as prebuilt bytes (checked against the contract once, when built), per registration and
  // query, until the database announces a change to one of the registration's Client Objects
  // (`r:<registration_id>`, migration 0010), whichever instance or writer made it.
  const listings = new FeedCache<string, Prebuilt>(ctx.changes ?? null, maxListingPages);
  app.addHook("onClose", async () => listings.close());
  app.get<{ Querystring: PagingQuery & { client_ids?: string } }>(
    paths.clientsApi,
    { preHandler: auth, schema: { querystring: querystringSchema("client-registration", "listClients", pagingParameters) } },
    async (request, reply) => {
      const { registrationId } = request.clientAdmin!;
      const clientIds = idList(request.query.client_ids);
      const cursor = readCursor(request.query.cursor);
      const pageSize = request.query.page_size ?? listingPageSizes.defaultPageSize;
      const key = JSON.stringify([registrationId, clientIds ?? null, request.query.page_size ?? null, request.query.cursor ?? null]);
      const held = await listings.find(key, requestSync(request, ctx.changes));
      if (held) return sendPrebuilt(request, reply, held, { noStore: true });
      const generation = listings.generation;
      const page = await listClientRows(db, { registrationId, pageSize, ...(clientIds ? { clientIds } : {}), ...(cursor ? { cursor } : {}) });
      const link = pageLink(urls.clientsApi, { client_ids: clientIds?.join(" "), page_size: request.query.page_size });
      const listing = { clients: page.rows.map((r) => toClient(r, urls)), next: link(page.next), previous: link(page.previous) };
      const built = prebuild("CustomerDataClientListing", validateCustomerDataClientListing, listing);
      if (built.ok) listings.set(key, built, [`r:${registrationId}`], generation);
      return sendPrebuilt(request, reply, built, { noStore: true });
    },
  );

  app.get<{ Params: { client_id: string } }>(`${paths.clientsApi}/:client_id`, { preHandler: auth }, async (request, reply) => {
    const row = await findClientRow(db, request.clientAdmin!.registrationId, request.params.client_id);
    if (!row) throw notFound();
    return sendModel(request, reply, "CustomerDataClient", validateCustomerDataClient, toClient(row, urls), { noStore: true });
  });

  app.put<{ Params: { client_id: string } }>(`${paths.clientsApi}/:client_id`, { preHandler: auth }, async (request, reply) => {
    const { registrationId } = request.clientAdmin!;
    const clientId = request.params.client_id;
    if (!(await findClientRow(db, registrationId, clientId))) throw notFound();
    const body = checkBody(request.body, (v) => validateCustomerDataClientModificationRequest(v, "strict"));
    const metadata = await loadServerMetadata(db, urls);
    if (!metadata) throw new ProblemError(503, "This Server has no metadata document configured yet.");
    const outcome = await modifyClient(db, urls, { registrationId, clientId }, body, scopeDescriptions(metadata.documentation), reviewed);
    if (!outcome.found) throw notFound();
    const updated = await findClientRow(db, registrationId, clientId);
    // §5.5: 202 while reviewed fields wait (they show their previous values), 200 once everything applied.
    return sendModel(request, reply, "CustomerDataClient", validateCustomerDataClient, toClient(updated!, urls), { noStore: true, status: outcome.held ? 202 : 200 });
  });
}
