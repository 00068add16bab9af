/**
 * The demo utility's Energy Attribute Certificates (CDS-WG3-01 §10.9): each
 * month's rooftop-solar exports are issued as a batch of certificates some
 * days after the month ends (`cds_created`) and retired on the customers'
 * behalf some weeks later, when the registry record behind `eac_data_url`
 * changes (`cds_modified`); the newest batch is issued but not yet retired.
 * The model has no issued/retired field, so the record carries the status.
 *
 * Beneficiary types (§10.9.2): each solar Account's own batch (`account`),
 * the net-metering rate plan's pooled batch (`rateplan`), and a batch for
 * the CARE program's households (`program`).
 */
import type { EnergyAttributeCertificate } from "@cds-toolkit/types";
import { DEMO_EAC_FORMAT } from "../../customer-data/metadata-fields.js";
import type { BillingMonth } from "./calendar.js";
import { DAY_MS } from "./profiles.js";
import { site } from "./utility.js";

const ISSUE_AFTER_DAYS = 5;
const RETIRE_AFTER_DAYS = 35;

export interface EacBatch {
  eac: EnergyAttributeCertificate;
  owners: string[];
}

/** When a month's batch is issued, or null when that is after `until`. */
export function issuedAt(month: BillingMonth, until: string): string | null {
  const at = month.endMs + ISSUE_AFTER_DAYS * DAY_MS;
  return at <= Date.parse(until) ? new Date(at).toISOString() : null;
}

export const accountEacId = (accountId: string, month: BillingMonth) => `eac-${accountId}-${month.label}`;

function certificate(id: string, number: string, month: BillingMonth, until: string, beneficiary: Pick<EnergyAttributeCertificate, "beneficiary_type" | "beneficiaries">): EnergyAttributeCertificate | null {
  const created = issuedAt(month, until);
  if (!created) return null;
  const retired = month.endMs + RETIRE_AFTER_DAYS * DAY_MS;
  return {
    cds_eac_id: id,
    cds_created: created,
    cds_modified: retired <= Date.parse(until) ? new Date(retired).toISOString() : created,
    cds_synced: until,
    ...beneficiary,
    eac_numbers: [number],
    eac_format: DEMO_EAC_FORMAT,
    eac_data_url: `${site}/eac-registry/batches/${month.label}/${id}.json`,
    period_start: new Date(month.startMs).toISOString(),
    period_end: new Date(month.endMs).toISOString(),
  };
}

/** A solar Account's own batches, one per month; `n` numbers the Account among the utility's solar Accounts. */
export function accountEacs(months: readonly BillingMonth[], until: string, accountId: string, n: number): EnergyAttributeCertificate[] {
  return months.flatMap((month) => certificate(accountEacId(accountId, month), `DGE-REC-${month.label}-${String(n).padStart(6, "0")}`, month, until, { beneficiary_type: "account", beneficiaries: [accountId] }) ?? []);
}

/** The pooled batches of each month: the net-metering rate plan's (for its customers) and the CARE program's. */
export function pooledEacs(months: readonly BillingMonth[], until: string, solarCustomers: readonly string[], careCustomers: readonly string[]): EacBatch[] {
  const out: EacBatch[] = [];
  for (const month of months) {
    if (solarCustomers.length) {
      const pooled = certificate(`eac-rateplan-e-tou-nem-${month.label}`, `DGE-REC-${month.label}-NEM`, month, until, { beneficiary_type: "rateplan", beneficiaries: ["E-TOU-NEM"] });
      if (pooled) out.push({ eac: pooled, owners: [...solarCustomers] });
    }
    if (careCustomers.length) {
      const program = certificate(`eac-program-care-${month.label}`, `DGE-REC-${month.label}-CARE`, month, until, { beneficiary_type: "program", beneficiaries: ["CARE"] });
      if (program) out.push({ eac: program, owners: [...careCustomers] });
    }
  }
  return out;
}
