/**
 * Whether a service can be ordered today, in words + icon (the Rust `CallOffBlocker` code
 * translated): used by the catalogue cards and the service page. The words are about who reads
 * them: a commune that has not joined yet cannot order even an open framework, and the centrale
 * or a provider does not order at all.
 */
import { StatusTag, type Tone } from "../components/StatusTag";
import { formatDate } from "../format";
import { useT, type Translate } from "../i18n";
import { useSession } from "../session";
import { isCommuneRole } from "./screenHelpers";
import type { CallOffBlocker } from "../bindings/CallOffBlocker";
import type { ServiceRow } from "../bindings/ServiceRow";

/**
 * Who reads the status: a commune whose adhesion is active, a commune that has not joined (or
 * whose adhesion is not active yet), or someone who does not order (the centrale, a provider).
 */
export type Reader = "member" | "not_member" | "not_a_commune";

function toneOf(blocker: CallOffBlocker | null, reader: Reader): Tone {
  if (blocker === null) return reader === "not_member" ? "warning" : "success";
  return blocker === "ended" ? "danger" : "warning";
}

/** The reader of the screen, from the session. */
export function useReader(): Reader {
  const { state } = useSession();
  if (!isCommuneRole(state.session?.role)) return "not_a_commune";
  return state.commune?.adhesion_status === "active" ? "member" : "not_member";
}

/** The date a blocker speaks about (start for « not started », end for « ended »). */
function blockerDate(row: ServiceRow): string | null {
  if (row.call_off_blocker === "not_started") return row.start_date ? formatDate(row.start_date) : null;
  if (row.call_off_blocker === "ended") return row.end_date ? formatDate(row.end_date) : null;
  return null;
}

/** The short words: « Votre commune peut le commander aujourd'hui », « Accord-cadre terminé le 28/02/2029 ». */
export function callOffLabel(t: Translate, row: ServiceRow, reader: Reader): string {
  const blocker = row.call_off_possible ? null : (row.call_off_blocker ?? "framework_missing");
  if (blocker === null) return t(`catalogue.callOff.possible.${reader}`);
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
  const reader = useReader();
  const blocker = row.call_off_possible ? null : (row.call_off_blocker ?? "framework_missing");
  return <StatusTag tone={toneOf(blocker, reader)} label={callOffLabel(t, row, reader)} testId={testId} />;
}
