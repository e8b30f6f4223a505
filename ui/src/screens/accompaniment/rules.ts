/**
 * The rules of the accompaniment forms, checked before sending with the same logic as the Rust
 * side (`centrale_domain::accompaniment`: `price_lines`, `validate_services`; `money.rs`), so
 * that a commune secretary reads a clear message next to the field instead of a refusal at the
 * next synchronisation. The domain still decides and prices: the totals computed here are shown
 * while typing only. Integers only, never floats on amounts. Pure functions, no React.
 */
import type { AccompanimentService } from "../../bindings/AccompanimentService";
import type { AccompanimentUnit } from "../../bindings/AccompanimentUnit";
import type { Amount } from "../../bindings/Amount";
import { LIMITS } from "../../bindings/rules";
import { compareDecimal } from "../orders/numbers";

/**
 * Above this amount including VAT, the commune's decision needs the directeur financier's
 * opinion (CDLD L1124-40 §1 3°), as the domain exports it (`DF_OPINION_THRESHOLD_TVAC_CENTS`).
 */
export const DF_OPINION_THRESHOLD_TVAC_CENTS = LIMITS.DF_OPINION_THRESHOLD_TVAC_CENTS;

/** Spaces people type or paste inside numbers (normal, no-break, narrow no-break, thin). */
const SPACES = /[\s\u00a0\u202f\u2009]/g;

export type AccompanimentQuantity =
  | { kind: "empty" }
  | { kind: "ok"; value: string; halves: number }
  | { kind: "error"; reason: "format" | "zero" | "too_large" | "whole" | "half" };

/**
 * A quantity typed the Belgian way (« 1,5 », « 2 », « 0.5 ») for a service priced by `unit` →
 * the decimal string Rust reads ("1.5"), deciding as the domain's `price_lines`: more than zero,
 * at most `LIMITS.ACCOMPANIMENT_QUANTITY_MAX`, a package whole, a day by halves.
 */
export function parseAccompanimentQuantity(text: string, unit: AccompanimentUnit): AccompanimentQuantity {
  const s = text.replace(SPACES, "");
  if (s === "") return { kind: "empty" };
  const m = /^(\d+)(?:[.,](\d+))?$/.exec(s);
  if (!m) return { kind: "error", reason: "format" };
  const whole = (m[1] ?? "0").replace(/^0+(?=\d)/, "");
  const fraction = (m[2] ?? "").replace(/0+$/, "");
  const value = fraction ? `${whole}.${fraction}` : whole;
  if (compareDecimal(value, "0") <= 0) return { kind: "error", reason: "zero" };
  if (compareDecimal(value, String(LIMITS.ACCOMPANIMENT_QUANTITY_MAX)) > 0) return { kind: "error", reason: "too_large" };
  if (unit === "package" && fraction !== "") return { kind: "error", reason: "whole" };
  if (unit === "day" && fraction !== "" && fraction !== "5") return { kind: "error", reason: "half" };
  return { kind: "ok", value, halves: Number(whole) * 2 + (fraction === "5" ? 1 : 0) };
}

/** A decimal VAT rate (`"21"`, `"21.00"`, `"6.5"`) as an integer and its power of ten (`21`, `1`). */
function rateParts(rate: string): { units: bigint; scale: bigint } {
  const m = /^(\d+)(?:\.(\d*))?$/.exec(rate.trim());
  if (!m) return { units: 0n, scale: 1n };
  const fraction = (m[2] ?? "").replace(/0+$/, "");
  return { units: BigInt(`${m[1] ?? "0"}${fraction}`), scale: 10n ** BigInt(fraction.length) };
}

/** `numerator / denominator` (both ≥ 0, denominator > 0) rounded half away from zero. */
function roundedDivision(numerator: bigint, denominator: bigint): bigint {
  return (2n * numerator + denominator) / (2n * denominator);
}

/** The VAT on an amount excluding VAT, rounded half away from zero to the cent (`VatRate::vat_on`). */
export function vatOn(exclVatCents: number, rate: string): number {
  const { units, scale } = rateParts(rate);
  return Number(roundedDivision(BigInt(Math.max(0, Math.trunc(exclVatCents))) * units, 100n * scale));
}

/** An amount excluding VAT with its VAT and total (`Amount::at_rate`). */
export function amountAtRate(exclVatCents: number, rate: string): Amount {
  const vat = vatOn(exclVatCents, rate);
  return { excl_vat: exclVatCents, vat, incl_vat: exclVatCents + vat };
}

/** Unit price × a quantity counted in halves, rounded half away from zero to the cent (`Cents::times`). */
export function priceTimesHalves(priceCents: number, halves: number): number {
  return Number(roundedDivision(BigInt(Math.trunc(priceCents)) * BigInt(halves), 2n));
}

/** Sum of amounts, VAT computed per line then summed, as on an invoice (`Amount::plus`). */
export function sumAmounts(amounts: Amount[]): Amount {
  return amounts.reduce(
    (total, a) => ({ excl_vat: total.excl_vat + a.excl_vat, vat: total.vat + a.vat, incl_vat: total.incl_vat + a.incl_vat }),
    { excl_vat: 0, vat: 0, incl_vat: 0 },
  );
}

/** One unit of a service, with VAT. */
export function unitAmount(service: AccompanimentService): Amount {
  return amountAtRate(service.price_cents, service.vat_rate);
}

/** Does a decision on this amount (TVAC) need the directeur financier's opinion? */
export function opinionRequired(inclVatCents: number): boolean {
  return inclVatCents > DF_OPINION_THRESHOLD_TVAC_CENTS;
}

/** A quantity from Rust ("1.5") as a person reads it (« 1,5 »). */
export function quantityText(value: string): string {
  return value.replace(".", ",");
}

/**
 * A service's code as the domain accepts it: lowercase letters without accents, digits and
 * dashes, at most `LIMITS.PRICE_LINE_CODE_MAX_CHARS`.
 */
export function isServiceCode(code: string): boolean {
  return /^[a-z0-9-]+$/.test(code) && code.length <= LIMITS.PRICE_LINE_CODE_MAX_CHARS;
}
