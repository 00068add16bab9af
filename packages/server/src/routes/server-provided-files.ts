/**
 * The Server-Provided Files API (CDS-WG1-02 §9): list (§9.2, with
 * `file_ids`), get (§9.3) and download (§9.4), all behind Grant Admin tokens
 * (§3.3.2). A token sees the files its Grants share now; any other file is a
 * 404, like one that does not exist.
 */
import { validateServerProvidedFile, validateServerProvidedFileListing } from "@cds-toolkit/validators";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { findFileRow, listFileRows, readVisibleFile, sharedFileIds, toServerProvidedFile } from "../cds/server-provided-files.js";
import { sendModel } from "../http/contract-response.js";
import { querystringSchema } from "../http/operation-schema.js";
import { ProblemError } from "../http/problem.js";
import { paths } from "../urls.js";
import { idList, listingPageSizes, pageLink, pagingParameters, readCursor, type PagingQuery } from "./listing.js";
import type { ServerContext } from "../context.js";

const notFound = () => new ProblemError(404, "No such Server-Provided File.");
const visibleTo = (request: FastifyRequest) => sharedFileIds(request.grantAdmin!.grants);

/**
 * RFC 6266: a quoted ASCII name for old clients, and the exact name as
 * RFC 8187 `filename*`. Quotes, backslashes and control characters never
 * reach the header.
 */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  const exact = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${exact}`;
}

export function registerServerProvidedFilesRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { db, urls } = ctx;
  const auth = ctx.auth.grantAdmin;
  app.get<{ Querystring: PagingQuery & { file_ids?: string } }>(
    paths.serverProvidedFilesApi,
    { preHandler: auth, schema: { querystring: querystringSchema("client-registration", "listServerProvidedFiles", pagingParameters) } },
    async (request, reply) => {
      const q = request.query;
      const fileIds = idList(q.file_ids);
      const cursor = readCursor(q.cursor);
      const page = await listFileRows(db, {
        visible: visibleTo(request),
        pageSize: q.page_size ?? listingPageSizes.defaultPageSize,
        ...(fileIds ? { fileIds } : {}),
        ...(cursor ? { cursor } : {}),
      });
      const link = pageLink(urls.serverProvidedFilesApi, { file_ids: fileIds?.join(" "), page_size: q.page_size });
      const listing = { files: page.rows.map((r) => toServerProvidedFile(r, urls)), next: link(page.next), previous: link(page.previous) };
      return sendModel(request, reply, "ServerProvidedFileListing", validateServerProvidedFileListing, listing, { noStore: true });
    },
  );

  app.get<{ Params: { file_id: string } }>(`${paths.serverProvidedFilesApi}/:file_id`, { preHandler: auth }, async (request, reply) => {
    const row = await findFileRow(db, visibleTo(request), request.params.file_id);
    if (!row) throw notFound();
    return sendModel(request, reply, "ServerProvidedFile", validateServerProvidedFile, toServerProvidedFile(row, urls), { noStore: true });
  });

  app.get<{ Params: { file_id: string } }>(`${paths.serverProvidedFilesApi}/:file_id/download`, { preHandler: auth }, async (request, reply) => {
    const file = await readVisibleFile(db, visibleTo(request), request.params.file_id);
    if (!file) throw notFound();
    const { content } = file;
    return (
      reply
        .code(200)
        .type(file.mimeType)
        .header("content-disposition", contentDisposition(file.name))
        // The bytes are whatever the Server stored: never rendered as a page of this origin.
        .header("content-security-policy", "sandbox; default-src 'none'")
        .header("cache-control", "no-store")
        .send(Buffer.from(content.buffer, content.byteOffset, content.byteLength))
    );
  });
}
