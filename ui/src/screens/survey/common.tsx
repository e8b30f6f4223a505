/**
 * What the survey screens share: where a commune's answers stand (words, colour and icon), an
 * answer in words (the choices' labels, a number with its unit, a text), the answers of a
 * survey read-only, theme by theme, and the questions as the communes read them.
 */
import { StatusTag } from "../../components/StatusTag";
import { formatInteger } from "../../format";
import { useT, type Translate } from "../../i18n";
import type { AnswerValue } from "../../bindings/AnswerValue";
import type { ResponseStatus } from "../../bindings/ResponseStatus";
import type { Survey } from "../../bindings/Survey";
import type { SurveyAnswer } from "../../bindings/SurveyAnswer";
import type { SurveyQuestion } from "../../bindings/SurveyQuestion";
import { idPart } from "../orders/common";
import "./survey.css";

/** « Pas encore commencé », « Brouillon enregistré », « Réponses envoyées ». */
export function ResponseStatusTag({ status, testId }: { status: ResponseStatus | null; testId?: string }) {
  const t = useT();
  if (status === "sent") return <StatusTag tone="success" label={t("surveys.status.sent")} testId={testId} />;
  if (status === "draft") return <StatusTag tone="info" icon="pending" label={t("surveys.status.draft")} testId={testId} />;
  return <StatusTag tone="neutral" label={t("surveys.status.notStarted")} testId={testId} />;
}

/** Saved on this PC, not yet sent to the intercommunale. */
export function PendingTag({ testId }: { testId?: string }) {
  const t = useT();
  return <StatusTag tone="pending" label={t("surveys.pending")} testId={testId} />;
}

/** An answer in words: « Parking, Éclairage », « 12 sites », the text. */
export function answerText(t: Translate, question: SurveyQuestion, value: AnswerValue): string {
  const kind = question.kind;
  if (value.kind === "choices") {
    const labels = kind.kind === "choice" ? kind.choices.filter((c) => value.value.includes(c.code)).map((c) => c.label_fr) : value.value;
    return labels.join(", ");
  }
  if (value.kind === "number") {
    const unit = kind.kind === "number" ? kind.unit_fr : "";
    return t("surveys.answer.numberValue", { value: formatInteger(value.value), unit }).trim();
  }
  return value.value;
}

/** The answers, theme by theme; a question without answer says so. */
export function AnswersView({ survey, answers, testId }: { survey: Survey; answers: SurveyAnswer[]; testId: string }) {
  const t = useT();
  return (
    <div className="survey-answers" data-testid={testId}>
      {survey.themes.map((theme, i) => (
        <section key={i} className="survey-answers__theme" aria-labelledby={`${testId}-theme-${i}`}>
          <h3 id={`${testId}-theme-${i}`}>{theme.title_fr}</h3>
          <dl className="summary-list">
            {theme.questions.map((q) => {
              const answer = answers.find((a) => a.question === q.code);
              return (
                <div className="summary-list__row" key={q.code} data-testid={`survey-answer-${idPart(q.code)}`}>
                  <dt>{q.text_fr}</dt>
                  <dd className="pre-line">{answer ? answerText(t, q, answer.value) : <span className="muted">{t("surveys.answer.noAnswer")}</span>}</dd>
                </div>
              );
            })}
          </dl>
        </section>
      ))}
    </div>
  );
}

/** The questions as the communes read them, with what each asks for (for accounts that do not answer). */
export function QuestionsPreview({ survey }: { survey: Survey }) {
  const t = useT();
  return (
    <div className="survey-answers" data-testid="survey-preview">
      {survey.themes.map((theme, i) => (
        <section key={i} className="survey-answers__theme" aria-labelledby={`survey-preview-theme-${i}`}>
          <h2 id={`survey-preview-theme-${i}`}>{theme.title_fr}</h2>
          <ol className="survey-preview">
            {theme.questions.map((q) => (
              <li key={q.code} data-testid={`survey-preview-${idPart(q.code)}`}>
                <p className="survey-question__text">
                  {q.text_fr}
                  {q.required && (
                    <>
                      {" "}
                      <span className="field__required">
                        {"("}
                        {t("surveys.answer.required")}
                        {")"}
                      </span>
                    </>
                  )}
                </p>
                {q.help_fr && <p className="muted">{q.help_fr}</p>}
                {q.kind.kind === "choice" && (
                  <>
                    <p>{t("surveys.answer.previewChoices")}</p>
                    <ul>
                      {q.kind.choices.map((c) => (
                        <li key={c.code}>{c.label_fr}</li>
                      ))}
                    </ul>
                  </>
                )}
                {q.kind.kind === "number" && <p>{t("surveys.answer.previewNumber", { max: q.kind.max, unit: q.kind.unit_fr })}</p>}
                {q.kind.kind === "text" && <p>{t("surveys.answer.previewText")}</p>}
              </li>
            ))}
          </ol>
        </section>
      ))}
    </div>
  );
}
