/**
 * A one-time message shown at the top of a screen (« Votre version sera envoyée… »), e.g.
 * after an action that navigates away. `flash(text, path)` sets it for the screen at `path`;
 * `<FlashNotice>` (in the Layout) shows it there, and drops it once it stops being true: the
 * user moves on, a newer act on the same screen shows its own receipt (`clearFlash`), or — for a
 * notice that promises a sending (`untilSent`) — the sync has sent everything since.
 */
import { useEffect, useSyncExternalStore } from "react";
import { Icon } from "./Icon";
import { useSyncStatus } from "../data";
import { useLocation } from "../router";

type Flash = { text: string; path: string; shown: boolean; untilSent: boolean; at: number };

let current: Flash | null = null;
const listeners = new Set<() => void>();

function emit() {
  listeners.forEach((l) => l());
}

/**
 * Shows `text` at the top of the screen at `path` (the one the user is going to). With
 * `untilSent`, the text says something « sera envoyé » and leaves once nothing waits any more.
 */
export function flash(text: string, path: string, options: { untilSent?: boolean } = {}): void {
  current = { text, path, shown: false, untilSent: options.untilSent ?? false, at: Date.now() };
  emit();
}

/** Drops the notice: a newer act on the screen says what happened now. */
export function clearFlash(): void {
  if (current === null) return;
  current = null;
  emit();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

export function FlashNotice() {
  const message = useSyncExternalStore(subscribe, () => current);
  const { path } = useLocation();
  const { status } = useSyncStatus();
  const here = message !== null && message.path === path;
  const sent =
    message !== null &&
    message.untilSent &&
    status !== null &&
    status.pending === 0 &&
    status.last_success !== null &&
    Date.parse(status.last_success) >= message.at;

  useEffect(() => {
    if (!current) return;
    if (sent) clearFlash();
    else if (current.path === path) current.shown = true;
    else if (current.shown) clearFlash();
  }, [path, message, sent]);

  if (!message || !here || sent) return null;
  return (
    <div className="notice notice--success" role="status" data-testid="flash">
      <Icon name="check" />
      <p>{message.text}</p>
    </div>
  );
}
