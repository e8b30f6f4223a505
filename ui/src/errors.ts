/**
 * The one error type the UI handles. Every failed Tauri command arrives as a `CommandError`
 * (`{code, message, params}`, see STYLE.md): the code is translated through the catalogue
 * (`errors.<code>`), the French message is the fallback.
 */

import type { CommandError } from "./bindings/CommandError";

/** The shape of an error returned by a Tauri command (generated from Rust). */
export type { CommandError };

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
