/**
 * The nine Customer Data APIs of CDS-WG3-01 §10, each a listing read with an
 * access token whose Grant covers the data (§6–§7). One class per API would
 * only repeat this table; each entry names its operation, so a spec reader
 * finds `listUsageSegments` here and in the contract.
 */
import type * as M from "@cds-toolkit/types";
import type { CustomerDataApi } from "@cds-toolkit/types";
import * as V from "@cds-toolkit/validators";
import type { Filters } from "../http/query.js";
import type { Endpoint } from "./endpoint.js";
import { Listing } from "./listing.js";

type Ops = CustomerDataApi.operations;
type Query<Op extends keyof Ops> = Filters<NonNullable<Ops[Op]["parameters"]["query"]>>;

/** The metadata field that advertises each API (CDS-WG3-01 §3) and the path the contract gives it. */
export const customerDataApis = {
  accounts: { field: "cds_accounts_api", path: "/cds-customerdata-api/v1/accounts" },
  aggregations: { field: "cds_aggregations_api", path: "/cds-customerdata-api/v1/aggregations" },
  billSections: { field: "cds_billsection_api", path: "/cds-customerdata-api/v1/bill-sections" },
  billStatements: { field: "cds_billstatement_api", path: "/cds-customerdata-api/v1/bill-statements" },
  energyAttributeCertificates: { field: "cds_eacs_api", path: "/cds-customerdata-api/v1/energy-attribute-certificates" },
  meterDevices: { field: "cds_meterdevices_api", path: "/cds-customerdata-api/v1/meter-devices" },
  serviceContracts: { field: "cds_servicecontracts_api", path: "/cds-customerdata-api/v1/service-contracts" },
  servicePoints: { field: "cds_servicepoints_api", path: "/cds-customerdata-api/v1/service-points" },
  usageSegments: { field: "cds_usagesegments_api", path: "/cds-customerdata-api/v1/usage-segments" },
} as const satisfies Record<string, { field: keyof M.CustomerDataMetadataFields; path: keyof CustomerDataApi.paths }>;

export type CustomerDataApiName = keyof typeof customerDataApis;

type E = (name: CustomerDataApiName) => Endpoint<CustomerDataApi.paths>;

export function customerDataListings(endpointOf: E) {
  const at = (name: CustomerDataApiName) => [endpointOf(name), customerDataApis[name].path] as const;
  return {
    /** CDS-WG3-01 §10.1 `listAccounts`. */
    accounts: new Listing<Query<"listAccounts">, M.AccountListing, "accounts">(...at("accounts"), V.validateAccountListing, "AccountListing", "accounts"),
    /** §10.2 `listAggregations`. */
    aggregations: new Listing<Query<"listAggregations">, M.AggregationListing, "aggregations">(...at("aggregations"), V.validateAggregationListing, "AggregationListing", "aggregations"),
    /** `listBillSections`. */
    billSections: new Listing<Query<"listBillSections">, M.BillSectionListing, "bill_sections">(...at("billSections"), V.validateBillSectionListing, "BillSectionListing", "bill_sections"),
    /** `listBillStatements`. */
    billStatements: new Listing<Query<"listBillStatements">, M.BillStatementListing, "bill_statements">(...at("billStatements"), V.validateBillStatementListing, "BillStatementListing", "bill_statements"),
    /** `listEnergyAttributeCertificates`. */
    energyAttributeCertificates: new Listing<Query<"listEnergyAttributeCertificates">, M.EnergyAttributeCertificateListing, "eacs">(...at("energyAttributeCertificates"), V.validateEnergyAttributeCertificateListing, "EnergyAttributeCertificateListing", "eacs"),
    /** `listMeterDevices`. */
    meterDevices: new Listing<Query<"listMeterDevices">, M.MeterDeviceListing, "meter_devices">(...at("meterDevices"), V.validateMeterDeviceListing, "MeterDeviceListing", "meter_devices"),
    /** `listServiceContracts`. */
    serviceContracts: new Listing<Query<"listServiceContracts">, M.ServiceContractListing, "service_contracts">(...at("serviceContracts"), V.validateServiceContractListing, "ServiceContractListing", "service_contracts"),
    /** `listServicePoints`. */
    servicePoints: new Listing<Query<"listServicePoints">, M.ServicePointListing, "service_points">(...at("servicePoints"), V.validateServicePointListing, "ServicePointListing", "service_points"),
    /** §10.8 `listUsageSegments`; decode with `usageRows`. */
    usageSegments: new Listing<Query<"listUsageSegments">, M.UsageSegmentListing, "usage_segments">(...at("usageSegments"), V.validateUsageSegmentListing, "UsageSegmentListing", "usage_segments"),
  };
}
