/**
 * The survey editor's form as the centrale's staff type it (themes → questions → choices),
 * checked with the domain's rules before anything is sent (`SurveyDraft::validate` in
 * crates/domain/src/survey.rs): a title, a closing day not before today, at least one theme,
 * at least one question per theme, two choices or more per choice question, codes of lowercase
 * letters, digits and dashes (a question's unique in the survey, a choice's unique in its
 * question), a largest number above zero. It also reads back where a refusal of the domain
 * points (`themes[0].questions[1].kind.choices[2].code`) to the field on screen. Pure
 * functions, no React.
 */
import type { FieldError } from "../../../components/ErrorSummary";
import type { QuestionKind } from "../../../bindings/QuestionKind";
import type { SurveyDraft } from "../../../bindings/SurveyDraft";
import type { SurveyQuestion } from "../../../bindings/SurveyQuestion";
import { LIMITS } from "../../../bindings/rules";
import { isIsoDate } from "../../../calendar";
import { formatDate } from "../../../format";
import type { Translate } from "../../../i18n";
import { slugify } from "../catalogueAdmin/rules";

/** What a question asks for: « choice », « number » or « text ». */
export type KindName = QuestionKind["kind"];

/** The kinds in the order the select offers them. */
export const KINDS: KindName[] = ["choice", "number", "text"];

export type ChoiceDraft = {
  key: string;
  label: string;
  code: string;
  /** False while the code follows the label. */
  codeTouched: boolean;
};

/**
 * A question as typed. What belongs to another kind (the choices of a question turned into a
 * number) is kept while the form is open, so that nothing typed is lost; only the kind chosen
 * is sent.
 */
export type QuestionDraft = {
  key: string;
  text: string;
  help: string;
  required: boolean;
  code: string;
  /** False while the code follows the question. */
  codeTouched: boolean;
  kind: KindName;
  choices: ChoiceDraft[];
  multiple: boolean;
  unit: string;
  /** The largest number accepted, as typed. */
  max: string;
};

export type ThemeDraft = { key: string; title: string; questions: QuestionDraft[] };

export type SurveyValues = {
  title: string;
  intro: string;
  /** `2027-04-30` once readable, else the text as typed (the date field's rule). */
  closesOn: string;
  themes: ThemeDraft[];
};

/** The parts of a question that have a control (and a test id). */
export type QuestionPart = "text" | "help" | "required" | "kind" | "code" | "multiple" | "unit" | "max" | "remove";

/** The parts of a choice that have a control. */
export type ChoicePart = "label" | "code" | "remove";

/** The ids of the form's controls, which are also their test ids; indexes from 0. */
export const SURVEY_IDS = {
  form: "survey-form",
  title: "survey-title",
  intro: "survey-intro",
  closesOn: "survey-closes-on",
  addTheme: "survey-add-theme",
  publish: "survey-publish",
  theme: (t: number) => `survey-theme-${t}`,
  themeTitle: (t: number) => `survey-theme-${t}-title`,
  themeRemove: (t: number) => `survey-theme-${t}-remove`,
  addQuestion: (t: number) => `survey-add-question-${t}`,
  question: (t: number, q: number, part: QuestionPart) => `survey-question-${t}-${q}-${part}`,
  addChoice: (t: number, q: number) => `survey-add-choice-${t}-${q}`,
  choice: (t: number, q: number, c: number, part: ChoicePart) => `survey-question-${t}-${q}-choice-${c}-${part}`,
} as const;

/** The longest code of a question or a choice (the domain measures it as a price line's). */
export const CODE_MAX = LIMITS.PRICE_LINE_CODE_MAX_CHARS;

/** The longest unit of a number question (as a price line's unit). */
export const UNIT_MAX = LIMITS.PRICE_LINE_UNIT_MAX_CHARS;

/** The domain's code: lowercase ASCII letters, digits and dashes, not empty. */
const CODE_CHARS = /^[a-z0-9-]+$/;

export function emptyChoice(key: string): ChoiceDraft {
  return { key, label: "", code: "", codeTouched: false };
}

/** A new question: a choice among a list, with two empty choices to fill in. */
export function emptyQuestion(newKey: () => string): QuestionDraft {
  return {
    key: newKey(),
    text: "",
    help: "",
    required: false,
    code: "",
    codeTouched: false,
    kind: "choice",
    choices: [emptyChoice(newKey()), emptyChoice(newKey())],
    multiple: false,
    unit: "",
    max: "",
  };
}

export function emptyTheme(newKey: () => string): ThemeDraft {
  return { key: newKey(), title: "", questions: [emptyQuestion(newKey)] };
}

/** The form as it opens: one theme with one choice question, so that it is never empty. */
export function initialSurvey(newKey: () => string): SurveyValues {
  return { title: "", intro: "", closesOn: "", themes: [emptyTheme(newKey)] };
}

/**
 * A code suggested from a text (« Stationnement intelligent ? » → `stationnement-intelligent`),
 * made unique against `taken` by a number (`…-2`). Empty when the text gives none.
 */
export function suggestCode(text: string, taken: Iterable<string>): string {
  const stem = slugify(text, CODE_MAX);
  if (stem === "") return "";
  const used = new Set(taken);
  if (!used.has(stem)) return stem;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const code = `${stem.slice(0, CODE_MAX - suffix.length).replace(/-+$/, "")}${suffix}`;
    if (!used.has(code)) return code;
  }
}

/** The codes of every question but the one with `exceptKey`. */
export function questionCodes(values: SurveyValues, exceptKey: string): string[] {
  return values.themes.flatMap((th) => th.questions.filter((q) => q.key !== exceptKey).map((q) => q.code.trim()));
}

export type CountResult = { kind: "empty" } | { kind: "ok"; value: number } | { kind: "error" };

/** A whole number typed by a person (« 1 000 », « 1.000 »), from 1 to `max`. */
export function parseLargest(text: string, max: number): CountResult {
  let s = text.replace(/[\s\u00a0\u202f]/g, "");
  if (s === "") return { kind: "empty" };
  if (/^\d{1,3}(?:\.\d{3})+$/.test(s)) s = s.replace(/\./g, "");
  if (!/^\d{1,12}$/.test(s)) return { kind: "error" };
  const value = Number(s);
  if (value < 1 || value > max) return { kind: "error" };
  return { kind: "ok", value };
}

const length = (text: string) => [...text].length;

/**
 * Checks the form as the domain will (`today`: the day in Brussels); the survey to publish,
 * or each problem with the id of its field. Nothing is dropped or reordered: the indexes of
 * what is sent are those of the form, so that a refusal's path finds its field again.
 */
export function checkSurvey(t: Translate, values: SurveyValues, today: string): { survey: SurveyDraft } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const push = (fieldId: string, message: string) => errors.push({ fieldId, message });
  const ids = SURVEY_IDS;

  const title = values.title.trim();
  if (title === "") push(ids.title, t("surveyAdmin.editor.check.titleMissing"));
  else if (length(title) > LIMITS.SURVEY_TITLE_MAX_CHARS) push(ids.title, t("surveyAdmin.editor.check.titleTooLong", { max: LIMITS.SURVEY_TITLE_MAX_CHARS }));

  const intro = values.intro.trim();
  if (length(intro) > LIMITS.SURVEY_TEXT_MAX_CHARS) push(ids.intro, t("surveyAdmin.editor.check.introTooLong", { max: LIMITS.SURVEY_TEXT_MAX_CHARS }));

  const closesOn = values.closesOn.trim();
  if (closesOn === "") push(ids.closesOn, t("surveyAdmin.editor.check.closesOnMissing"));
  else if (!isIsoDate(closesOn)) push(ids.closesOn, t("surveyAdmin.editor.check.closesOnInvalid"));
  else if (closesOn < today) push(ids.closesOn, t("surveyAdmin.editor.check.closesOnPast", { date: formatDate(closesOn), today: formatDate(today) }));

  if (values.themes.length === 0) push(ids.addTheme, t("surveyAdmin.editor.check.noTheme"));

  const codes = new Set<string>();
  let count = 0;
  const themes = values.themes.map((th, ti) => {
    const themeTitle = th.title.trim();
    const theme = themeTitle || t("surveyAdmin.editor.themeN", { n: ti + 1 });
    if (themeTitle === "") push(ids.themeTitle(ti), t("surveyAdmin.editor.check.themeTitleMissing", { n: ti + 1 }));
    else if (length(themeTitle) > LIMITS.SURVEY_TITLE_MAX_CHARS) {
      push(ids.themeTitle(ti), t("surveyAdmin.editor.check.themeTitleTooLong", { theme, max: LIMITS.SURVEY_TITLE_MAX_CHARS }));
    }
    if (th.questions.length === 0) push(ids.addQuestion(ti), t("surveyAdmin.editor.check.noQuestion", { theme }));

    const questions = th.questions.map((q, qi): SurveyQuestion => {
      count += 1;
      const id = (part: QuestionPart) => ids.question(ti, qi, part);
      const text = q.text.trim();
      const question = text || t("surveyAdmin.editor.questionOf", { n: qi + 1, theme });
      if (text === "") push(id("text"), t("surveyAdmin.editor.check.textMissing", { n: qi + 1, theme }));
      else if (length(text) > LIMITS.SURVEY_QUESTION_MAX_CHARS) push(id("text"), t("surveyAdmin.editor.check.textTooLong", { question, max: LIMITS.SURVEY_QUESTION_MAX_CHARS }));

      const help = q.help.trim();
      if (length(help) > LIMITS.SURVEY_TEXT_MAX_CHARS) push(id("help"), t("surveyAdmin.editor.check.helpTooLong", { question, max: LIMITS.SURVEY_TEXT_MAX_CHARS }));

      const code = q.code.trim();
      if (code === "") {
        // A code follows its question: without a question, the question's message says it all.
        if (text !== "" || q.codeTouched) push(id("code"), t("surveyAdmin.editor.check.codeMissing", { question }));
      } else if (!CODE_CHARS.test(code) || length(code) > CODE_MAX) {
        push(id("code"), t("surveyAdmin.editor.check.codeInvalid", { question, max: CODE_MAX }));
      } else if (codes.has(code)) {
        push(id("code"), t("surveyAdmin.editor.check.codeDuplicate", { code }));
      }
      if (code !== "") codes.add(code);

      let kind: QuestionKind;
      if (q.kind === "choice") {
        if (q.choices.length < 2 || q.choices.length > LIMITS.SURVEY_CHOICES_MAX) {
          push(ids.addChoice(ti, qi), t("surveyAdmin.editor.check.choicesCount", { question, max: LIMITS.SURVEY_CHOICES_MAX }));
        }
        const choiceCodes = new Set<string>();
        const choices = q.choices.map((c, ci) => {
          const cid = (part: ChoicePart) => ids.choice(ti, qi, ci, part);
          const label = c.label.trim();
          if (label === "") push(cid("label"), t("surveyAdmin.editor.check.choiceLabelMissing", { n: ci + 1, question }));
          else if (length(label) > LIMITS.SURVEY_CHOICE_MAX_CHARS) {
            push(cid("label"), t("surveyAdmin.editor.check.choiceLabelTooLong", { choice: label, max: LIMITS.SURVEY_CHOICE_MAX_CHARS }));
          }
          const choice = label || t("surveyAdmin.editor.choiceN", { n: ci + 1 });
          const choiceCode = c.code.trim();
          if (choiceCode === "") {
            if (label !== "" || c.codeTouched) push(cid("code"), t("surveyAdmin.editor.check.choiceCodeMissing", { choice, question }));
          } else if (!CODE_CHARS.test(choiceCode) || length(choiceCode) > CODE_MAX) {
            push(cid("code"), t("surveyAdmin.editor.check.choiceCodeInvalid", { choice, max: CODE_MAX }));
          } else if (choiceCodes.has(choiceCode)) {
            push(cid("code"), t("surveyAdmin.editor.check.choiceCodeDuplicate", { code: choiceCode, question }));
          }
          if (choiceCode !== "") choiceCodes.add(choiceCode);
          return { code: choiceCode, label_fr: label };
        });
        kind = { kind: "choice", choices, multiple: q.multiple };
      } else if (q.kind === "number") {
        const unit = q.unit.trim();
        if (length(unit) > UNIT_MAX) push(id("unit"), t("surveyAdmin.editor.check.unitTooLong", { question, max: UNIT_MAX }));
        const max = parseLargest(q.max, LIMITS.SURVEY_NUMBER_MAX);
        if (max.kind === "empty") push(id("max"), t("surveyAdmin.editor.check.maxMissing", { question }));
        else if (max.kind === "error") push(id("max"), t("surveyAdmin.editor.check.maxInvalid", { question, max: LIMITS.SURVEY_NUMBER_MAX }));
        kind = { kind: "number", unit_fr: unit, max: max.kind === "ok" ? max.value : 0 };
      } else {
        kind = { kind: "text" };
      }
      return { code, text_fr: text, help_fr: help, required: q.required, kind };
    });
    return { title_fr: themeTitle, questions };
  });

  if (count > LIMITS.SURVEY_QUESTIONS_MAX) {
    const last = values.themes.length - 1;
    push(ids.addQuestion(last), t("surveyAdmin.editor.check.tooManyQuestions", { max: LIMITS.SURVEY_QUESTIONS_MAX, count }));
  }

  if (errors.length > 0) return { errors };
  return { survey: { title, intro, themes, closes_on: closesOn } };
}

/**
 * The field a refusal of the domain points to, by its `field` (`closes_on`,
 * `themes[0].questions[1].kind.choices[2].code`), in the survey that was sent; null when the
 * path names nothing on screen.
 */
export function refusalField(field: string | null, survey: SurveyDraft): string | null {
  const ids = SURVEY_IDS;
  if (field === null) return null;
  const top: Record<string, string> = { title: ids.title, intro: ids.intro, closes_on: ids.closesOn, themes: ids.addTheme };
  if (top[field]) return top[field] ?? null;

  const inTheme = /^themes\[(\d+)\]\.(.+)$/.exec(field);
  if (!inTheme) return null;
  const ti = Number(inTheme[1]);
  const theme = survey.themes[ti];
  if (!theme) return null;
  const rest = inTheme[2] ?? "";
  if (rest === "title_fr") return ids.themeTitle(ti);
  if (rest === "questions") return ids.addQuestion(ti);

  const inQuestion = /^questions\[(\d+)\]\.(.+)$/.exec(rest);
  if (!inQuestion) return null;
  const qi = Number(inQuestion[1]);
  const question = theme.questions[qi];
  if (!question) return null;
  const part = inQuestion[2] ?? "";
  const parts: Record<string, string> = {
    code: ids.question(ti, qi, "code"),
    text_fr: ids.question(ti, qi, "text"),
    help_fr: ids.question(ti, qi, "help"),
    "kind.choices": ids.addChoice(ti, qi),
    "kind.unit_fr": ids.question(ti, qi, "unit"),
    "kind.max": ids.question(ti, qi, "max"),
  };
  if (parts[part]) return parts[part] ?? null;

  const inChoice = /^kind\.choices\[(\d+)\]\.(code|label_fr)$/.exec(part);
  if (!inChoice || question.kind.kind !== "choice") return null;
  const ci = Number(inChoice[1]);
  if (ci >= question.kind.choices.length) return null;
  return ids.choice(ti, qi, ci, inChoice[2] === "code" ? "code" : "label");
}

/** How many questions the survey asks. */
export function questionCount(survey: SurveyDraft): number {
  return survey.themes.reduce((n, th) => n + th.questions.length, 0);
}
