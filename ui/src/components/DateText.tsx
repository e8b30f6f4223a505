import { formatDate, formatDateTime, formatDeadline, formatRelative } from "../format";

/**
 * A date in Belgian form inside a `<time>`: `date` (12/03/2027), `datetime` (… à 14:05),
 * `deadline` (… à 12:00 (heure de Bruxelles)) or `relative` (il y a 2 minutes; give `now`).
 */
export function DateText({
  value,
  kind = "date",
  now,
}: {
  value: string;
  kind?: "date" | "datetime" | "deadline" | "relative";
  now?: Date;
}) {
  let text: string;
  switch (kind) {
    case "datetime":
      text = formatDateTime(value);
      break;
    case "deadline":
      text = formatDeadline(value);
      break;
    case "relative":
      text = formatRelative(value, now ?? new Date());
      break;
    default:
      text = formatDate(value);
  }
  return (
    <time dateTime={value} title={kind === "relative" ? formatDateTime(value) : undefined}>
      {text}
    </time>
  );
}
