/**
 * The first reads, asked for as the window starts (issue 19 §5): Rust reads the app state and
 * the commune's orders while the page's script is still starting React, instead of after its
 * first render (measured on a PC with 1,000 orders: the home read was asked 95 ms after the
 * page's script started, and took 40 ms). The state is taken by the session's first read; the
 * home once, by the Accueil — drawn in its first frame when the answer is already there, so the
 * window does not paint the Accueil empty first. A refused early home read (nobody signed in
 * yet) is asked again by the Accueil itself; one not taken is forgotten when the account
 * changes (it was another's).
 */
import { api } from "./api";
import { paths } from "./paths";
import { parseHash } from "./router";
import type { AppState } from "./bindings/AppState";
import type { Home } from "./bindings/Home";

let early: Promise<Home | undefined> | null = null;
let arrived: Home | undefined;
let earlyState: Promise<AppState> | null = null;

/** Asks for the app state now, and for the Accueil's data when the window opens on it. */
export function askEarly(hash: string): void {
  earlyState = api.appState();
  // Taken and handled by the session's first read; not an unhandled rejection meanwhile.
  earlyState.catch(() => undefined);
  if (parseHash(hash).path !== paths.home()) return;
  const asked = api.home().then(
    (home) => {
      if (early === asked) arrived = home;
      return home;
    },
    () => undefined,
  );
  early = asked;
}

/** The early read of the app state, once; `null` when none was asked or it was taken. */
export function takeEarlyState(): Promise<AppState> | null {
  const asked = earlyState;
  earlyState = null;
  return asked;
}

/** The early home read, once; `null` when none was asked or it was already taken. */
export function takeEarlyHome(): Promise<Home> | null {
  const asked = early;
  early = null;
  arrived = undefined;
  return asked ? asked.then((home) => home ?? api.home()) : null;
}

/** The early home read's answer when it has already arrived (then taken), else `undefined`. */
export function takeArrivedHome(): Home | undefined {
  const home = arrived;
  if (home !== undefined) {
    early = null;
    arrived = undefined;
  }
  return home;
}

/** Forgets early reads not taken (the account changed: they read another account's data). */
export function forgetEarlyHome(): void {
  early = null;
  arrived = undefined;
}
