/** CDS-WG3-01 §10.3.5: the Service Points listing. Ordered newest `cds_modified` first. */
import type { FastifyInstance } from "fastify";
import type { ServerContext } from "../../../context.js";
import { registerListingRoute } from "../../listing-route.js";

export function registerServicePointsRoutes(app: FastifyInstance, ctx: ServerContext): void {
  registerListingRoute(app, ctx, { kind: "service_points", scope: "cds_query_service_points_1", model: "ServicePointListing", listKey: "service_points", searchFields: ["cds_servicepoint_id", "servicepoint_number", "servicepoint_address", "premise_number"] });
}
