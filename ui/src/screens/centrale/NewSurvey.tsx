/**
 * « Nouvelle enquête » (#/enquetes/nouvelle), for the centrale's staff (issue 16 §3): a survey
 * of the communes' needs — its title, what it is for, the last day answers are accepted, and
 * its themes, each with questions (a choice among a list, a number, or a free text). Codes are
 * suggested from what is typed and stay editable. Every rule of the domain is checked here
 * first (draft.ts), with an error summary linking to each field and nothing typed lost; a
 * refusal of the domain comes back next to the field its path names. After a summary and a
 * confirmation, the survey is published at the next synchronisation and every commune sees it
 * after theirs.
 */
import { useEffect, useRef, useState, type FormEvent } from "react";
import { api } from "../../api";
import { Button } from "../../components/Button";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorSummary, type FieldError } from "../../components/ErrorSummary";
import { Field } from "../../components/Field";
import { flash } from "../../components/Notice";
import { Page } from "../../components/Page";
import { AppError } from "../../errors";
import { formatDate } from "../../format";
import { useErrorText, useT } from "../../i18n";
import { paths } from "../../paths";
import { Link, navigate } from "../../router";
import { useSession } from "../../session";
import type { SurveyDraft } from "../../bindings/SurveyDraft";
import { LIMITS } from "../../bindings/rules";
import type { ScreenProps } from "../ScreenProps";
import { useKeyMaker } from "./catalogueAdmin/common";
import { TextInput } from "./catalogueAdmin/fields";
import { fieldOf } from "../orders/common";
import { SurveyAdminOnly } from "./surveyAdmin/common";
import { checkSurvey, emptyTheme, initialSurvey, questionCount, refusalField, SURVEY_IDS, type SurveyValues } from "./surveyAdmin/draft";
import { ListError, ThemeEditor, type EditorProps } from "./surveyAdmin/ThemeEditor";

function Form() {
  const t = useT();
  const errorText = useErrorText();
  const { state } = useSession();
  const today = state.today;
  const newKey = useKeyMaker("survey");
  const [values, setValues] = useState<SurveyValues>(() => initialSurvey(newKey));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [confirm, setConfirm] = useState<SurveyDraft | null>(null);

  // A line added or removed: the focus goes to its first field, or to the button that adds one.
  const focusNext = useRef<string | null>(null);
  useEffect(() => {
    const id = focusNext.current;
    if (!id) return;
    focusNext.current = null;
    document.getElementById(id)?.focus();
  });

  const errorFor = (id: string) => errors.find((e) => e.fieldId === id)?.message ?? null;
  const set = <K extends keyof SurveyValues>(key: K, value: SurveyValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const edit: EditorProps = {
    update: (change) => setValues(change),
    errorFor,
    newKey,
    focusLater: (id) => {
      focusNext.current = id;
    },
    clearErrors: () => setErrors([]),
  };
  const totalQuestions = values.themes.reduce((n, th) => n + th.questions.length, 0);

  const addTheme = () => {
    const theme = emptyTheme(newKey);
    setValues((v) => ({ ...v, themes: [...v.themes, theme] }));
    focusNext.current = SURVEY_IDS.themeTitle(values.themes.length);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = checkSurvey(t, values, today);
    if ("errors" in checked) {
      setErrors(checked.errors);
      return;
    }
    setErrors([]);
    setConfirm(checked.survey);
  };

  const publish = async () => {
    if (!confirm) return;
    const surveyId = await api.newId();
    try {
      await api.perform({ kind: "publish_survey", input: { survey_id: surveyId, survey: confirm } });
    } catch (e) {
      const error = AppError.from(e);
      const fieldId = refusalField(fieldOf(error.params), confirm);
      if (!fieldId) throw error;
      // Back to the form, the reason next to its field; what was typed stays.
      const message =
        error.code === "text_required"
          ? t("surveyAdmin.editor.check.required", { max: typeof error.params.max_chars === "number" ? error.params.max_chars : "" })
          : errorText(error);
      setConfirm(null);
      setErrors([{ fieldId, message }]);
      return;
    }
    flash(t("surveyAdmin.editor.flash", { title: confirm.title }), paths.surveys(), { untilSent: true });
    navigate(paths.surveys());
  };

  return (
    <>
      <form className="admin-form survey-form" noValidate onSubmit={submit} data-testid={SURVEY_IDS.form}>
        <ErrorSummary errors={errors} />

        <section className="section" aria-labelledby="survey-general">
          <h2 id="survey-general">{t("surveyAdmin.editor.generalTitle")}</h2>
          <TextInput
            id={SURVEY_IDS.title}
            testId={SURVEY_IDS.title}
            label={t("surveyAdmin.editor.title")}
            hint={t("surveyAdmin.editor.titleHint")}
            required
            value={values.title}
            onChange={(v) => set("title", v)}
            error={errorFor(SURVEY_IDS.title)}
          />
          <Field
            type="textarea"
            id={SURVEY_IDS.intro}
            testId={SURVEY_IDS.intro}
            rows={4}
            label={t("surveyAdmin.editor.intro")}
            hint={t("surveyAdmin.editor.introHint")}
            value={values.intro}
            onChange={(v) => set("intro", v)}
            error={errorFor(SURVEY_IDS.intro)}
          />
          <TextInput
            type="date"
            id={SURVEY_IDS.closesOn}
            testId={SURVEY_IDS.closesOn}
            label={t("surveyAdmin.editor.closesOn")}
            hint={t("surveyAdmin.editor.closesOnHint", { today: formatDate(today) })}
            required
            width="short"
            value={values.closesOn}
            onChange={(v) => set("closesOn", v)}
            error={errorFor(SURVEY_IDS.closesOn)}
          />
        </section>

        <section className="section" aria-labelledby="survey-themes">
          <h2 id="survey-themes">{t("surveyAdmin.editor.themesTitle")}</h2>
          <p className="muted">{t("surveyAdmin.editor.themesIntro")}</p>
          {values.themes.map((theme, ti) => (
            <ThemeEditor key={theme.key} theme={theme} index={ti} count={values.themes.length} totalQuestions={totalQuestions} edit={edit} />
          ))}
          <ListError id={SURVEY_IDS.addTheme} error={errorFor(SURVEY_IDS.addTheme)} />
          <p>
            <Button
              id={SURVEY_IDS.addTheme}
              onClick={addTheme}
              data-testid={SURVEY_IDS.addTheme}
              aria-describedby={errorFor(SURVEY_IDS.addTheme) ? `${SURVEY_IDS.addTheme}-error` : undefined}
            >
              {t("surveyAdmin.editor.addTheme")}
            </Button>
          </p>
        </section>

        <div className="button-group">
          <Button type="submit" variant="primary" data-testid={SURVEY_IDS.publish}>
            {t("surveyAdmin.editor.submit")}
          </Button>
          <Link to={paths.surveys()} className="button button--secondary" data-testid="survey-cancel">
            {t("surveyAdmin.editor.cancel")}
          </Link>
        </div>
      </form>

      {confirm && (
        <ConfirmDialog
          title={t("surveyAdmin.editor.confirmTitle", { title: confirm.title })}
          confirmLabel={t("surveyAdmin.editor.submit")}
          onConfirm={publish}
          onCancel={() => setConfirm(null)}
        >
          <dl className="summary-list" data-testid="survey-confirm-summary">
            <div className="summary-list__row">
              <dt>{t("surveyAdmin.editor.summaryTitle")}</dt>
              <dd>{confirm.title}</dd>
            </div>
            <div className="summary-list__row">
              <dt>{t("surveyAdmin.editor.summaryContent")}</dt>
              <dd data-testid="survey-confirm-counts">
                {t("surveyAdmin.editor.summaryThemes", { count: confirm.themes.length })}
                {", "}
                {t("surveyAdmin.editor.summaryQuestions", { count: questionCount(confirm) })}
                <ul className="plain-list">
                  {confirm.themes.map((th, i) => (
                    <li key={i}>{t("surveyAdmin.editor.summaryTheme", { theme: th.title_fr, count: th.questions.length })}</li>
                  ))}
                </ul>
              </dd>
            </div>
            <div className="summary-list__row">
              <dt>{t("surveyAdmin.editor.summaryCloses")}</dt>
              <dd data-testid="survey-confirm-closes">{t("surveyAdmin.editor.summaryClosesOn", { date: formatDate(confirm.closes_on) })}</dd>
            </div>
          </dl>
          <p>{t("surveyAdmin.editor.confirmEffect")}</p>
        </ConfirmDialog>
      )}
    </>
  );
}

export function NewSurvey(_props: ScreenProps) {
  const t = useT();
  return (
    <Page title={t("surveyAdmin.editor.pageTitle")} intro={<p className="lead">{t("surveyAdmin.editor.pageIntro", { max: LIMITS.SURVEY_QUESTIONS_MAX })}</p>}>
      <SurveyAdminOnly>
        <Form />
      </SurveyAdminOnly>
    </Page>
  );
}
