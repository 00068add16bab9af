/**
 * The Messages API (CDS-WG1-02 §6): the three listings, create (§6.9), get,
 * and PATCH `read` (§6.11). Another registration's Message is a 404.
 */
import { validateMessage, validateMessageCreationRequest, validateMessageListing, validateMessageModificationRequest } from "@cds-toolkit/validators";
import type { MessageListing } from "@cds-toolkit/types";
import type { FastifyInstance } from "fastify";
import { findCredentialRow } from "../cds/credentials.js";
import { findGrantRow } from "../cds/grants.js";
import { findClientRow } from "../cds/client-objects.js";
import { createClientMessage, findMessageRow, listMessageView, messageViews, setMessageRead, toMessage, type MessageView } from "../cds/messages.js";
import { sendModel } from "../http/contract-response.js";
import { querystringSchema } from "../http/operation-schema.js";
import { ProblemError } from "../http/problem.js";
import { checkBody } from "../http/request-body.js";
import { paths } from "../urls.js";
import { idList, listingPageSizes, pageLink, pagingParameters, readCursor, type PagingQuery } from "./listing.js";
import type { ServerContext } from "../context.js";

const notFound = () => new ProblemError(404, "No such Message.");

/** §6.9: attachments up to at least 10 MB must be accepted; Base64 and JSON add about a third. */
export const MESSAGE_BODY_LIMIT = 16 * 1024 * 1024;

export function registerMessagesRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { db, urls } = ctx;
  const auth = ctx.auth.clientAdmin;
  app.get<{ Querystring: PagingQuery & { message_ids?: string; list?: MessageView } }>(
    paths.messagesApi,
    {
      preHandler: auth,
      schema: {
        // `list`: which listing a next/previous link continues (§6.8: the other two come back empty).
        querystring: querystringSchema("client-registration", "listMessages", { ...pagingParameters, list: { type: "string", enum: [...messageViews] } }),
      },
    },
    async (request, reply) => {
      const q = request.query;
      const messageIds = idList(q.message_ids);
      const cursor = readCursor(q.cursor);
      if (cursor && !q.list) {
        throw new ProblemError(400, "A cursor belongs to one listing; follow the links as given.", [{ pointer: "query:list", rule: "required", message: "query:list: is required with cursor" }]);
      }
      const listing: Record<string, unknown> = {};
      for (const view of messageViews) {
        const link = pageLink(urls.messagesApi, { message_ids: messageIds?.join(" "), page_size: q.page_size, list: view });
        if (q.list && q.list !== view) {
          Object.assign(listing, { [view]: [], [`${view}_next`]: null, [`${view}_previous`]: null });
          continue;
        }
        const page = await listMessageView(db, {
          registrationId: request.clientAdmin!.registrationId,
          view,
          pageSize: q.page_size ?? listingPageSizes.defaultPageSize,
          ...(messageIds ? { messageIds } : {}),
          ...(cursor ? { cursor } : {}),
        });
        Object.assign(listing, { [view]: page.rows.map((r) => toMessage(r, urls)), [`${view}_next`]: link(page.next), [`${view}_previous`]: link(page.previous) });
      }
      return sendModel(request, reply, "MessageListing", validateMessageListing, listing as unknown as MessageListing, { noStore: true });
    },
  );

  app.post(paths.messagesApi, { preHandler: auth, bodyLimit: MESSAGE_BODY_LIMIT }, async (request, reply) => {
    const { registrationId, clientId } = request.clientAdmin!;
    const body = checkBody(request.body, (v) => validateMessageCreationRequest(v, "strict"));
    const clientAt = async (uri: string) => {
      const prefix = `${urls.clientsApi}/`;
      if (!uri.startsWith(prefix)) return null;
      return findClientRow(db, registrationId, decodeURIComponent(uri.slice(prefix.length)));
    };
    const id = await createClientMessage(db, body, {
      registrationId,
      clientId,
      urls,
      clientAt: async (uri) => (await clientAt(uri)) !== null,
      sandboxClientAt: async (uri) => (await clientAt(uri))?.statusOptions.includes("sandbox") ?? false,
      ownObjectAt: async (uri) => {
        const apis = [
          [urls.clientsApi, (id: string) => findClientRow(db, registrationId, id)],
          [urls.credentialsApi, (id: string) => findCredentialRow(db, registrationId, id)],
          [urls.grantsApi, (id: string) => findGrantRow(db, registrationId, id)],
          [urls.messagesApi, (id: string) => findMessageRow(db, registrationId, id)],
        ] as const;
        for (const [base, find] of apis) {
          if (uri === base || uri.startsWith(`${base}?`)) return true;
          const rest = uri.startsWith(`${base}/`) ? uri.slice(base.length + 1) : null;
          if (rest === null || rest === "" || /[/?#]/.test(rest)) continue;
          let id: string;
          try {
            id = decodeURIComponent(rest);
          } catch {
            return false;
          }
          return (await find(id)) !== null;
        }
        return false;
      },
    });
    const row = await findMessageRow(db, registrationId, id);
    return sendModel(request, reply, "Message", validateMessage, toMessage(row!, urls), { status: 201, noStore: true });
  });

  app.get<{ Params: { message_id: string } }>(`${paths.messagesApi}/:message_id`, { preHandler: auth }, async (request, reply) => {
    const row = await findMessageRow(db, request.clientAdmin!.registrationId, request.params.message_id);
    if (!row) throw notFound();
    return sendModel(request, reply, "Message", validateMessage, toMessage(row, urls), { noStore: true });
  });

  app.patch<{ Params: { message_id: string } }>(`${paths.messagesApi}/:message_id`, { preHandler: auth }, async (request, reply) => {
    const { registrationId } = request.clientAdmin!;
    const row = await findMessageRow(db, registrationId, request.params.message_id);
    if (!row) throw notFound();
    // spec/ERRATA.md E-WG1-02-7: fields the Client may not change are ignored.
    const body = checkBody(request.body, (v) => validateMessageModificationRequest(v, "strict"));
    if (body.read !== undefined && body.read !== row.read) await setMessageRead(db, row.id, body.read);
    const updated = await findMessageRow(db, registrationId, row.id);
    return sendModel(request, reply, "Message", validateMessage, toMessage(updated!, urls), { noStore: true });
  });
}
