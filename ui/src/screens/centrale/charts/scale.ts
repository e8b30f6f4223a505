/**
 * Helpers for the overview's charts: axis scales, month labels, short amounts, top-N lists.
 *
 * Numbers here only place shapes on a drawing (counts, days). Amounts stay integer cents and
 * decimals arrive as strings; what the user reads is formatted from those, never from floats.
 */
import { formatInteger } from "../../../format";
import { intlLocale } from "../../../i18n";

/** An axis from 0 to a round maximum, with its tick values. */
export type Scale = { max: number; ticks: number[] };

/**
 * A round axis for whole numbers from 0 to at least `max`: steps of 1, 2 or 5 × 10ⁿ (never
 * less than 1), about `target` of them. `max` ≤ 0 gives 0–1.
 */
export function niceScale(max: number, target = 4): Scale {
  if (!(max > 0) || !Number.isFinite(max)) return { max: 1, ticks: [0, 1] };
  const raw = max / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power);
  const top = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let i = 0; i * step <= top; i += 1) ticks.push(i * step);
  return { max: top, ticks };
}

/** Cents → whole euros for a chart label, rounded to the nearest euro: `1234550` → `12 346 €`. */
export function formatEuros(cents: number): string {
  const whole = Number.isFinite(cents) ? Math.round(cents) : 0;
  const sign = whole < 0 ? -1 : 1;
  const euros = sign * Math.floor((Math.abs(whole) + 50) / 100);
  return `${formatInteger(euros)}\u00a0€`;
}

const MONTH = /^(\d{4})-(\d{2})$/;

function monthDate(month: string): Date | null {
  const m = MONTH.exec(month);
  if (!m) return null;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
}

const monthFormats = new Map<string, Intl.DateTimeFormat>();

function monthFormat(style: "long" | "short" | "shortNoYear"): Intl.DateTimeFormat {
  let f = monthFormats.get(style);
  if (!f) {
    f = new Intl.DateTimeFormat(intlLocale(), {
      timeZone: "UTC",
      month: style === "long" ? "long" : "short",
      ...(style === "shortNoYear" ? {} : { year: "numeric" }),
    });
    monthFormats.set(style, f);
  }
  return f;
}

/**
 * `2026-01` → `janvier 2026` (long), `janv. 2026` (short), `janv.` (shortNoYear).
 * Unknown text is returned as it is.
 */
export function formatMonth(month: string, style: "long" | "short" | "shortNoYear" = "long"): string {
  const d = monthDate(month);
  return d ? monthFormat(style).format(d) : month;
}

/** The year of a `YYYY-MM` month. */
export function yearOf(month: string): string {
  return MONTH.exec(month)?.[1] ?? "";
}

/**
 * The first `n` items, then the others merged into one (`merge(rest)`), when there are more
 * than `n`; the list itself otherwise.
 */
export function topWithOthers<T>(items: readonly T[], n: number, merge: (rest: T[]) => T): T[] {
  if (items.length <= n) return [...items];
  return [...items.slice(0, n), merge(items.slice(n))];
}

/** A label cut to `max` characters with « … » (the full text stays in the data table). */
export function shorten(label: string, max: number): string {
  const chars = Array.from(label);
  return chars.length <= max ? label : `${chars.slice(0, max - 1).join("").trimEnd()}…`;
}
