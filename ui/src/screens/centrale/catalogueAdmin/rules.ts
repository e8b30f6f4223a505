/**
 * The rules of the catalogue's forms, checked before sending with the same logic as the Rust
 * side (crates/domain: enterprise.rs, catalogue.rs; crates/server/src/engine/catalogue.rs), so
 * that the centrale's staff read a clear French message next to the field instead of a refusal
 * at the next synchronisation. Pure functions, no React.
 */
import { DATE_RE, isIsoDate } from "../../../calendar";

// ── Enterprise numbers (BCE/KBO) ──────────────────────────────────────────────────────

export type EnterpriseNumberResult =
  | { kind: "empty" }
  | { kind: "ok"; digits: string; formatted: string }
  | { kind: "error"; reason: "length" | "first_digit" | "check" };

/**
 * `0123.456.749`, `0123456749`, `BE0123456749` or `BE 0123 456 749` → ten digits, checked:
 * the first is 0 or 1, and the last two are 97 − (the first eight mod 97). Decides exactly as
 * Rust's `EnterpriseNumber::check` (crates/domain/src/enterprise.rs): rules.test.ts runs it
 * over the answers Rust gives (`bindings/vectors.ts`).
 */
export function parseEnterpriseNumber(text: string): EnterpriseNumberResult {
  const trimmed = text.trim();
  if (trimmed === "") return { kind: "empty" };
  const withoutCountry = /^be/i.test(trimmed) ? trimmed.slice(2) : trimmed;
  const digits = withoutCountry.replace(/[.\s\u00a0\u202f-]/g, "");
  if (!/^\d{10}$/.test(digits)) return { kind: "error", reason: "length" };
  if (digits[0] !== "0" && digits[0] !== "1") return { kind: "error", reason: "first_digit" };
  const body = Number(digits.slice(0, 8));
  const check = Number(digits.slice(8));
  if (97 - (body % 97) !== check) return { kind: "error", reason: "check" };
  return { kind: "ok", digits, formatted: formatEnterpriseNumber(digits) };
}

/** Ten digits → `0123.456.749`; anything else is shown as it is. */
export function formatEnterpriseNumber(value: string): string {
  const digits = value.replace(/\D/g, "");
  if (digits.length !== 10) return value;
  return `${digits.slice(0, 4)}.${digits.slice(4, 7)}.${digits.slice(7)}`;
}

// ── Names and codes ───────────────────────────────────────────────────────────────────

/** Lowercase, without accents (« Éclairage » → « eclairage »). */
function plain(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
}

/**
 * A code (service, price line, criterion): lowercase letters without accents, digits, single
 * hyphens between them (the server accepts letters, digits and hyphens).
 */
export const CODE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** « Stationnement intelligent (capteurs) » → `stationnement-intelligent-capteurs`. */
export function slugify(text: string, max = 60): string {
  return plain(text)
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, max)
    .replace(/-+$/g, "");
}

/** Legal forms left out of a suggested short name. */
const LEGAL_FORMS = new Set([
  "sa", "srl", "sprl", "sc", "scrl", "scri", "snc", "scs", "asbl", "sca", "se",
  "nv", "bv", "bvba", "cv", "cvba", "vzw", "vof", "commv",
]);

/** Only lowercase letters without accents (the server's rule for short names). */
export const SHORT_NAME = /^[a-z]+$/;

/** « Civitas Digital SA » → `civitasdigital` (letters only, legal form dropped, 20 at most). */
export function shortNameFrom(name: string): string {
  const words = plain(name)
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== "" && !LEGAL_FORMS.has(w));
  return words
    .join("")
    .replace(/[^a-z]/g, "")
    .slice(0, 20);
}

/** An e-mail address good enough to receive invitations (`offres@prestataire.be`). */
export function isEmail(text: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text.trim());
}

/** A SHA-256 fingerprint: 64 hexadecimal characters. */
export function isSha256(text: string): boolean {
  return /^[0-9a-fA-F]{64}$/.test(text.trim());
}

// ── Dates ─────────────────────────────────────────────────────────────────────────────

function iso(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * The last end date a framework starting on `start` may have: four years less a day (the
 * Rust rule: start + 48 months, the day clamped to the month's end, minus one day).
 */
export function latestEndDate(start: string): string | null {
  const m = DATE_RE.exec(start);
  if (!m || !isIsoDate(start)) return null;
  const y = Number(m[1]) + 4;
  const mo = Number(m[2]) - 1;
  const lastDay = new Date(Date.UTC(y, mo + 1, 0)).getUTCDate();
  const d = Math.min(Number(m[3]), lastDay);
  return iso(new Date(Date.UTC(y, mo, d) - 86_400_000));
}

// ── Numbers ───────────────────────────────────────────────────────────────────────────

/** The Belgian VAT rates (the server refuses any other). */
export const VAT_RATES = ["21", "12", "6", "0"] as const;

/** A rate as Rust may send it (`"21"`, `"21.00"`, `"6.0"`) → `"21"`, `"6"`. */
export function normalizeVat(rate: string): string {
  const m = /^(\d+)(?:\.(\d*))?$/.exec(rate.trim());
  if (!m) return rate.trim();
  const whole = (m[1] ?? "0").replace(/^0+(?=\d)/, "");
  const fraction = (m[2] ?? "").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : whole;
}

export type WholeResult = { kind: "empty" } | { kind: "ok"; value: number } | { kind: "error" };

/** A whole number typed by a person, between `min` and `max` (« 1 000 » → 1000). */
export function parseWhole(text: string, min: number, max: number): WholeResult {
  let s = text.replace(/[\s\u00a0\u202f]/g, "");
  if (s === "") return { kind: "empty" };
  // « 1.000 » groups thousands the Belgian way; any other dot or comma is a decimal.
  if (/^\d{1,3}(?:\.\d{3})+$/.test(s)) s = s.replace(/\./g, "");
  if (!/^\d{1,9}$/.test(s)) return { kind: "error" };
  const value = Number(s);
  if (value < min || value > max) return { kind: "error" };
  return { kind: "ok", value };
}
