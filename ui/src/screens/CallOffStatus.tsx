/**
 * Whether a service can be ordered today, in words + icon (the Rust `CallOffBlocker` code
 * translated): used by the catalogue cards and the service page.
 */
import { StatusTag, type Tone } from "../components/StatusTag";
import { formatDate } from "../format";
import { useT, type Translate } from "../i18n";
import type { CallOffBlocker } from "../bindings/CallOffBlocker";
import type { ServiceRow } from "../bindings/ServiceRow";

function toneOf(blocker: CallOffBlocker | null): Tone {
  if (blocker === null) return "success";
  return blocker === "ended" ? "danger" : "warning";
}

/** The date a blocker speaks about (start for « not started », end for « ended »). */
function blockerDate(row: ServiceRow): string | null {
  if (row.call_off_blocker === "not_started") return row.start_date ? formatDate(row.start_date) : null;
  if (row.call_off_blocker === "ended") return row.end_date ? formatDate(row.end_date) : null;
  return null;
}

/** The short words: « Peut être commandé aujourd'hui », « Accord-cadre terminé le 28/02/2029 ». */
export function callOffLabel(t: Translate, row: ServiceRow): string {
  const blocker = row.call_off_possible ? null : (row.call_off_blocker ?? "framework_missing");
  if (blocker === null) return t("catalogue.callOff.possible");
  return t(`catalogue.callOff.${blocker}`, { date: blockerDate(row) });
}

/** A longer sentence saying what it means for the commune (service page). */
export function callOffHelp(t: Translate, row: ServiceRow): string | null {
  if (row.call_off_possible) return null;
  const blocker = row.call_off_blocker ?? "framework_missing";
  return t(`service.callOffHelp.${blocker}`, { date: blockerDate(row) });
}

export function CallOffStatus({ row, testId }: { row: ServiceRow; testId?: string }) {
  const t = useT();
  const blocker = row.call_off_possible ? null : (row.call_off_blocker ?? "framework_missing");
  return <StatusTag tone={toneOf(blocker)} label={callOffLabel(t, row)} testId={testId} />;
}
