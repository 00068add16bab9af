/**
 * The CDS-WG3-01 §5 fields of the authorization server metadata: the
 * version, where each of the nine Customer Data APIs is (spec/ERRATA.md
 * E-WG3-01-100: two names are singular), the Value Types this Server adds
 * to §10.8.5 (none) and the EAC data formats its certificates link (§10.9.3).
 */
import type { CustomerDataMetadataFields } from "@cds-toolkit/types";
import type { PublicUrls } from "../urls.js";

/** The one EAC data format the demo utility's certificates use. */
export const DEMO_EAC_FORMAT = "dge_eac_registry_json";

export function customerDataMetadataFields(urls: PublicUrls) {
  const api = urls.customerData;
  return {
    cds_customerdata_version: "v1",
    cds_accounts_api: api.accounts,
    cds_servicecontracts_api: api.service_contracts,
    cds_servicepoints_api: api.service_points,
    cds_meterdevices_api: api.meter_devices,
    cds_billstatement_api: api.bill_statements,
    cds_billsection_api: api.bill_sections,
    cds_aggregations_api: api.aggregations,
    cds_usagesegments_api: api.usage_segments,
    cds_usagesegments_additional_value_types: {},
    cds_eacs_api: api.energy_attribute_certificates,
    cds_eac_formats: {
      [DEMO_EAC_FORMAT]: {
        id: DEMO_EAC_FORMAT,
        name: "DG&E certificate registry record (JSON)",
        description: "One JSON document per certificate batch, as the utility's certificate registry exports it.",
        documentation: `${urls.issuer}/docs/eac-formats#${DEMO_EAC_FORMAT}`,
      },
    },
  } satisfies Required<CustomerDataMetadataFields>;
}
