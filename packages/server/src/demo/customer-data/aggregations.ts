/**
 * The demo utility's Aggregations (CDS-WG3-01 §10.7): a building
 * Aggregation over each customer's electric meters (a whole commercial
 * building, or a home), and a utility-wide one of the Service Contracts on the net-metering rate plan.
 *
 * No `grouped_*` list may hold more than 1000 items (spec/ERRATA.md
 * E-WG3-01-112): a larger group becomes a parent whose `grouped_aggregations`
 * names parts of at most `limit` items each, so a listing pages through it.
 */
import type { Aggregation } from "@cds-toolkit/types";
import { CONSENT_SCOPES } from "../../customer-data/scopes/consent.js";
import { site } from "./utility.js";

export const GROUP_LIMIT = 1000;

export interface DemoAggregation {
  aggregation: Aggregation;
  owners: string[];
}

type Stamps = Pick<Aggregation, "cds_created" | "cds_modified" | "cds_synced">;

const empty = {
  grouped_accounts: [],
  grouped_servicecontracts: [],
  grouped_servicepoints: [],
  grouped_meterdevices: [],
  grouped_aggregations: [],
  grouped_regions: [],
} satisfies Partial<Aggregation>;

/** A building's consent rule: tenant consent when one tenant would dominate the total. */
const tenantConsent = {
  id: "consent-dominant-tenant",
  name: "Tenant consent when one tenant uses most of the building's energy",
  types: ["sometimes" as const],
  documentation: `${site}/developers/aggregations#dominant-tenant`,
};

export function buildingAggregation(customer: string, number: string, meters: readonly string[], addresses: readonly string[], stamps: Stamps): DemoAggregation {
  return {
    owners: [customer],
    aggregation: {
      cds_aggregation_id: `agg-${number.toLowerCase()}`,
      ...stamps,
      aggregation_types: ["building", "listed", "meter_number"],
      aggregation_number: number,
      scope: CONSENT_SCOPES.aggregationConsent,
      authorization_details: [],
      ...empty,
      grouped_meterdevices: [...meters],
      grouped_addresses: [...addresses],
      consent_requirements: [tenantConsent],
    },
  };
}

/**
 * A utility-wide Aggregation of Service Contracts on `rateplan`, split into
 * parts of at most `limit` contracts. It belongs to no customer (`owners`
 * empty): it is the utility's own dataset.
 */
export function ratePlanAggregations(rateplan: string, contracts: readonly string[], stamps: Stamps, limit = GROUP_LIMIT): DemoAggregation[] {
  const id = `agg-rateplan-${rateplan.toLowerCase()}`;
  const base = {
    ...stamps,
    aggregation_types: ["rateplan_code", "public"] as Aggregation["aggregation_types"],
    scope: CONSENT_SCOPES.aggregationConsent,
    authorization_details: [],
    ...empty,
    rateplan_code: [rateplan],
    consent_requirements: [{ ...tenantConsent, id: "consent-small-group", name: "Customer consent when a part groups too few customers to stay anonymous", types: ["never" as const] }],
  };
  if (contracts.length <= limit) return [{ owners: [], aggregation: { cds_aggregation_id: id, aggregation_number: `RP-${rateplan}`, ...base, grouped_servicecontracts: [...contracts] } }];
  const parts: DemoAggregation[] = [];
  for (let i = 0; i < contracts.length; i += limit) {
    const n = parts.length + 1;
    parts.push({ owners: [], aggregation: { cds_aggregation_id: `${id}-part-${n}`, aggregation_number: `RP-${rateplan}-${n}`, ...base, grouped_servicecontracts: contracts.slice(i, i + limit) } });
  }
  const parentIds = parts.map((p) => p.aggregation.cds_aggregation_id);
  // The parent itself lists at most `limit` parts; beyond that, parts of parts would be needed (not at demo sizes).
  return [{ owners: [], aggregation: { cds_aggregation_id: id, aggregation_number: `RP-${rateplan}`, ...base, grouped_aggregations: parentIds.slice(0, limit) } }, ...parts];
}
