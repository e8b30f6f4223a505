import { describe, expect, it } from "vitest";
import { LIMITS } from "../../../bindings/rules";
import type { SurveyDraft } from "../../../bindings/SurveyDraft";
import { t } from "../../../i18n";
import { checkSurvey, emptyQuestion, parseLargest, refusalField, suggestCode, type SurveyValues } from "./draft";

function keys() {
  let n = 0;
  return () => `k-${++n}`;
}

/** A survey the domain accepts: one theme, `questions` choice questions with two choices. */
function valid(questions = 1): SurveyValues {
  const newKey = keys();
  return {
    title: "Besoins 2028",
    intro: "",
    closesOn: "2027-04-30",
    themes: [
      {
        key: newKey(),
        title: "Mobilité",
        questions: Array.from({ length: questions }, (_, i) => {
          const q = emptyQuestion(newKey);
          return {
            ...q,
            text: `Question ${i + 1}`,
            code: `q-${i + 1}`,
            choices: q.choices.map((c, ci) => ({ ...c, label: `Choix ${ci + 1}`, code: `c-${ci + 1}` })),
          };
        }),
      },
    ],
  };
}

const SENT: SurveyDraft = {
  title: "Besoins 2028",
  intro: "",
  closes_on: "2027-04-30",
  themes: [
    {
      title_fr: "Mobilité",
      questions: [
        { code: "q-1", text_fr: "Q1", help_fr: "", required: false, kind: { kind: "text" } },
        {
          code: "q-2",
          text_fr: "Q2",
          help_fr: "",
          required: false,
          kind: {
            kind: "choice",
            multiple: false,
            choices: [
              { code: "a", label_fr: "A" },
              { code: "b", label_fr: "B" },
            ],
          },
        },
        { code: "q-3", text_fr: "Q3", help_fr: "", required: false, kind: { kind: "number", unit_fr: "", max: 5 } },
      ],
    },
  ],
};

describe("refusalField", () => {
  it.each([
    ["title", "survey-title"],
    ["intro", "survey-intro"],
    ["closes_on", "survey-closes-on"],
    ["themes", "survey-add-theme"],
    ["themes[0].title_fr", "survey-theme-0-title"],
    ["themes[0].questions", "survey-add-question-0"],
    ["themes[0].questions[0].code", "survey-question-0-0-code"],
    ["themes[0].questions[0].text_fr", "survey-question-0-0-text"],
    ["themes[0].questions[0].help_fr", "survey-question-0-0-help"],
    ["themes[0].questions[1].kind.choices", "survey-add-choice-0-1"],
    ["themes[0].questions[1].kind.choices[1].code", "survey-question-0-1-choice-1-code"],
    ["themes[0].questions[1].kind.choices[0].label_fr", "survey-question-0-1-choice-0-label"],
    ["themes[0].questions[2].kind.unit_fr", "survey-question-0-2-unit"],
    ["themes[0].questions[2].kind.max", "survey-question-0-2-max"],
  ])("%s → %s", (field, id) => {
    expect(refusalField(field, SENT)).toBe(id);
  });

  it.each([
    [null],
    ["themes[1].title_fr"],
    ["themes[0].questions[3].code"],
    ["themes[0].questions[1].kind.choices[2].code"],
    ["themes[0].questions[0].kind.choices[0].code"],
    ["answers[0]"],
  ])("names nothing on screen for %s", (field) => {
    expect(refusalField(field, SENT)).toBeNull();
  });
});

describe("suggestCode", () => {
  it("makes a code of the words, unique against the others, within the domain's length", () => {
    expect(suggestCode("Stationnement intelligent ?", [])).toBe("stationnement-intelligent");
    expect(suggestCode("Éclairage (LED)", ["eclairage-led"])).toBe("eclairage-led-2");
    expect(suggestCode("Éclairage (LED)", ["eclairage-led", "eclairage-led-2"])).toBe("eclairage-led-3");
    expect(suggestCode("?!", [])).toBe("");
    const long = "Un très long libellé de choix qui dépasse largement la limite des codes";
    const first = suggestCode(long, []);
    expect(first.length).toBeLessThanOrEqual(LIMITS.PRICE_LINE_CODE_MAX_CHARS);
    const second = suggestCode(long, [first]);
    expect(second.length).toBeLessThanOrEqual(LIMITS.PRICE_LINE_CODE_MAX_CHARS);
    expect(second.endsWith("-2")).toBe(true);
  });
});

describe("parseLargest", () => {
  it.each([
    ["", { kind: "empty" }],
    ["500", { kind: "ok", value: 500 }],
    ["1 000", { kind: "ok", value: 1000 }],
    ["1.000.000", { kind: "ok", value: 1_000_000 }],
    [String(LIMITS.SURVEY_NUMBER_MAX), { kind: "ok", value: LIMITS.SURVEY_NUMBER_MAX }],
    [String(LIMITS.SURVEY_NUMBER_MAX + 1), { kind: "error" }],
    ["0", { kind: "error" }],
    ["-3", { kind: "error" }],
    ["2,5", { kind: "error" }],
    ["beaucoup", { kind: "error" }],
  ])("« %s »", (text, result) => {
    expect(parseLargest(text, LIMITS.SURVEY_NUMBER_MAX)).toEqual(result);
  });
});

describe("checkSurvey", () => {
  it("accepts a survey closing today", () => {
    const checked = checkSurvey(t, { ...valid(), closesOn: "2027-03-12" }, "2027-03-12");
    expect("survey" in checked && checked.survey.closes_on).toBe("2027-03-12");
  });

  it("refuses more questions than the domain allows, at the last theme's « add a question »", () => {
    const checked = checkSurvey(t, valid(LIMITS.SURVEY_QUESTIONS_MAX + 1), "2027-03-12");
    expect("errors" in checked && checked.errors).toEqual([
      { fieldId: "survey-add-question-0", message: expect.stringContaining(`${LIMITS.SURVEY_QUESTIONS_MAX} au plus`) },
    ]);
    expect("survey" in checkSurvey(t, valid(LIMITS.SURVEY_QUESTIONS_MAX), "2027-03-12")).toBe(true);
  });

  it("refuses more choices than the domain allows", () => {
    const values = valid();
    const q = values.themes[0]!.questions[0]!;
    const choices = Array.from({ length: LIMITS.SURVEY_CHOICES_MAX + 1 }, (_, i) => ({ key: `c${i}`, label: `C${i}`, code: `c${i}`, codeTouched: true }));
    const checked = checkSurvey(t, { ...values, themes: [{ ...values.themes[0]!, questions: [{ ...q, choices }] }] }, "2027-03-12");
    expect("errors" in checked && checked.errors.map((e) => e.fieldId)).toEqual(["survey-add-choice-0-0"]);
  });

  it("refuses an unreadable closing day and a title too long", () => {
    const checked = checkSurvey(t, { ...valid(), title: "x".repeat(LIMITS.SURVEY_TITLE_MAX_CHARS + 1), closesOn: "31/02/2027" }, "2027-03-12");
    expect("errors" in checked && checked.errors.map((e) => e.fieldId)).toEqual(["survey-title", "survey-closes-on"]);
  });

  it("allows the same choice code in two questions, not the same question code twice", () => {
    const values = valid(2);
    expect("survey" in checkSurvey(t, values, "2027-03-12")).toBe(true);
    const questions = values.themes[0]!.questions.map((q) => ({ ...q, code: "meme-code" }));
    const checked = checkSurvey(t, { ...values, themes: [{ ...values.themes[0]!, questions }] }, "2027-03-12");
    expect("errors" in checked && checked.errors.map((e) => e.fieldId)).toEqual(["survey-question-0-1-code"]);
  });
});
