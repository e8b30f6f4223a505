/**
 * The centrale launches the pool's one remise en concurrence: every commune's order with the
 * same deadline, the framework's active providers invited to offer once for the pooled volume.
 * The deadline is typed in Brussels wall time and converted by Rust (the launch form of an
 * order: `checkDeadline`, `DeadlineFields`); joining closes. The launch is written by the
 * intercommunale: after sending, the section says it waits for the sync (read from the outbox,
 * so it survives a reload), or why it was refused.
 */
import { useState, type FormEvent } from "react";
import { api } from "../../api";
import { Button } from "../../components/Button";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorSummary, type FieldError } from "../../components/ErrorSummary";
import { Icon } from "../../components/Icon";
import { StatusTag } from "../../components/StatusTag";
import { AppError } from "../../errors";
import { formatDate, formatDeadline } from "../../format";
import { useErrorText, useT } from "../../i18n";
import { paths } from "../../paths";
import { Link } from "../../router";
import { useSession } from "../../session";
import type { PoolPage } from "../../bindings/PoolPage";
import { addDays } from "../../calendar";
import { useWho, type ReceiptData } from "../orders/Actions";
import { checkDeadline, DeadlineFields, defaultDeadline, useServerNow } from "../orders/CentraleActions";
import { fieldOf } from "../orders/common";
import { SummaryRow } from "../orders/Sections";
import { activeMembers, payloadText, useQueuedForPool } from "./common";

const IDS = { date: "pool-deadline-date", time: "pool-deadline-time" } as const;

export function LaunchPool({ page, onDone }: { page: PoolPage; onDone: (r: ReceiptData) => void }) {
  const t = useT();
  const errorText = useErrorText();
  const who = useWho();
  const { state } = useSession();
  const { now } = useServerNow();
  const minDays = state.settings?.min_competition_days ?? null;
  const queued = useQueuedForPool("pool.launch_competition", page.id);
  const [justSent, setJustSent] = useState<string | null>(null);
  const [initial] = useState(() => defaultDeadline(state.today, minDays, now));
  const [date, setDate] = useState(initial.date);
  const [time, setTime] = useState(initial.time);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [confirming, setConfirming] = useState<string | null>(null);
  const members = activeMembers(page.members);
  const errorFor = (id: string) => errors.find((e) => e.fieldId === id)?.message ?? null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const check = await checkDeadline(t, { date, time }, { today: state.today, minDays, nowMs: now });
    const found: FieldError[] = [];
    if (check.date) found.push({ fieldId: IDS.date, message: check.date });
    if (check.time) found.push({ fieldId: IDS.time, message: check.time });
    setErrors(found);
    if (found.length === 0 && check.utc) setConfirming(check.utc);
  };

  const launch = async () => {
    if (!confirming) return;
    const deadline = confirming;
    try {
      await api.perform({ kind: "launch_pool", input: { pool_id: page.id, deadline } });
    } catch (e) {
      const error = AppError.from(e);
      if (fieldOf(error.params) !== "deadline") throw error;
      // Back to the form, the reason next to the date; what was typed stays.
      setConfirming(null);
      setErrors([{ fieldId: IDS.date, message: errorText(error) }]);
      return;
    }
    setConfirming(null);
    setJustSent(deadline);
    onDone({
      title: t("pools.launch.receiptTitle"),
      what: t("pools.launch.receiptWhat", { title: page.title, count: members.length, deadline: formatDeadline(deadline) }),
      who,
      when: new Date().toISOString(),
      note: t("pools.launch.receiptNote"),
    });
  };

  const refused = queued && queued.state !== "pending" ? queued : null;
  const waiting = (queued !== null && !refused) || justSent !== null;
  const sentDeadline = justSent ?? (queued ? payloadText(queued, "deadline") : null);

  return (
    <section className="section action-panel" aria-labelledby="pool-launch-title" data-testid="pool-launch">
      <h2 id="pool-launch-title">{t("pools.launch.title")}</h2>
      {refused && (
        <div className="panel panel--danger" role="alert" data-testid="pool-launch-refused">
          <p className="panel__title">
            <Icon name="error" />
            {t("pools.launch.refused", { reason: errorText({ code: refused.error_code ?? "", message: refused.error_message ?? "" }) })}
          </p>
          <p>
            <Link to={paths.attentionEntry(refused.mutation_id)}>{t("pools.launch.refusedLink")}</Link>
          </p>
        </div>
      )}
      {waiting ? (
        <div className="panel" role="status" data-testid="pool-launch-pending">
          <p>
            <StatusTag tone="pending" label={t("common.notSynced")} />
          </p>
          <p>{t("pools.launch.pending")}</p>
          {sentDeadline && <p className="muted">{t("pools.launch.pendingDeadline", { deadline: formatDeadline(sentDeadline) })}</p>}
        </div>
      ) : (
        !refused && (
          <>
            <p>{t("pools.launch.explain", { count: members.length })}</p>
            {page.phase === "joining" && (
              <p className="panel panel--warning" data-testid="pool-launch-early">
                {t("pools.launch.beforeJoinUntil", { date: formatDate(page.join_until) })}
              </p>
            )}
            <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby="pool-deadline-title">
              <h3 id="pool-deadline-title">{t("pools.launch.deadlineTitle")}</h3>
              <ErrorSummary errors={errors} />
              <p data-testid="pool-earliest">
                {minDays !== null
                  ? t("centraleOrders.launch.earliest", { count: minDays, date: formatDate(addDays(state.today, minDays)) })
                  : t("centraleOrders.launch.earliestUnknown")}
              </p>
              <DeadlineFields
                ids={IDS}
                dateLabel={t("centraleOrders.launch.date")}
                date={date}
                time={time}
                onDate={setDate}
                onTime={setTime}
                errorFor={errorFor}
                testIdPrefix="pool-deadline"
              />
              <div className="button-group">
                <Button type="submit" variant="primary" data-testid="pool-launch-submit">
                  {t("pools.launch.button")}
                </Button>
              </div>
            </form>
          </>
        )
      )}
      {confirming && (
        <ConfirmDialog
          title={t("pools.launch.confirmTitle", { title: page.title })}
          confirmLabel={t("pools.launch.button")}
          onConfirm={launch}
          onCancel={() => setConfirming(null)}
        >
          <dl className="summary-list" data-testid="pool-launch-summary">
            <SummaryRow label={t("pools.launch.confirmPool")}>{page.title}</SummaryRow>
            <SummaryRow label={t("pools.launch.confirmService")}>{page.service_name}</SummaryRow>
            <SummaryRow label={t("pools.launch.confirmCommunes", { count: members.length })}>
              <ul className="plain-list">
                {members.map((m) => (
                  <li key={m.commune_nis}>{m.commune_name}</li>
                ))}
              </ul>
            </SummaryRow>
            <SummaryRow label={t("pools.launch.confirmDeadline")}>{formatDeadline(confirming)}</SummaryRow>
          </dl>
          <p className="confirm-note">{t("pools.launch.confirmNote")}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
