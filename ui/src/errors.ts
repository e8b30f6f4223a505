/**
 * The one error type the UI handles. Every failed Tauri command arrives as a `CommandError`
 * (`{code, message, params}`, see STYLE.md). A refusal's code is an `ErrorCode` (generated from
 * Rust) and its sentence comes from the message catalogue of refusals, the same file the server
 * and the portal render (`crates/domain/messages/fr.json`, generated into
 * `bindings/errorMessagesFr.ts`), with the raw parameters shown in words (`renderError`).
 * Codes of the desktop only (offline, keyring, …) are in `i18n/fr.json` (`errors.<code>`); the
 * French message is the last fallback.
 *
 * The sentences (41.5 kB built) are not in the first screen's script (issue 19 §5): `loadRefusals`
 * loads them with the later screens' words (`loadMessages`), which every screen but the first
 * ones awaits. A refusal shown before they are in reads the backend's French message: the same
 * sentence, rendered by the Rust side from the same file (`DomainError`'s `Display`).
 */

import type { CommandError } from "./bindings/CommandError";
import type { ErrorCode } from "./bindings/ErrorCode";
import { errorLabelsFr } from "./bindings/errorLabelsFr";
import { formatDate, formatDateTime, formatInteger, isDateOnly, isDateTime } from "./format";

/** The shape of an error returned by a Tauri command, and every refusal's code (generated from Rust). */
export type { CommandError, ErrorCode };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A failed command, or anything else that went wrong, with a stable code. */
export class AppError extends Error {
  readonly code: string;
  readonly params: Record<string, unknown>;

  constructor(code: string, message: string, params: Record<string, unknown> = {}) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.params = params;
  }

  /** Wraps whatever a command threw: a `CommandError`, a string, an Error. */
  static from(error: unknown): AppError {
    if (error instanceof AppError) return error;
    if (isRecord(error) && typeof error.code === "string") {
      const message = typeof error.message === "string" ? error.message : "";
      const params = isRecord(error.params) ? error.params : isRecord(error.details) ? error.details : {};
      return new AppError(error.code, message, params);
    }
    if (typeof error === "string") return new AppError("unexpected", error);
    if (error instanceof Error) return new AppError("unexpected", error.message);
    return new AppError("unexpected", "");
  }
}

/** A message catalogue of refusals, as generated from `crates/domain/messages/*.json`. */
export type ErrorCatalogue = { errors: Record<string, string>; labels: Record<string, Record<string, string>> };

/**
 * The catalogue of refusals per language (the server and the portal render the same file):
 * until `loadRefusals` has run, the labels without the sentences.
 */
export const ERROR_CATALOGUES: { fr: ErrorCatalogue; [locale: string]: ErrorCatalogue | undefined } = { fr: { errors: {}, labels: errorLabelsFr } };

let refusalsLoaded: Promise<ErrorCatalogue> | null = null;

/** Loads the sentences of refusals (once; called again, it answers the same promise). */
export function loadRefusals(): Promise<ErrorCatalogue> {
  refusalsLoaded ??= import("./bindings/errorMessagesFr").then(({ errorMessagesFr }) => {
    ERROR_CATALOGUES.fr = errorMessagesFr;
    return errorMessagesFr;
  });
  return refusalsLoaded;
}

/** The label table of a parameter: its own, else its last word's singular (`allowed_roles` → `role`). */
function labelTable(catalogue: ErrorCatalogue, name: string): Record<string, string> | undefined {
  const last = name.split("_").pop() ?? name;
  return catalogue.labels[name] ?? catalogue.labels[last] ?? catalogue.labels[last.replace(/s$/, "")];
}

/** `123456` cents → `1 234,56 €` (the sentence says HTVA or TVAC itself). */
function formatCents(cents: number): string {
  const whole = Math.round(cents);
  const abs = Math.abs(whole);
  const euros = (abs - (abs % 100)) / 100;
  return `${whole < 0 ? "-" : ""}${formatInteger(euros)},${String(abs % 100).padStart(2, "0")}\u00a0€`;
}

/** One raw parameter in words, as the Rust catalogue renderer shows it (`crates/domain/src/messages.rs`). */
export function showParam(catalogue: ErrorCatalogue, name: string, value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => showParam(catalogue, name, v)).join(", ");
  if (typeof value === "number") {
    if (name.endsWith("_cents")) return formatCents(value);
    return Number.isInteger(value) ? formatInteger(value) : String(value).replace(".", ",");
  }
  if (typeof value === "string") {
    const label = labelTable(catalogue, name)?.[value];
    if (label !== undefined) return label;
    if (isDateOnly(value)) return formatDate(value);
    if (value.length >= 20 && value[10] === "T" && isDateTime(value)) return formatDateTime(value);
    return value;
  }
  if (typeof value === "boolean") return String(value);
  return "";
}

/**
 * The sentence of a refusal from the catalogue: `errors.<code>.<kind>` when the `kind`
 * parameter names one, else `errors.<code>`, its `{name}` placeholders filled with the raw
 * parameters in words. Undefined when the catalogue does not know the code.
 */
export function renderError(
  code: string,
  params: Record<string, unknown> = {},
  catalogue: ErrorCatalogue = ERROR_CATALOGUES.fr,
): string | undefined {
  const kind = params.kind;
  const template =
    (typeof kind === "string" ? catalogue.errors[`${code}.${kind}`] : undefined) ?? catalogue.errors[code];
  if (template === undefined) return undefined;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined || value === null ? whole : showParam(catalogue, name, value);
  });
}
