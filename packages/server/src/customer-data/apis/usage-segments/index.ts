/** CDS-WG3-01 §10.8.8: the Usage Segments listing. Ordered per spec/ERRATA.md E-WG3-01-204. */
import type { FastifyInstance } from "fastify";
import type { ServerContext } from "../../../context.js";
import { registerListingRoute } from "../../listing-route.js";

export function registerUsageSegmentsRoutes(app: FastifyInstance, ctx: ServerContext): void {
  registerListingRoute(app, ctx, { kind: "usage_segments", scope: "cds_query_usage_1", model: "UsageSegmentListing", listKey: "usage_segments", bounds: "datetime" });
}
