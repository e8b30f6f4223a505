/**
 * The app's state from the Rust side (`app_state`): server address, who is signed in, the
 * keyring, today's date and the commune. Read once at start, again on `data-changed`, and
 * replaced by what `set_server_url`, `log_in` and `log_out` answer.
 */
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { flushSync } from "react-dom";
import { api } from "./api";
import { forgetEarlyHome, takeArrivedState, takeEarlyState } from "./early";
import { AppError } from "./errors";
import { startCommand, useDataChanged } from "./data";
import type { AppState } from "./bindings/AppState";

type SessionValue = {
  state: AppState;
  /** Replaces the state by a command's answer. */
  setState: (state: AppState) => void;
  /** Reads the state again. */
  reload: () => void;
};

const SessionContext = createContext<SessionValue | null>(null);

/** The app state, for screens under `<SessionProvider>` (every screen). */
export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}

type LoadState = { state: AppState | null; error: AppError | null };

/** Loads the app state; shows `loading` / `failed` until it is known. */
export function SessionProvider({
  children,
  loading,
  failed,
}: {
  children: ReactNode;
  loading: ReactNode;
  failed: (error: AppError, retry: () => void) => ReactNode;
}) {
  // The state read as the window started, when already in: the first frame is the screen.
  const [arrived] = useState(takeArrivedState);
  const [load, setLoad] = useState<LoadState>({ state: arrived ?? null, error: null });

  // Answers can arrive out of order: a re-read started before a sign-in may answer after it,
  // with no session, and send the user back to the sign-in page. Only the newest request (or
  // a command's answer given to `setState`) may set the state.
  const generation = useRef(0);

  const reload = useCallback(() => {
    const mine = ++generation.current;
    // The first read is the one `main.tsx` asked for as the window started.
    startCommand(() => takeEarlyState() ?? api.appState()).then(
      (state) => {
        if (generation.current === mine) setLoad({ state, error: null });
      },
      (e: unknown) => {
        if (generation.current === mine) setLoad((l) => ({ state: l.state, error: AppError.from(e) }));
      },
    );
  }, []);

  // Read at mount, unless the state read as the window started is already shown.
  useEffect(() => {
    if (arrived === undefined) reload();
  }, [arrived, reload]);
  useDataChanged(reload);

  // Committed at once: callers navigate right after (a sign-in goes to Accueil), and the
  // route change renders synchronously — with the old state, it would send the user back to
  // the sign-in page.
  const setState = useCallback((state: AppState) => {
    generation.current += 1;
    forgetEarlyHome();
    flushSync(() => setLoad({ state, error: null }));
  }, []);

  if (load.state === null) {
    if (load.error) return <>{failed(load.error, reload)}</>;
    return <>{loading}</>;
  }
  return <SessionContext.Provider value={{ state: load.state, setState, reload }}>{children}</SessionContext.Provider>;
}
