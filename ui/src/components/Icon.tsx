/**
 * Small line icons drawn inline (no icon font, no network). Always decorative: the words next
 * to an icon carry the meaning, so icons are hidden from screen readers.
 */
export type IconName =
  | "check"
  | "sync"
  | "offline"
  | "warning"
  | "error"
  | "info"
  | "lock"
  | "clock"
  | "pending"
  | "user"
  | "arrow-right"
  | "different"
  | "print";

const PATHS: Record<IconName, string> = {
  check: "M4 12.5l5 5L20 6.5",
  sync: "M20 12a8 8 0 0 1-14.3 4.9M4 12a8 8 0 0 1 14.3-4.9M18.5 3v4.5H14M5.5 21v-4.5H10",
  offline: "M2 8.5a15 15 0 0 1 20 0M5.5 12a10 10 0 0 1 13 0M9 15.5a5 5 0 0 1 6 0M12 19.5h.01M3 3l18 18",
  warning: "M12 3l10 18H2L12 3zM12 10v4.5M12 17.5h.01",
  error: "M12 2.5a9.5 9.5 0 1 1 0 19 9.5 9.5 0 0 1 0-19zM8.5 8.5l7 7M15.5 8.5l-7 7",
  info: "M12 2.5a9.5 9.5 0 1 1 0 19 9.5 9.5 0 0 1 0-19zM12 11v6M12 7.5h.01",
  lock: "M6 10.5h12v10H6zM8.5 10.5V7a3.5 3.5 0 0 1 7 0v3.5",
  clock: "M12 2.5a9.5 9.5 0 1 1 0 19 9.5 9.5 0 0 1 0-19zM12 7v5l3.5 2",
  pending: "M12 2.5a9.5 9.5 0 1 1 0 19 9.5 9.5 0 0 1 0-19zM7.5 12h.01M12 12h.01M16.5 12h.01",
  user: "M12 3a4 4 0 1 1 0 8 4 4 0 0 1 0-8zM4 21a8 8 0 0 1 16 0",
  "arrow-right": "M4 12h15M13 6l6 6-6 6",
  print: "M7 8.5V3h10v5.5M7 17.5H4v-9h16v9h-3M7 14h10v7H7z",
  different: "M5 9h14M5 15h14M16 4L8 20",
};

/** An icon, sized to the text around it. */
export function Icon({ name, className }: { name: IconName; className?: string }) {
  return (
    <svg
      className={`icon${className ? ` ${className}` : ""}`}
      viewBox="0 0 24 24"
      width="1.1em"
      height="1.1em"
      fill="none"
      stroke="currentColor"
      strokeWidth="2.2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
