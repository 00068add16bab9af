/**
 * Demo interval data for the "Interval data" page: one day of 15-minute
 * readings at a fictional home with rooftop solar, as a CDS-WG3-01 Usage
 * Segment (§10.8.1). It has forward, reverse and net usage, estimated
 * readings in a column of their own (quality is per column, §10.8.7.6), a
 * disclosed gap (`null` entries, §10.8.3), the cost of the net usage
 * (§10.8.5.2) and its supply mix (§10.8.5.3). The values follow smooth curves
 * (no randomness), so every build produces the same file. The segment is
 * decoded with the strict validators before it is written: the page shows
 * only what the contract accepts.
 *
 * The reference server has no demo usage yet; when it does, this page should
 * plot the server's demo data instead.
 */
import type { UsageSegment, ValueFormat, ValueSet } from "@cds-toolkit/types";
import { decodeUsageSegment } from "@cds-toolkit/validators";

/** Midnight UTC; the page states times in UTC, so the hours below read as they are written. */
const START = Date.UTC(2024, 5, 21, 0, 0, 0);
const INTERVAL = 900;
const ROWS = 96;
/** Intervals the meter did not report (02:00–04:00 local): estimated for the first hour, left as a gap after. */
const MISSED = { from: 8, to: 16, estimatedUntil: 12 };

const round = (value: number, digits = 3) => Number(value.toFixed(digits));

/** Household load, kWh per 15 minutes: a base load, a morning and an evening peak. */
function load(i: number): number {
  const hour = i / 4;
  const bump = (centre: number, width: number, height: number) => height * Math.exp(-(((hour - centre) / width) ** 2));
  return 0.12 + bump(7.5, 1.2, 0.25) + bump(19, 2, 0.45);
}

/** Rooftop solar, kWh per 15 minutes: a bell from 06:00 to 20:00. */
function solar(i: number): number {
  const hour = i / 4;
  return hour < 6 || hour > 20 ? 0 : 0.6 * Math.sin(((hour - 6) / 14) * Math.PI) ** 2;
}

/** Time-of-use price per kWh: peak 16:00–21:00. */
function price(i: number): number {
  const hour = i / 4;
  return hour >= 16 && hour < 21 ? 0.48 : 0.22;
}

/** The grid's share of solar, wind and gas through the day (the `base` attribution: the grid average). */
function gridMix(i: number): { solar: number; wind: number; gas: number } {
  const s = round(0.35 * Math.sin(Math.max(0, Math.min(1, (i / 4 - 6) / 14)) * Math.PI) ** 2, 4);
  const wind = round(0.2 + 0.1 * Math.cos((i / ROWS) * 2 * Math.PI), 4);
  return { solar: s, wind, gas: round(1 - s - wind, 4) };
}

export function demoUsageSegment(): UsageSegment {
  const formats: ValueFormat[] = [
    { id: "fwd", type: "electric_usage", units: "kWh", direction: "forward", quality: "valid", related_meterdevices: ["demo-meter-1"] },
    { id: "rev", type: "electric_usage", units: "kWh", direction: "reverse", quality: "valid", related_meterdevices: ["demo-meter-1"] },
    { id: "net", type: "electric_usage", units: "kWh", direction: "net", quality: "valid", related_meterdevices: ["demo-meter-1"] },
    { id: "net-est", type: "electric_usage", units: "kWh", direction: "net", quality: "estimated", related_meterdevices: ["demo-meter-1"] },
    { id: "cost", type: "cost", currency: "USD", indexes: [2] },
    { id: "mix-solar", type: "electric_supply_mix", indexes: [2], attribution: "base", supply_type: "solar" },
    { id: "mix-wind", type: "electric_supply_mix", indexes: [2], attribution: "base", supply_type: "wind" },
    { id: "mix-gas", type: "electric_supply_mix", indexes: [2], attribution: "base", supply_type: "natural_gas" },
  ];
  const values: ValueSet[] = [];
  for (let i = 0; i < ROWS; i++) {
    const forward = round(Math.max(0, load(i) - solar(i)));
    const reverse = round(Math.max(0, solar(i) - load(i)));
    const net = round(forward - reverse);
    const missed = i >= MISSED.from && i < MISSED.to;
    const estimated = missed && i < MISSED.estimatedUntil ? { eu: round(load(i)) } : null;
    const mix = gridMix(i);
    values.push([
      missed ? null : { eu: forward },
      missed ? null : { eu: reverse },
      missed ? null : { eu: net },
      estimated,
      missed ? null : { c: round(net * price(i), 4) },
      missed ? null : { sm: mix.solar, ci: 40 },
      missed ? null : { sm: mix.wind, ci: 11 },
      missed ? null : { sm: mix.gas, ci: 490 },
    ]);
  }
  const at = (offset: number) => new Date(START + offset * 1000).toISOString().replace(".000Z", "Z");
  const segment = {
    cds_usagesegment_id: "demo-segment-2024-06-21",
    cds_created: at(ROWS * INTERVAL + 3600),
    cds_modified: at(ROWS * INTERVAL + 3600),
    cds_synced: at(ROWS * INTERVAL + 3600),
    related_aggregations: [],
    related_accounts: ["demo-account-1"],
    related_servicecontracts: ["demo-contract-1"],
    related_servicepoints: ["demo-servicepoint-1"],
    related_meterdevices: ["demo-meter-1"],
    related_billsections: [],
    segment_start: at(0),
    segment_end: at(ROWS * INTERVAL),
    interval: INTERVAL,
    formats,
    values,
  } as UsageSegment;
  const decoded = decodeUsageSegment(segment, "strict");
  if (!decoded.ok) throw new Error(`the demo Usage Segment does not validate: ${decoded.errors.map((e) => e.message).join("; ")}`);
  return segment;
}
