/**
 * The commune's quality scores: for each offer, the points on each quality criterion (from 0
 * to the criterion's weight, decimals with a comma, sent as strings) and the reasons. The
 * price score is computed by the framework's formula; saving (`evaluate_offers`) ranks the
 * offers. The evaluation may be corrected until the award.
 */
import { useState, type FormEvent } from "react";
import { api } from "../../api";
import { Button } from "../../components/Button";
import { ErrorPanel } from "../../components/ErrorPanel";
import { ErrorSummary, type FieldError } from "../../components/ErrorSummary";
import { Icon } from "../../components/Icon";
import { AppError } from "../../errors";
import { useErrorText, useT } from "../../i18n";
import type { OrderDetail } from "../../bindings/OrderDetail";
import type { QualityScore } from "../../bindings/QualityScore";
import { fieldOf, idPart, indexIn, InputField, providerLabel } from "./common";
import { criteriaOf } from "./Comparison";
import { decimalToInput, parseScore } from "./numbers";
import { LIMITS } from "../../bindings/rules";

const scoreId = (offerId: string, code: string) => `quality-${idPart(offerId)}-${idPart(code)}`;
const justificationId = (offerId: string) => `quality-justification-${idPart(offerId)}`;

type Values = { points: Record<string, string>; justification: Record<string, string> };

function initialValues(detail: OrderDetail): Values {
  const values: Values = { points: {}, justification: {} };
  for (const r of detail.evaluation?.ranking ?? []) {
    for (const s of r.scores) {
      if (s.kind === "price") continue;
      values.points[`${r.offer_id}|${s.criterion_code}`] = decimalToInput(s.points);
      if (s.justification && !values.justification[r.offer_id]) values.justification[r.offer_id] = s.justification;
    }
  }
  return values;
}

export function EvaluationForm({ detail, primary }: { detail: OrderDetail; primary: boolean }) {
  const t = useT();
  const errorText = useErrorText();
  const columns = detail.comparison.columns;
  const quality = criteriaOf(detail).filter((c) => c.kind === "quality");
  const [values, setValues] = useState<Values>(() => initialValues(detail));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [failure, setFailure] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const errorFor = (id: string) => errors.find((e) => e.fieldId === id)?.message ?? null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setFailure(null);
    setSaved(false);
    const found: FieldError[] = [];
    const scores: QualityScore[] = [];
    /** The control of each score sent, in order (to place a refusal on `scores[i]`). */
    const sent: { score: string; justification: string }[] = [];
    for (const column of columns) {
      const provider = providerLabel(t, column.provider_name);
      const justification = (values.justification[column.offer_id] ?? "").trim();
      for (const c of quality) {
        const id = scoreId(column.offer_id, c.code);
        const parsed = parseScore(values.points[`${column.offer_id}|${c.code}`] ?? "", c.weight);
        const params = { provider, criterion: c.label, weight: String(c.weight) };
        if (parsed.kind === "empty") found.push({ fieldId: id, message: t("orders.evaluation.scoreMissing", params) });
        else if (parsed.kind === "error")
          found.push({ fieldId: id, message: t(parsed.reason === "format" ? "orders.evaluation.scoreFormat" : "orders.evaluation.scoreRange", params) });
        else {
          scores.push({ offer_id: column.offer_id, criterion_code: c.code, points: parsed.value, justification });
          sent.push({ score: id, justification: justificationId(column.offer_id) });
        }
      }
      if (quality.length > 0 && [...justification].length < LIMITS.SCORE_JUSTIFICATION_MIN_CHARS) {
        found.push({
          fieldId: justificationId(column.offer_id),
          message: t("orders.evaluation.justificationMissing", { provider, min: LIMITS.SCORE_JUSTIFICATION_MIN_CHARS }),
        });
      }
    }
    if (found.length > 0) {
      setErrors(found);
      return;
    }
    setErrors([]);
    setBusy(true);
    try {
      await api.perform({ kind: "evaluate_offers", input: { order_id: detail.order.id, scores } });
      setSaved(true);
    } catch (e) {
      const error = AppError.from(e);
      const field = fieldOf(error.params);
      const i = field ? indexIn(field, "scores") : null;
      const target = i !== null ? sent[i] : field === "scores" ? sent[0] : undefined;
      if (target && field) setErrors([{ fieldId: field.endsWith(".justification") ? target.justification : target.score, message: errorText(error) }]);
      else setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="section" aria-labelledby="order-evaluation-title" data-testid="order-evaluation">
      <h2 id="order-evaluation-title">{t("orders.evaluation.title")}</h2>
      <p>{t("orders.evaluation.explain")}</p>
      <form className="evaluation-form" noValidate onSubmit={(e) => void submit(e)}>
        <ErrorSummary errors={errors} />
        {failure && <ErrorPanel error={failure} />}
        {quality.length === 0 && <p className="muted">{t("orders.evaluation.priceOnly")}</p>}
        {quality.length > 0 && (
          <div className="evaluation-offers">
            {columns.map((column) => {
              const provider = providerLabel(t, column.provider_name);
              return (
                <fieldset className="fieldset evaluation-offer" key={column.offer_id} data-testid="evaluation-offer" data-offer-id={column.offer_id}>
                  <legend className="fieldset__legend">{t("orders.evaluation.offerLegend", { provider })}</legend>
                  {quality.map((c) => {
                    const id = scoreId(column.offer_id, c.code);
                    const key = `${column.offer_id}|${c.code}`;
                    return (
                      <InputField
                        key={c.code}
                        id={id}
                        label={t("orders.evaluation.scoreLabel", { criterion: c.label, weight: String(c.weight) })}
                        hint={t("orders.evaluation.scoreHint", { weight: String(c.weight) })}
                        required
                        numeric
                        width="short"
                        value={values.points[key] ?? ""}
                        onChange={(v) => setValues((s) => ({ ...s, points: { ...s.points, [key]: v } }))}
                        error={errorFor(id)}
                        testId="quality-score"
                        attrs={{ "data-offer-id": column.offer_id, "data-criterion": c.code }}
                      />
                    );
                  })}
                  <InputField
                    id={justificationId(column.offer_id)}
                    label={t("orders.evaluation.justificationLabel", { provider })}
                    hint={t("orders.evaluation.justificationHint")}
                    required
                    multiline
                    rows={3}
                    value={values.justification[column.offer_id] ?? ""}
                    onChange={(v) => setValues((s) => ({ ...s, justification: { ...s.justification, [column.offer_id]: v } }))}
                    error={errorFor(justificationId(column.offer_id))}
                    testId="quality-justification"
                    attrs={{ "data-offer-id": column.offer_id }}
                  />
                </fieldset>
              );
            })}
          </div>
        )}
        <div className="button-group">
          <Button type="submit" variant={primary ? "primary" : "secondary"} busy={busy} data-testid="evaluation-save">
            {detail.evaluation ? t("orders.evaluation.saveAgain") : t("orders.evaluation.save")}
          </Button>
        </div>
        {saved && (
          <p className="notice notice--success" role="status" data-testid="evaluation-saved">
            <Icon name="check" />
            <span>{t("orders.evaluation.saved")}</span>
          </p>
        )}
      </form>
    </section>
  );
}
