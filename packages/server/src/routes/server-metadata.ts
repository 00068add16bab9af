/**
 * CDS-WG1-01 endpoints: the metadata document at the well-known URI (§3, §3.1)
 * and the coverage listing (§4). Both are public (§8.1) and rate limited (§8.2).
 */
import type { FastifyInstance } from "fastify";
import { sendPrebuilt } from "../http/prebuilt-response.js";
import { fastPathHook, isDefaultCoverageQuery, type FastPathLimit, type FastPathRoute } from "../http/public-document-fast-path.js";
import { querystringSchema } from "../http/operation-schema.js";
import { ProblemError } from "../http/problem.js";
import { decodeCursor } from "../server-metadata/index.js";
import { paths } from "../urls.js";
import type { ServerContext } from "../context.js";

/** Listing pages: `page_size` entries (default 20, at most 100), `cursor` from a `next`/`previous` link. */
export const pagination = { defaultPageSize: 20, maxPageSize: 100 } as const;

interface CoverageQuerystring {
  ids?: string;
  page_size?: number;
  cursor?: string;
}

/** The first coverage page, as a request without coverage parameters asks for it. */
const defaultCoveragePage = { pageSize: pagination.defaultPageSize } as const;

/**
 * `fastPath`: the limiter the early answer counts on (http/public-document-fast-path.ts);
 * null to serve every request through the whole hook chain (tests compare the two).
 */
export function registerServerMetadataRoutes(app: FastifyInstance, ctx: ServerContext, fastPath: FastPathLimit | null = null): void {
  const { documents } = ctx;
  // A single function, not an array: the limiter plugin's onRoute then makes a new array rather than pushing onto one the HEAD route shares.
  const early = (route: FastPathRoute) => (fastPath ? { onRequest: fastPathHook(fastPath, route) } : {});
  // Both documents come prebuilt from memory (server-metadata/document-cache.ts): validated once, when built.
  app.get(paths.serverMetadata, early({ path: paths.serverMetadata, document: () => documents.peekMetadata() }), async (request, reply) => {
    const metadata = await documents.metadata();
    if (!metadata) {
      throw new ProblemError(503, "This Server has no metadata document configured yet.");
    }
    return sendPrebuilt(request, reply, metadata);
  });

  app.get<{ Querystring: CoverageQuerystring }>(
    paths.coverage,
    {
      ...early({ path: paths.coverage, document: () => documents.peekCoveragePage(defaultCoveragePage), accepts: isDefaultCoverageQuery }),
      schema: {
        querystring: querystringSchema("server-metadata", "listCoverageEntries", {
          page_size: { type: "integer", minimum: 1, maximum: pagination.maxPageSize },
          cursor: { type: "string", minLength: 1, maxLength: 2048 },
        }),
      },
    },
    async (request, reply) => {
      const { ids: idsParam, page_size: explicitPageSize, cursor } = request.query;
      // §4.2: space-separated ids. An empty value filters nothing, as if absent.
      const ids = idsParam?.split(" ").filter(Boolean);
      const filterIds = ids?.length ? [...new Set(ids)] : undefined;
      if (cursor !== undefined && !decodeCursor(cursor)) {
        throw new ProblemError(400, "The cursor is not one this server issued; follow the `next` and `previous` links as given.", [
          { pointer: "query:cursor", rule: "format", message: "query:cursor: is not a cursor this server issued" },
        ]);
      }
      const page = await documents.coveragePage({
        ...(filterIds ? { ids: filterIds } : {}),
        ...(explicitPageSize !== undefined ? { explicitPageSize } : {}),
        pageSize: explicitPageSize ?? pagination.defaultPageSize,
        ...(cursor !== undefined ? { cursor } : {}),
      });
      return sendPrebuilt(request, reply, page);
    },
  );
}
