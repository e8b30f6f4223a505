/**
 * The award: the collège decision (reference and date), a written justification, then
 * « Attribuer à <Prestataire> » — only for the offer ranked first (the award follows the
 * ranking) and only for the signatories. A confirmation summarises the act (legal weight);
 * a receipt follows.
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
import type { OfferColumn } from "../../bindings/OfferColumn";
import type { OrderDetail } from "../../bindings/OrderDetail";
import { fieldOf, providerLabel, rankLabel, signsFor } from "./common";
import { rankingSentence } from "./Comparison";
import { useWho, type ReceiptData } from "./Actions";
import { SummaryRow } from "./Sections";
import { LIMITS } from "../../bindings/rules";
import { controlOfField, decisionErrors, DecisionFields, decisionSentence, emptyDecision, toDecision, type DecisionDraft } from "../DecisionFields";

const AWARD = "award-college";
const IDS = {
  justification: "award-justification",
} as const;

export function AwardForm({ detail, onDone }: { detail: OrderDetail; onDone: (r: ReceiptData) => void }) {
  const t = useT();
  const errorText = useErrorText();
  const who = useWho(detail);
  const { state } = useSession();
  const today = state.today;
  // The award is the collège's decision (CDLD L1222-4); above 22 000 € TVAC after the
  // directeur financier's opinion (the domain says when: `award_opinion_required`).
  const [draft, setDraft] = useState<DecisionDraft>(emptyDecision("college"));
  const withOpinion = detail.decisions.award_opinion_required;
  const [justification, setJustification] = useState("");
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [chosen, setChosen] = useState<OfferColumn | null>(null);
  const secondFactor = useSecondFactor("award_order");
  const ranking = detail.evaluation?.ranking ?? [];
  const winner = ranking[0];
  const signatory = signsFor(detail, state.session?.role, "award");
  const errorFor = (id: string) => errors.find((e) => e.fieldId === id)?.message ?? null;

  const check = (): FieldError[] => {
    const found: FieldError[] = decisionErrors(t, draft, today, AWARD, withOpinion);
    const motivation = [...justification.trim()].length;
    if (motivation < LIMITS.AWARD_JUSTIFICATION_MIN_CHARS) {
      found.push({ fieldId: IDS.justification, message: t("orders.award.justificationMissing", { min: LIMITS.AWARD_JUSTIFICATION_MIN_CHARS }) });
    } else if (motivation > LIMITS.AWARD_JUSTIFICATION_MAX_CHARS) {
      found.push({ fieldId: IDS.justification, message: t("orders.award.justificationTooLong", { max: LIMITS.AWARD_JUSTIFICATION_MAX_CHARS }) });
    }
    return found;
  };

  const ask = (column: OfferColumn) => {
    const found = check();
    setErrors(found);
    if (found.length === 0) setChosen(column);
  };

  const award = async () => {
    if (!chosen) return;
    const column = chosen;
    const provider = providerLabel(t, column.provider_name);
    const decision = toDecision(draft, withOpinion);
    try {
      await secondFactor.perform({
        kind: "award_order",
        input: { order_id: detail.order.id, offer_id: column.offer_id, justification: justification.trim(), college_decision: decision },
      });
    } catch (e) {
      // A missing or malformed code: said under its field, the dialog stays open.
      if (secondFactor.claims(e)) return;
      const error = AppError.from(e);
      const field = fieldOf(error.params);
      const control = field === "justification" ? IDS.justification : controlOfField(field ?? "", "college_decision", AWARD);
      if (!control) throw error;
      setChosen(null);
      setErrors([{ fieldId: control, message: errorText(error) }]);
      return;
    }
    secondFactor.reset();
    setChosen(null);
    onDone({
      title: t("orders.award.receiptTitle"),
      what: t("orders.award.receiptWhat", {
        title: detail.order.title,
        provider,
        htva: formatMoney(column.total.excl_vat, "htva"),
        tvac: formatMoney(column.total.incl_vat, "tvac"),
        reference: decision.reference,
        date: formatDate(decision.date),
      }),
      who,
      when: new Date().toISOString(),
      note: t("orders.award.receiptNote"),
    });
  };

  return (
    <section className="section action-panel" aria-labelledby="order-award-form-title" data-testid="order-award-form">
      <h2 id="order-award-form-title">{t("orders.award.title")}</h2>
      <p>{t("orders.award.explain")}</p>
      {winner && <p className="lead" data-testid="award-winner">{rankingSentence(t, winner)}</p>}
      {!signatory ? (
        <p className="panel" data-testid="award-blocked-role">
          {t("orders.award.blockedRole")}
        </p>
      ) : (
        <div className="award-form">
          <ErrorSummary errors={errors} />
          <DecisionFields prefix={AWARD} organs={["college"]} value={draft} onChange={setDraft} errors={errors} withOpinion={withOpinion} />
          <Field
            type="textarea"
            id={IDS.justification}
            label={t("orders.award.justificationLabel")}
            hint={t("orders.award.justificationHint", { min: LIMITS.AWARD_JUSTIFICATION_MIN_CHARS })}
            required
            rows={5}
            value={justification}
            onChange={setJustification}
            error={errorFor(IDS.justification)}
            testId="award-justification"
          />
          <div className="award-buttons">
            {detail.comparison.columns.map((column) => {
              const provider = providerLabel(t, column.provider_name);
              const rank = ranking.find((r) => r.offer_id === column.offer_id)?.rank ?? column.rank;
              // Every offer ranked first may be awarded: with a perfect tie (ex æquo), the one
              // the collège's drawing of lots designated.
              const first = rank === 1;
              const noteId = `award-note-${column.offer_id}`;
              return (
                <div className="award-choice" key={column.offer_id}>
                  <Button
                    variant={first ? "primary" : "secondary"}
                    disabled={!first}
                    aria-describedby={first ? undefined : noteId}
                    onClick={() => ask(column)}
                    data-testid="award-offer"
                    data-offer-id={column.offer_id}
                  >
                    {t("orders.award.button", { provider })}
                  </Button>
                  {!first && (
                    <p className="muted" id={noteId}>
                      {t("orders.award.notFirst", { rank: rank ? rankLabel(t, rank) : "—" })}
                    </p>
                  )}
                </div>
              );
            })}
          </div>
        </div>
      )}
      {chosen && (
        <ConfirmDialog
          title={t("orders.award.confirmTitle", { provider: providerLabel(t, chosen.provider_name) })}
          confirmLabel={t("orders.award.button", { provider: providerLabel(t, chosen.provider_name) })}
          onConfirm={award}
          onCancel={() => {
            secondFactor.reset();
            setChosen(null);
          }}
        >
          <p>{t("orders.award.confirmIntro")}</p>
          <dl className="summary-list" data-testid="award-summary">
            <SummaryRow label={t("orders.award.order")}>{detail.order.title}</SummaryRow>
            <SummaryRow label={t("orders.award.provider")}>{providerLabel(t, chosen.provider_name)}</SummaryRow>
            {winner && (
              <SummaryRow label={t("orders.award.ranking")}>
                {rankingSentence(t, ranking.find((r) => r.offer_id === chosen.offer_id) ?? winner)}
              </SummaryRow>
            )}
            <SummaryRow label={t("orders.award.amount")}>
              <Money cents={chosen.total.excl_vat} basis="htva" /> {"·"} <Money cents={chosen.total.incl_vat} basis="tvac" />
            </SummaryRow>
            <SummaryRow label={t("orders.award.college")}>
              {decisionSentence(t, toDecision(draft, withOpinion))}
            </SummaryRow>
            <SummaryRow label={t("orders.award.justification")}>
              <span className="pre-line">{justification.trim()}</span>
            </SummaryRow>
          </dl>
          <p className="confirm-note">{t("orders.award.legal")}</p>
          {secondFactor.field}
        </ConfirmDialog>
      )}
    </section>
  );
}
