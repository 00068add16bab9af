/** CDS-WG3-01 §10.6.9: the Bill Sections listing. Ordered per spec/ERRATA.md E-WG3-01-109. */
import type { FastifyInstance } from "fastify";
import type { ServerContext } from "../../../context.js";
import { registerListingRoute } from "../../listing-route.js";

export function registerBillSectionsRoutes(app: FastifyInstance, ctx: ServerContext): void {
  registerListingRoute(app, ctx, { kind: "bill_sections", scope: "cds_query_bill_sections_1", model: "BillSectionListing", listKey: "bill_sections", bounds: "date" });
}
