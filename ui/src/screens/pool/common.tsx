/**
 * What the pooled call-off screens share (issue 16 §4): where a pool stands in words, colour
 * and icon; the communes still in it; a quantity with its unit; the changes of a pool still
 * waiting on this PC (the launch is written by the intercommunale, so it shows only after the
 * next synchronisation).
 */
import { StatusTag, type Tone } from "../../components/StatusTag";
import type { IconName } from "../../components/Icon";
import { api } from "../../api";
import { useCommand } from "../../data";
import { formatDecimal } from "../../format";
import { useT } from "../../i18n";
import type { OutboxEntry } from "../../bindings/OutboxEntry";
import type { PoolMemberView } from "../../bindings/PoolMemberView";
import type { PoolPage } from "../../bindings/PoolPage";
import type { PoolPhase } from "../../bindings/PoolPhase";
import type { PoolQuantity } from "../../bindings/PoolQuantity";
import type { PooledOfferView } from "../../bindings/PooledOfferView";
import "./pool.css";

const PHASE_LOOK: Record<PoolPhase, { tone: Tone; icon?: IconName }> = {
  joining: { tone: "info" },
  joining_closed: { tone: "neutral", icon: "clock" },
  competition_open: { tone: "pending", icon: "lock" },
  offers_opened: { tone: "warning" },
  evaluated: { tone: "success" },
};

/** « Ouvert aux communes », « Remise en concurrence en cours »… */
export function PoolPhaseTag({ phase, testId }: { phase: PoolPhase; testId?: string }) {
  const t = useT();
  const look = PHASE_LOOK[phase];
  return <StatusTag tone={look.tone} icon={look.icon} label={t(`pools.phase.${phase}`)} testId={testId} />;
}

/** Saved on this PC, not yet accepted by the intercommunale. */
export function PoolPendingTag({ testId }: { testId?: string }) {
  const t = useT();
  return <StatusTag tone="pending" label={t("common.notSynced")} testId={testId} />;
}

/** The communes still in the pool (not those who left). */
export function activeMembers(members: PoolMemberView[]): PoolMemberView[] {
  return members.filter((m) => m.left_at === null);
}

/** The offers still in the competition (not set aside): the only ones analysed. */
export function offersInCompetition(page: PoolPage): PooledOfferView[] {
  return page.offers.filter((o) => !o.set_aside);
}

/** « 12,5 licences » — the quantity with the price line's unit. */
export function quantityText(q: PoolQuantity): string {
  return `${formatDecimal(q.quantity)} ${q.unit}`.trim();
}

/** The change of this kind for this pool still in the outbox (waiting, or refused). */
export function useQueuedForPool(name: string, poolId: string): OutboxEntry | null {
  const outbox = useCommand(async () => api.outbox(), []);
  return (
    (outbox.data ?? []).find((e) => {
      const p = e.payload;
      return e.name === name && typeof p === "object" && p !== null && !Array.isArray(p) && p.pool_id === poolId;
    }) ?? null
  );
}

/** A text a queued change's payload carries (`deadline`). */
export function payloadText(entry: OutboxEntry, key: string): string | null {
  const p = entry.payload;
  if (typeof p !== "object" || p === null || Array.isArray(p)) return null;
  const value = p[key];
  return typeof value === "string" ? value : null;
}
