/**
 * The demo utility's calendar: billing months (calendar months of demo days,
 * billed on the first of the next month) and the days that have interval
 * usage, both ending at the size's `until`.
 */
import { DAY_MS, DAY_START_HOUR_UTC } from "./profiles.js";
import type { DemoUtilitySize } from "./generator.js";

const OFFSET_MS = DAY_START_HOUR_UTC * 3_600_000;

export interface BillingMonth {
  /** `YYYYMM`, for ids. */
  label: string;
  /** First and last day of the service period. */
  start: string;
  end: string;
  /** The period as instants: the start of its first demo day and the start of the day after its last. */
  startMs: number;
  endMs: number;
  /** The first of the next month. */
  statementDate: string;
  /** Each demo day's start, in order. */
  days: number[];
}

const dateText = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** The start (ms) of the demo day of local date `y-m-d`. */
const localDayStart = (y: number, m: number, d: number) => Date.UTC(y, m, d) + OFFSET_MS;
export const isoOf = (ms: number) => new Date(ms).toISOString();
export const dateOfDayStart = (ms: number) => dateText(ms - OFFSET_MS);
export const addDays = (date: string, days: number) => dateText(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS);

/** The `months` whole calendar months before the month `until` falls in, oldest first. */
export function billingMonths(size: DemoUtilitySize): BillingMonth[] {
  const local = new Date(Date.parse(size.until) - OFFSET_MS);
  const months: BillingMonth[] = [];
  for (let k = size.months; k >= 1; k--) {
    const first = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - k, 1));
    const y = first.getUTCFullYear();
    const m = first.getUTCMonth();
    const startMs = localDayStart(y, m, 1);
    const endMs = localDayStart(y, m + 1, 1);
    const days: number[] = [];
    for (let t = startMs; t < endMs; t += DAY_MS) days.push(t);
    months.push({ label: `${y}${String(m + 1).padStart(2, "0")}`, start: dateText(startMs - OFFSET_MS), end: dateText(endMs - OFFSET_MS - DAY_MS), startMs, endMs, statementDate: dateText(endMs - OFFSET_MS), days });
  }
  return months;
}

/** The starts of the demo days with interval usage: the last `intervalDays` whole days before `until` (every day since the first billing month when unset). */
export function intervalDays(size: DemoUtilitySize, months: readonly BillingMonth[]): number[] {
  const today = Math.floor((Date.parse(size.until) - OFFSET_MS) / DAY_MS) * DAY_MS + OFFSET_MS;
  const all: number[] = [];
  for (let d = months[0]?.startMs ?? today; d + DAY_MS <= today; d += DAY_MS) all.push(d);
  return size.intervalDays === undefined ? all : all.slice(Math.max(all.length - size.intervalDays, 0));
}
