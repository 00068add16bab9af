/**
 * The demo utility's metered quantities, as pure functions of (seed, meter,
 * day): a day's totals never depend on which other days or meters were
 * generated first, so bills (whole months of daily totals) and interval
 * segments (a few days split into intervals) agree exactly, and a large seed
 * can make one without the other.
 *
 * Amounts are integers in the smallest unit kept (Wh, millitherms, gallons),
 * so sums are exact; they become decimals only when written into objects.
 *
 * A demo day runs from 06:00 UTC to 06:00 UTC (midnight at a fixed UTC−6
 * offset; the demo town keeps no daylight saving time).
 */
export const DAY_MS = 86_400_000;
/** Where a demo day starts, in hours after 00:00 UTC. */
export const DAY_START_HOUR_UTC = 6;

/** A float in [0, 1) from the seed and the parts: FNV-1a over their text, then a mulberry32 finish. */
export function hashUnit(seed: number, ...parts: (string | number)[]): number {
  let h = 0x811c9dc5 ^ seed;
  const text = parts.join("\u0001");
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  let x = (h + 0x6d2b79f5) >>> 0;
  x = Math.imul(x ^ (x >>> 15), x | 1);
  x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
  return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
}

export type MeterService = "electric" | "natural_gas" | "water";

/** What decides a meter's profile. */
export interface MeterProfile {
  meterId: string;
  service: MeterService;
  commercial: boolean;
  solar: boolean;
  ev: boolean;
}

/** The time-of-use buckets of an electric day (local hours): peak 16–21, the solar window 9–16, off-peak the rest. */
export const PEAK_HOURS = [16, 21] as const;
export const SOLAR_HOURS = [9, 16] as const;

/** One electric day, in Wh. `export` is what rooftop solar fed to the grid (0 without solar); consumption in the solar window is `window`. */
export interface ElectricDay {
  peak: number;
  offPeak: number;
  window: number;
  export: number;
}

/** Month (0–11) of a demo day. */
const monthOf = (dayStartMs: number) => new Date(dayStartMs).getUTCMonth();
const weekend = (dayStartMs: number) => [0, 6].includes(new Date(dayStartMs - DAY_START_HOUR_UTC * 3_600_000).getUTCDay());

/** Relative cooling/heating need by month: January first. */
const cooling = [0.9, 0.85, 0.85, 0.9, 1.05, 1.3, 1.45, 1.4, 1.15, 0.95, 0.9, 0.95];
const heating = [1.9, 1.7, 1.3, 0.8, 0.45, 0.25, 0.2, 0.2, 0.35, 0.8, 1.3, 1.8];
const sunshine = [0.45, 0.6, 0.8, 1.0, 1.15, 1.25, 1.3, 1.2, 1.0, 0.75, 0.5, 0.4];

export function electricDay(seed: number, m: MeterProfile, dayStartMs: number): ElectricDay {
  const noise = 0.85 + 0.3 * hashUnit(seed, m.meterId, dayStartMs);
  const month = monthOf(dayStartMs);
  const base = m.commercial ? 240_000 * (weekend(dayStartMs) ? 0.4 : 1) : 17_000;
  const total = Math.round(base * cooling[month]! * noise);
  const peak = Math.round(total * (m.commercial ? 0.3 : 0.36));
  const window = Math.round(total * (m.commercial ? 0.4 : 0.28));
  // EV charging happens overnight, off-peak, on most days.
  const ev = m.ev && hashUnit(seed, m.meterId, dayStartMs, "ev") < 0.6 ? 6_000 + Math.round(6_000 * hashUnit(seed, m.meterId, dayStartMs, "evkwh")) : 0;
  const offPeak = total - peak - window + ev;
  if (!m.solar) return { peak, offPeak, window, export: 0 };
  // Rooftop solar covers the window's load and exports the rest (behind the meter, self-use is not seen).
  const generation = Math.round(26_000 * sunshine[month]! * (0.4 + 0.6 * hashUnit(seed, m.meterId, dayStartMs, "sun")));
  return { peak, offPeak, window: 0, export: Math.max(generation - window, 0) };
}

/** A gas day in millitherms, a water day in gallons. */
export function volumeDay(seed: number, m: MeterProfile, dayStartMs: number): number {
  const noise = 0.85 + 0.3 * hashUnit(seed, m.meterId, dayStartMs);
  const month = monthOf(dayStartMs);
  if (m.service === "natural_gas") return Math.round((m.commercial ? 22_000 : 3_200) * heating[month]! * noise + (m.commercial ? 4_000 : 400));
  return Math.round((m.commercial ? 900 : 160) * (weekend(dayStartMs) ? 0.5 : 1) * noise);
}

/** The local hour (fractional) at which interval j of a day of `perDay` intervals starts. */
export const hourOf = (j: number, perDay: number) => (j * 24) / perDay;

/**
 * Splits `total` over the intervals whose weight is positive, in proportion,
 * as integers that add up to `total` exactly (the remainder goes to the
 * heaviest interval).
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const out = weights.map(() => 0);
  if (sum <= 0 || total === 0) return out;
  let given = 0;
  let heaviest = 0;
  for (let j = 0; j < weights.length; j++) {
    out[j] = Math.floor((total * weights[j]!) / sum);
    given += out[j]!;
    if (weights[j]! > weights[heaviest]!) heaviest = j;
  }
  out[heaviest]! += total - given;
  return out;
}

const inHours = (h: number, [from, to]: readonly [number, number]) => h >= from && h < to;
const bump = (h: number, at: number, width: number) => Math.exp(-((h - at) ** 2) / width);

/** Per-interval weights of each electric bucket for `perDay` intervals a day. */
export function electricWeights(perDay: number) {
  const peak: number[] = [];
  const offPeak: number[] = [];
  const window: number[] = [];
  const solar: number[] = [];
  for (let j = 0; j < perDay; j++) {
    const h = hourOf(j, perDay) + 12 / perDay;
    const load = 1 + bump(h, 18.5, 4) + 0.5 * bump(h, 7.5, 2);
    peak.push(inHours(h, PEAK_HOURS) ? load : 0);
    window.push(inHours(h, SOLAR_HOURS) ? load : 0);
    offPeak.push(!inHours(h, PEAK_HOURS) && !inHours(h, SOLAR_HOURS) ? load + (h < 5 ? 0.6 : 0) : 0);
    solar.push(inHours(h, SOLAR_HOURS) ? Math.sin((Math.PI * (h - SOLAR_HOURS[0])) / (SOLAR_HOURS[1] - SOLAR_HOURS[0])) + 0.05 : 0);
  }
  return { peak, offPeak, window, solar };
}

/** A day's electric intervals (Wh): what came from the grid (≥ 0) and what went to it (≤ 0). */
export function electricIntervals(day: ElectricDay, perDay: number): { forward: number[]; reverse: number[] } {
  const w = electricWeights(perDay);
  const p = allocate(day.peak, w.peak);
  const o = allocate(day.offPeak, w.offPeak);
  const win = allocate(day.window, w.window);
  const exp = allocate(day.export, w.solar);
  return { forward: p.map((v, j) => v + o[j]! + win[j]!), reverse: exp.map((v) => (v === 0 ? 0 : -v)) };
}

/** A day's gas or water intervals, in the day's units. */
export function volumeIntervals(total: number, perDay: number): number[] {
  const weights: number[] = [];
  for (let j = 0; j < perDay; j++) {
    const h = hourOf(j, perDay) + 12 / perDay;
    weights.push(0.5 + bump(h, 7, 3) + 0.8 * bump(h, 19, 4));
  }
  return allocate(total, weights);
}
