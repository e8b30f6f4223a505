/**
 * One accompaniment order on the screen « Accompagnement de l'intercommunale »: what it is for,
 * the commune (for the centrale), the call-off it goes with, where it stands, its lines with
 * their planned and delivered dates, the total, the commune's decision and the invoice. Then
 * what the signed-in account may do at this stage: the commune cancels while it is only
 * requested and downloads the invoice; the centrale plans, records the deliveries and invoices.
 */
import { useEffect, useState } from "react";
import { api } from "../../api";
import { Button } from "../../components/Button";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorPanel } from "../../components/ErrorPanel";
import { Field } from "../../components/Field";
import { Money } from "../../components/Money";
import { StatusTag } from "../../components/StatusTag";
import { startCommand } from "../../data";
import { AppError } from "../../errors";
import { formatDateTime } from "../../format";
import { useErrorText, useT } from "../../i18n";
import { paths } from "../../paths";
import { Link } from "../../router";
import type { AccompanimentRow } from "../../bindings/AccompanimentRow";
import type { DocumentChoice } from "../../bindings/DocumentChoice";
import { LIMITS } from "../../bindings/rules";
import { decisionSentence } from "../DecisionFields";
import { useWho, type ReceiptData } from "../orders/Actions";
import { fieldOf } from "../orders/common";
import { DocumentButton } from "../orders/Documents";
import { SummaryRow } from "../orders/Sections";
import { AccompanimentStatusTag, invoiceText, LinesTable } from "./common";
import { communeOf, DeliverForm, InvoiceAction, PlanForm } from "./CentraleActions";

/** Which act is open on the screen (one at a time: their fields' ids are the same on each card). */
export type OpenAct = { id: string; act: "plan" } | { id: string; act: "deliver"; code: string } | null;

/** « Annuler la commande » while the intercommunale has not planned it: a reason, confirmed. */
function CancelAction({ row, onDone }: { row: AccompanimentRow; onDone: (r: ReceiptData) => void }) {
  const t = useT();
  const errorText = useErrorText();
  const who = useWho();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const { order } = row;

  const cancel = async () => {
    const text = reason.trim();
    const length = [...text].length;
    if (length < LIMITS.CLOSE_REASON_MIN_CHARS || length > LIMITS.CLOSE_REASON_MAX_CHARS) {
      const message = t("accompaniment.cancel.reasonInvalid", { min: LIMITS.CLOSE_REASON_MIN_CHARS, max: LIMITS.CLOSE_REASON_MAX_CHARS });
      setError(message);
      throw new AppError("invalid_input", t("accompaniment.cancel.fixReason"));
    }
    setError(null);
    try {
      await api.perform({ kind: "cancel_accompaniment", input: { accompaniment_id: order.id, reason: text } });
    } catch (e) {
      const failure = AppError.from(e);
      if (fieldOf(failure.params) === "reason") setError(errorText(failure));
      throw failure;
    }
    setOpen(false);
    setReason("");
    onDone({
      title: t("accompaniment.cancel.receiptTitle"),
      what: t("accompaniment.cancel.receiptWhat", { title: order.title, reason: text }),
      who,
      when: new Date().toISOString(),
      note: t("accompaniment.receiptNote"),
    });
  };

  return (
    <>
      <Button variant="link" className="button--danger-link" onClick={() => setOpen(true)} data-testid={`accompaniment-cancel-${order.id}`}>
        {t("accompaniment.cancel.button")}
      </Button>
      {open && (
        <ConfirmDialog
          title={t("accompaniment.cancel.confirmTitle", { title: order.title })}
          confirmLabel={t("accompaniment.cancel.button")}
          cancelLabel={t("accompaniment.cancel.keep")}
          tone="danger"
          onConfirm={cancel}
          onCancel={() => {
            setOpen(false);
            setError(null);
          }}
        >
          <p>{t("accompaniment.cancel.body")}</p>
          <Field
            type="textarea"
            id="accompaniment-cancel-reason"
            label={t("accompaniment.cancel.reason")}
            hint={t("accompaniment.cancel.reasonHint")}
            required
            rows={3}
            value={reason}
            onChange={setReason}
            error={error}
            testId="accompaniment-cancel-reason"
          />
        </ConfirmDialog>
      )}
    </>
  );
}

/** « Télécharger la facture »: the invoice as a PDF, once this PC holds it (a document of the order). */
function InvoiceDownload({ row }: { row: AccompanimentRow }) {
  const t = useT();
  const id = row.order.id;
  const number = row.order.invoice?.number ?? "";
  const [choice, setChoice] = useState<DocumentChoice | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  useEffect(() => {
    let live = true;
    setError(null);
    startCommand(() => api.documentChoices(id))
      .then((choices) => live && setChoice(choices.find((c) => c.kind.kind === "accompaniment_invoice") ?? null))
      .catch((e) => live && setError(AppError.from(e)));
    return () => {
      live = false;
    };
  }, [id, number]);
  if (error) return <ErrorPanel error={error} />;
  if (!choice) return null;
  return (
    <ul className="document-list">
      <DocumentButton recordId={id} choice={choice} label={t("accompaniment.invoice.download", { title: choice.title })} saveTestId="accompaniment-invoice-download" />
    </ul>
  );
}

export function OrderCard({
  row,
  commune,
  centrale,
  invoiceQueued,
  open,
  onOpen,
  onInvoiceSent,
  onDone,
}: {
  row: AccompanimentRow;
  /** A commune's account: it cancels and downloads. */
  commune: boolean;
  /** The centrale's staff: they plan, record deliveries and invoice. */
  centrale: boolean;
  /** The invoice was asked from this PC and waits to be sent. */
  invoiceQueued: boolean;
  open: OpenAct;
  onOpen: (act: OpenAct) => void;
  onInvoiceSent: () => void;
  onDone: (r: ReceiptData) => void;
}) {
  const t = useT();
  const { order } = row;
  const titleId = `accompaniment-${order.id}-title`;
  const plannable = centrale && (order.status === "requested" || order.status === "planned") && order.lines.some((l) => l.delivered_on === null);
  const deliverable = centrale && order.status === "planned";
  const planOpen = open?.id === order.id && open.act === "plan";
  const deliverLine = open?.id === order.id && open.act === "deliver" ? (order.lines.find((l) => l.code === open.code) ?? null) : null;
  const invoice = invoiceText(t, order);

  return (
    <li className="card accompaniment-card" data-testid="accompaniment-row" data-accompaniment-id={order.id} data-status={order.status}>
      <h3 className="card__title" id={titleId}>
        {order.title}
      </h3>
      <p className="accompaniment-card__status">
        <AccompanimentStatusTag status={order.status} testId="accompaniment-status" />
        {row.pending && <StatusTag tone="pending" label={t("common.notSynced")} testId="accompaniment-pending" />}
        {invoiceQueued && order.status === "delivered" && (
          <StatusTag tone="pending" label={t("accompaniment.invoice.queued")} testId="accompaniment-invoice-queued" />
        )}
      </p>
      <dl className="summary-list">
        {centrale && (
          <SummaryRow label={t("accompaniment.card.commune")} testId="accompaniment-commune">
            {communeOf(t, row)}
          </SummaryRow>
        )}
        <SummaryRow label={t("accompaniment.card.callOff")} testId="accompaniment-call-off-shown">
          {order.call_off_id ? (
            <Link to={paths.order(order.call_off_id)}>{row.call_off_title ?? t("accompaniment.card.callOffUnknown")}</Link>
          ) : (
            <span className="muted">{t("accompaniment.card.alone")}</span>
          )}
        </SummaryRow>
        <SummaryRow label={t("accompaniment.card.ordered")}>
          {t("accompaniment.card.orderedValue", { who: order.ordered_by, when: formatDateTime(order.ordered_at), version: order.price_list_version })}
        </SummaryRow>
        <SummaryRow label={t("accompaniment.card.decision")} testId="accompaniment-decision-shown">
          {decisionSentence(t, order.decision)}
        </SummaryRow>
        <SummaryRow label={t("accompaniment.card.total")} testId="accompaniment-total">
          <Money cents={order.total.excl_vat} basis="htva" /> {"·"} <Money cents={order.total.incl_vat} basis="tvac" />
        </SummaryRow>
        {invoice && (
          <SummaryRow label={t("accompaniment.card.invoice")} testId="accompaniment-invoice-number">
            {invoice}
          </SummaryRow>
        )}
        {order.cancel_reason && (
          <SummaryRow label={t("accompaniment.card.cancelReason")} testId="accompaniment-cancel-reason-shown">
            {order.cancel_reason}
          </SummaryRow>
        )}
      </dl>
      <LinesTable
        lines={order.lines}
        caption={t("accompaniment.lines.caption", { title: order.title })}
        actionTitle={deliverable ? t("accompaniment.deliver.column") : undefined}
        action={
          deliverable
            ? (line) =>
                line.planned_on !== null && line.delivered_on === null ? (
                  <Button
                    className="button--small"
                    onClick={() => onOpen({ id: order.id, act: "deliver", code: line.code })}
                    aria-expanded={deliverLine?.code === line.code}
                    data-testid={`accompaniment-deliver-${line.code}`}
                  >
                    {t("accompaniment.deliver.button")}
                    <span className="visually-hidden"> {t("accompaniment.deliver.buttonFor", { service: line.label_fr })}</span>
                  </Button>
                ) : null
            : undefined
        }
      />
      {deliverLine && <DeliverForm key={deliverLine.code} row={row} line={deliverLine} onClose={() => onOpen(null)} onDone={onDone} />}
      {planOpen && <PlanForm row={row} onClose={() => onOpen(null)} onDone={onDone} />}
      {(plannable || (centrale && order.status === "delivered" && !invoiceQueued) || (commune && order.status === "requested")) && (
        <div className="button-group">
          {plannable && !planOpen && (
            <Button onClick={() => onOpen({ id: order.id, act: "plan" })} data-testid={`accompaniment-plan-${order.id}`}>
              {t(order.status === "planned" ? "accompaniment.plan.again" : "accompaniment.plan.button")}
            </Button>
          )}
          {centrale && order.status === "delivered" && !invoiceQueued && <InvoiceAction row={row} onSent={onInvoiceSent} onDone={onDone} />}
          {commune && order.status === "requested" && <CancelAction row={row} onDone={onDone} />}
        </div>
      )}
      {centrale && order.status === "delivered" && invoiceQueued && (
        <p className="muted" data-testid="accompaniment-invoice-waits">
          {t("accompaniment.invoice.waits")}
        </p>
      )}
      {order.status === "invoiced" && <InvoiceDownload row={row} />}
    </li>
  );
}
