/**
 * What the catalogue management screens share: the gate that keeps them for the centrale's
 * staff, « who » for receipts, fresh keys for lines added to a form, and the changes of the
 * outbox that concern the catalogue (sent at the next synchronisation).
 */
import { useRef, type ReactNode } from "react";
import { EmptyState } from "../../../components/EmptyState";
import { useT } from "../../../i18n";
import { paths } from "../../../paths";
import { Link } from "../../../router";
import { useSession } from "../../../session";
import type { OutboxEntry } from "../../../bindings/OutboxEntry";
import { personLabel } from "../../../people";

/** Shows `children` to the centrale's staff only; others read why and go back home. */
export function CentraleOnly({ children }: { children: ReactNode }) {
  const t = useT();
  const { state } = useSession();
  if (state.session?.role === "centrale_staff") return <>{children}</>;
  return (
    <EmptyState
      testId="catalogue-admin-forbidden"
      message={t("catalogueAdmin.forbidden")}
      action={
        <Link to={paths.catalogue()} className="button button--secondary">
          {t("catalogueAdmin.backToCatalogue")}
        </Link>
      }
    />
  );
}

/** « Thomas Henrotte, chargé de compte de la centrale », for receipts. */
export function useWho(): string {
  const { state } = useSession();
  const me = state.session;
  return me ? personLabel(me) : "";
}

/** A maker of keys for React lists of lines added in a form (`line-1`, `line-2`…). */
export function useKeyMaker(prefix: string): () => string {
  const next = useRef(0);
  return () => `${prefix}-${++next.current}`;
}

/** The payload of an outbox entry as a record (empty when it is not an object). */
export function payloadOf(entry: OutboxEntry): Record<string, unknown> {
  const p = entry.payload;
  return typeof p === "object" && p !== null && !Array.isArray(p) ? (p as Record<string, unknown>) : {};
}

/** Entries of one mutation not yet accepted by the server (waiting or refused). */
export function outboxOf(entries: OutboxEntry[] | undefined, name: string): OutboxEntry[] {
  return (entries ?? []).filter((e) => e.name === name);
}
