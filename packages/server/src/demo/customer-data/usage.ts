/**
 * The demo utility's Usage Segments (CDS-WG3-01 §10.8).
 *
 * - One billing-period segment per Bill Section (one Value Set, the month as
 *   `interval`, §10.8.1), linked to it by `related_billsections`, whose values
 *   are the bill's metered quantities.
 * - One segment per meter and demo day at `intervalSeconds` (gas and water at
 *   least hourly) for the size's interval days: several formats per segment
 *   (§10.8.2) with the meter named on each metered format
 *   (`related_meterdevices`, §10.8.5.1.1), interval cost with `indexes`
 *   (§10.8.5.7), supply mix (§10.8.5.3), demand, and register readings.
 *   Net-metered solar meters carry forward, reverse and net usage.
 * - Reading quality (§10.8.7.6): the latest day is `raw`, the day before it is
 *   still `estimated` (a meter that did not report), and older days are
 *   `revenue`, replaced after validation, so their `cds_modified` is later
 *   than their `cds_created`.
 * - One disclosed outage: on the first customer's electric meter, two hours
 *   of one day are Value Sets of `null`s (§10.8.3).
 * - The building Aggregations get a monthly segment each, one format per
 *   meter and one for the whole building.
 */
import type { UsageSegment, ValueFormat } from "@cds-toolkit/types";
import { dateOfDayStart, isoOf, type BillingMonth } from "./calendar.js";
import type { DemoService } from "./generator.js";
import type { MeteredMonth } from "./metered-months.js";
import { DAY_MS, electricDay, electricIntervals, hashUnit, hourOf, PEAK_HOURS, volumeDay, volumeIntervals, type MeterProfile } from "./profiles.js";

type ValueSet = UsageSegment["values"][number];
type Related = Pick<UsageSegment, "related_aggregations" | "related_accounts" | "related_servicecontracts" | "related_servicepoints" | "related_meterdevices" | "related_billsections">;

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const kWh = (wh: number) => wh / 1000;
/** Grid carbon intensity (g CO2e/kWh): lower in the sunny middle of the day. */
const carbon = (hour: number) => Math.round(430 - 120 * Math.max(0, Math.sin((Math.PI * (hour - 8)) / 10)));
/** A solar customer's own certificates cover this share of the energy it takes from the grid (individual attribution). */
const SOLAR_SHARE = 0.15;
/** Delivery plus supply per kWh, peak and off-peak, of the residential time-of-use plans. */
const energyRate = (hour: number) => (hour >= PEAK_HOURS[0] && hour < PEAK_HOURS[1] ? 0.38 : 0.21);
const EXPORT_CREDIT = 0.08;

function related(s: DemoService, billsections: string[]): Related {
  return {
    related_aggregations: [],
    related_accounts: [s.account.cds_account_id],
    related_servicecontracts: [s.contract.cds_servicecontract_id],
    related_servicepoints: [s.point.cds_servicepoint_id],
    related_meterdevices: [s.meter.cds_meterdevice_id],
    related_billsections: billsections,
  };
}

/** The billing-period segment of one Bill Section. `eacs` are the certificates applied to a solar customer's month. */
export function billingPeriodSegment(s: DemoService, p: MeterProfile, month: BillingMonth, t: MeteredMonth, sectionId: string, sectionTotal: number, stamp: string, synced: string, eacs: string[]): UsageSegment {
  const meter = [s.meter.cds_meterdevice_id];
  const metered = { quality: "revenue" as const, related_meterdevices: meter, tier: null, season: null };
  let formats: ValueFormat[];
  let values: ValueSet;
  if (s.service === "electric") {
    const forward = kWh(t.peak + t.offPeak);
    if (p.solar) {
      formats = [
        { id: "forward", type: "electric_usage", units: "kWh", direction: "forward", ...metered },
        { id: "reverse", type: "electric_usage", units: "kWh", direction: "reverse", ...metered },
        { id: "net", type: "electric_usage", units: "kWh", direction: "net", ...metered },
        { id: "bill", type: "cost", currency: "USD", indexes: [2] },
        { id: "mix-own", type: "electric_supply_mix", indexes: [0], attribution: "individual", supply_type: "solar" },
        { id: "mix-residual", type: "electric_supply_mix", indexes: [0], attribution: "residual", supply_type: "general" },
      ];
      values = [{ eu: forward }, { eu: -kWh(t.exported) }, { eu: round(forward - kWh(t.exported), 3) }, { c: sectionTotal }, { sm: SOLAR_SHARE, ci: 0, ...(eacs.length ? { eacs } : {}) }, { sm: 1 - SOLAR_SHARE, ci: 455 }];
    } else {
      formats = [
        { id: "usage", type: "electric_usage", units: "kWh", direction: "forward", ...metered },
        { id: "usage-peak", type: "electric_usage", units: "kWh", direction: "forward", tou: "peak", ...metered },
        { id: "usage-off-peak", type: "electric_usage", units: "kWh", direction: "forward", tou: "off_peak", ...metered },
        { id: "bill", type: "cost", currency: "USD", indexes: [0] },
        { id: "mix", type: "electric_supply_mix", indexes: [0], attribution: "base", supply_type: "general" },
        { id: "mix-carbonfree", type: "electric_supply_mix", indexes: [0], attribution: "base", supply_type: "carbonfree" },
      ];
      values = [{ eu: forward }, { eu: kWh(t.peak) }, { eu: kWh(t.offPeak) }, { c: sectionTotal }, { sm: 1, ci: 410 }, { sm: 0.42 }];
      if (p.commercial) {
        formats.push({ id: "demand", type: "electric_demand", units: "kW", demand_type: "peak", direction: "forward", ...metered });
        values.push({ ed: t.peakDemand / 1000 });
      }
    }
  } else if (s.service === "natural_gas") {
    formats = [{ id: "gas", type: "natural_gas_usage", units: "therm", ...metered }, { id: "bill", type: "cost", currency: "USD", indexes: [0] }];
    values = [{ gu: t.volume / 1000 }, { c: sectionTotal }];
  } else {
    formats = [{ id: "water", type: "water_usage", units: "gal", ...metered }, { id: "bill", type: "cost", currency: "USD", indexes: [0] }];
    values = [{ wu: t.volume }, { c: sectionTotal }];
  }
  return {
    cds_usagesegment_id: `us-${s.meter.cds_meterdevice_id}-m${month.label}`,
    cds_created: stamp,
    cds_modified: stamp,
    cds_synced: synced,
    ...related(s, [sectionId]),
    segment_start: isoOf(month.startMs),
    segment_end: isoOf(month.endMs),
    interval: (month.endMs - month.startMs) / 1000,
    formats,
    values: [values],
  };
}

export interface DaySegmentOptions {
  seed: number;
  intervalSeconds: number;
  until: string;
  /** Days before the newest interval day (0 = the newest). */
  age: number;
  /** The section of the day's billing month, when billed. */
  sectionId: string | null;
  /** Whether this meter's day has the disclosed outage. */
  outage: boolean;
}

/** Quality and timestamps of a day's segment (see the module comment). */
function dayState(dayEndMs: number, o: DaySegmentOptions) {
  const until = Date.parse(o.until);
  const at = (ms: number) => isoOf(Math.min(ms, until));
  const created = at(dayEndMs + 30 * 60_000);
  if (o.age === 0) return { quality: "raw" as const, created, modified: created };
  if (o.age === 1) return { quality: "estimated" as const, created, modified: created };
  // Validation replaces the day a day later, or four days later when the first estimate had to be revisited.
  const validatedAfterDays = o.age % 5 === 2 ? 4 : 1;
  return { quality: "revenue" as const, created, modified: at(dayEndMs + validatedAfterDays * DAY_MS + 3 * 3_600_000) };
}

export function daySegment(s: DemoService, p: MeterProfile, dayStartMs: number, o: DaySegmentOptions): UsageSegment {
  const dayEndMs = dayStartMs + DAY_MS;
  const state = dayState(dayEndMs, o);
  const metered = { quality: state.quality, related_meterdevices: [s.meter.cds_meterdevice_id] };
  const interval = s.service === "electric" ? o.intervalSeconds : Math.max(o.intervalSeconds, 3600);
  const perDay = 86_400 / interval;
  let formats: ValueFormat[];
  let sets: ValueSet[];
  if (s.service === "electric") {
    const { forward, reverse } = electricIntervals(electricDay(o.seed, p, dayStartMs), perDay);
    const hours = forward.map((_, j) => hourOf(j, perDay));
    if (p.solar) {
      formats = [
        { id: "forward", type: "electric_usage", units: "kWh", direction: "forward", tou: null, ...metered },
        { id: "reverse", type: "electric_usage", units: "kWh", direction: "reverse", tou: null, ...metered },
        { id: "net", type: "electric_usage", units: "kWh", direction: "net", tou: null, ...metered },
        { id: "cost", type: "cost", currency: "USD", indexes: [0, 1] },
        { id: "mix-own", type: "electric_supply_mix", indexes: [0], attribution: "individual", supply_type: "solar" },
        { id: "mix-residual", type: "electric_supply_mix", indexes: [0], attribution: "residual", supply_type: "general" },
      ];
      sets = forward.map((f, j) => [
        { eu: kWh(f) },
        { eu: kWh(reverse[j]!) },
        { eu: kWh(f + reverse[j]!) },
        { c: round(kWh(f) * energyRate(hours[j]!) + kWh(reverse[j]!) * EXPORT_CREDIT, 5) },
        { sm: SOLAR_SHARE, ci: 0 },
        { sm: 1 - SOLAR_SHARE, ci: carbon(hours[j]!) + 25 },
      ]);
    } else {
      formats = [
        { id: "usage", type: "electric_usage", units: "kWh", direction: "forward", ...metered },
        { id: "cost", type: "cost", currency: "USD", indexes: [0] },
        { id: "mix", type: "electric_supply_mix", indexes: [0], attribution: "base", supply_type: "general" },
      ];
      sets = forward.map((f, j) => [{ eu: kWh(f) }, { c: round(kWh(f) * energyRate(hours[j]!), 5) }, { sm: 1, ci: carbon(hours[j]!) }]);
      if (p.commercial) {
        // Average demand over the interval: its energy over its length.
        formats.push({ id: "demand", type: "electric_demand", units: "kW", demand_type: "average", direction: "forward", ...metered });
        sets.forEach((set, j) => set.push({ ed: round((kWh(forward[j]!) * 3600) / interval, 3) }));
      }
    }
  } else {
    const gas = s.service === "natural_gas";
    const total = volumeDay(o.seed, p, dayStartMs);
    const parts = volumeIntervals(total, perDay);
    // The register's reading at each interval's start; where it stood at the day's start is made up per meter.
    let register = Math.round(hashUnit(o.seed, s.meter.cds_meterdevice_id, "register") * 40_000_000) + Math.round((dayStartMs / DAY_MS) * (gas ? 4000 : 400));
    formats = [
      gas ? { id: "gas", type: "natural_gas_usage", units: "therm", ...metered } : { id: "water", type: "water_usage", units: "gal", ...metered },
      { id: "register", type: "meter_readings", related_meterdevice: s.meter.cds_meterdevice_id, register: "1", units: gas ? "therm" : "gal" },
    ];
    sets = parts.map((v) => {
      const reading = { r: gas ? (register / 1000).toFixed(3) : String(register) };
      register += v;
      return [gas ? { gu: v / 1000 } : { wu: v }, reading];
    });
  }
  if (o.outage) {
    // 14:00–16:00 local: no data, disclosed as a gap (§10.8.3) rather than left out.
    sets = sets.map((set, j) => (hourOf(j, perDay) >= 14 && hourOf(j, perDay) < 16 ? set.map(() => null) : set));
  }
  return {
    cds_usagesegment_id: `us-${s.meter.cds_meterdevice_id}-d${dateOfDayStart(dayStartMs).replaceAll("-", "")}`,
    cds_created: state.created,
    cds_modified: state.modified,
    cds_synced: o.until,
    ...related(s, o.sectionId ? [o.sectionId] : []),
    segment_start: isoOf(dayStartMs),
    segment_end: isoOf(dayEndMs),
    interval,
    formats,
    values: sets,
  };
}

/** A building Aggregation's month: one column per meter, named on its format, and the building's total. */
export function buildingSegment(aggregationId: string, meters: readonly { service: DemoService; totals: MeteredMonth }[], month: BillingMonth, stamp: string, synced: string): UsageSegment {
  const ids = meters.map((m) => m.service.meter.cds_meterdevice_id);
  const formats: ValueFormat[] = meters.map((m, n) => ({ id: `meter-${n + 1}`, type: "electric_usage", units: "kWh", direction: "forward", quality: "revenue", related_meterdevices: [m.service.meter.cds_meterdevice_id] }));
  formats.push({ id: "building", type: "electric_usage", units: "kWh", direction: "forward", quality: "revenue", related_meterdevices: ids });
  const values = meters.map((m) => ({ eu: kWh(m.totals.peak + m.totals.offPeak) }));
  values.push({ eu: kWh(meters.reduce((a, m) => a + m.totals.peak + m.totals.offPeak, 0)) });
  return {
    cds_usagesegment_id: `us-${aggregationId}-m${month.label}`,
    cds_created: stamp,
    cds_modified: stamp,
    cds_synced: synced,
    related_aggregations: [aggregationId],
    related_accounts: [...new Set(meters.map((m) => m.service.account.cds_account_id))],
    related_servicecontracts: meters.map((m) => m.service.contract.cds_servicecontract_id),
    related_servicepoints: meters.map((m) => m.service.point.cds_servicepoint_id),
    related_meterdevices: ids,
    related_billsections: [],
    segment_start: isoOf(month.startMs),
    segment_end: isoOf(month.endMs),
    interval: (month.endMs - month.startMs) / 1000,
    formats,
    values: [values],
  };
}
