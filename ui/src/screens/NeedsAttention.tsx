/**
 * « Modifications à régler » (#/a-regler): the changes the server refused or that are in
 * conflict — each with what it was, when and by whom, the server's reason and what was
 * typed; corrected, sent again or abandoned from here — then the changes still waiting to be
 * sent.
 */
import { useState } from "react";
import { api } from "../api";
import { Button } from "../components/Button";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { EmptyState } from "../components/EmptyState";
import { ErrorPanel } from "../components/ErrorPanel";
import { Loading } from "../components/Loading";
import { flash } from "../components/Notice";
import { Page } from "../components/Page";
import { ReadableValue } from "../components/ReadableValue";
import { StatusTag } from "../components/StatusTag";
import { useCommand } from "../data";
import { AppError } from "../errors";
import { formatDateTime } from "../format";
import { useErrorText, useT } from "../i18n";
import { actionFromEntry, correctionPath, mutationLabel } from "../outbox";
import { paths } from "../paths";
import { Link } from "../router";
import { outboxTone } from "../statuses";
import type { OutboxEntry } from "../bindings/OutboxEntry";
import type { ScreenProps } from "./ScreenProps";
import { personLabel } from "../people";
import { SecondFactorField } from "../components/SecondFactorField";
import { asksSecondFactor, isSecondFactorFieldError } from "../secondFactor";
import { useSession } from "../session";

function detailsOf(entry: OutboxEntry): Record<string, unknown> {
  const d = entry.error_details;
  return typeof d === "object" && d !== null && !Array.isArray(d) ? (d as Record<string, unknown>) : {};
}

/** « Faite le 12/03/2027 à 14:05 par Marie Dupont, directeur général ». */
function useMadeBy() {
  const t = useT();
  return (entry: OutboxEntry) =>
    t("attention.madeBy", {
      when: t("time.onDate", { date: formatDateTime(entry.created_at) }),
      who: personLabel(entry.created_by),
    });
}

/**
 * One refused or conflicting change, with its actions. `afterSettled` runs once it is
 * discarded or sent again (the list re-reads; the entry page goes back to the list).
 */
export function AttentionItem({ entry, afterSettled, headingLevel = 2 }: { entry: OutboxEntry; afterSettled: () => void; headingLevel?: 2 | 3 }) {
  const t = useT();
  const errorText = useErrorText();
  const madeBy = useMadeBy();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const what = mutationLabel(t, entry.name);
  const fix = correctionPath(entry);
  const action = actionFromEntry(entry);
  const Heading = headingLevel === 2 ? "h2" : "h3";
  // A signing act goes again with a new one-time code (a code serves once; a refused one is
  // gone): typed here, under the reason (issue 17 point 9).
  const { state } = useSession();
  const asksCode = action !== null && entry.state === "needs_attention" && !fix && asksSecondFactor(action.kind, state.session);
  const codeRefused = (entry.error_code ?? "").startsWith("second_factor_");
  const [code, setCode] = useState("");
  const [codeError, setCodeError] = useState<AppError | null>(null);

  const resend = async () => {
    if (!action) return;
    setBusy(true);
    setError(null);
    setCodeError(null);
    try {
      if (asksCode) await api.resendChange(entry.mutation_id, action, code);
      else await api.resendChange(entry.mutation_id, action);
      flash(t("attention.resent", { what }), paths.attention(), { untilSent: true });
      afterSettled();
    } catch (e) {
      const failure = AppError.from(e);
      if (asksCode && isSecondFactorFieldError(failure.params)) setCodeError(failure);
      else setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const discard = async () => {
    await api.discardChange(entry.mutation_id);
    setConfirming(false);
    flash(t("attention.discarded", { what }), paths.attention());
    afterSettled();
  };

  return (
    <article className="outbox-item" data-testid="attention-item" data-mutation-id={entry.mutation_id} data-state={entry.state}>
      <div className="outbox-item__head">
        <Heading className="outbox-item__title">{what}</Heading>
        <StatusTag tone={outboxTone(entry.state)} label={t(`status.outbox.${entry.state}`)} />
      </div>
      <p className="muted">{madeBy(entry)}</p>
      {(entry.error_code || entry.error_message) && (
        <div className="reason">
          <p className="reason__label">{t("attention.reason")}</p>
          <p data-testid="attention-reason">
            {errorText({ code: entry.error_code ?? "", message: entry.error_message ?? "", params: detailsOf(entry) })}
          </p>
        </div>
      )}
      <div className="typed">
        <p className="typed__label">{t("attention.typed")}</p>
        <div data-testid="attention-typed">
          <ReadableValue value={entry.payload} />
        </div>
      </div>
      {asksCode && (
        <div className="attention-second-factor" data-testid="attention-second-factor">
          {codeRefused && (
            <>
              <p className="reason__label">{t("secondFactor.resendTitle")}</p>
              <p>{t("secondFactor.resendIntro")}</p>
            </>
          )}
          <SecondFactorField
            id={`attention-code-${entry.mutation_id}`}
            value={code}
            onChange={(v) => {
              setCode(v);
              setCodeError(null);
            }}
            error={codeError ? errorText(codeError) : null}
            testId="attention-second-factor-code"
          />
        </div>
      )}
      {error && <ErrorPanel error={error} />}
      <div className="button-group">
        {entry.state === "conflict" && (
          <Link to={paths.attentionEntry(entry.mutation_id)} className="button button--secondary" data-testid="attention-compare">
            {t("attention.compare")}
          </Link>
        )}
        {entry.state === "needs_attention" && fix && (
          <Link to={fix} className="button button--secondary" data-testid="attention-resend">
            {t("attention.fix")}
          </Link>
        )}
        {entry.state === "needs_attention" && !fix && action && (
          <Button variant="secondary" busy={busy} onClick={() => void resend()} data-testid="attention-resend">
            {asksCode ? t("secondFactor.resend") : t("attention.resend")}
          </Button>
        )}
        <Button variant="link" className="button--danger-link" onClick={() => setConfirming(true)} data-testid="attention-discard">
          {t("attention.discard")}
        </Button>
      </div>
      {confirming && (
        <ConfirmDialog
          title={t("attention.discardTitle", { what })}
          confirmLabel={t("attention.discardConfirm")}
          tone="danger"
          onConfirm={discard}
          onCancel={() => setConfirming(false)}
        >
          <p>{t("attention.discardBody")}</p>
          <ReadableValue value={entry.payload} />
        </ConfirmDialog>
      )}
    </article>
  );
}

function PendingItem({ entry }: { entry: OutboxEntry }) {
  const t = useT();
  const madeBy = useMadeBy();
  return (
    <article className="outbox-item outbox-item--pending" data-testid="pending-item" data-mutation-id={entry.mutation_id}>
      <div className="outbox-item__head">
        <h3 className="outbox-item__title">{mutationLabel(t, entry.name)}</h3>
        <StatusTag tone="pending" label={t("status.outbox.pending")} />
      </div>
      <p className="muted">{madeBy(entry)}</p>
      <details className="typed">
        <summary>{t("attention.typed")}</summary>
        <div data-testid="pending-typed">
          <ReadableValue value={entry.payload} />
        </div>
      </details>
    </article>
  );
}

export function NeedsAttention(_props: ScreenProps) {
  const t = useT();
  const outbox = useCommand(() => api.outbox(), []);
  const entries = outbox.data ?? [];
  const toSettle = entries.filter((e) => e.state !== "pending");
  const waiting = entries.filter((e) => e.state === "pending");

  return (
    <Page title={t("attention.title")} intro={<p>{t("attention.intro")}</p>}>
      {outbox.error && <ErrorPanel error={outbox.error} onRetry={outbox.reload} />}
      {outbox.loading && !outbox.data && <Loading />}
      {outbox.data && (
        <>
          <section aria-labelledby="to-settle-title" className="section">
            <h2 id="to-settle-title">{t("attention.toSettle")}</h2>
            <div className="outbox-list" data-testid="attention-list" data-count={toSettle.length}>
              {toSettle.length === 0 ? (
                <EmptyState message={t("attention.noneToSettle")} testId="attention-empty" />
              ) : (
                toSettle.map((e) => <AttentionItem key={e.mutation_id} entry={e} afterSettled={outbox.reload} headingLevel={3} />)
              )}
            </div>
          </section>
          <section aria-labelledby="waiting-title" className="section">
            <h2 id="waiting-title">{t("attention.waiting")}</h2>
            {waiting.length === 0 ? (
              <p className="muted">{t("attention.noneWaiting")}</p>
            ) : (
              <>
                <p>{t("attention.waitingIntro")}</p>
                <div className="outbox-list" data-testid="pending-list">
                  {waiting.map((e) => (
                    <PendingItem key={e.mutation_id} entry={e} />
                  ))}
                </div>
              </>
            )}
          </section>
        </>
      )}
    </Page>
  );
}
