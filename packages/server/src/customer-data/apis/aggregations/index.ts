/** CDS-WG3-01 §10.7.8: the Aggregations listing. Ordered newest `cds_modified` first; `q` per spec/ERRATA.md E-WG3-01-113. */
import type { FastifyInstance } from "fastify";
import type { ServerContext } from "../../../context.js";
import { registerListingRoute } from "../../listing-route.js";

export function registerAggregationsRoutes(app: FastifyInstance, ctx: ServerContext): void {
  registerListingRoute(app, ctx, { kind: "aggregations", scope: "cds_query_aggregations_1", model: "AggregationListing", listKey: "aggregations", searchFields: ["cds_aggregation_id", "aggregation_number", "grouped_addresses", "region_id"] });
}
