/**
 * Déploiement (#/deploiement): for each awarded order being carried out, its milestones on a
 * timeline (planned vs actual dates, late ones marked in words + icon + colour), the progress,
 * « Accuser réception » on the steps the provider reported done, and the commune's acceptance
 * acts (réception provisoire, then définitive) — confirmed, then proved by a receipt.
 *
 * The centrale follows the deployments of every commune: each shows its commune, the late
 * ones come first (the most late milestones first, then the soonest next step), and a filter
 * keeps only the late ones. Acknowledging and accepting are the commune's acts: not shown.
 */
import { Fragment, useEffect, useRef, useState, type FormEvent } from "react";
import { api } from "../api";
import { Button } from "../components/Button";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { useSecondFactor } from "../components/SecondFactorField";
import { DateText } from "../components/DateText";
import { EmptyState } from "../components/EmptyState";
import { ExportCsv } from "../components/ExportCsv";
import { ErrorPanel } from "../components/ErrorPanel";
import { ErrorSummary, type FieldError } from "../components/ErrorSummary";
import { Field } from "../components/Field";
import { Icon, type IconName } from "../components/Icon";
import { Loading } from "../components/Loading";
import { Page } from "../components/Page";
import { ProgressBar } from "../components/ProgressBar";
import { Receipt } from "../components/Receipt";
import { StatusTag } from "../components/StatusTag";
import { useCommand, useSyncStatus } from "../data";
import { AppError } from "../errors";
import { formatDate, formatDateTime } from "../format";
import { isIsoDate } from "../calendar";
import { useErrorText, useT } from "../i18n";
import { paths } from "../paths";
import { Link } from "../router";
import { useSession } from "../session";
import { milestoneTone, orderTone } from "../statuses";
import type { DeploymentRow } from "../bindings/DeploymentRow";
import type { Me } from "../bindings/Me";
import type { MilestoneStatus } from "../bindings/MilestoneStatus";
import type { MilestoneView } from "../bindings/MilestoneView";
import type { ReplanRequest } from "../bindings/ReplanRequest";
import { LIMITS } from "../bindings/rules";
import { daysBetween, isCommuneRole, isSignatory } from "./screenHelpers";
import { communeLabel, useCommuneNames } from "./orders/CentraleActions";
import type { ScreenProps } from "./ScreenProps";
import { nameWithTitle, personLabel } from "../people";

type AcceptanceKind = "provisional" | "final";

type AcceptReceipt = {
  kind: AcceptanceKind;
  who: string;
  when: string;
  what: string;
  remarks: string;
  offline: boolean;
};

const MARKER: Record<MilestoneStatus, IconName> = {
  done: "check",
  late: "warning",
  planned: "clock",
};

// ── Re-plan requests (issue 17 point 5) ─────────────────────────────────────────────

/** One request and the commune's decision, as it stays on the record. */
function ReplanLine({ request: r }: { request: ReplanRequest }) {
  const t = useT();
  const asked = t("deployment.replan.asked", {
    who: r.requested_by,
    when: formatDateTime(r.requested_at),
    from: formatDate(r.from_date),
    to: formatDate(r.requested_date),
    reason: r.reason,
  });
  let outcome: string;
  if (r.decision === null) outcome = t("deployment.replan.waiting");
  else if (r.decision.accepted) outcome = t("deployment.replan.accepted", { who: r.decision.by, when: formatDateTime(r.decision.at) });
  else outcome = t("deployment.replan.refused", { who: r.decision.by, when: formatDateTime(r.decision.at), reason: r.decision.reason });
  const state = r.decision === null ? "pending" : r.decision.accepted ? "accepted" : "refused";
  return (
    <li data-testid="replan" data-state={state}>
      {asked} <strong>{outcome}</strong>
    </li>
  );
}

/**
 * The commune decides on the waiting request: accepting moves the planned date (the date
 * planned at the start stays on the record); refusing states the reason.
 */
function ReplanDecisionForm({ milestoneId, request }: { milestoneId: string; request: ReplanRequest }) {
  const t = useT();
  const errorText = useErrorText();
  const [refusing, setRefusing] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [failure, setFailure] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const reasonId = `replan-reason-${request.id}`;

  const decide = async (accepted: boolean) => {
    if (!accepted) {
      const length = [...reason.trim()].length;
      if (length < LIMITS.REPLAN_REASON_MIN_CHARS || length > LIMITS.REPLAN_REASON_MAX_CHARS) {
        setError(t("deployment.replan.reasonMissing", { min: LIMITS.REPLAN_REASON_MIN_CHARS, max: LIMITS.REPLAN_REASON_MAX_CHARS }));
        return;
      }
    }
    setError(null);
    setFailure(null);
    setBusy(true);
    try {
      await api.perform({
        kind: "decide_replan",
        input: { milestone_id: milestoneId, request_id: request.id, accepted, reason: accepted ? "" : reason.trim() },
      });
    } catch (e) {
      const failed = AppError.from(e);
      if (failed.params.field === "reason") setError(errorText(failed));
      else setFailure(failed);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="milestone__todo" data-testid="replan-decision">
      <p>{t("deployment.replan.decide", { date: formatDate(request.requested_date) })}</p>
      {refusing ? (
        <form
          noValidate
          onSubmit={(event: FormEvent) => {
            event.preventDefault();
            void decide(false);
          }}
        >
          <ErrorSummary errors={error ? [{ fieldId: reasonId, message: error }] : []} />
          <Field
            id={reasonId}
            type="textarea"
            rows={2}
            label={t("deployment.replan.reason")}
            hint={t("deployment.replan.reasonHint")}
            required
            value={reason}
            onChange={setReason}
            error={error}
            testId="replan-reason"
          />
          <div className="button-group">
            <Button type="submit" busy={busy} data-testid="replan-refuse-confirm">
              {t("deployment.replan.refuseConfirm")}
            </Button>
            <Button onClick={() => setRefusing(false)}>{t("common.cancel")}</Button>
          </div>
        </form>
      ) : (
        <div className="button-group">
          <Button variant="primary" onClick={() => void decide(true)} busy={busy} data-testid="replan-accept">
            {t("deployment.replan.accept")}
          </Button>
          <Button onClick={() => setRefusing(true)} data-testid="replan-refuse">
            {t("deployment.replan.refuse")}
          </Button>
        </div>
      )}
      {failure && <ErrorPanel error={failure} />}
    </div>
  );
}

// ── One milestone ───────────────────────────────────────────────────────────────────

function Milestone({
  milestone: m,
  today,
  canAcknowledge,
  busy,
  error,
  onAcknowledge,
}: {
  milestone: MilestoneView;
  today: string;
  canAcknowledge: boolean;
  busy: boolean;
  error: AppError | null;
  onAcknowledge: () => void;
}) {
  const t = useT();
  const kind = t(`milestoneKind.${m.kind}`);
  const acceptance = m.kind === "provisional_acceptance" || m.kind === "final_acceptance";
  const lateBy = m.late ? daysBetween(m.planned_date, today) : 0;
  const doneAfter = m.actual_date ? daysBetween(m.planned_date, m.actual_date) : 0;
  const toAcknowledge = m.actual_date !== null && m.acknowledged_at === null && !acceptance;
  const pendingReplan = m.replans.find((r) => r.decision === null) ?? null;

  return (
    <li
      className={`milestone milestone--${m.status}`}
      data-testid="milestone"
      data-milestone-id={m.id}
      data-late={m.late ? "true" : "false"}
      data-status={m.status}
      data-kind={m.kind}
    >
      <span className="milestone__marker" aria-hidden="true">
        <Icon name={MARKER[m.status]} />
      </span>
      <div className="milestone__body">
        <div className="milestone__head">
          <h3 className="milestone__title">{kind}</h3>
          <StatusTag
            tone={milestoneTone(m.status)}
            icon={m.late ? "warning" : undefined}
            label={t(`status.milestone.${m.status}`)}
            testId="milestone-status"
          />
          {m.pending && <StatusTag tone="pending" label={t("deployment.pending")} testId="milestone-pending" />}
        </div>
        <dl className="milestone__dates">
          <div>
            <dt>{t("deployment.planned")}</dt>
            <dd data-testid="milestone-planned">
              <DateText value={m.planned_date} />
              {m.kind === "go_live" && m.lead_time_days !== null && (
                <span className="muted" data-testid="milestone-lead-time">
                  {" "}
                  {t("deployment.leadTime", { count: m.lead_time_days })}
                </span>
              )}
            </dd>
          </div>
          {m.baseline_date !== m.planned_date && (
            <div>
              <dt>{t("deployment.baseline")}</dt>
              <dd data-testid="milestone-baseline">
                <DateText value={m.baseline_date} />
              </dd>
            </div>
          )}
          <div>
            <dt>{t("deployment.actual")}</dt>
            <dd data-testid="milestone-actual">{m.actual_date ? <DateText value={m.actual_date} /> : t("deployment.notYet")}</dd>
          </div>
        </dl>
        {m.late && (
          <p className="milestone__late" data-testid="milestone-late">
            <Icon name="clock" />
            {t("deployment.lateBy", { count: lateBy })}
          </p>
        )}
        {doneAfter > 0 && <p className="muted">{t("deployment.doneAfter", { count: doneAfter })}</p>}
        {m.notes.trim() !== "" && (
          <p className="milestone__notes">
            <span className="milestone__label">{t("deployment.notes")}</span> {m.notes.trim()}
          </p>
        )}
        {m.acknowledged_at && (
          <p className="milestone__ack" data-testid="milestone-acknowledged">
            <Icon name="check" />{" "}
            {m.acknowledged_by
              ? t("deployment.acknowledgedBy", { name: m.acknowledged_by, when: formatDateTime(m.acknowledged_at) })
              : t("deployment.acknowledged", { when: formatDateTime(m.acknowledged_at) })}
          </p>
        )}
        {toAcknowledge && (
          <div className="milestone__todo">
            <p>{t("deployment.reportedDone")}</p>
            {canAcknowledge && (
              <Button onClick={onAcknowledge} busy={busy} data-testid="milestone-acknowledge">
                <Icon name="check" />
                {t("deployment.acknowledge")}
                <span className="visually-hidden">{t("deployment.acknowledgeWhat", { step: kind })}</span>
              </Button>
            )}
          </div>
        )}
        {m.replans.length > 0 && (
          <div className="milestone__replans">
            <p className="milestone__label">{t("deployment.replan.title")}</p>
            <ul data-testid="milestone-replans">
              {m.replans.map((r) => (
                <ReplanLine key={r.id} request={r} />
              ))}
            </ul>
          </div>
        )}
        {pendingReplan && canAcknowledge && <ReplanDecisionForm milestoneId={m.id} request={pendingReplan} />}
        {error && <ErrorPanel error={error} />}
      </div>
    </li>
  );
}

/** Where today falls among the milestones (index of the first one after today). */
function todayIndex(milestones: MilestoneView[], today: string): number {
  const i = milestones.findIndex((m) => (m.actual_date ?? m.planned_date) > today);
  return i === -1 ? milestones.length : i;
}

// ── Acceptance acts ─────────────────────────────────────────────────────────────────

type AcceptErrors = { date?: string };

function AcceptanceForm({
  row,
  kind,
  me,
  today,
  communeName,
  onAccepted,
}: {
  row: DeploymentRow;
  kind: AcceptanceKind;
  me: Me;
  today: string;
  communeName: string;
  onAccepted: (receipt: AcceptReceipt) => void;
}) {
  const t = useT();
  const errorText = useErrorText();
  const { status: sync } = useSyncStatus();
  const offline = sync?.phase === "offline";
  const [date, setDate] = useState(today);
  const [remarks, setRemarks] = useState("");
  const [errors, setErrors] = useState<AcceptErrors>({});
  const [confirming, setConfirming] = useState(false);
  // The acceptance report bears the signatories' signature: with a second factor, the code.
  const secondFactor = useSecondFactor(kind === "final" ? "accept_final" : "accept_provisional");
  const base = `acceptance-${row.order_id}`;
  const provisional = row.milestones.find((m) => m.kind === "provisional_acceptance");
  const provisionalDate = kind === "final" ? (provisional?.actual_date ?? null) : null;
  const planned = row.milestones.find((m) => m.kind === (kind === "final" ? "final_acceptance" : "provisional_acceptance"));
  const signer = row.signer ?? null;
  const who = signer && signer.capacity !== "titular" ? nameWithTitle(me.display_name, signer.title) : personLabel(me);

  const validate = (): AcceptErrors => {
    if (date === "") return { date: t("deployment.acceptance.missingDate") };
    if (!isIsoDate(date)) return { date: t("common.dateInvalid") };
    if (date > today) return { date: t("deployment.acceptance.futureDate", { today: formatDate(today) }) };
    if (provisionalDate && date < provisionalDate) {
      return { date: t("deployment.acceptance.beforeProvisional", { date: formatDate(provisionalDate) }) };
    }
    return {};
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = validate();
    setErrors(found);
    if (!found.date) setConfirming(true);
  };

  const confirm = async () => {
    try {
      await secondFactor.perform({
        kind: kind === "final" ? "accept_final" : "accept_provisional",
        input: { order_id: row.order_id, date, remarks: remarks.trim() },
      });
    } catch (e) {
      // A missing or refused code: said under its field, the dialog stays open.
      if (secondFactor.claims(e)) return;
      const error = AppError.from(e);
      if (error.params.field === "date") {
        // Back to the form, the reason (from the catalogue of refusals) next to the date;
        // what was typed stays.
        setErrors({ date: errorText(error) });
        setConfirming(false);
        return;
      }
      throw error;
    }
    secondFactor.reset();
    setConfirming(false);
    onAccepted({
      kind,
      who,
      when: new Date().toISOString(),
      what: t(`deployment.acceptance.${kind}.what`, { title: row.title, date: formatDate(date) }),
      remarks: remarks.trim(),
      offline,
    });
  };

  const summary: FieldError[] = errors.date ? [{ fieldId: `${base}-date`, message: errors.date }] : [];

  return (
    <form className="acceptance" onSubmit={submit} noValidate aria-labelledby={`${base}-title`} data-testid={`acceptance-${kind}`}>
      <h3 id={`${base}-title`}>{t(`deployment.acceptance.${kind}.title`)}</h3>
      <p>{t(`deployment.acceptance.${kind}.intro`)}</p>
      {planned && <p className="muted">{t("deployment.acceptance.plannedOn", { date: formatDate(planned.planned_date) })}</p>}
      <ErrorSummary errors={summary} />
      <Field
        id={`${base}-date`}
        type="date"
        label={t("deployment.acceptance.date")}
        hint={t("deployment.acceptance.dateHint")}
        required
        value={date}
        onChange={setDate}
        error={errors.date}
        testId="acceptance-date"
        width="short"
      />
      <Field
        id={`${base}-remarks`}
        type="textarea"
        rows={3}
        label={t("deployment.acceptance.remarks")}
        hint={t("deployment.acceptance.remarksHint")}
        value={remarks}
        onChange={setRemarks}
        testId="acceptance-remarks"
      />
      <div className="button-group">
        <Button type="submit" variant="primary" data-testid={kind === "final" ? "accept-final" : "accept-provisional"}>
          {t(`deployment.acceptance.${kind}.button`)}
        </Button>
      </div>

      {confirming && (
        <ConfirmDialog
          title={t(`deployment.acceptance.${kind}.confirmTitle`)}
          confirmLabel={t(`deployment.acceptance.${kind}.button`)}
          onConfirm={confirm}
          onCancel={() => {
            secondFactor.reset();
            setConfirming(false);
          }}
        >
          <p>{t(`deployment.acceptance.${kind}.legal`, { commune: communeName })}</p>
          <dl className="summary-list" data-testid="acceptance-summary">
            <div className="summary-list__row">
              <dt>{t("deployment.acceptance.order")}</dt>
              <dd>{row.title}</dd>
            </div>
            {row.service_name && (
              <div className="summary-list__row">
                <dt>{t("deployment.acceptance.service")}</dt>
                <dd>{row.service_name}</dd>
              </div>
            )}
            {row.provider_name && (
              <div className="summary-list__row">
                <dt>{t("deployment.acceptance.provider")}</dt>
                <dd>{row.provider_name}</dd>
              </div>
            )}
            <div className="summary-list__row">
              <dt>{t("deployment.acceptance.date")}</dt>
              <dd data-testid="acceptance-summary-date">
                <DateText value={date} />
              </dd>
            </div>
            <div className="summary-list__row">
              <dt>{t("deployment.acceptance.remarks")}</dt>
              <dd className="pre-line">{remarks.trim() === "" ? t("deployment.acceptance.noRemarks") : remarks.trim()}</dd>
            </div>
            <div className="summary-list__row">
              <dt>{t("deployment.acceptance.signatory")}</dt>
              <dd>{who}</dd>
            </div>
          </dl>
          {offline && (
            <p className="muted">
              <Icon name="offline" /> {t("deployment.acceptance.offline")}
            </p>
          )}
          {secondFactor.field}
        </ConfirmDialog>
      )}
    </form>
  );
}

function Acceptance({
  row,
  me,
  today,
  communeName,
  onAccepted,
}: {
  row: DeploymentRow;
  me: Me | null;
  today: string;
  communeName: string;
  onAccepted: (receipt: AcceptReceipt) => void;
}) {
  const t = useT();
  if (!me || !isCommuneRole(me.role)) return null;
  const goLiveDone = row.milestones.some((m) => m.kind === "go_live" && m.actual_date !== null);
  let kind: AcceptanceKind;
  if (row.status === "deploying" && goLiveDone) kind = "provisional";
  else if (row.status === "provisionally_accepted") kind = "final";
  else if (row.status === "deploying") {
    return <p className="acceptance-note muted">{t("deployment.acceptance.afterGoLive")}</p>;
  } else return null;

  // A titular, or a substitute on a day their substitution covers (the store decides).
  const signer = row.signer ?? null;
  if (!isSignatory(me.role) && !(signer?.signs ?? []).includes("acceptance")) {
    return (
      <div className="acceptance" data-testid={`acceptance-${kind}`}>
        <h3>{t(`deployment.acceptance.${kind}.title`)}</h3>
        <p>{t("deployment.acceptance.signatoriesOnly")}</p>
      </div>
    );
  }
  return <AcceptanceForm row={row} kind={kind} me={me} today={today} communeName={communeName} onAccepted={onAccepted} />;
}

// ── One deployment ──────────────────────────────────────────────────────────────────

function Deployment({
  row,
  me,
  today,
  communeName,
  showCommune,
  onAccepted,
}: {
  row: DeploymentRow;
  me: Me | null;
  today: string;
  communeName: string;
  /** The centrale's list: say whose deployment it is. */
  showCommune: boolean;
  onAccepted: (receipt: AcceptReceipt) => void;
}) {
  const t = useT();
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<{ id: string; error: AppError } | null>(null);
  const titleId = `deployment-${row.order_id}-title`;
  const { progress, next_action: next } = row;
  const canAcknowledge = isCommuneRole(me?.role);
  const marker = todayIndex(row.milestones, today);

  const acknowledge = async (milestoneId: string) => {
    setBusy(milestoneId);
    setFailure(null);
    try {
      await api.perform({ kind: "acknowledge_milestone", input: { milestone_id: milestoneId } });
    } catch (e) {
      setFailure({ id: milestoneId, error: AppError.from(e) });
    } finally {
      setBusy(null);
    }
  };

  const todayMarker = (
    <li className="timeline__today" aria-hidden="true" key="today">
      <span>{t("deployment.today", { date: formatDate(today) })}</span>
    </li>
  );

  return (
    <section
      className="deployment"
      data-testid="deployment"
      data-order-id={row.order_id}
      data-commune-nis={row.commune_nis}
      data-late={progress.late}
      aria-labelledby={titleId}
    >
      <div className="deployment__head">
        <h2 className="deployment__title" id={titleId}>
          <Link to={paths.order(row.order_id)}>{row.title}</Link>
        </h2>
        <StatusTag tone={orderTone(row.status)} label={t(`status.order.${row.status}`)} testId="deployment-status" />
        {row.pending && <StatusTag tone="pending" label={t("deployment.pending")} testId="deployment-pending" />}
      </div>
      {showCommune && (
        <p className="lead" data-testid="deployment-commune">
          {t("centraleOrders.deployments.commune", { name: communeName })}
        </p>
      )}
      {(row.service_name || row.provider_name) && (
        <p className="muted">
          {row.service_name}
          {row.service_name && row.provider_name && " · "}
          {row.provider_name && t("deployment.provider", { name: row.provider_name })}
        </p>
      )}
      <div className="deployment__progress">
        <ProgressBar
          value={progress.done}
          max={progress.total}
          label={t("deployment.progress", { count: progress.done, total: progress.total })}
          testId="deployment-progress"
        />
        {progress.late > 0 && (
          <StatusTag tone="danger" icon="warning" label={t("progress.late", { count: progress.late })} testId="deployment-late" />
        )}
      </div>
      {next && (
        <p className="action-item__next" data-testid="deployment-next">
          <Icon name="arrow-right" />
          <span>
            {t(`nextAction.${next.code}`)}
            {next.due_on && ` — ${t("deployment.dueOn", { date: formatDate(next.due_on) })}`}
          </span>
        </p>
      )}
      {row.milestones.length === 0 ? (
        <p className="muted">{t("deployment.noMilestones")}</p>
      ) : (
        <ol className="timeline" aria-label={t("deployment.timelineLabel", { title: row.title })}>
          {row.milestones.map((m, i) => (
            <Fragment key={m.id}>
              {i === marker && todayMarker}
              <Milestone
                milestone={m}
                today={today}
                canAcknowledge={canAcknowledge}
                busy={busy === m.id}
                error={failure?.id === m.id ? failure.error : null}
                onAcknowledge={() => void acknowledge(m.id)}
              />
            </Fragment>
          ))}
          {marker === row.milestones.length && todayMarker}
        </ol>
      )}
      <Acceptance row={row} me={me} today={today} communeName={communeName} onAccepted={onAccepted} />
    </section>
  );
}

/** Deployments drawn at first, and added by each « Afficher … de plus ». */
export const DEPLOYMENTS_SHOWN_AT_ONCE = 20;

export function Deployments(_props: ScreenProps) {
  const t = useT();
  const { state } = useSession();
  const isCentrale = state.session?.role === "centrale_staff";
  const [lateOnly, setLateOnly] = useState(false);
  const [shown, setShown] = useState(DEPLOYMENTS_SHOWN_AT_ONCE);
  // The backend decides the order (the most worrying first) and reads the timelines of the
  // rows shown only: a centrale's PC can hold thousands (issue 19 §4).
  const lateFilter = isCentrale && lateOnly;
  // While the next ones (or the filter's) are read, the screen drawn stays, its filter and its
  // scroll position with it; the list says it is busy.
  const list = useCommand(() => api.deployments({ late_only: lateFilter, shown }), [lateFilter, shown], { keepWhileReading: true });
  const page = list.data;
  const [receipt, setReceipt] = useState<AcceptReceipt | null>(null);
  const receiptRef = useRef<HTMLDivElement>(null);
  const names = useCommuneNames(isCentrale);
  const rows = page?.rows ?? [];
  const rest = page ? page.matching - rows.length : 0;

  useEffect(() => {
    if (!receipt) return;
    receiptRef.current?.focus();
    receiptRef.current?.scrollIntoView?.({ block: "start" });
  }, [receipt]);

  return (
    <Page
      title={isCentrale ? t("centraleOrders.deployments.title") : t("deployment.title")}
      intro={<p className="lead">{isCentrale ? t("centraleOrders.deployments.intro") : t("deployment.intro")}</p>}
    >
      {page && page.total > 0 && <ExportCsv kind="deployments" />}
      {list.error && <ErrorPanel error={list.error} onRetry={list.reload} />}
      {list.loading && !page && <Loading />}
      {receipt && (
        <div tabIndex={-1} ref={receiptRef} className="receipt-wrap">
          <Receipt
            title={t(`deployment.acceptance.${receipt.kind}.receiptTitle`)}
            who={receipt.who}
            when={receipt.when}
            what={receipt.what}
            testId="acceptance-receipt"
          >
            <p>
              <span className="milestone__label">{t("deployment.acceptance.remarks")}</span>{" "}
              {receipt.remarks === "" ? t("deployment.acceptance.noRemarks") : receipt.remarks}
            </p>
            <p className="muted">{receipt.offline ? t("deployment.acceptance.receiptOffline") : t("deployment.acceptance.receiptSent")}</p>
          </Receipt>
        </div>
      )}
      {page &&
        (page.total === 0 ? (
          <EmptyState
            testId="deployment-empty"
            message={t("deployment.empty")}
            action={
              <Link to={paths.orders()} className="button button--secondary">
                {t("deployment.emptyAction")}
              </Link>
            }
          />
        ) : (
          <>
            <p className="muted" data-testid="deployment-today">
              {t("deployment.situation", { date: formatDate(state.today), count: page.total })}
            </p>
            {isCentrale && (
              <div className="filters" data-testid="deployments-filters">
                <p data-testid="deployments-late-summary">{t("centraleOrders.deployments.lateSummary", { count: page.late, total: String(page.total) })}</p>
                <label htmlFor="deployments-late-only" style={{ display: "inline-flex", alignItems: "center", gap: "0.5rem" }}>
                  <input
                    type="checkbox"
                    id="deployments-late-only"
                    checked={lateOnly}
                    onChange={(e) => {
                      setLateOnly(e.target.checked);
                      setShown(DEPLOYMENTS_SHOWN_AT_ONCE);
                    }}
                    data-testid="deployments-late-only"
                  />
                  {t("centraleOrders.deployments.lateOnly")}
                </label>
              </div>
            )}
            {rows.length === 0 && <EmptyState message={t("centraleOrders.deployments.lateEmpty")} testId="deployments-late-empty" />}
            <div className="deployment-list" aria-busy={list.loading}>
              {rows.map((row) => (
                <Deployment
                  key={row.order_id}
                  row={row}
                  me={state.session}
                  today={state.today}
                  communeName={isCentrale ? communeLabel(t, names, row.commune_nis) : (state.commune?.name_fr ?? "")}
                  showCommune={isCentrale}
                  onAccepted={setReceipt}
                />
              ))}
            </div>
            {rest > 0 && (
              <button
                type="button"
                className="button button--secondary"
                data-testid="deployments-more"
                disabled={list.loading}
                onClick={() => setShown((n) => n + DEPLOYMENTS_SHOWN_AT_ONCE)}
              >
                {t("deployment.more", { count: Math.min(rest, DEPLOYMENTS_SHOWN_AT_ONCE), rest })}
              </button>
            )}
          </>
        ))}
    </Page>
  );
}
