/**
 * CDS-WG1-01 endpoints: the metadata document at the well-known URI (§3, §3.1)
 * and the coverage listing (§4). Both are public (§8.1) and rate limited (§8.2).
 */
import { validateCoverageListing, validateOAuthServerMetadata } from "@cds-toolkit/validators";
import type { FastifyInstance } from "fastify";
import { sendModel } from "../http/contract-response.js";
import { querystringSchema } from "../http/operation-schema.js";
import { ProblemError } from "../http/problem.js";
import { decodeCursor, encodeCursor, listCoverage, loadServerMetadata, type Cursor } from "../server-metadata/index.js";
import { paths } from "../urls.js";
import type { ServerContext } from "../context.js";

/** Listing pages: `page_size` entries (default 20, at most 100), `cursor` from a `next`/`previous` link. */
export const pagination = { defaultPageSize: 20, maxPageSize: 100 } as const;

interface CoverageQuerystring {
  ids?: string;
  page_size?: number;
  cursor?: string;
}

export function registerServerMetadataRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { db, urls } = ctx;
  app.get(paths.serverMetadata, async (request, reply) => {
    const metadata = await loadServerMetadata(db, urls);
    if (!metadata) {
      throw new ProblemError(503, "This Server has no metadata document configured yet.");
    }
    return sendModel(request, reply, "OAuthServerMetadata", validateOAuthServerMetadata, metadata, { etag: true });
  });

  app.get<{ Querystring: CoverageQuerystring }>(
    paths.coverage,
    {
      schema: {
        querystring: querystringSchema("server-metadata", "listCoverageEntries", {
          page_size: { type: "integer", minimum: 1, maximum: pagination.maxPageSize },
          cursor: { type: "string", minLength: 1, maxLength: 2048 },
        }),
      },
    },
    async (request, reply) => {
      const { ids: idsParam, page_size: explicitPageSize, cursor: cursorParam } = request.query;
      // §4.2: space-separated ids. An empty value filters nothing, as if absent.
      const ids = idsParam?.split(" ").filter(Boolean);
      const filterIds = ids?.length ? [...new Set(ids)] : undefined;
      let cursor: Cursor | undefined;
      if (cursorParam !== undefined) {
        cursor = decodeCursor(cursorParam) ?? undefined;
        if (!cursor) {
          throw new ProblemError(400, "The cursor is not one this server issued; follow the `next` and `previous` links as given.", [
            { pointer: "query:cursor", rule: "format", message: "query:cursor: is not a cursor this server issued" },
          ]);
        }
      }
      const pageSize = explicitPageSize ?? pagination.defaultPageSize;
      const page = await listCoverage(db, { ...(filterIds ? { ids: filterIds } : {}), pageSize, ...(cursor ? { cursor } : {}) });

      const link = (c: Cursor | null) => {
        if (!c) return null;
        const params = new URLSearchParams();
        if (filterIds) params.set("ids", filterIds.join(" "));
        if (explicitPageSize !== undefined) params.set("page_size", String(explicitPageSize));
        params.set("cursor", encodeCursor(c));
        return `${urls.coverage}?${params.toString()}`;
      };
      const listing = { coverage_entries: page.entries, next: link(page.next), previous: link(page.previous) };
      return sendModel(request, reply, "CoverageListing", validateCoverageListing, listing, { etag: true });
    },
  );
}
