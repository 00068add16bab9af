/** CDS-WG3-01 §10.5.4: the Bill Statements listing. Ordered newest `statement_date` first; `before`/`after` bound the statement date. */
import type { FastifyInstance } from "fastify";
import type { ServerContext } from "../../../context.js";
import { registerListingRoute } from "../../listing-route.js";

export function registerBillStatementsRoutes(app: FastifyInstance, ctx: ServerContext): void {
  registerListingRoute(app, ctx, { kind: "bill_statements", scope: "cds_query_bill_statements_1", model: "BillStatementListing", listKey: "bill_statements", bounds: "date" });
}
