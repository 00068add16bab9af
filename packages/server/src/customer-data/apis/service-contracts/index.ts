/** CDS-WG3-01 §10.2.7: the Service Contracts listing. Ordered newest `cds_modified` first. */
import type { FastifyInstance } from "fastify";
import type { ServerContext } from "../../../context.js";
import { registerListingRoute } from "../../listing-route.js";

export function registerServiceContractsRoutes(app: FastifyInstance, ctx: ServerContext): void {
  registerListingRoute(app, ctx, { kind: "service_contracts", scope: "cds_query_service_contracts_1", model: "ServiceContractListing", listKey: "service_contracts", searchFields: ["cds_servicecontract_id", "account_number", "contract_number", "contract_address", "rateplan_code", "rateplan_name", "program_number"] });
}
