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

/**
 * Customers per pooled batch: a pool's certificates are issued in sub-batches
 * of at most this many member customers, so that no stored object carries an
 * owner list that grows with the utility (the Aggregation split of
 * spec/ERRATA.md E-WG3-01-112, applied to certificates).
 */
export const POOLED_EAC_MEMBERS = 1000;

function* chunks<T>(list: readonly T[], size: number): Generator<{ part: T[]; k: number; parts: number }> {
  const parts = Math.ceil(list.length / size);
  for (let k = 0; k < parts; k++) yield { part: list.slice(k * size, (k + 1) * size), k, parts };
}

/** The pooled batches of each month: the net-metering rate plan's (for its customers) and the CARE program's, split every POOLED_EAC_MEMBERS customers. */
export function pooledEacs(months: readonly BillingMonth[], until: string, solarCustomers: readonly string[], careCustomers: readonly string[]): EacBatch[] {
  const out: EacBatch[] = [];
  const suffix = (k: number, parts: number) => (parts > 1 ? `-${k + 1}` : "");
  for (const month of months) {
    for (const { part, k, parts } of chunks(solarCustomers, POOLED_EAC_MEMBERS)) {
      const pooled = certificate(`eac-rateplan-e-tou-nem-${month.label}${suffix(k, parts)}`, `DGE-REC-${month.label}-NEM${suffix(k, parts)}`, month, until, { beneficiary_type: "rateplan", beneficiaries: ["E-TOU-NEM"] });
      if (pooled) out.push({ eac: pooled, owners: part });
    }
    for (const { part, k, parts } of chunks(careCustomers, POOLED_EAC_MEMBERS)) {
      const program = certificate(`eac-program-care-${month.label}${suffix(k, parts)}`, `DGE-REC-${month.label}-CARE${suffix(k, parts)}`, month, until, { beneficiary_type: "program", beneficiaries: ["CARE"] });
      if (program) out.push({ eac: program, owners: part });
    }
  }
  return out;
}
