/**
 * Calendar arithmetic on calendar dates (`YYYY-MM-DD`) and the Brussels wall clock at an
 * instant (to show it, and to compare typed dates with today). The other way, a typed
 * Brussels date and time → the UTC instant of a deadline, is decided in Rust only
 * (`api.brusselsInstant`, chrono-tz): never here. Formatting for the eye is in format.ts.
 */
import { BRUSSELS_WALL_CLOCK, madeOnFirstUse } from "./format";

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
/** A calendar date written `YYYY-MM-DD`. */
export const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A time of day written `HH:MM` (24 h). */
export const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** English digits and order whatever the PC's language; to the second. */
const wallClock = madeOnFirstUse(() => new Intl.DateTimeFormat("en-GB", { ...BRUSSELS_WALL_CLOCK, second: "2-digit" }));

/** The Brussels wall clock at `ms`, written as if it were UTC (to read its parts). */
function wallAsUtc(ms: number): number {
  const p: Record<string, number> = {};
  for (const part of wallClock().formatToParts(new Date(ms))) {
    if (part.type !== "literal") p[part.type] = Number(part.value);
  }
  return Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
}

/** The calendar day in Brussels at the instant `ms` (`YYYY-MM-DD`). */
export function brusselsDay(ms: number): string {
  return new Date(wallAsUtc(ms)).toISOString().slice(0, 10);
}

/** The Brussels wall clock at the instant `ms`: its day (`YYYY-MM-DD`) and time (`HH:MM`). */
export function brusselsWallClock(ms: number): { day: string; time: string } {
  const iso = new Date(wallAsUtc(ms)).toISOString();
  return { day: iso.slice(0, 10), time: iso.slice(11, 16) };
}

/** `2027-03-12` + 14 → `2027-03-26` (calendar days). */
export function addDays(date: string, days: number): string {
  const d = DATE_RE.exec(date);
  if (!d) return date;
  return new Date(Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]) + days)).toISOString().slice(0, 10);
}

/** A real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}
