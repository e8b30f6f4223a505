/**
 * What the centrale does on an accompaniment order: « Planifier » (a date per line not yet
 * delivered, on or after the day of the order; planning again moves the dates), « Réalisé le »
 * per planned line (a day between the order and today), and « Émettre la facture » once every
 * line is delivered (its number is the intercommunale's, given when the change arrives: the
 * card says so until the sync brings it back). Each act is confirmed, then receipted.
 */
import { useState, type FormEvent } from "react";
import { api } from "../../api";
import { Button } from "../../components/Button";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorSummary, type FieldError } from "../../components/ErrorSummary";
import { Field } from "../../components/Field";
import { AppError } from "../../errors";
import { addDays, brusselsDay, isIsoDate } from "../../calendar";
import { formatDate, formatMoney } from "../../format";
import { useErrorText, useT, type Translate } from "../../i18n";
import { useSession } from "../../session";
import type { AccompanimentLine } from "../../bindings/AccompanimentLine";
import type { AccompanimentRow } from "../../bindings/AccompanimentRow";
import { ACCOMPANIMENT_PAYMENT_DAYS } from "../../bindings/rules";
import { useWho, type ReceiptData } from "../orders/Actions";
import { fieldOf, idPart, indexIn } from "../orders/common";

/** The day of the order in Brussels (planned and delivered dates may not precede it). */
export function orderedDay(row: AccompanimentRow): string {
  const ms = Date.parse(row.order.ordered_at);
  return Number.isNaN(ms) ? row.order.ordered_at.slice(0, 10) : brusselsDay(ms);
}

/** The commune's name, or its NIS code with words saying the name is not on this PC. */
export function communeOf(t: Translate, row: AccompanimentRow): string {
  return row.commune_name ?? t("accompaniment.communeUnknown", { nis: row.order.commune_nis });
}

export const PLAN_DATE = (code: string) => `accompaniment-plan-date-${idPart(code)}`;
export const DELIVERED_DATE = (code: string) => `accompaniment-delivered-date-${idPart(code)}`;

/** « Planifier »: a date for every line not delivered, then confirmed. */
export function PlanForm({ row, onClose, onDone }: { row: AccompanimentRow; onClose: () => void; onDone: (r: ReceiptData) => void }) {
  const t = useT();
  const errorText = useErrorText();
  const who = useWho();
  const { order } = row;
  const lines = order.lines.filter((l) => l.delivered_on === null);
  const ordered = orderedDay(row);
  const [dates, setDates] = useState<Record<string, string>>(() => Object.fromEntries(lines.map((l) => [l.code, l.planned_on ?? ""])));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [confirming, setConfirming] = useState(false);
  const errorFor = (id: string) => errors.find((e) => e.fieldId === id)?.message ?? null;

  const ask = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldError[] = [];
    for (const l of lines) {
      const value = dates[l.code] ?? "";
      const id = PLAN_DATE(l.code);
      if (value === "") found.push({ fieldId: id, message: t("accompaniment.plan.dateMissing", { service: l.label_fr }) });
      else if (!isIsoDate(value)) found.push({ fieldId: id, message: t("common.dateInvalid") });
      else if (value < ordered) found.push({ fieldId: id, message: t("accompaniment.plan.beforeOrder", { service: l.label_fr, ordered: formatDate(ordered) }) });
    }
    setErrors(found);
    if (found.length === 0) setConfirming(true);
  };

  const send = async () => {
    const sent = lines.map((l) => ({ code: l.code, planned_on: dates[l.code] ?? "" }));
    try {
      await api.perform({ kind: "plan_accompaniment", input: { accompaniment_id: order.id, dates: sent } });
    } catch (e) {
      const error = AppError.from(e);
      const field = fieldOf(error.params) ?? "";
      const line = sent[indexIn(field, "dates") ?? -1];
      if (!line) throw error;
      setConfirming(false);
      setErrors([{ fieldId: PLAN_DATE(line.code), message: errorText(error) }]);
      return;
    }
    setConfirming(false);
    onClose();
    onDone({
      title: t("accompaniment.plan.receiptTitle"),
      what: t("accompaniment.plan.receiptWhat", {
        title: order.title,
        commune: communeOf(t, row),
        dates: lines.map((l) => t("accompaniment.plan.dateLine", { service: l.label_fr, date: formatDate(dates[l.code] ?? "") })).join(" ; "),
      }),
      who,
      when: new Date().toISOString(),
      note: t("accompaniment.receiptNote"),
    });
  };

  return (
    <form className="accompaniment-act" noValidate onSubmit={ask} data-testid="accompaniment-plan-form">
      <h4 className="accompaniment-act__title">{t("accompaniment.plan.title")}</h4>
      <p className="muted">{t("accompaniment.plan.intro", { ordered: formatDate(ordered) })}</p>
      <ErrorSummary errors={errors} />
      {lines.map((l) => (
        <Field
          key={l.code}
          type="date"
          id={PLAN_DATE(l.code)}
          label={t("accompaniment.plan.dateLabel", { service: l.label_fr })}
          hint={t("accompaniment.plan.dateHint", { ordered: formatDate(ordered) })}
          required
          value={dates[l.code] ?? ""}
          onChange={(v) => setDates((d) => ({ ...d, [l.code]: v }))}
          error={errorFor(PLAN_DATE(l.code))}
          testId={PLAN_DATE(l.code)}
        />
      ))}
      <div className="button-group">
        <Button type="submit" variant="primary" data-testid="accompaniment-plan-submit">
          {t("accompaniment.plan.submit")}
        </Button>
        <Button onClick={onClose}>{t("common.cancel")}</Button>
      </div>
      {confirming && (
        <ConfirmDialog
          title={t("accompaniment.plan.confirmTitle", { title: order.title })}
          confirmLabel={t("accompaniment.plan.submit")}
          onConfirm={send}
          onCancel={() => setConfirming(false)}
        >
          <p>{t("accompaniment.plan.confirmIntro", { commune: communeOf(t, row) })}</p>
          <ul className="plain-list">
            {lines.map((l) => (
              <li key={l.code}>{t("accompaniment.plan.dateLine", { service: l.label_fr, date: formatDate(dates[l.code] ?? "") })}</li>
            ))}
          </ul>
        </ConfirmDialog>
      )}
    </form>
  );
}

/** « Réalisé le »: the day one planned line was delivered, then confirmed. */
export function DeliverForm({
  row,
  line,
  onClose,
  onDone,
}: {
  row: AccompanimentRow;
  line: AccompanimentLine;
  onClose: () => void;
  onDone: (r: ReceiptData) => void;
}) {
  const t = useT();
  const errorText = useErrorText();
  const who = useWho();
  const { state } = useSession();
  const today = state.today;
  const ordered = orderedDay(row);
  const id = DELIVERED_DATE(line.code);
  const [date, setDate] = useState(line.planned_on && line.planned_on <= today && line.planned_on >= ordered ? line.planned_on : "");
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);

  const ask = (event: FormEvent) => {
    event.preventDefault();
    let message: string | null = null;
    if (date === "") message = t("accompaniment.deliver.dateMissing", { service: line.label_fr });
    else if (!isIsoDate(date)) message = t("common.dateInvalid");
    else if (date < ordered || date > today) message = t("accompaniment.deliver.dateOutside", { ordered: formatDate(ordered), today: formatDate(today) });
    setError(message);
    if (!message) setConfirming(true);
  };

  const send = async () => {
    try {
      await api.perform({ kind: "record_accompaniment_delivery", input: { accompaniment_id: row.order.id, code: line.code, delivered_on: date } });
    } catch (e) {
      const failure = AppError.from(e);
      const field = fieldOf(failure.params);
      if (field !== "delivered_on" && field !== "code") throw failure;
      setConfirming(false);
      setError(errorText(failure));
      return;
    }
    setConfirming(false);
    onClose();
    onDone({
      title: t("accompaniment.deliver.receiptTitle"),
      what: t("accompaniment.deliver.receiptWhat", { service: line.label_fr, title: row.order.title, commune: communeOf(t, row), date: formatDate(date) }),
      who,
      when: new Date().toISOString(),
      note: t("accompaniment.receiptNote"),
    });
  };

  return (
    <form className="accompaniment-act" noValidate onSubmit={ask} data-testid="accompaniment-deliver-form" data-code={line.code}>
      <h4 className="accompaniment-act__title">{t("accompaniment.deliver.title", { service: line.label_fr })}</h4>
      <ErrorSummary errors={error ? [{ fieldId: id, message: error }] : []} />
      <Field
        type="date"
        id={id}
        label={t("accompaniment.deliver.dateLabel", { service: line.label_fr })}
        hint={t("accompaniment.deliver.dateHint", { ordered: formatDate(ordered), today: formatDate(today) })}
        required
        value={date}
        onChange={setDate}
        error={error}
        testId={id}
      />
      <div className="button-group">
        <Button type="submit" variant="primary" data-testid="accompaniment-deliver-submit">
          {t("accompaniment.deliver.submit")}
        </Button>
        <Button onClick={onClose}>{t("common.cancel")}</Button>
      </div>
      {confirming && (
        <ConfirmDialog
          title={t("accompaniment.deliver.confirmTitle", { service: line.label_fr })}
          confirmLabel={t("accompaniment.deliver.submit")}
          onConfirm={send}
          onCancel={() => setConfirming(false)}
        >
          <p>{t("accompaniment.deliver.confirmBody", { service: line.label_fr, title: row.order.title, commune: communeOf(t, row), date: formatDate(date) })}</p>
        </ConfirmDialog>
      )}
    </form>
  );
}

/** « Émettre la facture » on a delivered order: the total and the due date, confirmed. */
export function InvoiceAction({ row, onSent, onDone }: { row: AccompanimentRow; onSent: () => void; onDone: (r: ReceiptData) => void }) {
  const t = useT();
  const who = useWho();
  const { state } = useSession();
  const [confirming, setConfirming] = useState(false);
  const { order } = row;
  const due = addDays(state.today, ACCOMPANIMENT_PAYMENT_DAYS);

  const send = async () => {
    await api.perform({ kind: "invoice_accompaniment", input: { accompaniment_id: order.id } });
    setConfirming(false);
    onSent();
    onDone({
      title: t("accompaniment.invoice.receiptTitle"),
      what: t("accompaniment.invoice.receiptWhat", { title: order.title, commune: communeOf(t, row), total: formatMoney(order.total.incl_vat, "tvac") }),
      who,
      when: new Date().toISOString(),
      note: t("accompaniment.invoice.receiptNote"),
    });
  };

  return (
    <>
      <Button onClick={() => setConfirming(true)} data-testid={`accompaniment-invoice-${order.id}`}>
        {t("accompaniment.invoice.issue")}
      </Button>
      {confirming && (
        <ConfirmDialog
          title={t("accompaniment.invoice.confirmTitle", { title: order.title })}
          confirmLabel={t("accompaniment.invoice.issue")}
          onConfirm={send}
          onCancel={() => setConfirming(false)}
        >
          <p data-testid="accompaniment-invoice-confirm-total">
            {t("accompaniment.invoice.confirmTotal", {
              commune: communeOf(t, row),
              incl: formatMoney(order.total.incl_vat, "tvac"),
              excl: formatMoney(order.total.excl_vat, "htva"),
            })}
          </p>
          <p data-testid="accompaniment-invoice-confirm-due">
            {t("accompaniment.invoice.confirmDue", { days: ACCOMPANIMENT_PAYMENT_DAYS, due: formatDate(due) })}
          </p>
          <p className="confirm-note">{t("accompaniment.invoice.confirmNumber")}</p>
        </ConfirmDialog>
      )}
    </>
  );
}
