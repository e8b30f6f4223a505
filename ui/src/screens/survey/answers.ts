/**
 * A commune's answers to a needs survey as the form holds them, and back: what was typed per
 * question (the ticked choices, a number or a text, as typed), the answers to send (one per
 * question answered, blanks left out, in the survey's order), the checks the domain makes
 * before sending (required questions answered, a whole number from 0 to the question's
 * largest, a text not too long), and which question a refusal of the domain names.
 */
import type { FieldError } from "../../components/ErrorSummary";
import type { Translate } from "../../i18n";
import type { Survey } from "../../bindings/Survey";
import type { SurveyAnswer } from "../../bindings/SurveyAnswer";
import type { SurveyQuestion } from "../../bindings/SurveyQuestion";
import { LIMITS } from "../../bindings/rules";
import { idPart, indexIn } from "../orders/common";

/** What was typed: the codes ticked for a choice question, the text as typed for the others. */
export type Typed = Record<string, string[] | string>;

/** Every question of the survey, in order. */
export function questionsOf(survey: Survey): SurveyQuestion[] {
  return survey.themes.flatMap((theme) => theme.questions);
}

/** The ids of a question's controls (the test ids are the same). */
export const SURVEY_FIELDS = {
  choice: (question: string, choice: string) => `survey-choice-${idPart(question)}-${idPart(choice)}`,
  number: (question: string) => `survey-number-${idPart(question)}`,
  text: (question: string) => `survey-text-${idPart(question)}`,
  /** The wrapper of a question (its fieldset, or the field's block). */
  question: (question: string) => `survey-question-${idPart(question)}`,
} as const;

/** The heading of the form: where the error summary sends a refusal that names no question. */
export const FORM_TITLE_ID = "survey-form-title";

/** The control the error summary focuses for `question`: its first choice, its field. */
export function controlOf(question: SurveyQuestion): string {
  switch (question.kind.kind) {
    case "choice":
      return SURVEY_FIELDS.choice(question.code, question.kind.choices[0]?.code ?? "");
    case "number":
      return SURVEY_FIELDS.number(question.code);
    case "text":
      return SURVEY_FIELDS.text(question.code);
  }
}

/** What the form opens with: the answers of a saved draft (none: everything blank). */
export function typedFrom(answers: SurveyAnswer[]): Typed {
  const typed: Typed = {};
  for (const a of answers) {
    const v = a.value;
    if (v.kind === "choices") typed[a.question] = [...v.value];
    else if (v.kind === "number") typed[a.question] = String(v.value);
    else typed[a.question] = v.value;
  }
  return typed;
}

/** A number as typed: blank, a whole number from 0 to `max`, or why not. */
export type ReadNumber = { kind: "empty" } | { kind: "ok"; value: number } | { kind: "error"; reason: "notWhole" | "tooLarge" };

/** `12`, ` 1 200 ` → 12, 1200 (spaces group the digits); `2,5`, `-3`, `douze` are not whole numbers. */
export function readWholeNumber(text: string, max: number): ReadNumber {
  const compact = text.replace(/[\s\u00a0\u202f]/g, "");
  if (compact === "") return { kind: "empty" };
  if (!/^\d+$/.test(compact)) return { kind: "error", reason: "notWhole" };
  // Leading zeros and very long numbers: compare without losing digits.
  const digits = compact.replace(/^0+(?=\d)/, "");
  if (digits.length > String(max).length || Number(digits) > max) return { kind: "error", reason: "tooLarge" };
  return { kind: "ok", value: Number(digits) };
}

/** Characters as the domain counts them (Unicode scalar values, not UTF-16 units). */
export function charCount(text: string): number {
  return [...text].length;
}

/**
 * The answers to send and what is wrong with what was typed. With `complete` (the answers are
 * being sent), every required question must be answered; a draft may leave any blank.
 */
export function readAnswers(t: Translate, survey: Survey, typed: Typed, complete: boolean): { answers: SurveyAnswer[]; errors: FieldError[] } {
  const answers: SurveyAnswer[] = [];
  const errors: FieldError[] = [];
  for (const q of questionsOf(survey)) {
    const raw = typed[q.code];
    const fieldId = controlOf(q);
    let answered = false;
    switch (q.kind.kind) {
      case "choice": {
        const known = new Set(q.kind.choices.map((c) => c.code));
        // In the survey's order, only its choices (a draft of an older version may hold others).
        const ticked = Array.isArray(raw) ? q.kind.choices.map((c) => c.code).filter((c) => raw.includes(c) && known.has(c)) : [];
        if (ticked.length > 0) {
          answers.push({ question: q.code, value: { kind: "choices", value: q.kind.multiple ? ticked : ticked.slice(0, 1) } });
          answered = true;
        }
        break;
      }
      case "number": {
        const text = typeof raw === "string" ? raw : "";
        const n = readWholeNumber(text, q.kind.max);
        if (n.kind === "ok") {
          answers.push({ question: q.code, value: { kind: "number", value: n.value } });
          answered = true;
        } else if (n.kind === "error") {
          errors.push({ fieldId, message: t(`surveys.answer.error.${n.reason}`, { question: q.text_fr, max: q.kind.max, typed: text.trim() }) });
          answered = true; // said wrong, not missing
        }
        break;
      }
      case "text": {
        const text = typeof raw === "string" ? raw.trim() : "";
        if (text !== "") {
          const count = charCount(text);
          if (count > LIMITS.SURVEY_ANSWER_MAX_CHARS) {
            errors.push({ fieldId, message: t("surveys.answer.error.tooLong", { question: q.text_fr, count, max: LIMITS.SURVEY_ANSWER_MAX_CHARS }) });
          } else {
            answers.push({ question: q.code, value: { kind: "text", value: text } });
          }
          answered = true;
        }
        break;
      }
    }
    if (complete && q.required && !answered) errors.push({ fieldId, message: t("surveys.answer.error.missing", { question: q.text_fr }) });
  }
  return { answers, errors };
}

/**
 * The control a refusal of the domain names (its `field`): `question:<code>` is that question;
 * `answers[i]` and `answers[i].value` the question of the i-th answer sent. Null otherwise.
 */
export function controlOfRefusal(survey: Survey, field: string, sent: SurveyAnswer[]): string | null {
  const questions = questionsOf(survey);
  let code: string | undefined;
  if (field.startsWith("question:")) code = field.slice("question:".length);
  else code = sent[indexIn(field, "answers") ?? -1]?.question;
  const question = questions.find((q) => q.code === code);
  return question ? controlOf(question) : null;
}
