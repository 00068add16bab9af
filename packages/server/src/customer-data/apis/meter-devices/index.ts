/** CDS-WG3-01 §10.4.5: the Meter Devices listing. Ordered newest `cds_modified` first; the `meter_number` filter is singular (spec/ERRATA.md E-WG3-01-106). */
import type { FastifyInstance } from "fastify";
import type { ServerContext } from "../../../context.js";
import { registerListingRoute } from "../../listing-route.js";

export function registerMeterDevicesRoutes(app: FastifyInstance, ctx: ServerContext): void {
  registerListingRoute(app, ctx, { kind: "meter_devices", scope: "cds_query_meter_devices_1", model: "MeterDeviceListing", listKey: "meter_devices", searchFields: ["cds_meterdevice_id", "meter_number"] });
}
