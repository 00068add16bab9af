/**
 * `demo-grant-1`: a customer consent the demo data starts with, so the Grants
 * API (CDS-WG1-02 §8) shows a Client a customer-data Grant to read and close
 * before anyone has used the Authorization Form. Alex let demo-app read the
 * usage (CDS-WG3-01 §6.1.9 `cds_usage_1`) of Alex's electric service, as
 * approving the form with that service ticked would record it: every field
 * of the scope with its default, durations already absolute (§7.3), and the
 * selection beside it (consent-flow.ts `approvedDetails`).
 *
 * No tokens were ever issued for it (no `oidcGrantId`): closing it ends
 * nothing but the Grant.
 */
import type { Db } from "../db/index.js";
import { grants } from "../db/schema.js";
import { demoCustomers } from "./customers.js";
import { demoApp } from "./demo-app.js";

const approvedAt = "2025-03-01T12:00:00Z";
const twoYearsLater = "2027-03-01T12:00:00Z";

const details = [
  {
    type: demoApp.scope,
    authorization_form_selection_type: "service_contract_selection",
    purpose: "dge_own_use",
    segment_start: "2024-03-01T12:00:00Z",
    segment_end: twoYearsLater,
    sync_until: twoYearsLater,
    include_usage_segment_value_types: ["electric_intervals_01", "gas_daily_01"],
    include_accounts: false,
    include_account_numbers: false,
    include_service_contracts: false,
    include_contract_numbers: false,
    include_service_points: false,
    include_service_point_addresses: false,
    include_premises: false,
    include_coordinates: false,
    include_meter_devices: false,
    include_meter_numbers: false,
    allow_scope_modifications: true,
    error_if_no_preselections: false,
    merge_selection_with: null,
    jwk: null,
  },
];

const alex = demoCustomers.find((c) => c.username === "alex.demo")!;

export const demoGrant = {
  id: "demo-grant-1",
  clientId: demoApp.clientId,
  accountId: alex.accountId,
  createdAt: new Date(approvedAt),
  modifiedAt: new Date(approvedAt),
  status: "active",
  scope: demoApp.scope,
  enabledScope: demoApp.scope,
  authorizationDetails: details,
  enabledAuthorizationDetails: details,
  customerSelection: [{ scopes: [demoApp.scope], type: "service_contract_selection", ids: ["sc-1001-001-electric"], numbers: [], includeFuture: false }],
} as const;

/** Inserts the Grant once; after the demo app and the demo customers exist. */
export async function seedDemoConsentGrant(db: Db): Promise<void> {
  await db
    .insert(grants)
    .values({ ...demoGrant, authorizationDetails: [...details], enabledAuthorizationDetails: [...details], customerSelection: [...demoGrant.customerSelection].map((s) => ({ ...s, scopes: [...s.scopes], ids: [...s.ids], numbers: [...s.numbers] })) })
    .onConflictDoNothing();
}
