/**
 * Belgian formats for amounts, numbers and dates (fr-BE, Europe/Brussels).
 *
 * Amounts are integer cents and decimals arrive as strings ("72.50"): they are formatted by
 * working on their digits, never turned into floats.
 */
import { t } from "./i18n";

/** Whether an amount excludes or includes VAT; always said next to the amount. */
export type VatBasis = "htva" | "tvac";

const LOCALE = "fr-BE";
export const TIME_ZONE = "Europe/Brussels";
/** Thousands separator of fr-BE (narrow no-break space). */
const GROUP = "\u202f";
/** Space that never breaks (between the number, € and HTVA). */
const NBSP = "\u00a0";

/** Groups the digits of a non-negative integer written in base 10: "1234567" → "1 234 567". */
function groupDigits(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, GROUP);
}

/** `123456` cents → `1 234,56 € HTVA`. */
export function formatMoney(cents: number, basis: VatBasis): string {
  const whole = Number.isFinite(cents) ? Math.round(cents) : 0;
  const negative = whole < 0;
  const abs = Math.abs(whole);
  const euros = (abs - (abs % 100)) / 100;
  const rest = abs % 100;
  const amount = `${negative ? "-" : ""}${groupDigits(String(euros))},${String(rest).padStart(2, "0")}`;
  return `${amount}${NBSP}€${NBSP}${t(`format.basis.${basis}`)}`;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** A decimal sent as a string: `"72.50"` → `72,50`; `"1234"` → `1 234`. Unknown text is kept. */
export function formatDecimal(value: string): string {
  const m = DECIMAL.exec(value.trim());
  if (!m) return value;
  const [, sign, int, frac] = m;
  return `${sign}${groupDigits(int ?? "")}${frac ? `,${frac}` : ""}`;
}

/** A whole number with Belgian grouping: 12345 → `12 345`. */
export function formatInteger(n: number): string {
  const whole = Math.trunc(n);
  return `${whole < 0 ? "-" : ""}${groupDigits(String(Math.abs(whole)))}`;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * An `Intl` format made on first use, not as the module loads: making one takes about 10 ms on
 * a PC of 2 cores the first time (ICU reads the time zone and the locale's patterns), which the
 * window's first screen does not have to wait for when it shows no time (issue 19 §5).
 */
export function madeOnFirstUse<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}

/** The parts of an instant on the Brussels wall clock, to the minute (24 h). */
export const BRUSSELS_WALL_CLOCK: Intl.DateTimeFormatOptions = {
  timeZone: TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
};

const dateParts = madeOnFirstUse(() => new Intl.DateTimeFormat(LOCALE, BRUSSELS_WALL_CLOCK));

type Parts = { day: string; month: string; year: string; hour: string; minute: string };

function brusselsParts(date: Date): Parts {
  const out: Parts = { day: "", month: "", year: "", hour: "", minute: "" };
  for (const p of dateParts().formatToParts(date)) {
    if (p.type in out) out[p.type as keyof Parts] = p.value;
  }
  return out;
}

/** True for a calendar date without time (`YYYY-MM-DD`). */
export function isDateOnly(value: string): boolean {
  return DATE_ONLY.test(value);
}

/** True for a date with a time (ISO 8601 date-time). */
export function isDateTime(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) && !Number.isNaN(Date.parse(value));
}

/**
 * `2027-03-12` → `12/03/2027` (a calendar date: no time-zone shift);
 * a date-time → its day in Brussels.
 */
export function formatDate(value: string): string {
  const m = DATE_ONLY.exec(value);
  if (m) return `${m[3]}/${m[2]}/${m[1]}`;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  const p = brusselsParts(date);
  return `${p.day}/${p.month}/${p.year}`;
}

/** The hour in Brussels: `14:05`. */
export function formatTime(value: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  const p = brusselsParts(date);
  return `${p.hour}:${p.minute}`;
}

/** `12/03/2027 à 14:05` (Brussels time). A plain date is shown without an hour. */
export function formatDateTime(value: string): string {
  if (isDateOnly(value)) return formatDate(value);
  return t("format.dateTime", { date: formatDate(value), time: formatTime(value) });
}

/** `14/03/2027 à 12:00 (heure de Bruxelles)`: for deadlines, where the hour matters. */
export function formatDeadline(value: string): string {
  if (isDateOnly(value)) return formatDate(value);
  return t("format.deadline", { date: formatDate(value), time: formatTime(value) });
}

const relative = madeOnFirstUse(() => new Intl.RelativeTimeFormat(LOCALE, { numeric: "auto" }));

/**
 * How long ago (or in how long) from `now`: « à l'instant », « il y a 2 minutes »,
 * « dans 3 heures », « hier »; beyond a week, « le 12/03/2027 à 14:05 ».
 */
export function formatRelative(value: string, now: Date | number): string {
  const then = Date.parse(value);
  if (Number.isNaN(then)) return value;
  const nowMs = typeof now === "number" ? now : now.getTime();
  const seconds = (then - nowMs) / 1000;
  const abs = Math.abs(seconds);
  if (abs < 45) return t("time.justNow");
  if (abs < 45 * 60) return relative().format(Math.round(seconds / 60), "minute");
  if (abs < 22 * 3600) return relative().format(Math.round(seconds / 3600), "hour");
  if (abs < 7 * 86400) return relative().format(Math.round(seconds / 86400), "day");
  return t("time.onDate", { date: formatDateTime(value) });
}
