/**
 * The centrale's common analysis of the pooled offers (`evaluate_pool`): for each provider,
 * on each quality criterion, the points (from 0 to the criterion's weight, decimals with a
 * comma, sent as strings) and why. The price criterion is scored by the framework's rule on
 * the pooled total: shown, never typed. The analysis ranks the offers for every commune at
 * once, and may be corrected until a commune's collège has awarded. The checks are the order
 * evaluation's (orders/Evaluation.tsx); a refusal comes back next to the field it names.
 * An offer set aside is not analysed (setting it aside undid the analysis made with it).
 */
import { useState, type FormEvent } from "react";
import { api } from "../../api";
import { Button } from "../../components/Button";
import { ErrorPanel } from "../../components/ErrorPanel";
import { ErrorSummary, type FieldError } from "../../components/ErrorSummary";
import { Icon } from "../../components/Icon";
import { AppError } from "../../errors";
import { useErrorText, useT } from "../../i18n";
import type { PoolPage } from "../../bindings/PoolPage";
import type { Action } from "../../bindings/Action";
import { LIMITS } from "../../bindings/rules";
import { fieldOf, idPart, indexIn, InputField, providerLabel } from "../orders/common";
import { decimalToInput, parseScore } from "../orders/numbers";
import { offersInCompetition } from "./common";

export const POOL_SCORE_ID = (providerId: string, code: string) => `pool-score-${idPart(providerId)}-${idPart(code)}`;
export const POOL_JUSTIFICATION_ID = (providerId: string, code: string) => `pool-justification-${idPart(providerId)}-${idPart(code)}`;

/** One provider's points on one quality criterion, as `evaluate_pool` sends it. */
type PoolScore = Extract<Action, { kind: "evaluate_pool" }>["input"]["scores"][number];

type Values = { points: Record<string, string>; justification: Record<string, string> };
const key = (providerId: string, code: string) => `${providerId}|${code}`;

/** The form opened with the analysis already made, if any (to correct it). */
function initialValues(page: PoolPage): Values {
  const values: Values = { points: {}, justification: {} };
  for (const o of offersInCompetition(page)) {
    for (const q of o.quality) {
      values.points[key(o.provider_id, q.criterion_code)] = decimalToInput(q.points);
      values.justification[key(o.provider_id, q.criterion_code)] = q.justification;
    }
  }
  return values;
}

export function PoolEvaluationForm({ page }: { page: PoolPage }) {
  const t = useT();
  const errorText = useErrorText();
  const quality = page.criteria.filter((c) => !c.is_price);
  const price = page.criteria.filter((c) => c.is_price);
  const offers = offersInCompetition(page);
  const [values, setValues] = useState<Values>(() => initialValues(page));
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
    const scores: PoolScore[] = [];
    /** The controls of each score sent, in order (to place a refusal on `scores[i]`). */
    const sent: { score: string; justification: string }[] = [];
    for (const offer of offers) {
      const provider = providerLabel(t, offer.provider_name || null);
      for (const c of quality) {
        const scoreId = POOL_SCORE_ID(offer.provider_id, c.code);
        const justificationId = POOL_JUSTIFICATION_ID(offer.provider_id, c.code);
        const params = { provider, criterion: c.label, weight: String(c.weight) };
        const parsed = parseScore(values.points[key(offer.provider_id, c.code)] ?? "", c.weight);
        const justification = (values.justification[key(offer.provider_id, c.code)] ?? "").trim();
        let ok = true;
        if (parsed.kind === "empty") {
          found.push({ fieldId: scoreId, message: t("orders.evaluation.scoreMissing", params) });
          ok = false;
        } else if (parsed.kind === "error") {
          found.push({ fieldId: scoreId, message: t(parsed.reason === "format" ? "orders.evaluation.scoreFormat" : "orders.evaluation.scoreRange", params) });
          ok = false;
        }
        if ([...justification].length < LIMITS.SCORE_JUSTIFICATION_MIN_CHARS) {
          found.push({
            fieldId: justificationId,
            message: t("pools.evaluation.justificationMissing", { ...params, min: LIMITS.SCORE_JUSTIFICATION_MIN_CHARS }),
          });
          ok = false;
        }
        if (ok && parsed.kind === "ok") {
          scores.push({ provider_id: offer.provider_id, criterion_code: c.code, points: parsed.value, justification });
          sent.push({ score: scoreId, justification: justificationId });
        }
      }
    }
    if (found.length > 0) {
      setErrors(found);
      return;
    }
    setErrors([]);
    setBusy(true);
    try {
      await api.perform({ kind: "evaluate_pool", input: { pool_id: page.id, scores } });
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
    <section className="section" aria-labelledby="pool-evaluation-title" data-testid="pool-evaluation">
      <h2 id="pool-evaluation-title">{t("pools.evaluation.title")}</h2>
      <p>{t("pools.evaluation.explain")}</p>
      {price.map((c) => (
        <p key={c.code} className="panel" data-testid="pool-evaluation-price">
          {t("pools.evaluation.price", { criterion: c.label, weight: String(c.weight) })}
        </p>
      ))}
      <form noValidate onSubmit={(e) => void submit(e)}>
        <ErrorSummary errors={errors} />
        {failure && <ErrorPanel error={failure} />}
        {quality.length === 0 && <p className="muted">{t("pools.evaluation.priceOnly")}</p>}
        {quality.length > 0 && (
          <div className="pool-evaluation">
            {offers.map((offer) => {
              const provider = providerLabel(t, offer.provider_name || null);
              return (
                <fieldset className="pool-evaluation__offer" key={offer.provider_id} data-testid="pool-evaluation-offer" data-provider-id={offer.provider_id}>
                  <legend>{t("pools.evaluation.offerLegend", { provider })}</legend>
                  {quality.map((c) => {
                    const k = key(offer.provider_id, c.code);
                    const scoreId = POOL_SCORE_ID(offer.provider_id, c.code);
                    const justificationId = POOL_JUSTIFICATION_ID(offer.provider_id, c.code);
                    return (
                      <div className="pool-evaluation__criterion" key={c.code}>
                        <InputField
                          id={scoreId}
                          label={t("orders.evaluation.scoreLabel", { criterion: c.label, weight: String(c.weight) })}
                          hint={t("orders.evaluation.scoreHint", { weight: String(c.weight) })}
                          required
                          numeric
                          width="short"
                          value={values.points[k] ?? ""}
                          onChange={(v) => setValues((s) => ({ ...s, points: { ...s.points, [k]: v } }))}
                          error={errorFor(scoreId)}
                          testId="pool-quality-score"
                          attrs={{ "data-provider-id": offer.provider_id, "data-criterion": c.code }}
                        />
                        <InputField
                          id={justificationId}
                          label={t("pools.evaluation.justificationLabel", { criterion: c.label, provider })}
                          hint={t("pools.evaluation.justificationHint", { min: LIMITS.SCORE_JUSTIFICATION_MIN_CHARS })}
                          required
                          multiline
                          rows={2}
                          value={values.justification[k] ?? ""}
                          onChange={(v) => setValues((s) => ({ ...s, justification: { ...s.justification, [k]: v } }))}
                          error={errorFor(justificationId)}
                          testId="pool-quality-justification"
                          attrs={{ "data-provider-id": offer.provider_id, "data-criterion": c.code }}
                        />
                      </div>
                    );
                  })}
                </fieldset>
              );
            })}
          </div>
        )}
        <div className="button-group">
          <Button type="submit" variant="primary" busy={busy} data-testid="pool-evaluation-save">
            {page.evaluated ? t("pools.evaluation.saveAgain") : t("pools.evaluation.save")}
          </Button>
        </div>
        {saved && (
          <p className="notice notice--success" role="status" data-testid="pool-evaluation-saved">
            <Icon name="check" />
            <span>{t("pools.evaluation.saved")}</span>
          </p>
        )}
      </form>
    </section>
  );
}
