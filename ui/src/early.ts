/**
 * The Accueil's read, asked for as the window starts (issue 19 §5): Rust reads the commune's
 * orders while the session is read and the frame drawn, instead of after them (measured on
 * a PC with 1,000 orders: the read was asked 95 ms after the page's script started, and took
 * 40 ms). Taken once, by the Accueil; a refused early read (nobody signed in yet) is asked
 * again by the Accueil itself; forgotten when the account changes (it was another's).
 */
import { api } from "./api";
import { paths } from "./paths";
import { parseHash } from "./router";
import type { Home } from "./bindings/Home";

let early: Promise<Home | undefined> | null = null;

/** Asks for the Accueil's data now when the window opens on the Accueil. */
export function askHomeEarly(hash: string): void {
  if (parseHash(hash).path !== paths.home()) return;
  early = api.home().catch(() => undefined);
}

/** The early read, once; `null` when none was asked or it was already taken. */
export function takeEarlyHome(): Promise<Home> | null {
  const asked = early;
  early = null;
  return asked ? asked.then((home) => home ?? api.home()) : null;
}

/** Forgets an early read not taken (the account changed: it read another account's orders). */
export function forgetEarlyHome(): void {
  early = null;
}
