/**
 * A one-time message shown at the top of a screen (« Votre version sera envoyée… »), e.g.
 * after an action that navigates away. `flash(text, path)` sets it for the screen at `path`;
 * `<FlashNotice>` (in the Layout) shows it there, and drops it once the user moves on.
 */
import { useEffect, useSyncExternalStore } from "react";
import { Icon } from "./Icon";
import { useLocation } from "../router";

type Flash = { text: string; path: string; shown: boolean };

let current: Flash | null = null;
const listeners = new Set<() => void>();

function emit() {
  listeners.forEach((l) => l());
}

/** Shows `text` at the top of the screen at `path` (the one the user is going to). */
export function flash(text: string, path: string): void {
  current = { text, path, shown: false };
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
  const here = message !== null && message.path === path;

  useEffect(() => {
    if (!current) return;
    if (current.path === path) current.shown = true;
    else if (current.shown) {
      current = null;
      emit();
    }
  }, [path, message]);

  if (!message || !here) return null;
  return (
    <div className="notice notice--success" role="status" data-testid="flash">
      <Icon name="check" />
      <p>{message.text}</p>
    </div>
  );
}
