/**
 * The direct award (issue 11 rule 5; Dir. 2014/24 art. 33(4)(a)): under a framework whose
 * objective conditions call the order off without competition, the collège awards it to the
 * provider those conditions designate (cascade or rotation: `DesignationView`, decided by the
 * domain on this PC as the intercommunale decides it) — the commune does not choose. Only the
 * signatories, after their declaration of no conflict of interest; priced at the framework's
 * ceilings. A confirmation summarises the act; a receipt follows.
 */
import { useState } from "react";
import { Button } from "../../components/Button";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorSummary, type FieldError } from "../../components/ErrorSummary";
import { Field } from "../../components/Field";
import { Money } from "../../components/Money";
import { useSecondFactor } from "../../components/SecondFactorField";
import { AppError } from "../../errors";
import { formatDate, formatMoney } from "../../format";
import { useErrorText, useT } from "../../i18n";
import { useSession } from "../../session";
import type { DesignationView } from "../../bindings/DesignationView";
import type { OrderDetail } from "../../bindings/OrderDetail";
import { LIMITS } from "../../bindings/rules";
import { controlOfField, decisionErrors, DecisionFields, decisionSentence, emptyDecision, toDecision, type DecisionDraft } from "../DecisionFields";
import { useWho, type ReceiptData } from "./Actions";
import { fieldOf, providerLabel, signsFor } from "./common";
import { SummaryRow } from "./Sections";

const PREFIX = "direct-award-college";
const JUSTIFICATION = "direct-award-justification";

export function DirectAwardForm({
  detail,
  designation,
  onDone,
}: {
  detail: OrderDetail;
  designation: DesignationView;
  onDone: (r: ReceiptData) => void;
}) {
  const t = useT();
  const errorText = useErrorText();
  const who = useWho(detail);
  const { state } = useSession();
  const [draft, setDraft] = useState<DecisionDraft>(emptyDecision("college"));
  const withOpinion = detail.decisions.award_opinion_required;
  const [justification, setJustification] = useState("");
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [confirming, setConfirming] = useState(false);
  const secondFactor = useSecondFactor("direct_award_order");
  const signatory = signsFor(detail, state.session?.role, "award");
  const provider = providerLabel(t, designation.provider_name);
  const amount = detail.needs.total_at_ceilings;
  const errorFor = (id: string) => errors.find((e) => e.fieldId === id)?.message ?? null;

  const ask = () => {
    const found: FieldError[] = decisionErrors(t, draft, state.today, PREFIX, withOpinion);
    const motivation = [...justification.trim()].length;
    if (motivation < LIMITS.AWARD_JUSTIFICATION_MIN_CHARS) {
      found.push({ fieldId: JUSTIFICATION, message: t("orders.award.justificationMissing", { min: LIMITS.AWARD_JUSTIFICATION_MIN_CHARS }) });
    } else if (motivation > LIMITS.AWARD_JUSTIFICATION_MAX_CHARS) {
      found.push({ fieldId: JUSTIFICATION, message: t("orders.award.justificationTooLong", { max: LIMITS.AWARD_JUSTIFICATION_MAX_CHARS }) });
    }
    setErrors(found);
    if (found.length === 0) setConfirming(true);
  };

  const award = async () => {
    const decision = toDecision(draft, withOpinion);
    try {
      await secondFactor.perform({
        kind: "direct_award_order",
        input: {
          order_id: detail.order.id,
          provider_id: designation.provider_id,
          justification: justification.trim(),
          college_decision: decision,
        },
      });
    } catch (e) {
      // A missing or malformed code: said under its field, the dialog stays open.
      if (secondFactor.claims(e)) return;
      const error = AppError.from(e);
      const field = fieldOf(error.params);
      const control = field === "justification" ? JUSTIFICATION : controlOfField(field ?? "", "college_decision", PREFIX);
      if (!control) throw error;
      setConfirming(false);
      setErrors([{ fieldId: control, message: errorText(error) }]);
      return;
    }
    secondFactor.reset();
    setConfirming(false);
    onDone({
      title: t("orders.award.receiptTitle"),
      what: t("orders.award.receiptWhat", {
        title: detail.order.title,
        provider,
        htva: formatMoney(amount.excl_vat, "htva"),
        tvac: formatMoney(amount.incl_vat, "tvac"),
        reference: decision.reference,
        date: formatDate(decision.date),
      }),
      who,
      when: new Date().toISOString(),
      note: t("orders.directAward.receiptNote"),
    });
  };

  return (
    <section className="section action-panel" aria-labelledby="order-direct-award-title" data-testid="order-direct-award-form">
      <h2 id="order-direct-award-title">{t("orders.directAward.title")}</h2>
      <p>{t("orders.directAward.explain", { provider })}</p>
      {!signatory ? (
        <p className="panel" data-testid="direct-award-blocked-role">
          {t("orders.award.blockedRole")}
        </p>
      ) : (
        <div className="award-form">
          <ErrorSummary errors={errors} />
          <DecisionFields prefix={PREFIX} organs={["college"]} value={draft} onChange={setDraft} errors={errors} withOpinion={withOpinion} />
          <Field
            type="textarea"
            id={JUSTIFICATION}
            label={t("orders.award.justificationLabel")}
            hint={t("orders.directAward.justificationHint", { min: LIMITS.AWARD_JUSTIFICATION_MIN_CHARS })}
            required
            rows={4}
            value={justification}
            onChange={setJustification}
            error={errorFor(JUSTIFICATION)}
            testId={JUSTIFICATION}
          />
          <Button variant="primary" onClick={ask} data-testid="direct-award-submit">
            {t("orders.award.button", { provider })}
          </Button>
        </div>
      )}
      {confirming && (
        <ConfirmDialog
          title={t("orders.award.confirmTitle", { provider })}
          confirmLabel={t("orders.award.button", { provider })}
          onConfirm={award}
          onCancel={() => {
            secondFactor.reset();
            setConfirming(false);
          }}
        >
          <p>{t("orders.award.confirmIntro")}</p>
          <dl className="summary-list" data-testid="direct-award-summary">
            <SummaryRow label={t("orders.award.order")}>{detail.order.title}</SummaryRow>
            <SummaryRow label={t("orders.award.provider")}>{provider}</SummaryRow>
            <SummaryRow label={t("orders.award.kind")}>{t("orders.award.direct")}</SummaryRow>
            <SummaryRow label={t("orders.award.amount")}>
              <Money cents={amount.excl_vat} basis="htva" /> {"·"} <Money cents={amount.incl_vat} basis="tvac" />
            </SummaryRow>
            <SummaryRow label={t("orders.award.college")}>{decisionSentence(t, toDecision(draft, withOpinion))}</SummaryRow>
            <SummaryRow label={t("orders.award.justification")}>
              <span className="pre-line">{justification.trim()}</span>
            </SummaryRow>
          </dl>
          <p className="confirm-note">{t("orders.directAward.legal")}</p>
          {secondFactor.field}
        </ConfirmDialog>
      )}
    </section>
  );
}
