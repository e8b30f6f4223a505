/**
 * What the centrale does on an order: launch the mini-competition on a submitted request
 * (the framework's active providers, the same documents, one deadline typed in Brussels time,
 * converted by Rust and sent in UTC), follow it while the offers are sealed (not even who has submitted, and
 * the time left by the server's clock), then record the purchase order once the commune has
 * awarded. Launching and the purchase order are computed by the server only: after sending,
 * the page says they wait for the sync (read from the outbox, so it survives a reload).
 *
 * Also the pieces the centrale's screens share: the communes' names, the next step worded for
 * the centrale, and the time helpers (the server's clock; a typed deadline becomes a UTC
 * instant in Rust, `api.brusselsInstant`).
 */
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { api } from "../../api";
import { Button } from "../../components/Button";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorSummary, type FieldError } from "../../components/ErrorSummary";
import { Field } from "../../components/Field";
import { Icon } from "../../components/Icon";
import { Money } from "../../components/Money";
import { useSecondFactor } from "../../components/SecondFactorField";
import { StatusTag } from "../../components/StatusTag";
import { useCommand, useNow, useSyncStatus } from "../../data";
import { AppError } from "../../errors";
import { formatDate, formatDeadline, formatMoney, formatTime } from "../../format";
import { translateError, useErrorText, useT, type Translate } from "../../i18n";
import { paths } from "../../paths";
import { Link } from "../../router";
import { useSession } from "../../session";
import type { OrderDetail } from "../../bindings/OrderDetail";
import type { OutboxEntry } from "../../bindings/OutboxEntry";
import { useWho, type ReceiptData } from "./Actions";
import { fieldOf, providerLabel } from "./common";
import { SummaryRow } from "./Sections";
import { addDays, brusselsDay, brusselsWallClock, DAY_MS, HOUR_MS, isIsoDate, TIME_RE } from "../../calendar";
import { LIMITS } from "../../bindings/rules";

// ── Time: the server's clock ───────────────────────────────────────────────────────

/**
 * Midnight starting a Brussels day, as an instant: 22:00 or 23:00 UTC the day before, the
 * one whose Brussels day is `day`. Only to keep an estimate of the clock within a day (a
 * deadline typed by a person is converted by Rust, `api.brusselsInstant`).
 */
function brusselsMidnightMs(day: string): number {
  const utcMidnight = Date.parse(`${day}T00:00:00Z`);
  for (const hours of [2, 1]) {
    const ms = utcMidnight - hours * HOUR_MS;
    if (brusselsDay(ms) === day) return ms;
  }
  return utcMidnight;
}

/**
 * The present by the server's clock: the PC's clock plus the offset seen at the last sync;
 * before any sync, the PC's clock kept within the server's `today` (a PC a day off would
 * otherwise count a day wrong).
 */
export function serverNowMs(localMs: number, offsetMs: number | null, today: string): number {
  if (offsetMs !== null) return localMs + offsetMs;
  const day = brusselsDay(localMs);
  if (day < today) return brusselsMidnightMs(today);
  if (day > today) return brusselsMidnightMs(addDays(today, 1)) - 60_000;
  return localMs;
}

/** The server's clock, refreshed every 30 seconds; `fromServer` when a sync told it. */
export function useServerNow(): { now: number; fromServer: boolean } {
  const { state } = useSession();
  const local = useNow();
  const { status } = useSyncStatus();
  const [offset, setOffset] = useState<number | null>(null);
  // Only a successful contact says the server's time now (after a failure it is old).
  const serverTime = status?.online && !status.last_error ? status.server_time : null;
  useEffect(() => {
    if (!serverTime) return;
    const ms = Date.parse(serverTime);
    if (!Number.isNaN(ms)) setOffset(ms - Date.now());
  }, [serverTime]);
  return { now: serverNowMs(local.getTime(), offset, state.today), fromServer: offset !== null };
}

/**
 * The earliest deadline the domain accepts, in Brussels wall time: `minDays` calendar days
 * after now, at the same time of day (`centrale_domain::time::calendar_days_after`), the
 * minute rounded up.
 */
export function earliestDeadline(nowMs: number, minDays: number): { date: string; time: string } {
  const { day, time } = brusselsWallClock(Math.ceil(nowMs / 60_000) * 60_000);
  return { date: addDays(day, minDays), time };
}

/** The launch form's deadline at first: today + max(minimum, 14) days at 12:00 (Brussels). */
export function defaultDeadline(today: string, minDays: number | null, nowMs: number): { date: string; time: string } {
  const time = "12:00";
  let date = addDays(today, Math.max(minDays ?? 0, 14));
  // After noon, today + the minimum at 12:00 is a few hours short: one day later.
  if (minDays !== null) {
    const earliest = earliestDeadline(nowMs, minDays);
    if (date === earliest.date && time < earliest.time) date = addDays(date, 1);
  }
  return { date, time };
}

/** What is wrong with a deadline (a message per field), and the instant when all is right. */
export type DeadlineCheck = { date?: string; time?: string; utc: string | null };

/** Rust's conversion of a Brussels wall time into a UTC instant (`api.brusselsInstant`). */
export type ToInstant = (date: string, time: string) => Promise<string>;

/**
 * Checks a typed deadline and gets its instant from Rust (`toInstant`, chrono-tz: the
 * WebView's time-zone data never decides it). The date and the time are compared as Brussels
 * wall time, as the domain counts the minimum (calendar days at the same time of day); the
 * hour skipped in March and the hour repeated in October come back refused from Rust, with
 * their French message next to the time.
 */
export async function checkDeadline(
  t: Translate,
  input: { date: string; time: string },
  rules: { today: string; minDays: number | null; nowMs: number },
  toInstant: ToInstant = api.brusselsInstant,
): Promise<DeadlineCheck> {
  const { date, time } = input;
  const { today, minDays, nowMs } = rules;
  const out: DeadlineCheck = { utc: null };
  if (date.trim() === "") out.date = t("centraleOrders.launch.dateMissing");
  else if (!isIsoDate(date)) out.date = t("common.dateInvalid");
  if (time.trim() === "") out.time = t("centraleOrders.launch.timeMissing");
  else if (!TIME_RE.test(time)) out.time = t("common.timeInvalid");
  if (out.date) return out;

  const latestInstant = nowMs + 365 * DAY_MS;
  const latestDay = brusselsDay(latestInstant);
  if (minDays !== null && date < addDays(today, minDays)) {
    out.date = t("centraleOrders.launch.dateTooEarly", { count: minDays, date: formatDate(addDays(today, minDays)) });
    return out;
  }
  if (date <= today) {
    out.date = t("centraleOrders.launch.datePast");
    return out;
  }
  if (date > latestDay) {
    out.date = t("centraleOrders.launch.dateTooLate", { date: formatDate(latestDay) });
    return out;
  }
  if (out.time) return out;

  if (minDays !== null) {
    // The minimum counts to the minute: on its first day, not before the time it ends.
    const earliest = earliestDeadline(nowMs, minDays);
    if (date < earliest.date || (date === earliest.date && time < earliest.time)) {
      out.time = t("centraleOrders.launch.timeTooEarly", { count: minDays, date: formatDate(earliest.date), time: earliest.time });
      return out;
    }
  }
  let utc: string;
  try {
    utc = await toInstant(date, time);
  } catch (e) {
    out.time = translateError(AppError.from(e));
    return out;
  }
  if (Date.parse(utc) > latestInstant) {
    out.date = t("centraleOrders.launch.dateTooLate", { date: formatDate(addDays(latestDay, -1)) });
    return out;
  }
  out.utc = utc;
  return out;
}

/** « Il reste 2 jours et 3 heures avant la date limite. » (whole hours, rounded down). */
export function countdownText(t: Translate, deadlineMs: number, nowMs: number): string {
  const left = deadlineMs - nowMs;
  if (left <= 0) return t("centraleOrders.competition.countdownPassed");
  const days = Math.floor(left / DAY_MS);
  const hours = Math.floor((left % DAY_MS) / HOUR_MS);
  const d = t("centraleOrders.competition.days", { count: days });
  const h = t("centraleOrders.competition.hours", { count: hours });
  if (days > 0 && hours > 0) return t("centraleOrders.competition.countdownDaysHours", { days: d, hours: h });
  if (days > 0) return t("centraleOrders.competition.countdownOne", { left: d });
  if (hours > 0) return t("centraleOrders.competition.countdownOne", { left: h });
  return t("centraleOrders.competition.countdownSoon");
}

// ── Shared by the centrale's screens ───────────────────────────────────────────────

/** The centrale's account. */
export function useIsCentrale(): boolean {
  const { state } = useSession();
  return state.session?.role === "centrale_staff";
}

/** NIS code → French name of every commune on this PC (read only when `enabled`). */
export function useCommuneNames(enabled: boolean): Map<string, string> {
  const communes = useCommand(async () => (enabled ? api.communes() : []), [enabled]);
  const data = communes.data;
  return useMemo(() => new Map((data ?? []).map((c) => [c.nis_code, c.name_fr])), [data]);
}

/** A commune's name, or its NIS code with words saying the name is not on this PC. */
export function communeLabel(t: Translate, names: Map<string, string>, nis: string): string {
  return names.get(nis) ?? t("centraleOrders.commune.unknown", { nis });
}

/** The change of this kind for this order still in the outbox (waiting, or refused). */
function useQueued(name: string, orderId: string): OutboxEntry | null {
  const outbox = useCommand(async () => api.outbox(), []);
  return (
    (outbox.data ?? []).find((e) => {
      const p = e.payload;
      return e.name === name && typeof p === "object" && p !== null && !Array.isArray(p) && p.order_id === orderId;
    }) ?? null
  );
}

/** What a queued change's payload asked for (`deadline`, `reference`). */
function payloadText(entry: OutboxEntry, key: string): string | null {
  const p = entry.payload;
  if (typeof p !== "object" || p === null || Array.isArray(p)) return null;
  const value = p[key];
  return typeof value === "string" ? value : null;
}

/** « Envoyé au serveur, visible après la synchronisation », or the server's refusal. */
function QueuedPanel({ entry, justSent, pendingText, detailText, refusedKey, refusedLinkKey, testId }: {
  entry: OutboxEntry | null;
  justSent: boolean;
  pendingText: string;
  detailText: string | null;
  refusedKey: "centraleOrders.launch.refused" | "centraleOrders.purchaseOrder.refused";
  refusedLinkKey: "centraleOrders.launch.refusedLink" | "centraleOrders.purchaseOrder.refusedLink";
  testId: string;
}) {
  const t = useT();
  const errorText = useErrorText();
  if (entry && entry.state !== "pending") {
    const reason = errorText({ code: entry.error_code ?? "", message: entry.error_message ?? "" });
    return (
      <div className="panel panel--danger" role="alert" data-testid={`${testId}-refused`}>
        <p className="panel__title">
          <Icon name="error" />
          {t(refusedKey, { reason })}
        </p>
        {refusedKey === "centraleOrders.launch.refused" && <p>{t("centraleOrders.launch.refusedHelp")}</p>}
        <p>
          <Link to={paths.attentionEntry(entry.mutation_id)}>{t(refusedLinkKey)}</Link>
        </p>
      </div>
    );
  }
  if (!entry && !justSent) return null;
  return (
    <div className="panel" role="status" data-testid={`${testId}-pending`}>
      <p>
        <StatusTag tone="pending" label={t("common.notSynced")} />
      </p>
      <p>{pendingText}</p>
      {detailText && <p className="muted">{detailText}</p>}
    </div>
  );
}

// ── Launching the mini-competition ─────────────────────────────────────────────────

const LAUNCH_IDS = { date: "competition-deadline-date", time: "competition-deadline-time" } as const;

/**
 * The launch form; `relaunch` after a competition that received no offer: the same needs, a
 * new competition on the same order (`order.relaunch_competition`), with the launch's rules.
 */
export function LaunchCompetition({
  detail,
  communeName,
  onDone,
  relaunch = false,
}: {
  detail: OrderDetail;
  communeName: string;
  onDone: (r: ReceiptData) => void;
  relaunch?: boolean;
}) {
  const t = useT();
  const errorText = useErrorText();
  const who = useWho();
  const { state } = useSession();
  const { now } = useServerNow();
  const { order, terms } = detail;
  const minDays = state.settings?.min_competition_days ?? null;
  const queued = useQueued(relaunch ? "order.relaunch_competition" : "order.launch_competition", order.id);
  const [justSent, setJustSent] = useState<string | null>(null);
  const [initial] = useState(() => defaultDeadline(state.today, minDays, now));
  const [date, setDate] = useState(initial.date);
  const [time, setTime] = useState(initial.time);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [confirming, setConfirming] = useState<string | null>(null);

  const providers = terms?.providers ?? [];
  const invitees = providers.filter((p) => p.status === "active");
  const suspended = providers.filter((p) => p.status !== "active");
  const documents = terms?.documents ?? [];
  const blocker = !terms ? t("centraleOrders.launch.noTerms") : invitees.length === 0 ? t("centraleOrders.launch.noActive") : null;
  const errorFor = (id: string) => errors.find((e) => e.fieldId === id)?.message ?? null;
  const providerName = (p: (typeof providers)[number]) => p.name ?? t("centraleOrders.launch.providerUnknown", { id: p.provider_id });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const check = await checkDeadline(t, { date, time }, { today: state.today, minDays, nowMs: now });
    const found: FieldError[] = [];
    if (check.date) found.push({ fieldId: LAUNCH_IDS.date, message: check.date });
    if (check.time) found.push({ fieldId: LAUNCH_IDS.time, message: check.time });
    setErrors(found);
    if (found.length === 0 && check.utc) setConfirming(check.utc);
  };

  const launch = async () => {
    if (!confirming) return;
    const deadline = confirming;
    try {
      await api.perform({ kind: relaunch ? "relaunch_competition" : "launch_competition", input: { order_id: order.id, deadline } });
    } catch (e) {
      const error = AppError.from(e);
      if (fieldOf(error.params) !== "deadline") throw error;
      // Back to the form, the server's reason next to the date; what was typed stays.
      setConfirming(null);
      setErrors([{ fieldId: LAUNCH_IDS.date, message: errorText(error) }]);
      return;
    }
    setConfirming(null);
    setJustSent(deadline);
    onDone({
      title: t("centraleOrders.launch.receiptTitle"),
      what: t("centraleOrders.launch.receiptWhat", { title: order.title, count: invitees.length, deadline: formatDeadline(deadline) }),
      who,
      when: new Date().toISOString(),
    });
  };

  const sentDeadline = justSent ?? (queued ? payloadText(queued, "deadline") : null);
  const waiting = queued !== null || justSent !== null;

  return (
    <section className="section action-panel" aria-labelledby="launch-competition-title" data-testid="launch-competition">
      <h2 id="launch-competition-title">{t(relaunch ? "centraleOrders.launch.relaunchTitle" : "centraleOrders.launch.title")}</h2>
      <QueuedPanel
        entry={queued}
        justSent={justSent !== null}
        pendingText={t("centraleOrders.launch.pending")}
        detailText={sentDeadline ? t("centraleOrders.launch.pendingDeadline", { deadline: formatDeadline(sentDeadline) }) : null}
        refusedKey="centraleOrders.launch.refused"
        refusedLinkKey="centraleOrders.launch.refusedLink"
        testId="launch"
      />
      {!waiting && (
        <>
          {relaunch && <p data-testid="relaunch-explain">{t("centraleOrders.launch.relaunchExplain")}</p>}
          <p>{t("centraleOrders.launch.explain")}</p>

          <h3>{t("centraleOrders.launch.inviteesTitle")}</h3>
          {terms && <p>{t("centraleOrders.launch.inviteesCount", { count: invitees.length })}</p>}
          {invitees.length > 0 && (
            <ul className="plain-list" data-testid="competition-invitees">
              {invitees.map((p) => (
                <li key={p.provider_id} data-testid="competition-invitee" data-provider-id={p.provider_id}>
                  <strong>{providerName(p)}</strong>
                  {p.enterprise_number && <span className="muted"> {t("centraleOrders.launch.enterprise", { number: p.enterprise_number })}</span>}
                  {p.contact_email && <span className="block muted">{t("centraleOrders.launch.contact", { email: p.contact_email })}</span>}
                </li>
              ))}
            </ul>
          )}
          {suspended.length > 0 && (
            <>
              <p>{t("centraleOrders.launch.suspendedTitle")}</p>
              <ul className="plain-list" data-testid="competition-excluded">
                {suspended.map((p) => (
                  <li key={p.provider_id} data-provider-id={p.provider_id}>
                    {providerName(p)}{" "}
                    <StatusTag tone="warning" label={t(p.status === "replaced" ? "centraleOrders.launch.replaced" : "centraleOrders.launch.suspended")} />
                  </li>
                ))}
              </ul>
            </>
          )}

          <h3>{t("centraleOrders.launch.documentsTitle")}</h3>
          <p>{t("centraleOrders.launch.needsIncluded")}</p>
          {terms && documents.length === 0 && <p className="muted">{t("centraleOrders.launch.documentsNone")}</p>}
          {documents.length > 0 && (
            <ul className="plain-list" data-testid="competition-documents">
              {documents.map((d) => (
                <li key={d.sha256 || d.file_name}>{t("centraleOrders.launch.document", { title: d.title, version: d.version, file: d.file_name })}</li>
              ))}
            </ul>
          )}

          {blocker ? (
            <div className="panel panel--warning" data-testid="launch-blocked">
              <p className="panel__title">
                <Icon name="lock" />
                {t("centraleOrders.launch.blockedTitle")}
              </p>
              <p id="launch-blocked-reason">{blocker}</p>
            </div>
          ) : (
            <form onSubmit={submit} noValidate aria-labelledby="launch-deadline-title">
              <h3 id="launch-deadline-title">{t("centraleOrders.launch.deadlineTitle")}</h3>
              <ErrorSummary errors={errors} />
              <p data-testid="competition-earliest">
                {minDays !== null
                  ? t("centraleOrders.launch.earliest", { count: minDays, date: formatDate(addDays(state.today, minDays)) })
                  : t("centraleOrders.launch.earliestUnknown")}
              </p>
              <DeadlineFields
                ids={LAUNCH_IDS}
                dateLabel={t("centraleOrders.launch.date")}
                date={date}
                time={time}
                onDate={setDate}
                onTime={setTime}
                errorFor={errorFor}
                testIdPrefix="competition-deadline"
              />
              <div className="button-group">
                <Button type="submit" variant="primary" data-testid="launch-submit">
                  {t("centraleOrders.launch.button")}
                </Button>
              </div>
            </form>
          )}
        </>
      )}
      {confirming && (
        <ConfirmDialog
          title={t("centraleOrders.launch.confirmTitle", { title: order.title })}
          confirmLabel={t("centraleOrders.launch.button")}
          onConfirm={launch}
          onCancel={() => setConfirming(null)}
        >
          <p data-testid="launch-confirm-body">
            {t("centraleOrders.launch.confirmBody", { count: invitees.length, date: formatDate(confirming), time: formatTime(confirming) })}
          </p>
          <dl className="summary-list" data-testid="launch-summary">
            <SummaryRow label={t("centraleOrders.launch.confirmOrder")}>{order.title}</SummaryRow>
            <SummaryRow label={t("centraleOrders.launch.confirmCommune")}>{communeName}</SummaryRow>
            <SummaryRow label={t("centraleOrders.launch.confirmInvitees")}>
              <ul className="plain-list">
                {invitees.map((p) => (
                  <li key={p.provider_id}>{providerName(p)}</li>
                ))}
              </ul>
            </SummaryRow>
            <SummaryRow label={t("centraleOrders.launch.confirmDocuments")}>
              {documents.length === 0 ? (
                t("centraleOrders.launch.documentsNone")
              ) : (
                <ul className="plain-list">
                  {documents.map((d) => (
                    <li key={d.sha256 || d.file_name}>{t("centraleOrders.launch.document", { title: d.title, version: d.version, file: d.file_name })}</li>
                  ))}
                </ul>
              )}
            </SummaryRow>
            <SummaryRow label={t("centraleOrders.launch.confirmDeadline")}>{formatDeadline(confirming)}</SummaryRow>
          </dl>
          <p className="confirm-note">{t("centraleOrders.launch.confirmNote")}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

// ── Following the competition (offers sealed) ──────────────────────────────────────

export function CompetitionFollow({ detail, onDone }: { detail: OrderDetail; onDone?: (r: ReceiptData) => void }) {
  const t = useT();
  const { now, fromServer } = useServerNow();
  const { order, invitations } = detail;
  const deadline = order.competition?.deadline ?? invitations[0]?.deadline ?? null;
  const total = order.competition?.invited_provider_ids.length ?? invitations.length;
  const deadlineMs = deadline ? Date.parse(deadline) : Number.NaN;
  const extensions = order.competition?.extensions ?? [];
  return (
    <section className="section" aria-labelledby="competition-follow-title" data-testid="competition-follow">
      <h2 id="competition-follow-title">{t("centraleOrders.competition.title")}</h2>
      {deadline && (
        <p className="lead" data-testid="competition-deadline">
          {t("centraleOrders.competition.deadline", { deadline: formatDeadline(deadline) })}
        </p>
      )}
      {!Number.isNaN(deadlineMs) && (
        <p data-testid="competition-countdown">
          <Icon name="clock" /> {countdownText(t, deadlineMs, now)}{" "}
          <span className="muted">{fromServer ? t("centraleOrders.competition.clockServer") : t("centraleOrders.competition.clockLocal")}</span>
        </p>
      )}
      {extensions.length > 0 && (
        <ul className="plain-list" data-testid="competition-extensions">
          {extensions.map((e) => (
            <li key={e.at}>
              {t("centraleOrders.extend.done", { previous: formatDeadline(e.previous), deadline: formatDeadline(e.deadline), reason: e.reason })}
            </li>
          ))}
        </ul>
      )}
      <p>{t("centraleOrders.competition.autoOpen")}</p>
      <p data-testid="competition-invited">{t("centraleOrders.competition.invited", { count: total })}</p>
      <p className="muted">{t("centraleOrders.competition.sealed")}</p>
      {deadline && onDone && deadlineMs > now && <ExtendDeadline detail={detail} deadline={deadline} onDone={onDone} />}
    </section>
  );
}

/** A deadline typed as a Brussels date and a 24-hour time (the launch's and the extension's). */
export function DeadlineFields(props: {
  ids: { date: string; time: string };
  dateLabel: string;
  date: string;
  time: string;
  onDate: (v: string) => void;
  onTime: (v: string) => void;
  errorFor: (id: string) => string | null;
  testIdPrefix: string;
}) {
  const t = useT();
  const { ids, errorFor } = props;
  return (
    <>
      <Field
        type="date"
        id={ids.date}
        label={props.dateLabel}
        hint={t("centraleOrders.launch.dateHint")}
        required
        width="short"
        value={props.date}
        onChange={props.onDate}
        error={errorFor(ids.date)}
        testId={`${props.testIdPrefix}-date`}
      />
      <Field
        type="time"
        id={ids.time}
        label={t("centraleOrders.launch.time")}
        hint={t("centraleOrders.launch.timeHint")}
        required
        width="short"
        value={props.time}
        onChange={props.onTime}
        error={errorFor(ids.time)}
        testId={`${props.testIdPrefix}-time`}
      />
    </>
  );
}

/** What an extension form names and says: the order's, or the pool's (pool/ExtendPoolDeadline.tsx). */
export type ExtendDeadlineTexts = {
  /** The button that opens the form. */
  open: string;
  title: string;
  explain: string;
  /** The submit button and the dialog's confirm button. */
  button: string;
  confirmTitle: string;
  /** The dialog's body: the change, from the current deadline to the new one. */
  confirmBody: (previous: string, next: string) => string;
};

/**
 * The deadline moved later, with a reason, for everyone invited at once: a new Brussels date
 * and time (converted by Rust, the skipped and the repeated hour refused), a reason within the
 * domain's limits (`check_reason`: CLOSE_REASON_MIN/MAX_CHARS), a confirmation, then `send`.
 * A refusal on `deadline` or `reason` comes back next to that field; any other shows in the
 * dialog. Shared by the order (`extend_deadline`) and the pool (`extend_pool_deadline`).
 * Test ids: `${testIdPrefix}-date|-time|-reason` for the fields, `submitTestId`, and
 * `${testId}-open`, `${testId}-form`, `${testId}-confirm-body` around them.
 */
export function ExtendDeadlineForm(props: {
  /** The current deadline (UTC). */
  deadline: string;
  ids: { date: string; time: string; reason: string };
  testId: string;
  testIdPrefix: string;
  submitTestId: string;
  texts: ExtendDeadlineTexts;
  send: (deadline: string, reason: string) => Promise<void>;
  onSent: (deadline: string, reason: string) => void;
}) {
  const { deadline, ids, testId, texts } = props;
  const t = useT();
  const errorText = useErrorText();
  const [open, setOpen] = useState(false);
  const [date, setDate] = useState(() => addDays(brusselsDay(Date.parse(deadline)), 7));
  const [time, setTime] = useState("12:00");
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [confirming, setConfirming] = useState<string | null>(null);
  const errorFor = (id: string) => errors.find((e) => e.fieldId === id)?.message ?? null;
  const titleId = `${testId}-title`;
  const limits = { min: LIMITS.CLOSE_REASON_MIN_CHARS, max: LIMITS.CLOSE_REASON_MAX_CHARS };

  const check = async () => {
    const found: FieldError[] = [];
    if (!isIsoDate(date)) found.push({ fieldId: ids.date, message: t(date === "" ? "centraleOrders.launch.dateMissing" : "common.dateInvalid") });
    if (!TIME_RE.test(time)) found.push({ fieldId: ids.time, message: t("centraleOrders.launch.timeMissing") });
    const length = [...reason.trim()].length;
    if (length < limits.min || length > limits.max) found.push({ fieldId: ids.reason, message: t("centraleOrders.extend.reasonInvalid", limits) });
    // The wall time → instant conversion is Rust's (the skipped and the repeated hour refused).
    let utc: string | null = null;
    if (found.length === 0) {
      try {
        utc = await api.brusselsInstant(date, time);
      } catch (e) {
        found.push({ fieldId: ids.time, message: errorText(AppError.from(e)) });
      }
    }
    setErrors(found);
    if (found.length === 0 && utc) setConfirming(utc);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void check();
  };

  const extend = async () => {
    if (!confirming) return;
    const next = confirming;
    const why = reason.trim();
    try {
      await props.send(next, why);
    } catch (e) {
      const error = AppError.from(e);
      const field = fieldOf(error.params);
      const control = field === "deadline" ? ids.date : field === "reason" ? ids.reason : null;
      if (!control) throw error;
      setConfirming(null);
      setErrors([{ fieldId: control, message: errorText(error) }]);
      return;
    }
    setConfirming(null);
    setOpen(false);
    setReason("");
    props.onSent(next, why);
  };

  if (!open) {
    return (
      <div className="button-group">
        <Button variant="secondary" onClick={() => setOpen(true)} data-testid={`${testId}-open`}>
          {texts.open}
        </Button>
      </div>
    );
  }
  return (
    <form onSubmit={submit} noValidate aria-labelledby={titleId} data-testid={`${testId}-form`}>
      <h3 id={titleId}>{texts.title}</h3>
      <p>{texts.explain}</p>
      <ErrorSummary errors={errors} />
      <DeadlineFields
        ids={ids}
        dateLabel={t("centraleOrders.extend.date")}
        date={date}
        time={time}
        onDate={setDate}
        onTime={setTime}
        errorFor={errorFor}
        testIdPrefix={props.testIdPrefix}
      />
      <Field
        type="textarea"
        id={ids.reason}
        label={t("centraleOrders.extend.reason")}
        hint={t("centraleOrders.extend.reasonHint", limits)}
        required
        rows={2}
        value={reason}
        onChange={setReason}
        error={errorFor(ids.reason)}
        testId={`${props.testIdPrefix}-reason`}
      />
      <div className="button-group">
        <Button type="submit" variant="primary" data-testid={props.submitTestId}>
          {texts.button}
        </Button>
      </div>
      {confirming && (
        <ConfirmDialog title={texts.confirmTitle} confirmLabel={texts.button} onConfirm={extend} onCancel={() => setConfirming(null)}>
          <p data-testid={`${testId}-confirm-body`}>{texts.confirmBody(formatDeadline(deadline), formatDeadline(confirming))}</p>
        </ConfirmDialog>
      )}
    </form>
  );
}

const EXTEND_IDS = { date: "extend-deadline-date", time: "extend-deadline-time", reason: "extend-deadline-reason" } as const;

/**
 * The centrale moves the deadline later, for every invited provider at once, before it
 * passes. The rules (later, within the framework's term, with a reason) are the domain's: its
 * refusal comes back next to the field.
 */
function ExtendDeadline({ detail, deadline, onDone }: { detail: OrderDetail; deadline: string; onDone: (r: ReceiptData) => void }) {
  const t = useT();
  const who = useWho();
  const { order } = detail;
  return (
    <ExtendDeadlineForm
      deadline={deadline}
      ids={EXTEND_IDS}
      testId="extend"
      testIdPrefix="extend-deadline"
      submitTestId="extend-submit"
      texts={{
        open: t("centraleOrders.extend.open"),
        title: t("centraleOrders.extend.title"),
        explain: t("centraleOrders.extend.explain"),
        button: t("centraleOrders.extend.button"),
        confirmTitle: t("centraleOrders.extend.confirmTitle", { title: order.title }),
        confirmBody: (previous, next) => t("centraleOrders.extend.confirmBody", { previous, deadline: next }),
      }}
      send={async (next, reason) => {
        await api.perform({ kind: "extend_deadline", input: { order_id: order.id, deadline: next, reason } });
      }}
      onSent={(next, reason) =>
        onDone({
          title: t("centraleOrders.extend.receiptTitle"),
          what: t("centraleOrders.extend.receiptWhat", { title: order.title, deadline: formatDeadline(next), reason }),
          who,
          when: new Date().toISOString(),
        })
      }
    />
  );
}

// ── The purchase order ─────────────────────────────────────────────────────────────

const PO_ID = "purchase-order-reference";
const MANAGER_NAME_ID = "purchase-order-manager-name";
const MANAGER_QUALITY_ID = "purchase-order-manager-quality";
/** The server's field → the form's field (rule 16: the fonctionnaire dirigeant). */
const PO_FIELDS: Record<string, string> = {
  reference: PO_ID,
  contract_manager_name: MANAGER_NAME_ID,
  contract_manager_quality: MANAGER_QUALITY_ID,
};
type PurchaseOrderInput = { reference: string; name: string; quality: string };

/** « Bon de commande »: the winner and amount, the reference, confirmed, then pending. */
export function PurchaseOrderSection({ detail, communeName, onDone }: { detail: OrderDetail; communeName: string; onDone: (r: ReceiptData) => void }) {
  const t = useT();
  const errorText = useErrorText();
  const who = useWho();
  const { order, award } = detail;
  const queued = useQueued("order.issue_purchase_order", order.id);
  const [reference, setReference] = useState("");
  const [managerName, setManagerName] = useState("");
  const [managerQuality, setManagerQuality] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [confirming, setConfirming] = useState<PurchaseOrderInput | null>(null);
  const [justSent, setJustSent] = useState<string | null>(null);
  const secondFactor = useSecondFactor("issue_purchase_order");
  const provider = award ? providerLabel(t, award.provider_name) : "";

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const ref = reference.trim();
    const name = managerName.trim();
    const quality = managerQuality.trim();
    const found: Record<string, string> = {};
    if (ref === "") found[PO_ID] = t("centraleOrders.purchaseOrder.referenceMissing");
    else if ([...ref].length > LIMITS.REFERENCE_MAX_CHARS)
      found[PO_ID] = t("centraleOrders.purchaseOrder.referenceTooLong", { max: LIMITS.REFERENCE_MAX_CHARS });
    if (name === "") found[MANAGER_NAME_ID] = t("centraleOrders.purchaseOrder.managerNameMissing");
    else if ([...name].length > LIMITS.CONTRACT_MANAGER_NAME_MAX_CHARS)
      found[MANAGER_NAME_ID] = t("centraleOrders.purchaseOrder.tooLong", { max: LIMITS.CONTRACT_MANAGER_NAME_MAX_CHARS });
    if (quality === "") found[MANAGER_QUALITY_ID] = t("centraleOrders.purchaseOrder.managerQualityMissing");
    else if ([...quality].length > LIMITS.CONTRACT_MANAGER_QUALITY_MAX_CHARS)
      found[MANAGER_QUALITY_ID] = t("centraleOrders.purchaseOrder.tooLong", { max: LIMITS.CONTRACT_MANAGER_QUALITY_MAX_CHARS });
    setErrors(found);
    if (Object.keys(found).length === 0) setConfirming({ reference: ref, name, quality });
  };

  const issue = async () => {
    if (!confirming || !award) return;
    const { reference: ref, name, quality } = confirming;
    try {
      await secondFactor.perform({
        kind: "issue_purchase_order",
        input: { order_id: order.id, reference: ref, contract_manager_name: name, contract_manager_quality: quality },
      });
    } catch (e) {
      // A missing or malformed code: said under its field, the dialog stays open.
      if (secondFactor.claims(e)) return;
      const failure = AppError.from(e);
      const fieldId = PO_FIELDS[fieldOf(failure.params) ?? ""];
      if (!fieldId) throw failure;
      setConfirming(null);
      setErrors({ [fieldId]: errorText(failure) });
      return;
    }
    secondFactor.reset();
    setConfirming(null);
    setJustSent(ref);
    onDone({
      title: t("centraleOrders.purchaseOrder.receiptTitle"),
      what: t("centraleOrders.purchaseOrder.receiptWhat", {
        reference: ref,
        title: order.title,
        provider,
        amount: formatMoney(award.amount.excl_vat, "htva"),
      }),
      who,
      when: new Date().toISOString(),
    });
  };

  const sentReference = justSent ?? (queued ? payloadText(queued, "reference") : null);
  const waiting = queued !== null || justSent !== null;

  return (
    <section className="section action-panel" aria-labelledby="purchase-order-title" data-testid="purchase-order-section">
      <h2 id="purchase-order-title">{t("centraleOrders.purchaseOrder.title")}</h2>
      <QueuedPanel
        entry={queued}
        justSent={justSent !== null}
        pendingText={t("centraleOrders.purchaseOrder.pending")}
        detailText={sentReference ? t("centraleOrders.purchaseOrder.pendingReference", { reference: sentReference }) : null}
        refusedKey="centraleOrders.purchaseOrder.refused"
        refusedLinkKey="centraleOrders.purchaseOrder.refusedLink"
        testId="purchase-order"
      />
      {!waiting && <p>{t("centraleOrders.purchaseOrder.explain")}</p>}
      {award ? (
        <dl className="summary-list" data-testid="purchase-order-award">
          <SummaryRow label={t("centraleOrders.purchaseOrder.commune")}>{communeName}</SummaryRow>
          <SummaryRow label={t("centraleOrders.purchaseOrder.winner")} testId="purchase-order-winner">
            {provider}
          </SummaryRow>
          <SummaryRow label={t("centraleOrders.purchaseOrder.amount")} testId="purchase-order-amount">
            <Money cents={award.amount.excl_vat} basis="htva" /> {"·"} <Money cents={award.amount.incl_vat} basis="tvac" />
          </SummaryRow>
          <SummaryRow label={t("centraleOrders.purchaseOrder.college")}>
            {t("centraleOrders.purchaseOrder.collegeValue", { reference: award.college_decision.reference, date: formatDate(award.college_decision.date) })}
          </SummaryRow>
        </dl>
      ) : (
        <p className="panel panel--warning" data-testid="purchase-order-no-award">
          {t("centraleOrders.purchaseOrder.noAward")}
        </p>
      )}
      {award && !waiting && (
        <form onSubmit={submit} noValidate aria-labelledby="purchase-order-title">
          <ErrorSummary errors={Object.entries(errors).map(([fieldId, message]) => ({ fieldId, message }))} />
          <Field
            id={PO_ID}
            label={t("centraleOrders.purchaseOrder.reference")}
            hint={t("centraleOrders.purchaseOrder.referenceHint")}
            required
            width="medium"
            value={reference}
            onChange={setReference}
            error={errors[PO_ID] ?? null}
            testId="purchase-order-reference"
          />
          <Field
            id={MANAGER_NAME_ID}
            label={t("centraleOrders.purchaseOrder.managerName")}
            hint={t("centraleOrders.purchaseOrder.managerNameHint")}
            required
            width="medium"
            value={managerName}
            onChange={setManagerName}
            error={errors[MANAGER_NAME_ID] ?? null}
            testId="purchase-order-manager-name"
          />
          <Field
            id={MANAGER_QUALITY_ID}
            label={t("centraleOrders.purchaseOrder.managerQuality")}
            hint={t("centraleOrders.purchaseOrder.managerQualityHint")}
            required
            width="medium"
            value={managerQuality}
            onChange={setManagerQuality}
            error={errors[MANAGER_QUALITY_ID] ?? null}
            testId="purchase-order-manager-quality"
          />
          <div className="button-group">
            <Button type="submit" variant="primary" data-testid="issue-purchase-order">
              {t("centraleOrders.purchaseOrder.button")}
            </Button>
          </div>
        </form>
      )}
      {confirming && award && (
        <ConfirmDialog
          title={t("centraleOrders.purchaseOrder.confirmTitle", { provider })}
          confirmLabel={t("centraleOrders.purchaseOrder.button")}
          onConfirm={issue}
          onCancel={() => {
            secondFactor.reset();
            setConfirming(null);
          }}
        >
          <p>{t("centraleOrders.purchaseOrder.confirmIntro")}</p>
          <dl className="summary-list" data-testid="purchase-order-summary">
            <SummaryRow label={t("centraleOrders.purchaseOrder.order")}>{order.title}</SummaryRow>
            <SummaryRow label={t("centraleOrders.purchaseOrder.commune")}>{communeName}</SummaryRow>
            <SummaryRow label={t("centraleOrders.purchaseOrder.winner")}>{provider}</SummaryRow>
            <SummaryRow label={t("centraleOrders.purchaseOrder.amount")}>
              <Money cents={award.amount.excl_vat} basis="htva" /> {"·"} <Money cents={award.amount.incl_vat} basis="tvac" />
            </SummaryRow>
            <SummaryRow label={t("centraleOrders.purchaseOrder.reference")}>{confirming.reference}</SummaryRow>
            <SummaryRow label={t("centraleOrders.purchaseOrder.manager")}>
              {t("centraleOrders.purchaseOrder.managerValue", { name: confirming.name, quality: confirming.quality })}
            </SummaryRow>
          </dl>
          <p className="confirm-note">{t("centraleOrders.purchaseOrder.legal")}</p>
          {secondFactor.field}
        </ConfirmDialog>
      )}
    </section>
  );
}
