/**
 * Reading data for screens: `useCommand` runs a read command and runs it again whenever the
 * backend says local data changed; `useSyncStatus` follows the sync engine.
 */
import { useCallback, useEffect, useRef, useState, type DependencyList } from "react";
import { api, type UnlistenFn } from "./api";
import { AppError } from "./errors";
import type { SyncStatus } from "./bindings/SyncStatus";

/**
 * Calls `fn` now and always gives back a promise: if `fn` throws, or answers something that
 * is not a promise, the promise rejects, and the caller's rejection handler shows it. Effects
 * and event handlers start backend commands with it, so that `.then` is never called on what
 * is not a promise: a throw there would escape every handler (in the tests, a mocked command
 * reset between two tests answers `undefined`).
 */
export function startCommand<T>(fn: () => Promise<T>): Promise<T> {
  try {
    const answer: unknown = fn();
    const isPromise = typeof (answer as { then?: unknown } | null | undefined)?.then === "function";
    if (isPromise) return Promise.resolve(answer as Promise<T>);
    return Promise.reject(new Error(`A backend command answered ${String(answer)} instead of a promise.`));
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Subscribes to a backend event for the life of the component. */
export function useSubscription<T>(
  subscribe: (handler: (payload: T) => void) => Promise<UnlistenFn> | undefined,
  handler: (payload: T) => void,
): void {
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => {
    let unlisten: UnlistenFn | undefined;
    let active = true;
    Promise.resolve()
      .then(() => subscribe((payload) => latest.current(payload)))
      .then((fn) => {
        if (!fn) return;
        if (active) unlisten = fn;
        else fn();
      })
      .catch(() => {
        // Outside Tauri (a plain browser) there are no events: the screen still works.
      });
    return () => {
      active = false;
      unlisten?.();
    };
  }, [subscribe]);
}

/** Calls `handler` each time local data changed (`data-changed` event). */
export function useDataChanged(handler: () => void): void {
  useSubscription<void>(api.onDataChanged, handler);
}

/** While set, the reads of `useCommand` wait for it: the window's first frame (`holdReads`). */
let heldUntil: Promise<void> | null = null;

/**
 * Holds the screens' reads (`startRead`: `useCommand`, the sync status, the update check) until
 * the returned function is called — `main.tsx` calls it once the
 * window has painted its first screen (issue 19 §5). The first screen's own data is read before
 * (`early.ts`); the other sections' reads (what waits, the map, the e-mails…) answered before
 * that frame, and their renders held the frame back: measured, up to 100 ms more before the
 * Accueil showed. A read asked meanwhile starts at the release.
 */
export function holdReads(): () => void {
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  heldUntil = held;
  return () => {
    if (heldUntil === held) heldUntil = null;
    release();
  };
}

/** `startCommand` for a screen's read: held while the window's first frame is awaited. */
export function startRead<T>(fn: () => Promise<T>): Promise<T> {
  return heldUntil ? heldUntil.then(() => startCommand(fn)) : startCommand(fn);
}

/** What a screen knows about one read. */
export type CommandState<T> = {
  /** The last answer (kept while a re-read runs, so the screen does not flicker). */
  data: T | undefined;
  /** The last error, translated with `useErrorText()` / `<ErrorPanel>`. */
  error: AppError | null;
  /** True until the first answer for the current `deps`. */
  loading: boolean;
  /** Reads again. */
  reload: () => void;
};

/** How `useCommand` starts and re-reads. */
export type ReadOptions<T> = {
  /** An answer already there (the Accueil's early read): drawn at once, not read again at mount. */
  initial?: T;
  /** When `deps` change, the last answer stays (with `loading`) until the new one comes: a
   * list asking for more rows keeps those drawn, its filter and its scroll position. */
  keepWhileReading?: boolean;
};

/**
 * Runs `fn` now, again when `deps` change, and again on every `data-changed` event.
 * `deps` works as for `useEffect` (the linter checks it).
 */
export function useCommand<T>(fn: () => Promise<T>, deps: DependencyList, options: ReadOptions<T> = {}): CommandState<T> {
  const { initial, keepWhileReading = false } = options;
  const [state, setState] = useState<Omit<CommandState<T>, "reload">>({
    data: initial,
    error: null,
    loading: initial === undefined,
  });
  // An answer already there (`initial`) is the first read: not read again at mount.
  const answered = useRef(initial !== undefined);
  const fnRef = useRef(fn);
  useEffect(() => {
    fnRef.current = fn;
  });
  const sequence = useRef(0);

  /** Makes every answer still on its way stale (deps changed, or unmounted). */
  const invalidate = useCallback(() => {
    sequence.current++;
  }, []);

  const run = useCallback(() => {
    const id = ++sequence.current;
    startRead(fnRef.current).then(
      (data) => {
        if (id === sequence.current) setState({ data, error: null, loading: false });
      },
      (error: unknown) => {
        if (id === sequence.current) setState((s) => ({ data: s.data, error: AppError.from(error), loading: false }));
      },
    );
  }, []);

  useEffect(() => {
    // `fn` of the new deps is the latest one: make sure the ref has it before running.
    fnRef.current = fn;
    if (answered.current) {
      answered.current = false;
      return invalidate;
    }
    setState((s) => {
      const data = keepWhileReading ? s.data : undefined;
      // Already so (at mount: nothing read yet): the same object, and React does not render
      // again — a new one rendered every reading section twice before the window's first frame
      // (issue 19 §5).
      return s.loading && s.error === null && s.data === data ? s : { data, error: null, loading: true };
    });
    run();
    return invalidate;
    // The caller's deps decide when to read again (checked by react-hooks/exhaustive-deps
    // through `additionalHooks`).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  useDataChanged(run);

  return { ...state, reload: run };
}

/** The sync engine's status, as the backend reports it. */
export type SyncState = {
  /** Null until the first answer. */
  status: SyncStatus | null;
  /** The last failure of `sync_status` or `sync_now`. */
  error: AppError | null;
  /** True while a « Synchroniser maintenant » runs. */
  requesting: boolean;
  /** Asks for a sync now. */
  syncNow: () => Promise<void>;
};

/** `sync_status()` first, then every `sync-status` event. */
export function useSyncStatus(): SyncState {
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [requesting, setRequesting] = useState(false);
  const eventSeen = useRef(false);
  const mounted = useRef(true);

  useSubscription<SyncStatus>(api.onSyncStatus, (s) => {
    eventSeen.current = true;
    setStatus(s);
  });

  useEffect(() => {
    mounted.current = true;
    startRead(() => api.syncStatus()).then(
      (s) => {
        // An event that arrived meanwhile is newer than this answer.
        if (mounted.current && !eventSeen.current) setStatus(s);
      },
      (e: unknown) => {
        if (mounted.current) setError(AppError.from(e));
      },
    );
    return () => {
      mounted.current = false;
    };
  }, []);

  const syncNow = useCallback(async () => {
    setRequesting(true);
    setError(null);
    try {
      const s = await api.syncNow();
      if (mounted.current) setStatus(s);
    } catch (e) {
      if (mounted.current) setError(AppError.from(e));
    } finally {
      if (mounted.current) setRequesting(false);
    }
  }, []);

  return { status, error, requesting, syncNow };
}

/** The current time, refreshed every `intervalMs` (relative times on screen stay true). */
export function useNow(intervalMs = 30_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = window.setInterval(() => setNow(new Date()), intervalMs);
    return () => window.clearInterval(id);
  }, [intervalMs]);
  return now;
}
