/**
 * CDS-WG3-01 §7.3 durations: relative values resolved to absolute ones at
 * approval (what Grants and tokens carry), and the plain words the Duration
 * Component (§9.2.2.2) shows for them.
 */
import { isDuration } from "../customer-data/authorization-details/validate.js";

/** Fields whose relative values count back from the approval (§7.3.2, §7.3.4, §7.3.6; spec/ERRATA.md E-WG3-01-5). */
const BACKWARD = new Set(["statement_date_start", "start_date", "segment_start"]);
/** Fields that hold a date, not a date-time. */
const DATE_ONLY = new Set(["statement_date_start", "statement_date_end", "start_date", "end_date"]);
export const DURATION_FIELDS = ["sync_until", "statement_date_start", "statement_date_end", "start_date", "end_date", "segment_start", "segment_end", "expires"] as const;

interface Parts {
  sign: 1 | -1;
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

function parse(duration: string): Parts {
  const m = /^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(duration);
  if (!m) throw new Error(`not a duration: ${duration}`);
  const n = (i: number) => Number(m[i] ?? 0);
  return { sign: m[1] ? -1 : 1, years: n(2), months: n(3), weeks: n(4), days: n(5), hours: n(6), minutes: n(7), seconds: n(8) };
}

function isZero(p: Parts): boolean {
  return p.years + p.months + p.weeks + p.days + p.hours + p.minutes + p.seconds === 0;
}

/** `at` moved by the duration (calendar arithmetic in UTC), forwards or backwards. */
function shift(at: Date, p: Parts, direction: 1 | -1): Date {
  const s = p.sign * direction;
  const d = new Date(at.getTime());
  d.setUTCFullYear(d.getUTCFullYear() + s * p.years, d.getUTCMonth() + s * p.months, d.getUTCDate() + s * (p.weeks * 7 + p.days));
  return new Date(d.getTime() + s * ((p.hours * 60 + p.minutes) * 60 + p.seconds) * 1000);
}

/** The absolute value of a duration field at `approvedAt` (§7.3): `infinite` and absolute values stay as they are. */
export function resolveDuration(field: string, value: string, approvedAt: Date): string {
  if (value === "infinite" || !isDuration(value)) return value;
  const at = shift(approvedAt, parse(value), BACKWARD.has(field) ? -1 : 1);
  return DATE_ONLY.has(field) ? at.toISOString().slice(0, 10) : at.toISOString().replace(/\.\d{3}Z$/, "Z");
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** "1 year", "2 years and 3 months": how long a relative value is, in words. */
export function durationInWords(value: string): string {
  const p = parse(value.replace(/^-/, ""));
  const words = [
    p.years && plural(p.years, "year"),
    p.months && plural(p.months, "month"),
    p.weeks && plural(p.weeks, "week"),
    p.days && plural(p.days, "day"),
    p.hours && plural(p.hours, "hour"),
    p.minutes && plural(p.minutes, "minute"),
  ].filter(Boolean) as string[];
  if (!words.length) return "no time";
  return words.length === 1 ? words[0]! : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

const longDate = (iso: string) => new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso).toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });

const isNow = (value: string) => isDuration(value) && isZero(parse(value));

/** What a range of history and future means, for one kind of data (§9.2.2.2). */
export function rangeSentence(what: string, start: string, end: string): string {
  const past = start === "infinite" ? `all your past ${what}` : isNow(start) ? null : isDuration(start) ? `your ${what} from the past ${durationInWords(start)}` : `your ${what} since ${longDate(start)}`;
  const future = end === "infinite" ? `new ${what} until you stop this in your settings` : isNow(end) ? null : isDuration(end) ? `new ${what} for the next ${durationInWords(end)}` : `new ${what} until ${longDate(end)}`;
  if (past && future) return `Access to ${past}, and to ${future}`;
  if (past) return `Access to ${past} only, and to none going forward`;
  if (future) return `Access going forward only, to ${future}; none of your past ${what}`;
  return `No ${what}: the time range asked for is empty`;
}

/** For how long shared lists keep being updated (`sync_until`, §9.2.2.2). */
export function syncSentence(what: string, syncUntil: string): string {
  if (syncUntil === "infinite") return `Your ${what} stay up to date until you stop this in your settings`;
  if (isNow(syncUntil)) return `Only your current ${what}, with no updates after today`;
  if (isDuration(syncUntil)) return `Your ${what} stay up to date for ${durationInWords(syncUntil)}`;
  return `Your ${what} stay up to date until ${longDate(syncUntil)}`;
}

/** The Duration Component's statements for one scope's resolved-to-words entry. */
export function durationStatements(entry: Record<string, unknown>, listWhat: string | null): string[] {
  const out: string[] = [];
  const str = (k: string) => (typeof entry[k] === "string" ? (entry[k] as string) : undefined);
  if (str("statement_date_start") !== undefined || str("statement_date_end") !== undefined) out.push(rangeSentence("bills", str("statement_date_start") ?? "infinite", str("statement_date_end") ?? "infinite"));
  if (str("start_date") !== undefined || str("end_date") !== undefined) out.push(rangeSentence("bill details", str("start_date") ?? "infinite", str("end_date") ?? "infinite"));
  if (str("segment_start") !== undefined || str("segment_end") !== undefined) out.push(rangeSentence("meter usage", str("segment_start") ?? "infinite", str("segment_end") ?? "infinite"));
  if (str("expires") !== undefined) {
    const e = str("expires")!;
    out.push(
      e === "infinite"
        ? "This authorization stays valid until you stop it in your settings"
        : isNow(e)
          ? "This authorization is for this one request only; you will be asked again for any update"
          : isDuration(e)
            ? `This authorization stays valid for ${durationInWords(e)}`
            : `This authorization stays valid until ${longDate(e)}`,
    );
  }
  if (listWhat && str("sync_until") !== undefined) out.push(syncSentence(listWhat, str("sync_until")!));
  return out;
}
