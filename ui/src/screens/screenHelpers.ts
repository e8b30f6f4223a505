/**
 * Small helpers shared by the catalogue, adhesion and deployment screens: who may do what
 * (the same rules as the Rust side, to show only the buttons that will be accepted), a short
 * form of a SHA-256 fingerprint, and whole days between two calendar dates.
 */
import type { Role } from "../bindings/Role";

/** Commune accounts (they order, record the collège decision, acknowledge milestones). */
export function isCommuneRole(role: Role | undefined | null): boolean {
  return role === "director_general" || role === "mayor" || role === "commune_staff";
}

/** The commune's signatories (convention, acceptances): the director general and the mayor. */
export function isSignatory(role: Role | undefined | null): role is "director_general" | "mayor" {
  return role === "director_general" || role === "mayor";
}

/** `1a488bbc68e7…4023239e` → `1a488bbc…4023239e`: enough to compare by eye. */
export function shortHash(sha256: string): string {
  const h = sha256.trim();
  if (h.length <= 20) return h;
  return `${h.slice(0, 8)}…${h.slice(-8)}`;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})/;

function utcDay(value: string): number | null {
  const m = DATE.exec(value);
  if (!m) return null;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

/** Whole days from `from` to `to` (calendar dates `YYYY-MM-DD`); 0 when either is unreadable. */
export function daysBetween(from: string, to: string): number {
  const a = utcDay(from);
  const b = utcDay(to);
  if (a === null || b === null) return 0;
  return Math.round((b - a) / 86_400_000);
}
