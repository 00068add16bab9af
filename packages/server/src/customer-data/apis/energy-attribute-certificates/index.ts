/** CDS-WG3-01 §10.9: the Energy Attribute Certificates listing. §6.2 has no EAC scope; the Usage Query scope opens them (EACs attribute usage). Ordered newest `period_start` first. */
import type { FastifyInstance } from "fastify";
import type { ServerContext } from "../../../context.js";
import { registerListingRoute } from "../../listing-route.js";

export function registerEnergyAttributeCertificatesRoutes(app: FastifyInstance, ctx: ServerContext): void {
  registerListingRoute(app, ctx, { kind: "energy_attribute_certificates", scope: "cds_query_usage_1", model: "EnergyAttributeCertificateListing", listKey: "eacs", bounds: "datetime" });
}
