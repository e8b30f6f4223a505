/**
 * What the user types as numbers, turned into what Rust expects — without floats:
 * euros → integer cents (« 12 500,50 » → 1250050), quantities and scores → decimal strings
 * with a dot (« 7,5 » → "7.5"). And back, to fill a form with what was saved.
 */

import { LIMITS } from "../../bindings/rules";

/** Spaces people type or paste inside numbers (normal, no-break, narrow no-break, thin). */
const SPACES = /[\s\u00a0\u202f\u2009]/g;

export type EurosResult =
  | { kind: "empty" }
  | { kind: "ok"; cents: number }
  | { kind: "error"; reason: "format" | "negative" | "too_large" };

/** Digits, at least one. */
const DIGITS = /^\d+$/;
/** Digits grouped by dots: 1 to 3 digits, then groups of exactly 3 (« 1.234.567 »). */
const DOT_GROUPED = /^\d{1,3}(?:\.\d{3})+$/;

/**
 * Euros typed the Belgian way → integer cents, deciding exactly as the domain's
 * `centrale_domain::money::parse_euros` (the portal's parser too): a test runs this function
 * over the answers Rust gives (`bindings/vectors.ts`). The comma is the decimal mark (one or
 * two digits); spaces of any kind are ignored; a dot between groups of three digits groups
 * thousands; with no comma, a dot before one or two final digits is a decimal point
 * (« 12500.50 »); a trailing €, EUR or euros is allowed; at most `LIMITS.AMOUNT_MAX_CENTS`.
 */
export function parseEuros(text: string): EurosResult {
  let s = text.trim();
  for (const suffix of ["euros", "euro", "eur", "€"]) {
    if (s.length >= suffix.length && s.slice(s.length - suffix.length).toLowerCase() === suffix) {
      s = s.slice(0, s.length - suffix.length).trimEnd();
      break;
    }
  }
  s = s.replace(SPACES, "");
  if (s === "") return { kind: "empty" };
  if (s.startsWith("-")) return { kind: "error", reason: "negative" };
  const format = { kind: "error", reason: "format" } as const;
  let whole: string;
  let fraction = "";
  const comma = s.indexOf(",");
  if (comma >= 0) {
    const w = s.slice(0, comma);
    fraction = s.slice(comma + 1);
    if (!DIGITS.test(fraction) || fraction.length > 2) return format;
    if (DIGITS.test(w)) whole = w;
    else if (DOT_GROUPED.test(w)) whole = w.replace(/\./g, "");
    else return format;
  } else if (DOT_GROUPED.test(s)) {
    whole = s.replace(/\./g, "");
  } else if (s.includes(".")) {
    const dot = s.indexOf(".");
    whole = s.slice(0, dot);
    fraction = s.slice(dot + 1);
    if (!DIGITS.test(whole) || !DIGITS.test(fraction) || fraction.length > 2) return format;
  } else if (DIGITS.test(s)) {
    whole = s;
  } else {
    return format;
  }
  whole = whole.replace(/^0+/, "");
  // More digits than the largest amount has: too large, before any arithmetic.
  if (whole.length > 12) return { kind: "error", reason: "too_large" };
  const cents = Number(whole || "0") * 100 + Number(fraction.padEnd(2, "0"));
  if (cents > LIMITS.AMOUNT_MAX_CENTS) return { kind: "error", reason: "too_large" };
  return { kind: "ok", cents };
}

/** Integer cents → what the user would type: 1250050 → « 12 500,50 ». */
export function centsToInput(cents: number): string {
  const abs = Math.abs(Math.trunc(cents));
  const euros = String((abs - (abs % 100)) / 100).replace(/\B(?=(\d{3})+(?!\d))/g, " ");
  return `${cents < 0 ? "-" : ""}${euros},${String(abs % 100).padStart(2, "0")}`;
}

export type DecimalResult =
  | { kind: "empty" }
  | { kind: "ok"; value: string }
  | { kind: "error"; reason: "format" | "zero" | "too_large" };

/** Splits a non-negative decimal string ("0012.50") into its whole part ("12") and its fraction ("50"). */
function parts(value: string): { whole: string; fraction: string } {
  const [w = "0", f = ""] = value.split(".");
  return { whole: w.replace(/^0+(?=\d)/, "") || "0", fraction: f.replace(/0+$/, "") };
}

/** Compares two non-negative decimal strings ("83", "80.5"): -1, 0 or 1. */
export function compareDecimal(a: string, b: string): number {
  const x = parts(a);
  const y = parts(b);
  if (x.whole.length !== y.whole.length) return x.whole.length < y.whole.length ? -1 : 1;
  if (x.whole !== y.whole) return x.whole < y.whole ? -1 : 1;
  const len = Math.max(x.fraction.length, y.fraction.length);
  const fx = x.fraction.padEnd(len, "0");
  const fy = y.fraction.padEnd(len, "0");
  if (fx === fy) return 0;
  return fx < fy ? -1 : 1;
}

/** A decimal typed with a comma or a dot → "2.5" (leading zeros dropped). */
function normalise(text: string, maxDecimals: number): string | null {
  const s = text.replace(SPACES, "");
  const re = new RegExp(`^(\\d+)(?:[.,](\\d{1,${maxDecimals}}))?$`);
  const m = re.exec(s);
  if (!m) return null;
  const whole = (m[1] ?? "0").replace(/^0+(?=\d)/, "");
  return m[2] ? `${whole}.${m[2]}` : whole;
}

/** A quantity (> 0, at most `LIMITS.QUANTITY_MAX`, up to 4 decimals): « 2,5 » → "2.5". */
export function parseQuantity(text: string): DecimalResult {
  if (text.trim() === "") return { kind: "empty" };
  const value = normalise(text, 4);
  if (value === null) return { kind: "error", reason: "format" };
  if (compareDecimal(value, "0") <= 0) return { kind: "error", reason: "zero" };
  if (compareDecimal(value, String(LIMITS.QUANTITY_MAX)) > 0) return { kind: "error", reason: "too_large" };
  return { kind: "ok", value };
}

export type ScoreResult =
  | { kind: "empty" }
  | { kind: "ok"; value: string }
  | { kind: "error"; reason: "format" | "out_of_range" };

/** Quality points from 0 to `weight`, `LIMITS.SCORE_DECIMALS` decimals at most: « 7,5 » → "7.5". */
export function parseScore(text: string, weight: number): ScoreResult {
  if (text.trim() === "") return { kind: "empty" };
  const value = normalise(text, LIMITS.SCORE_DECIMALS);
  if (value === null) return { kind: "error", reason: "format" };
  if (compareDecimal(value, String(weight)) > 0) return { kind: "error", reason: "out_of_range" };
  return { kind: "ok", value };
}

/** A decimal string from Rust ("7.50") as the user types it (« 7,50 »). */
export function decimalToInput(value: string): string {
  return value.replace(".", ",");
}

/**
 * The price score the relative formula gives (weight × lowest price / offer price, two
 * decimals, half away from zero), computed on integers: the same rule as the Rust side.
 */
export function priceScore(weight: number, lowest: number, price: number): string {
  if (price <= 0) return String(weight);
  if (lowest <= 0) return "0";
  const numerator = 2n * BigInt(weight) * BigInt(lowest) * 100n + BigInt(price);
  const hundredths = numerator / (2n * BigInt(price));
  const whole = hundredths / 100n;
  const fraction = String(hundredths % 100n).padStart(2, "0");
  return `${whole}.${fraction}`;
}

/**
 * The price score against the ceiling (weight × (ceiling total − price) / ceiling total, two
 * decimals, half away from zero, between 0 and the weight), on integers: the domain's
 * `price_score_against_ceiling`.
 */
export function priceScoreAgainstCeiling(weight: number, ceiling: number, price: number): string {
  if (ceiling <= 0) return price <= 0 ? String(weight) : "0";
  const gap = BigInt(Math.min(Math.max(ceiling - price, 0), ceiling));
  const hundredths = (2n * BigInt(weight) * gap * 100n + BigInt(ceiling)) / (2n * BigInt(ceiling));
  const whole = hundredths / 100n;
  const fraction = String(hundredths % 100n).padStart(2, "0");
  return `${whole}.${fraction}`;
}
