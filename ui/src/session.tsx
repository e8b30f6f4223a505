/**
 * The app's state from the Rust side (`app_state`): server address, who is signed in, the
 * keyring, today's date and the commune. Read once at start, again on `data-changed`, and
 * replaced by what `set_server_url`, `log_in` and `log_out` answer.
 */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";
import { api } from "./api";
import { AppError } from "./errors";
import { useDataChanged } from "./data";
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
  const [load, setLoad] = useState<LoadState>({ state: null, error: null });

  const reload = useCallback(() => {
    api.appState().then(
      (state) => setLoad({ state, error: null }),
      (e: unknown) => setLoad((l) => ({ state: l.state, error: AppError.from(e) })),
    );
  }, []);

  useEffect(reload, [reload]);
  useDataChanged(reload);

  const setState = useCallback((state: AppState) => setLoad({ state, error: null }), []);

  if (load.state === null) {
    if (load.error) return <>{failed(load.error, reload)}</>;
    return <>{loading}</>;
  }
  return <SessionContext.Provider value={{ state: load.state, setState, reload }}>{children}</SessionContext.Provider>;
}
