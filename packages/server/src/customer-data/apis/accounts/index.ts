/** CDS-WG3-01 §10.1.10: the Accounts listing. Ordered newest `cds_modified` first; `q` per spec/ERRATA.md E-WG3-01-105. */
import type { FastifyInstance } from "fastify";
import type { ServerContext } from "../../../context.js";
import { registerListingRoute } from "../../listing-route.js";

export function registerAccountsRoutes(app: FastifyInstance, ctx: ServerContext): void {
  registerListingRoute(app, ctx, { kind: "accounts", scope: "cds_query_accounts_1", model: "AccountListing", listKey: "accounts", searchFields: ["cds_account_id", "customer_number", "account_number", "account_address", "account_name", "contact_email", "program_number"] });
}
