/**
 * The first reads, asked for as the window starts (issue 19 §5): Rust reads the app state and
 * the commune's orders while the page's script is still starting React, instead of after its
 * first render (measured on a PC with 1,000 orders: the home read was asked 95 ms after the
 * page's script started, and took 40 ms). The state is taken by the session's first read; the
 * home once, by the Accueil — drawn in its first frame when the answer is already there, so the
 * window does not paint the Accueil empty first. A refused early home read (nobody signed in
 * yet) is asked again by the Accueil itself; one not taken is forgotten when the account
 * changes (it was another's).
 *
 * The window renders once both answers are in (`firstReads`, a few milliseconds after the script
 * starts; at most `FIRST_READS_WAIT_MS`): the session starts from the state (`takeArrivedState`)
 * and the Accueil from its orders, so that React renders and WebKit lays out the first screen
 * once, not a « Chargement… » first.
 */
import { api } from "./api";
import { paths } from "./paths";
import { parseHash } from "./router";
import type { AppState } from "./bindings/AppState";
import type { Home } from "./bindings/Home";

/** One read asked early, taken once: as its promise, or as its answer once arrived. */
class EarlyRead<T> {
  private asked: Promise<T> | null = null;
  private answer: T | undefined;

  /** Follows `read` (its refusal is for whoever takes it, never unhandled). */
  ask(read: Promise<T>): Promise<T> {
    this.asked = read;
    this.answer = undefined;
    read.then(
      (answer) => {
        if (this.asked === read) this.answer = answer;
      },
      () => undefined,
    );
    return read;
  }

  /** The read, once; `null` when none was asked or it was taken. */
  take(): Promise<T> | null {
    const asked = this.asked;
    this.forget();
    return asked;
  }

  /** The read's answer when it has already arrived (then taken), else `undefined`. */
  takeArrived(): T | undefined {
    const answer = this.answer;
    if (answer !== undefined) this.forget();
    return answer;
  }

  forget(): void {
    this.asked = null;
    this.answer = undefined;
  }
}

const earlyState = new EarlyRead<AppState>();
const earlyHome = new EarlyRead<Home>();
let firstReadsDone: Promise<void> = Promise.resolve();
const settled = (read: Promise<unknown>): Promise<void> =>
  read.then(
    () => undefined,
    () => undefined,
  );

/** The longest the window waits for its first reads before drawing (then « Chargement… »). */
export const FIRST_READS_WAIT_MS = 150;

/** Asks for the app state now, and for the Accueil's data when the window opens on it. */
export function askEarly(hash: string): void {
  const state = earlyState.ask(api.appState());
  firstReadsDone = settled(state);
  if (parseHash(hash).path !== paths.home()) return;
  const home = earlyHome.ask(api.home());
  // The centrale's staff have their own home, which does not use this read: not waited for.
  firstReadsDone = state.then(
    (answer) => (answer.session?.role === "centrale_staff" ? undefined : settled(home)),
    () => undefined,
  );
}

/** Resolves once the reads asked by `askEarly` are answered (or refused), or after `waitMs`. */
export function firstReads(waitMs: number = FIRST_READS_WAIT_MS): Promise<void> {
  return Promise.race([firstReadsDone, new Promise<void>((resolve) => setTimeout(resolve, waitMs))]);
}

/** The early read of the app state, once; `null` when none was asked or it was taken. */
export function takeEarlyState(): Promise<AppState> | null {
  return earlyState.take();
}

/** The early state's answer when it has already arrived (then taken), else `undefined`. */
export function takeArrivedState(): AppState | undefined {
  return earlyState.takeArrived();
}

/** The early home read, once; `null` when none was asked or it was already taken. A refused
 * one (nobody signed in yet) is asked again. */
export function takeEarlyHome(): Promise<Home> | null {
  const asked = earlyHome.take();
  return asked ? asked.catch(() => api.home()) : null;
}

/** The early home read's answer when it has already arrived (then taken), else `undefined`. */
export function takeArrivedHome(): Home | undefined {
  return earlyHome.takeArrived();
}

/** Forgets early reads not taken (the account changed: they read another account's data). */
export function forgetEarlyHome(): void {
  earlyHome.forget();
}
