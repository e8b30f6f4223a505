/**
 * Calendar arithmetic in Brussels: calendar dates (`YYYY-MM-DD`), the Brussels wall clock and
 * the UTC instants the server stores, right on both sides of the summer-time changes.
 * Formatting for the eye is in format.ts.
 */
import { TIME_ZONE } from "./format";

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
/** A calendar date written `YYYY-MM-DD`. */
export const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A time of day written `HH:MM` (24 h). */
export const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

const wallClock = new Intl.DateTimeFormat("en-GB", {
  timeZone: TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

/** The Brussels wall clock at `ms`, as if it were UTC (to subtract one from the other). */
function wallAsUtc(ms: number): number {
  const p: Record<string, number> = {};
  for (const part of wallClock.formatToParts(new Date(ms))) {
    if (part.type !== "literal") p[part.type] = Number(part.value);
  }
  return Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
}

/** Minutes Brussels is ahead of UTC at the instant `ms` (60 in winter, 120 in summer). */
export function brusselsOffsetMinutes(ms: number): number {
  return Math.round((wallAsUtc(ms) - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** The calendar day in Brussels at the instant `ms` (`YYYY-MM-DD`). */
export function brusselsDay(ms: number): string {
  return new Date(wallAsUtc(ms)).toISOString().slice(0, 10);
}

/**
 * A Brussels wall-clock date and time (`2027-03-26`, `12:00`) as a UTC instant
 * (`2027-03-26T11:00:00Z`), right on both sides of the summer-time changes. Null for an
 * unreadable date or time, or for a time that does not exist that day (02:30 on the last
 * Sunday of March); in the hour that happens twice (October), the first one.
 */
export function brusselsToUtc(date: string, time: string): string | null {
  const d = DATE_RE.exec(date);
  const h = TIME_RE.exec(time);
  if (!d || !h) return null;
  const wall = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(h[1]), Number(h[2]));
  if (Number.isNaN(wall) || new Date(wall).toISOString().slice(0, 10) !== date) return null;
  // The offset at the wall time read as UTC, then at the instant it gives: two tries settle it.
  let instant = wall - brusselsOffsetMinutes(wall) * 60_000;
  const second = wall - brusselsOffsetMinutes(instant) * 60_000;
  if (wallAsUtc(second) === wall) instant = second;
  if (wallAsUtc(instant) !== wall) return null;
  // In the hour that happens twice, the earlier instant.
  if (wallAsUtc(instant - HOUR_MS) === wall) instant -= HOUR_MS;
  return new Date(instant).toISOString().replace(".000Z", "Z");
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
