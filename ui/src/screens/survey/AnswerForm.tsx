/**
 * A commune answers a needs survey: one block per theme, each question with its own control —
 * radios or boxes to tick for choices, a whole number with its unit, a free text with its
 * count of characters — opened with the saved draft.
 *
 * « Enregistrer le brouillon » (any commune account) keeps the answers on this PC and sends
 * them to the intercommunale at the next sync; the centrale reads them only once sent.
 * « Signer et envoyer les réponses » is the directeur général's (or the directrice générale's):
 * the required questions answered and the numbers whole, checked here first, then confirmed
 * with exactly what is sent. A refusal of the domain shows next to the question it names; what
 * was typed stays.
 */
import { useRef, useState, type FormEvent } from "react";
import { api } from "../../api";
import { Button } from "../../components/Button";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorSummary, type FieldError } from "../../components/ErrorSummary";
import { describedByOf, FieldFrame } from "../../components/Field";
import { Icon } from "../../components/Icon";
import { flash } from "../../components/Notice";
import { AppError } from "../../errors";
import { formatInteger, formatTime } from "../../format";
import { useErrorText, useT } from "../../i18n";
import { paths } from "../../paths";
import { titleOf } from "../../people";
import { useSession } from "../../session";
import type { SurveyAnswer } from "../../bindings/SurveyAnswer";
import type { SurveyPage } from "../../bindings/SurveyPage";
import type { SurveyQuestion } from "../../bindings/SurveyQuestion";
import { LIMITS } from "../../bindings/rules";
import { fieldOf } from "../orders/common";
import { charCount, controlOf, controlOfRefusal, FORM_TITLE_ID, readAnswers, SURVEY_FIELDS, typedFrom, type Typed } from "./answers";
import { AnswersView } from "./common";

type QuestionProps = {
  question: SurveyQuestion;
  value: string[] | string | undefined;
  onChange: (value: string[] | string) => void;
  error: string | null;
};

/** « (obligatoire) » after a required question. */
function RequiredMark() {
  const t = useT();
  return (
    <>
      {" "}
      <span className="field__required">
        {"("}
        {t("surveys.answer.required")}
        {")"}
      </span>
    </>
  );
}

/** A choice question: radios (one answer) or boxes to tick (several), in a fieldset. */
function ChoiceQuestion({ question, value, onChange, error }: QuestionProps) {
  const t = useT();
  if (question.kind.kind !== "choice") return null;
  const { choices, multiple } = question.kind;
  const ticked = Array.isArray(value) ? value : [];
  const base = SURVEY_FIELDS.question(question.code);
  const hintId = `${base}-hint`;
  const errorId = `${base}-error`;
  return (
    <fieldset
      className={`survey-question${error ? " survey-question--error" : ""}`}
      aria-describedby={[hintId, error ? errorId : null].filter(Boolean).join(" ")}
      data-testid={base}
      data-kind="choice"
    >
      <legend>
        {question.text_fr}
        {question.required && <RequiredMark />}
      </legend>
      <p className="field__hint" id={hintId}>
        {question.help_fr && `${question.help_fr} `}
        {t(multiple ? "surveys.answer.chooseMany" : "surveys.answer.chooseOne")}
      </p>
      {error && (
        <p className="field__error" id={errorId}>
          <span className="visually-hidden">{t("common.errorPrefix")}</span>
          {error}
        </p>
      )}
      {choices.map((c) => {
        const id = SURVEY_FIELDS.choice(question.code, c.code);
        const checked = ticked.includes(c.code);
        return (
          <div className="survey-choice" key={c.code}>
            <input
              type={multiple ? "checkbox" : "radio"}
              id={id}
              name={base}
              value={c.code}
              checked={checked}
              onChange={() => {
                if (!multiple) onChange([c.code]);
                else onChange(checked ? ticked.filter((x) => x !== c.code) : [...ticked, c.code]);
              }}
              aria-invalid={error ? true : undefined}
              data-testid={id}
            />
            <label htmlFor={id}>{c.label_fr}</label>
          </div>
        );
      })}
      {/* A radio once ticked cannot be unticked: an optional question gets its way back to blank. */}
      {!multiple && !question.required && ticked.length > 0 && (
        <button
          type="button"
          className="button button--link"
          onClick={() => onChange([])}
          data-testid={`${base}-clear`}
        >
          {t("surveys.answer.clearChoice")}
        </button>
      )}
    </fieldset>
  );
}

/** A number question: a whole number typed as text (numeric keypad), its unit after it. */
function NumberQuestion({ question, value, onChange, error }: QuestionProps) {
  const t = useT();
  if (question.kind.kind !== "number") return null;
  const { unit_fr, max } = question.kind;
  const id = SURVEY_FIELDS.number(question.code);
  const unitId = `${id}-unit`;
  const hint = `${question.help_fr ? `${question.help_fr} ` : ""}${t("surveys.answer.numberHint", { max })}`;
  return (
    <div className={`survey-question${error ? " survey-question--error" : ""}`} data-testid={SURVEY_FIELDS.question(question.code)} data-kind="number">
      <FieldFrame id={id} label={question.text_fr} hint={hint} required={question.required} error={error}>
        <div className="survey-number">
          <input
            id={id}
            name={id}
            type="text"
            inputMode="numeric"
            autoComplete="off"
            className="control control--short"
            value={typeof value === "string" ? value : ""}
            onChange={(e) => onChange(e.target.value)}
            aria-required={question.required || undefined}
            aria-invalid={error ? true : undefined}
            aria-describedby={[describedByOf(id, hint, error), unit_fr ? unitId : null].filter(Boolean).join(" ") || undefined}
            data-testid={id}
          />
          {unit_fr && <span id={unitId}>{unit_fr}</span>}
        </div>
      </FieldFrame>
    </div>
  );
}

/** A text question: a box for a few sentences, with how many characters are left. */
function TextQuestion({ question, value, onChange, error }: QuestionProps) {
  const t = useT();
  const id = SURVEY_FIELDS.text(question.code);
  const countId = `${id}-count`;
  const text = typeof value === "string" ? value : "";
  const count = charCount(text.trim());
  const max = LIMITS.SURVEY_ANSWER_MAX_CHARS;
  const hint = `${question.help_fr ? `${question.help_fr} ` : ""}${t("surveys.answer.textHint", { max })}`;
  return (
    <div className={`survey-question${error ? " survey-question--error" : ""}`} data-testid={SURVEY_FIELDS.question(question.code)} data-kind="text">
      <FieldFrame id={id} label={question.text_fr} hint={hint} required={question.required} error={error}>
        <textarea
          id={id}
          name={id}
          rows={4}
          className="control"
          value={text}
          onChange={(e) => onChange(e.target.value)}
          aria-required={question.required || undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={[describedByOf(id, hint, error), countId].filter(Boolean).join(" ")}
          data-testid={id}
        />
        <p className={`survey-count${count > max ? " survey-count--over" : ""}`} id={countId} data-testid={`${id}-count`}>
          {t("surveys.answer.textCount", { count, max: formatInteger(max) })}
        </p>
      </FieldFrame>
    </div>
  );
}

export function AnswerForm({ page, onSent }: { page: SurveyPage; onSent: (answers: SurveyAnswer[]) => void }) {
  const t = useT();
  const errorText = useErrorText();
  const { state } = useSession();
  const me = state.session;
  const { survey } = page;
  const maySend = me?.role === "director_general";
  const [typed, setTyped] = useState<Typed>(() => typedFrom(page.response?.answers ?? []));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [confirming, setConfirming] = useState<SurveyAnswer[] | null>(null);
  const [saving, setSaving] = useState(false);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  // Several clicks before the first save answers: one at a time.
  const busy = useRef(false);

  const commune = state.commune?.name_fr ?? t("surveys.answer.yourCommune");
  const errorFor = (id: string) => errors.find((e) => e.fieldId === id)?.message ?? null;

  /** A refusal of the domain, next to the question it names (else at the top). */
  const refusal = (e: unknown, sent: SurveyAnswer[]): FieldError => {
    const error = AppError.from(e);
    const field = fieldOf(error.params);
    return { fieldId: (field && controlOfRefusal(survey, field, sent)) ?? FORM_TITLE_ID, message: errorText(error) };
  };

  const save = async () => {
    if (busy.current) return;
    const read = readAnswers(t, survey, typed, false);
    setErrors(read.errors);
    if (read.errors.length > 0) return;
    busy.current = true;
    setSaving(true);
    try {
      await api.perform({ kind: "save_survey_answers", input: { survey_id: survey.id, answers: read.answers } });
    } catch (e) {
      setErrors([refusal(e, read.answers)]);
      return;
    } finally {
      busy.current = false;
      setSaving(false);
    }
    setSavedAt(new Date().toISOString());
    flash(t("surveys.answer.savedFlash"), paths.survey(survey.id), { untilSent: true });
  };

  const ask = () => {
    const read = readAnswers(t, survey, typed, true);
    setErrors(read.errors);
    if (read.errors.length === 0) setConfirming(read.answers);
  };

  const send = async () => {
    if (!confirming) return;
    const sent = confirming;
    try {
      await api.perform({ kind: "send_survey_answers", input: { survey_id: survey.id, answers: sent } });
    } catch (e) {
      setConfirming(null);
      setErrors([refusal(e, sent)]);
      return;
    }
    setConfirming(null);
    setErrors([]);
    onSent(sent);
  };

  return (
    <section className="section survey-form" aria-labelledby={FORM_TITLE_ID} data-testid="survey-form">
      <h2 id={FORM_TITLE_ID} tabIndex={-1}>
        {t("surveys.answer.formTitle")}
      </h2>
      <p>{t("surveys.answer.formIntro")}</p>
      <form noValidate onSubmit={(e: FormEvent) => e.preventDefault()}>
        <ErrorSummary errors={errors} />
        {survey.themes.map((theme, i) => (
          <fieldset className="survey-theme" key={i} data-testid="survey-theme">
            <legend>{theme.title_fr}</legend>
            {theme.questions.map((q) => {
              const props: QuestionProps = {
                question: q,
                value: typed[q.code],
                onChange: (v) => setTyped((all) => ({ ...all, [q.code]: v })),
                error: errorFor(controlOf(q)),
              };
              if (q.kind.kind === "choice") return <ChoiceQuestion key={q.code} {...props} />;
              if (q.kind.kind === "number") return <NumberQuestion key={q.code} {...props} />;
              return <TextQuestion key={q.code} {...props} />;
            })}
          </fieldset>
        ))}
        {!maySend && (
          <div className="panel" role="note" data-testid="survey-dg-only">
            <p className="panel__title">
              <Icon name="info" />
              {t("surveys.answer.dgOnlyTitle")}
            </p>
            <p>{t("surveys.answer.dgOnly")}</p>
          </div>
        )}
        {maySend && <p className="muted">{t("surveys.answer.draftNote")}</p>}
        <div className="button-group">
          {maySend && (
            <Button variant="primary" onClick={ask} data-testid="survey-send">
              {t("surveys.answer.send")}
            </Button>
          )}
          <Button variant={maySend ? "secondary" : "primary"} busy={saving} onClick={() => void save()} data-testid="survey-save">
            {t("surveys.answer.save")}
          </Button>
        </div>
        {savedAt && (
          <p className="muted" data-testid="survey-saved">
            <Icon name="check" /> {t("surveys.answer.saved", { time: formatTime(savedAt) })}
          </p>
        )}
      </form>
      {confirming && me && (
        <ConfirmDialog
          title={t("surveys.answer.confirmTitle", { commune })}
          confirmLabel={t("surveys.answer.send")}
          onConfirm={send}
          onCancel={() => setConfirming(null)}
        >
          <p data-testid="survey-confirm-sign">
            <strong>{t("surveys.answer.confirmSign", { commune, title: titleOf(me.role, me.gender) })}</strong>
          </p>
          <p>{t("surveys.answer.confirmWhat")}</p>
          <AnswersView survey={survey} answers={confirming} testId="survey-confirm-answers" />
          <p className="muted">{t("surveys.answer.confirmNote")}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
