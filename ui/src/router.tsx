/**
 * A tiny hash router: the address is `#/path?query`. Hash routes work from a file:// or
 * tauri:// origin, offline, with no server rewriting.
 */
import { useSyncExternalStore, type AnchorHTMLAttributes } from "react";

/** Where the user is. */
export type Location = {
  /** The path, always starting with `/` (`/commandes/42`). */
  path: string;
  /** The query after `?` (`?correction=…`). */
  query: URLSearchParams;
};

function currentHash(): string {
  return window.location.hash;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener("hashchange", onChange);
  return () => window.removeEventListener("hashchange", onChange);
}

/** Splits `#/a/b?x=1` into a path and a query. */
export function parseHash(hash: string): Location {
  const raw = hash.replace(/^#/, "");
  const [pathPart = "", queryPart = ""] = raw.split("?", 2);
  const path = pathPart.startsWith("/") ? pathPart : `/${pathPart}`;
  const trimmed = path.length > 1 ? path.replace(/\/+$/, "") : path;
  return { path: trimmed, query: new URLSearchParams(queryPart) };
}

/** The current location; re-renders on every change. */
export function useLocation(): Location {
  const hash = useSyncExternalStore(subscribe, currentHash, () => "");
  return parseHash(hash);
}

/** Goes to `to` (a path from `paths`); `replace` leaves no history entry (redirects). */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const target = `#${to}`;
  if (window.location.hash === target) return;
  if (options.replace) {
    const url = `${window.location.pathname}${window.location.search}${target}`;
    window.history.replaceState(window.history.state, "", url);
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  } else {
    window.location.hash = target;
  }
}

/** Matches `/commandes/:orderId` against a path; the params, or null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split("/").filter(Boolean);
  const s = path.split("/").filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const want = p[i] ?? "";
    const got = s[i] ?? "";
    if (want.startsWith(":")) {
      try {
        params[want.slice(1)] = decodeURIComponent(got);
      } catch {
        return null;
      }
    } else if (want !== got) {
      return null;
    }
  }
  return params;
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, "href"> & { to: string };

/** A link to a route (a real `<a href="#/…">`: keyboard, middle-click and screen readers work). */
export function Link({ to, children, ...rest }: LinkProps) {
  return (
    <a href={`#${to}`} {...rest}>
      {children}
    </a>
  );
}
