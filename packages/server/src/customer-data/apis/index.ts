/** The nine Customer Data APIs of CDS-WG3-01 §10, one folder each. */
import type { FastifyInstance } from "fastify";
import type { ServerContext } from "../../context.js";
import { registerAccountsRoutes } from "./accounts/index.js";
import { registerAggregationsRoutes } from "./aggregations/index.js";
import { registerBillSectionsRoutes } from "./bill-sections/index.js";
import { registerBillStatementsRoutes } from "./bill-statements/index.js";
import { registerEnergyAttributeCertificatesRoutes } from "./energy-attribute-certificates/index.js";
import { registerMeterDevicesRoutes } from "./meter-devices/index.js";
import { registerServiceContractsRoutes } from "./service-contracts/index.js";
import { registerServicePointsRoutes } from "./service-points/index.js";
import { registerUsageSegmentsRoutes } from "./usage-segments/index.js";

export function registerCustomerDataRoutes(app: FastifyInstance, ctx: ServerContext): void {
  registerAccountsRoutes(app, ctx);
  registerServiceContractsRoutes(app, ctx);
  registerServicePointsRoutes(app, ctx);
  registerMeterDevicesRoutes(app, ctx);
  registerBillStatementsRoutes(app, ctx);
  registerBillSectionsRoutes(app, ctx);
  registerAggregationsRoutes(app, ctx);
  registerUsageSegmentsRoutes(app, ctx);
  registerEnergyAttributeCertificatesRoutes(app, ctx);
}
