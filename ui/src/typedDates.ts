/**
 * Dates and times as a person types them in Belgium: day first (`01/04/2027` is 1 April) and
 * 24 h (`14:30`), whatever the PC's language. The forms' text fields read them here and keep
 * the calendar values of calendar.ts (`YYYY-MM-DD`, `HH:MM`); nothing here asks the browser's
 * locale, so an English PC cannot turn 1 April into 4 January.
 */
import { isIsoDate } from "./calendar";

/** `1/4/2027`, `01-04-2027`, `01.04.2027`: day, month, four-digit year, one separator. */
const DAY_FIRST = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/;
/** `2027-04-01`, what a date picker or the portal sends: year first cannot be misread. */
const YEAR_FIRST = /^\d{4}-\d{2}-\d{2}$/;
/** `9:05`, `14h30`, `14.30`, `14 h 30`, `14h`: hours 0–23 then minutes, never AM/PM. */
const TIME_24 = /^(\d{1,2})\s*(?:[:.]\s*(\d{2})|[hH]\s*(\d{2})?)$/;

/**
 * A date typed day first as its calendar date (`01/04/2027` → `2027-04-01`), or null when it
 * is not a real date written that way (`31/04/2027`, `01/04/27`, `04/13/2027`).
 */
export function readTypedDate(text: string): string | null {
  const typed = text.trim();
  if (YEAR_FIRST.test(typed)) return isIsoDate(typed) ? typed : null;
  const m = DAY_FIRST.exec(typed);
  if (!m) return null;
  const iso = `${m[4]}-${(m[3] ?? "").padStart(2, "0")}-${(m[1] ?? "").padStart(2, "0")}`;
  return isIsoDate(iso) ? iso : null;
}

/** A time typed on 24 hours as `HH:MM` (`9:05` → `09:05`, `14h30` → `14:30`), or null. */
export function readTypedTime(text: string): string | null {
  const m = TIME_24.exec(text.trim());
  if (!m) return null;
  const hours = Number(m[1]);
  const minutes = Number(m[2] ?? m[3] ?? "0");
  if (hours > 23 || minutes > 59) return null;
  return `${String(hours).padStart(2, "0")}:${String(minutes).padStart(2, "0")}`;
}

/** A calendar date as the field shows it (`2027-04-01` → `01/04/2027`); other text as it is. */
export function dateForField(value: string): string {
  if (!isIsoDate(value)) return value;
  const [y, m, d] = value.split("-");
  return `${d}/${m}/${y}`;
}
