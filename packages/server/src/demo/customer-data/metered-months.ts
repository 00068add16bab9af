/**
 * A metered service's totals over one billing month, summed from the same
 * daily figures the interval segments split (./profiles.ts), so a bill, its
 * billing-period usage segment and the days' interval segments agree.
 */
import type { BillingMonth } from "./calendar.js";
import type { DemoService } from "./generator.js";
import { allocate, electricDay, electricWeights, volumeDay, type MeterProfile } from "./profiles.js";

export interface MeteredMonth {
  /** Electric, in Wh: from the grid in the peak hours and the rest of the day, and to the grid (≥ 0 here). */
  peak: number;
  offPeak: number;
  exported: number;
  /** Gas (millitherms) or water (gallons). */
  volume: number;
  /** The highest interval demand of the peak hours, in W (commercial electric only, else 0). */
  peakDemand: number;
}

export function profileOf(s: DemoService, solar: boolean, ev: boolean, commercial: boolean): MeterProfile {
  const electric = s.service === "electric";
  return { meterId: s.meter.cds_meterdevice_id, service: s.service, commercial, solar: solar && electric, ev: ev && electric && !commercial };
}

export function meteredMonth(seed: number, profile: MeterProfile, month: BillingMonth, intervalSeconds: number): MeteredMonth {
  const totals: MeteredMonth = { peak: 0, offPeak: 0, exported: 0, volume: 0, peakDemand: 0 };
  const perDay = 86_400 / intervalSeconds;
  const peakWeights = profile.commercial && profile.service === "electric" ? electricWeights(perDay).peak : null;
  for (const day of month.days) {
    if (profile.service === "electric") {
      const e = electricDay(seed, profile, day);
      totals.peak += e.peak;
      totals.offPeak += e.offPeak + e.window;
      totals.exported += e.export;
      if (peakWeights) totals.peakDemand = Math.max(totals.peakDemand, Math.round((Math.max(...allocate(e.peak, peakWeights)) * 3600) / intervalSeconds));
    } else totals.volume += volumeDay(seed, profile, day);
  }
  return totals;
}
