/**
 * What the commune does on an order besides evaluating and awarding: send the request
 * (blocked, with the reason, until the adhesion is active), delete a draft, cancel before
 * the competition or withdraw during it, each with a confirmation and then a receipt.
 */
import { useState } from "react";
import { api } from "../../api";
import { Button } from "../../components/Button";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorSummary, type FieldError } from "../../components/ErrorSummary";
import { Field } from "../../components/Field";
import { Icon } from "../../components/Icon";
import { flash } from "../../components/Notice";
import { useCommand } from "../../data";
import { AppError } from "../../errors";
import { isIsoDate } from "../../calendar";
import { formatDate } from "../../format";
import { useErrorText, useT } from "../../i18n";
import { paths } from "../../paths";
import { Link, navigate } from "../../router";
import { useSession } from "../../session";
import type { OrderDetail } from "../../bindings/OrderDetail";
import { LIMITS, ORDER_ACTS_FROM } from "../../bindings/rules";
import { fieldOf, isCommuneRole, signsFor } from "./common";
import { NeedsSummary } from "./Sections";
import {
  controlOfField,
  decisionErrors,
  DecisionFields,
  decisionSentence,
  emptyDecision,
  toDecision,
  type DecisionDraft,
} from "../DecisionFields";
import { nameWithTitle, personLabel } from "../../people";

/** What a receipt says (who, when, what). */
export type ReceiptData = { title: string; what: string; who: string; when: string; note?: string };

/** « Marie Dupont, directeur général », for receipts; on an order, a substitute is named with
 * the title they sign with (« Sophie Renard, échevine, bourgmestre f.f. »). */
export function useWho(detail?: OrderDetail): string {
  const { state } = useSession();
  const me = state.session;
  const signer = detail?.signer ?? null;
  if (me && signer && signer.capacity !== "titular") return nameWithTitle(me.display_name, signer.title);
  return me ? personLabel(me) : "";
}

/** Why the request cannot be sent yet (null when it can), with where to go to fix it. */
function useSubmitBlocker(detail: OrderDetail): { loading: boolean; reason: string | null; adhesionLink: boolean } {
  const t = useT();
  const { state } = useSession();
  const serviceId = detail.order.service_id;
  const adhesion = useCommand(async () => api.adhesion(), []);
  const service = useCommand(async () => api.serviceDetail(serviceId), [serviceId]);
  if (!isCommuneRole(state.session?.role)) return { loading: false, reason: t("orders.submit.blockedRole"), adhesionLink: false };
  if (adhesion.loading && !adhesion.data) return { loading: true, reason: null, adhesionLink: false };
  const a = adhesion.data?.adhesion ?? null;
  // When the adhesion cannot be read, the local rules still check it on sending.
  if (adhesion.data && (!a || !a.allows_orders)) {
    const status = a ? t(`status.adhesion.${a.status}`) : t("orders.submit.noAdhesion");
    const next = a?.next_step ? ` ${t(`adhesionStep.${a.next_step}`)}` : "";
    return { loading: false, reason: `${t("orders.submit.blockedAdhesion", { status })}${next}`, adhesionLink: true };
  }
  const row = service.data?.service;
  if (row && !row.call_off_possible) {
    const why = row.call_off_blocker ? t(`orders.blocker.${row.call_off_blocker}`) : t("orders.blocker.unknown");
    return { loading: false, reason: t("orders.submit.blockedService", { reason: why }), adhesionLink: false };
  }
  return { loading: false, reason: null, adhesionLink: false };
}

const LAUNCH = "submit-decision";
const BUDGET_ARTICLE = "submit-budget-article";

/**
 * « Envoyer la demande »: explained, blocked with the reason, with the decision that launches
 * the order (the conseil's, or the collège's by delegation, CDLD L1222-3), its budget article
 * and, when the domain says the estimate needs it, the directeur financier's opinion; then
 * confirmed with what is sent.
 */
export function SubmitSection({ detail, onDone }: { detail: OrderDetail; onDone: (r: ReceiptData) => void }) {
  const t = useT();
  const errorText = useErrorText();
  const who = useWho();
  const { state } = useSession();
  const blocker = useSubmitBlocker(detail);
  const [confirming, setConfirming] = useState(false);
  const [draft, setDraft] = useState<DecisionDraft>(emptyDecision("conseil"));
  const [budgetArticle, setBudgetArticle] = useState("");
  const [errors, setErrors] = useState<FieldError[]>([]);
  const { order } = detail;
  const withOpinion = detail.decisions.launch_opinion_required;

  const check = (): FieldError[] => {
    const found = decisionErrors(t, draft, state.today, LAUNCH, withOpinion);
    const article = budgetArticle.trim();
    if (article === "" || [...article].length > 50) found.push({ fieldId: BUDGET_ARTICLE, message: t("orders.submit.budgetArticleMissing") });
    return found;
  };

  const ask = () => {
    const found = check();
    setErrors(found);
    if (found.length === 0) setConfirming(true);
  };

  const submit = async () => {
    try {
      await api.perform({
        kind: "submit_order",
        input: { order_id: order.id, decision: toDecision(draft, withOpinion), budget_article: budgetArticle.trim() },
      });
    } catch (e) {
      const error = AppError.from(e);
      const field = fieldOf(error.params);
      const control = field === "budget_article" ? BUDGET_ARTICLE : field === "decision" ? `${LAUNCH}-reference` : controlOfField(field ?? "", "decision", LAUNCH);
      if (!control) throw error;
      setConfirming(false);
      setErrors([{ fieldId: control, message: errorText(error) }]);
      return;
    }
    setConfirming(false);
    onDone({
      title: t("orders.submit.receiptTitle"),
      what: t("orders.submit.receiptWhat", { title: order.title }),
      who,
      when: new Date().toISOString(),
      note: t("orders.submit.receiptNote"),
    });
  };

  return (
    <section className="section action-panel" aria-labelledby="order-submit-title" data-testid="order-submit-section">
      <h2 id="order-submit-title">{t("orders.submit.title")}</h2>
      <p>{t("orders.submit.explain")}</p>
      {blocker.reason && (
        <div className="panel panel--warning" data-testid="order-blocked">
          <p className="panel__title">
            <Icon name="lock" />
            {t("orders.submit.blockedTitle")}
          </p>
          <p id="order-blocked-reason" data-testid="order-blocked-reason">
            {blocker.reason}
          </p>
          {blocker.adhesionLink && (
            <p>
              <Link to={paths.adhesion()} data-testid="order-blocked-adhesion">
                {t("orders.submit.toAdhesion")}
              </Link>
            </p>
          )}
        </div>
      )}
      {!blocker.reason && (
        <div className="award-form" data-testid="submit-decision">
          <p>{t("orders.submit.decisionIntro")}</p>
          <ErrorSummary errors={errors} />
          <DecisionFields
            prefix={LAUNCH}
            organs={["conseil", "college_by_delegation"]}
            value={draft}
            onChange={setDraft}
            errors={errors}
            withOpinion={withOpinion}
          />
          <Field
            id={BUDGET_ARTICLE}
            label={t("orders.submit.budgetArticle")}
            hint={t("orders.submit.budgetArticleHint")}
            required
            value={budgetArticle}
            onChange={setBudgetArticle}
            error={errors.find((e) => e.fieldId === BUDGET_ARTICLE)?.message ?? null}
            testId={BUDGET_ARTICLE}
            width="medium"
            autoComplete="off"
          />
        </div>
      )}
      <div className="button-group">
        <Button
          variant="primary"
          disabled={blocker.loading || blocker.reason !== null}
          aria-describedby={blocker.reason ? "order-blocked-reason" : undefined}
          onClick={ask}
          data-testid="order-submit"
        >
          {t("orders.submit.button")}
        </Button>
        <Link to={paths.editOrder(order.id)} className="button button--secondary" data-testid="order-edit">
          {t("orders.submit.edit")}
        </Link>
      </div>
      {confirming && (
        <ConfirmDialog
          title={t("orders.submit.confirmTitle", { title: order.title })}
          confirmLabel={t("orders.submit.button")}
          onConfirm={submit}
          onCancel={() => setConfirming(false)}
        >
          <p>{t("orders.submit.confirmIntro")}</p>
          <NeedsSummary detail={detail} />
          <p data-testid="submit-decision-summary">
            {decisionSentence(t, toDecision(draft, withOpinion))} {t("orders.submit.budgetArticleValue", { article: budgetArticle.trim() })}
          </p>
          <p className="confirm-note">{t("orders.submit.confirmNote")}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

/** Deletes a draft after confirmation, then goes back to the list. */
export function DeleteDraft({ orderId, title }: { orderId: string; title: string }) {
  const t = useT();
  const [confirming, setConfirming] = useState(false);
  const remove = async () => {
    await api.perform({ kind: "delete_order_draft", input: { order_id: orderId } });
    setConfirming(false);
    flash(t("orders.form.deleted", { title }), paths.orders());
    navigate(paths.orders());
  };
  return (
    <>
      <Button variant="link" className="button--danger-link" onClick={() => setConfirming(true)} data-testid="order-delete">
        {t("orders.form.delete")}
      </Button>
      {confirming && (
        <ConfirmDialog
          title={t("orders.form.deleteTitle", { title })}
          confirmLabel={t("orders.form.delete")}
          tone="danger"
          onConfirm={remove}
          onCancel={() => setConfirming(false)}
        >
          <p>{t("orders.form.deleteBody")}</p>
        </ConfirmDialog>
      )}
    </>
  );
}

/**
 * Cancel (before the competition) or withdraw (during it, signatories only). A withdrawal is
 * a motivated decision of the collège (law of 29 July 1991): its reference and date, and a
 * motivation every invited provider reads.
 */
export function CloseActions({ detail, onDone }: { detail: OrderDetail; onDone: (r: ReceiptData) => void }) {
  const t = useT();
  const errorText = useErrorText();
  const who = useWho(detail);
  const { state } = useSession();
  const role = state.session?.role;
  const { order } = detail;
  const [open, setOpen] = useState<"cancel" | "withdraw" | null>(null);
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [reference, setReference] = useState("");
  const [referenceError, setReferenceError] = useState<string | null>(null);
  const [date, setDate] = useState("");
  const [dateError, setDateError] = useState<string | null>(null);

  // Which statuses allow cancelling, withdrawing and deleting: the domain's own table.
  const canCancel = ORDER_ACTS_FROM.cancel.includes(order.status) && isCommuneRole(role);
  const withdrawable = ORDER_ACTS_FROM.withdraw.includes(order.status) && isCommuneRole(role);
  const canWithdraw = withdrawable && signsFor(detail, role, "withdrawal");
  const isDraft = ORDER_ACTS_FROM.delete_draft.includes(order.status) && isCommuneRole(role);
  if (!canCancel && !withdrawable && !isDraft) return null;

  const close = async () => {
    const how = open;
    if (!how) return;
    const text = reason.trim();
    const length = [...text].length;
    const withdraw = how === "withdraw";
    const ref = reference.trim();
    // The withdrawal's rules (motivation length, the decision's reference and dates) are the
    // domain's: its refusal comes back with the field in error. Only a date that is not a
    // date at all cannot be sent.
    const reasonBad = !withdraw && (length < LIMITS.CLOSE_REASON_MIN_CHARS || length > LIMITS.CLOSE_REASON_MAX_CHARS);
    const dateBad = withdraw && !isIsoDate(date);
    setReasonError(reasonBad ? t("orders.close.reasonInvalid", { min: LIMITS.CLOSE_REASON_MIN_CHARS, max: LIMITS.CLOSE_REASON_MAX_CHARS }) : null);
    setReferenceError(null);
    setDateError(dateBad ? t(date === "" ? "orders.close.decisionDateMissing" : "common.dateInvalid") : null);
    if (reasonBad || dateBad) {
      throw new AppError("invalid_input", t("orders.close.fixReason"));
    }
    try {
      if (withdraw) {
        await api.perform({
          kind: "withdraw_order",
          input: { order_id: order.id, reason: text, college_decision: { organ: { kind: "college" }, reference: ref, date, financial_opinion: null } },
        });
      } else {
        await api.perform({ kind: "cancel_order", input: { order_id: order.id, reason: text } });
      }
    } catch (e) {
      const error = AppError.from(e);
      const field = fieldOf(error.params);
      if (field === "reason") setReasonError(errorText(error));
      else if (field === "college_decision.reference") setReferenceError(errorText(error));
      else if (field === "college_decision.date") setDateError(errorText(error));
      throw error;
    }
    setOpen(null);
    setReason("");
    setReference("");
    setDate("");
    onDone({
      title: withdraw ? t("orders.close.withdrawReceipt") : t("orders.close.cancelReceipt"),
      what: withdraw
        ? t("orders.close.withdrawWhat", { title: order.title, reason: text, reference: ref, date: formatDate(date) })
        : t("orders.close.cancelWhat", { title: order.title, reason: text }),
      who,
      when: new Date().toISOString(),
      note: t("orders.submit.receiptNote"),
    });
  };

  return (
    <section className="section" aria-labelledby="order-close-title" data-testid="order-close">
      <h2 id="order-close-title">{t("orders.close.title")}</h2>
      {isDraft && (
        <div className="close-option">
          <p>{t("orders.close.deleteExplain")}</p>
          <DeleteDraft orderId={order.id} title={order.title} />
        </div>
      )}
      {canCancel && (
        <div className="close-option">
          <p>{t(order.status === "draft" ? "orders.close.cancelDraftExplain" : "orders.close.cancelExplain")}</p>
          <Button variant="secondary" onClick={() => setOpen("cancel")} data-testid="order-cancel">
            {t("orders.close.cancel")}
          </Button>
        </div>
      )}
      {withdrawable && (
        <div className="close-option">
          <p>{t("orders.close.withdrawExplain")}</p>
          {canWithdraw ? (
            <Button variant="secondary" onClick={() => setOpen("withdraw")} data-testid="order-withdraw">
              {t("orders.close.withdraw")}
            </Button>
          ) : (
            <p className="muted" data-testid="order-withdraw-blocked">
              {t("orders.close.withdrawRole")}
            </p>
          )}
        </div>
      )}
      {open && (
        <ConfirmDialog
          title={t(open === "cancel" ? "orders.close.cancelTitle" : "orders.close.withdrawTitle", { title: order.title })}
          confirmLabel={t(open === "cancel" ? "orders.close.cancel" : "orders.close.withdraw")}
          cancelLabel={t("orders.close.keep")}
          tone="danger"
          onConfirm={close}
          onCancel={() => {
            setOpen(null);
            setReasonError(null);
            setReferenceError(null);
            setDateError(null);
          }}
        >
          <p>{t(open === "cancel" ? "orders.close.cancelBody" : "orders.close.withdrawBody")}</p>
          {open === "withdraw" && (
            <>
              <Field
                id="close-decision-reference"
                label={t("orders.close.decisionReference")}
                hint={t("orders.close.decisionReferenceHint")}
                required
                width="medium"
                value={reference}
                onChange={setReference}
                error={referenceError}
                testId="close-decision-reference"
              />
              <Field
                type="date"
                id="close-decision-date"
                label={t("orders.close.decisionDate")}
                hint={t("orders.close.decisionDateHint")}
                required
                width="short"
                value={date}
                onChange={setDate}
                error={dateError}
                testId="close-decision-date"
              />
            </>
          )}
          <Field
            type="textarea"
            id="close-reason"
            label={t(open === "cancel" ? "orders.close.reason" : "orders.close.motivation")}
            hint={t(open === "cancel" ? "orders.close.reasonHint" : "orders.close.motivationHint")}
            required
            rows={3}
            value={reason}
            onChange={setReason}
            error={reasonError}
            testId="close-reason"
          />
        </ConfirmDialog>
      )}
    </section>
  );
}
