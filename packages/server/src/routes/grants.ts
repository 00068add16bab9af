/**
 * The Grants API (CDS-WG1-02 §8): list with every §8.4 filter, get, and
 * PATCH (§8.6). Another registration's Grant is a 404, like one that does not
 * exist.
 */
import { validateGrant, validateGrantListing, validateGrantModificationRequest } from "@cds-toolkit/validators";
import type { FastifyInstance } from "fastify";
import { findGrantRow, grantClientOf, listGrantRows, planGrantChange, saveGrantChange, toGrant } from "../cds/grants.js";
import { sendModel } from "../http/contract-response.js";
import { querystringSchema } from "../http/operation-schema.js";
import { ProblemError } from "../http/problem.js";
import { checkBody } from "../http/request-body.js";
import { paths } from "../urls.js";
import { idList, listingPageSizes, pageLink, pagingParameters, readCursor, readInstant, type PagingQuery } from "./listing.js";
import type { ServerContext } from "../context.js";

const notFound = () => new ProblemError(404, "No such Grant.");

const listFilters = ["grant_ids", "parents", "statuses", "client_ids", "scopes", "receipt_confirmations"] as const;
type ListQuery = PagingQuery & Partial<Record<(typeof listFilters)[number] | "after" | "before", string>>;

export function registerGrantsRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { db, urls } = ctx;
  const auth = ctx.auth.clientAdmin;
  app.get<{ Querystring: ListQuery }>(
    paths.grantsApi,
    {
      preHandler: auth,
      schema: {
        // The datetimes are read by readInstant, which names the parameter in its error.
        querystring: querystringSchema("client-registration", "listGrants", { ...pagingParameters, after: { type: "string" }, before: { type: "string" } }),
      },
    },
    async (request, reply) => {
      const q = request.query;
      const lists = Object.fromEntries(listFilters.map((name) => [name, idList(q[name])]));
      const after = readInstant("after", q.after);
      const before = readInstant("before", q.before);
      const cursor = readCursor(q.cursor);
      const page = await listGrantRows(db, {
        registrationId: request.clientAdmin!.registrationId,
        pageSize: q.page_size ?? listingPageSizes.defaultPageSize,
        ...(lists.grant_ids ? { grantIds: lists.grant_ids } : {}),
        ...(lists.parents ? { parents: lists.parents } : {}),
        ...(lists.statuses ? { statuses: lists.statuses } : {}),
        ...(lists.client_ids ? { clientIds: lists.client_ids } : {}),
        ...(lists.scopes ? { scopes: lists.scopes } : {}),
        ...(lists.receipt_confirmations ? { receiptConfirmations: lists.receipt_confirmations } : {}),
        ...(after ? { after } : {}),
        ...(before ? { before } : {}),
        ...(cursor ? { cursor } : {}),
      });
      const link = pageLink(urls.grantsApi, {
        ...Object.fromEntries(listFilters.map((name) => [name, lists[name]?.join(" ")])),
        after: q.after,
        before: q.before,
        page_size: q.page_size,
      });
      const listing = { grants: page.rows.map((r) => toGrant(r, urls)), next: link(page.next), previous: link(page.previous) };
      return sendModel(request, reply, "GrantListing", validateGrantListing, listing, { noStore: true });
    },
  );

  app.get<{ Params: { grant_id: string } }>(`${paths.grantsApi}/:grant_id`, { preHandler: auth }, async (request, reply) => {
    const row = await findGrantRow(db, request.clientAdmin!.registrationId, request.params.grant_id);
    if (!row) throw notFound();
    return sendModel(request, reply, "Grant", validateGrant, toGrant(row, urls), { noStore: true });
  });

  app.patch<{ Params: { grant_id: string } }>(`${paths.grantsApi}/:grant_id`, { preHandler: auth }, async (request, reply) => {
    const { registrationId } = request.clientAdmin!;
    const row = await findGrantRow(db, registrationId, request.params.grant_id);
    if (!row) throw notFound();
    // spec/ERRATA.md E-WG1-02-7: fields the Client may not change are ignored, not refused.
    const body = checkBody(request.body, (v) => validateGrantModificationRequest(v, "strict"));
    await saveGrantChange(db, row, planGrantChange(row, body, await grantClientOf(db, row.clientId)));
    const updated = await findGrantRow(db, registrationId, row.id);
    return sendModel(request, reply, "Grant", validateGrant, toGrant(updated!, urls), { noStore: true });
  });
}
