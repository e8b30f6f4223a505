/**
 * The survey editor's lists: a theme (its title, its questions), a question (text, help,
 * required, kind, code; choices, or a number's unit and largest value) and a question's
 * choices, each with « Ajouter » and « Retirer ». Codes follow what is typed until changed by
 * hand. Every control has its id (also its test id) from `SURVEY_IDS`, its label, its hint and
 * its error next to it.
 */
import { Button } from "../../../components/Button";
import { Field } from "../../../components/Field";
import { LIMITS } from "../../../bindings/rules";
import { useT } from "../../../i18n";
import { Checkbox, RequiredMark, TextInput } from "../catalogueAdmin/fields";
import {
  emptyChoice,
  emptyQuestion,
  KINDS,
  questionCodes,
  suggestCode,
  SURVEY_IDS,
  type ChoiceDraft,
  type KindName,
  type QuestionDraft,
  type SurveyValues,
  type ThemeDraft,
} from "./draft";

/** What every part of the editor is given by the form. */
export type EditorProps = {
  /** Changes the form (from what it holds now). */
  update: (change: (values: SurveyValues) => SurveyValues) => void;
  errorFor: (id: string) => string | null;
  newKey: () => string;
  /** Moves the focus to this control once the form has been drawn again. */
  focusLater: (id: string) => void;
  /** Forgets the problems shown: their fields moved when a line was removed. */
  clearErrors: () => void;
};

function mapTheme(values: SurveyValues, themeKey: string, change: (theme: ThemeDraft) => ThemeDraft): SurveyValues {
  return { ...values, themes: values.themes.map((th) => (th.key === themeKey ? change(th) : th)) };
}

function mapQuestion(values: SurveyValues, themeKey: string, questionKey: string, change: (q: QuestionDraft) => QuestionDraft): SurveyValues {
  return mapTheme(values, themeKey, (th) => ({ ...th, questions: th.questions.map((q) => (q.key === questionKey ? change(q) : q)) }));
}

/** An error under a button that adds a line (« at least two choices »). */
export function ListError({ id, error }: { id: string; error: string | null }) {
  const t = useT();
  if (!error) return null;
  return (
    <p className="field__error" id={`${id}-error`}>
      <span className="visually-hidden">{t("common.errorPrefix")}</span>
      {error}
    </p>
  );
}

export function ThemeEditor({ theme, index, count, totalQuestions, edit }: { theme: ThemeDraft; index: number; count: number; totalQuestions: number; edit: EditorProps }) {
  const t = useT();
  const ti = index;
  const name = theme.title.trim() || t("surveyAdmin.editor.themeN", { n: ti + 1 });
  const addQuestionId = SURVEY_IDS.addQuestion(ti);
  const addQuestionError = edit.errorFor(addQuestionId);
  const full = totalQuestions >= LIMITS.SURVEY_QUESTIONS_MAX;

  const addQuestion = () => {
    const question = emptyQuestion(edit.newKey);
    edit.update((v) => mapTheme(v, theme.key, (th) => ({ ...th, questions: [...th.questions, question] })));
    edit.focusLater(SURVEY_IDS.question(ti, theme.questions.length, "text"));
  };

  const remove = () => {
    edit.clearErrors();
    edit.update((v) => ({ ...v, themes: v.themes.filter((th) => th.key !== theme.key) }));
    edit.focusLater(SURVEY_IDS.addTheme);
  };

  return (
    <fieldset className="survey-theme" data-testid={SURVEY_IDS.theme(ti)} data-key={theme.key}>
      <legend className="survey-theme__legend">{t("surveyAdmin.editor.themeLegend", { n: ti + 1, theme: name })}</legend>
      <TextInput
        id={SURVEY_IDS.themeTitle(ti)}
        testId={SURVEY_IDS.themeTitle(ti)}
        label={t("surveyAdmin.editor.themeTitle")}
        hint={t("surveyAdmin.editor.themeTitleHint")}
        required
        width="medium"
        value={theme.title}
        onChange={(value) => edit.update((v) => mapTheme(v, theme.key, (th) => ({ ...th, title: value })))}
        error={edit.errorFor(SURVEY_IDS.themeTitle(ti))}
      />
      {theme.questions.map((q, qi) => (
        <QuestionEditor key={q.key} themeKey={theme.key} theme={name} question={q} ti={ti} qi={qi} edit={edit} />
      ))}
      <ListError id={addQuestionId} error={addQuestionError} />
      <div className="button-group survey-theme__actions">
        {full ? (
          <p className="muted" id={addQuestionId} tabIndex={-1}>
            {t("surveyAdmin.editor.questionsFull", { max: LIMITS.SURVEY_QUESTIONS_MAX })}
          </p>
        ) : (
          <Button
            id={addQuestionId}
            onClick={addQuestion}
            data-testid={addQuestionId}
            aria-describedby={addQuestionError ? `${addQuestionId}-error` : undefined}
          >
            {t("surveyAdmin.editor.addQuestion", { theme: name })}
          </Button>
        )}
        {count > 1 && (
          <Button className="button--small" onClick={remove} data-testid={SURVEY_IDS.themeRemove(ti)}>
            {t("surveyAdmin.editor.removeTheme", { theme: name })}
          </Button>
        )}
      </div>
    </fieldset>
  );
}

function QuestionEditor({ themeKey, theme, question, ti, qi, edit }: { themeKey: string; theme: string; question: QuestionDraft; ti: number; qi: number; edit: EditorProps }) {
  const t = useT();
  const q = question;
  const id = (part: Parameters<typeof SURVEY_IDS.question>[2]) => SURVEY_IDS.question(ti, qi, part);
  const change = (changeQ: (q: QuestionDraft) => QuestionDraft) => edit.update((v) => mapQuestion(v, themeKey, q.key, changeQ));
  const field = (part: "text" | "help" | "code" | "unit" | "max") => ({ id: id(part), testId: id(part), error: edit.errorFor(id(part)) });
  const shown = q.text.trim() || t("surveyAdmin.editor.questionN", { n: qi + 1 });

  const remove = () => {
    edit.clearErrors();
    edit.update((v) => mapTheme(v, themeKey, (th) => ({ ...th, questions: th.questions.filter((x) => x.key !== q.key) })));
    edit.focusLater(SURVEY_IDS.addQuestion(ti));
  };

  return (
    <fieldset className="survey-question line-card" data-testid={`survey-question-${ti}-${qi}`} data-kind={q.kind}>
      <legend className="line-card__title">{t("surveyAdmin.editor.questionLegend", { n: qi + 1, theme })}</legend>
      <Field
        type="textarea"
        {...field("text")}
        rows={2}
        label={t("surveyAdmin.editor.text")}
        hint={t("surveyAdmin.editor.textHint")}
        required
        value={q.text}
        onChange={(value) =>
          edit.update((v) =>
            mapQuestion(v, themeKey, q.key, (x) => ({
              ...x,
              text: value,
              code: x.codeTouched ? x.code : suggestCode(value, questionCodes(v, x.key)),
            })),
          )
        }
      />
      <TextInput
        {...field("help")}
        label={t("surveyAdmin.editor.help")}
        hint={t("surveyAdmin.editor.helpHint")}
        value={q.help}
        onChange={(value) => change((x) => ({ ...x, help: value }))}
      />
      <Checkbox
        id={id("required")}
        testId={id("required")}
        label={t("surveyAdmin.editor.required")}
        hint={t("surveyAdmin.editor.requiredHint")}
        checked={q.required}
        onChange={(checked) => change((x) => ({ ...x, required: checked }))}
      />
      <div className="admin-row">
        <Field
          type="select"
          id={id("kind")}
          testId={id("kind")}
          label={t("surveyAdmin.editor.kind")}
          hint={t("surveyAdmin.editor.kindHint")}
          required
          width="medium"
          value={q.kind}
          onChange={(value) => change((x) => ({ ...x, kind: value as KindName }))}
          options={KINDS.map((k) => ({ value: k, label: t(`surveyAdmin.editor.kinds.${k}`) }))}
        />
        <TextInput
          {...field("code")}
          label={t("surveyAdmin.editor.code")}
          hint={t("surveyAdmin.editor.codeHint")}
          required
          width="medium"
          spellCheck={false}
          value={q.code}
          onChange={(value) => change((x) => ({ ...x, code: value, codeTouched: true }))}
        />
      </div>

      {q.kind === "choice" && <ChoicesEditor themeKey={themeKey} question={q} questionName={shown} ti={ti} qi={qi} edit={edit} />}

      {q.kind === "number" && (
        <div className="admin-row">
          <TextInput
            {...field("unit")}
            label={t("surveyAdmin.editor.unit")}
            hint={t("surveyAdmin.editor.unitHint")}
            width="medium"
            value={q.unit}
            onChange={(value) => change((x) => ({ ...x, unit: value }))}
          />
          <TextInput
            {...field("max")}
            numeric
            label={t("surveyAdmin.editor.max")}
            hint={t("surveyAdmin.editor.maxHint")}
            required
            width="short"
            value={q.max}
            onChange={(value) => change((x) => ({ ...x, max: value }))}
          />
        </div>
      )}

      {q.kind === "text" && <p className="muted">{t("surveyAdmin.editor.textKindNote", { max: LIMITS.SURVEY_ANSWER_MAX_CHARS })}</p>}

      <Button className="button--small" onClick={remove} data-testid={id("remove")}>
        {t("surveyAdmin.editor.removeQuestion", { question: shown })}
      </Button>
    </fieldset>
  );
}

function ChoicesEditor({ themeKey, question, questionName, ti, qi, edit }: { themeKey: string; question: QuestionDraft; questionName: string; ti: number; qi: number; edit: EditorProps }) {
  const t = useT();
  const q = question;
  const addId = SURVEY_IDS.addChoice(ti, qi);
  const addError = edit.errorFor(addId);
  const full = q.choices.length >= LIMITS.SURVEY_CHOICES_MAX;
  const setChoices = (change: (choices: ChoiceDraft[]) => ChoiceDraft[]) =>
    edit.update((v) => mapQuestion(v, themeKey, q.key, (x) => ({ ...x, choices: change(x.choices) })));
  const setChoice = (key: string, change: (c: ChoiceDraft, all: ChoiceDraft[]) => ChoiceDraft) =>
    setChoices((all) => all.map((c) => (c.key === key ? change(c, all) : c)));

  const add = () => {
    const choice = emptyChoice(edit.newKey());
    setChoices((all) => [...all, choice]);
    edit.focusLater(SURVEY_IDS.choice(ti, qi, q.choices.length, "label"));
  };

  return (
    <fieldset className="survey-choices" aria-describedby={`${addId}-hint`}>
      <legend className="survey-choices__legend">
        {t("surveyAdmin.editor.choices")}
        <RequiredMark />
      </legend>
      <p className="field__hint" id={`${addId}-hint`}>
        {t("surveyAdmin.editor.choicesHint", { max: LIMITS.SURVEY_CHOICES_MAX })}
      </p>
      <ol className="survey-choices__list">
        {q.choices.map((c, ci) => {
          const cid = (part: "label" | "code" | "remove") => SURVEY_IDS.choice(ti, qi, ci, part);
          const label = c.label.trim() || t("surveyAdmin.editor.choiceN", { n: ci + 1 });
          return (
            <li key={c.key} className="survey-choice" data-testid={`survey-question-${ti}-${qi}-choice-${ci}`}>
              <TextInput
                id={cid("label")}
                testId={cid("label")}
                label={t("surveyAdmin.editor.choiceLabel", { n: ci + 1 })}
                hint={ci === 0 ? t("surveyAdmin.editor.choiceLabelHint") : undefined}
                required
                width="medium"
                value={c.label}
                onChange={(value) =>
                  setChoice(c.key, (x, all) => ({
                    ...x,
                    label: value,
                    code: x.codeTouched ? x.code : suggestCode(value, all.filter((o) => o.key !== x.key).map((o) => o.code.trim())),
                  }))
                }
                error={edit.errorFor(cid("label"))}
              />
              <TextInput
                id={cid("code")}
                testId={cid("code")}
                label={t("surveyAdmin.editor.choiceCode", { choice: label })}
                required
                width="short"
                spellCheck={false}
                value={c.code}
                onChange={(value) => setChoice(c.key, (x) => ({ ...x, code: value, codeTouched: true }))}
                error={edit.errorFor(cid("code"))}
              />
              <Button
                className="button--small survey-choice__remove"
                onClick={() => {
                  edit.clearErrors();
                  setChoices((all) => all.filter((x) => x.key !== c.key));
                  edit.focusLater(addId);
                }}
                data-testid={cid("remove")}
              >
                {t("surveyAdmin.editor.removeChoice", { choice: label })}
              </Button>
            </li>
          );
        })}
      </ol>
      <ListError id={addId} error={addError} />
      {full ? (
        <p className="muted" id={addId} tabIndex={-1}>
          {t("surveyAdmin.editor.choicesFull", { max: LIMITS.SURVEY_CHOICES_MAX })}
        </p>
      ) : (
        <Button id={addId} onClick={add} data-testid={addId} aria-describedby={addError ? `${addId}-error` : undefined}>
          {t("surveyAdmin.editor.addChoice", { question: questionName })}
        </Button>
      )}
      <Checkbox
        id={SURVEY_IDS.question(ti, qi, "multiple")}
        testId={SURVEY_IDS.question(ti, qi, "multiple")}
        label={t("surveyAdmin.editor.multiple")}
        hint={t("surveyAdmin.editor.multipleHint")}
        checked={q.multiple}
        onChange={(checked) => edit.update((v) => mapQuestion(v, themeKey, q.key, (x) => ({ ...x, multiple: checked })))}
      />
    </fieldset>
  );
}
