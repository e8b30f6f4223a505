/**
 * A commune's answer in words, as the survey asked it: the labels of the choices ticked, a
 * number with its unit (« 12 sites »), or the text. Pure, no React.
 */
import type { AnswerValue } from "../../../bindings/AnswerValue";
import type { SurveyQuestion } from "../../../bindings/SurveyQuestion";
import type { Translate } from "../../../i18n";

/** The number with the question's unit (« 12 sites »; without a unit, the number alone). */
export function numberWithUnit(t: Translate, value: number, unit: string): string {
  return unit.trim() === "" ? t("surveyAdmin.results.number", { value }) : t("surveyAdmin.results.numberUnit", { value, unit: unit.trim() });
}

/** One answer in words (a choice no longer in the survey shows its code). */
export function answerText(t: Translate, question: SurveyQuestion, value: AnswerValue): string {
  switch (value.kind) {
    case "choices": {
      if (value.value.length === 0) return t("surveyAdmin.results.noChoice");
      const choices = question.kind.kind === "choice" ? question.kind.choices : [];
      return value.value.map((code) => choices.find((c) => c.code === code)?.label_fr ?? code).join(", ");
    }
    case "number":
      return numberWithUnit(t, value.value, question.kind.kind === "number" ? question.kind.unit_fr : "");
    case "text":
      return value.value;
  }
}

/** `part` of `whole` in whole percents (0 when nobody answered). */
export function percentOf(part: number, whole: number): number {
  return whole > 0 ? Math.round((part * 100) / whole) : 0;
}
