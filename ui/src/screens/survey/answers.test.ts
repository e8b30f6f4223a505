import { describe, expect, it } from "vitest";
import { t } from "../../i18n";
import { survey } from "../../test/surveyFixtures";
import { controlOfRefusal, readAnswers, readWholeNumber, typedFrom } from "./answers";

describe("readWholeNumber", () => {
  it.each([
    ["", { kind: "empty" }],
    ["   ", { kind: "empty" }],
    ["0", { kind: "ok", value: 0 }],
    ["12", { kind: "ok", value: 12 }],
    [" 1 200 ", { kind: "ok", value: 1200 }],
    ["1\u202f200", { kind: "ok", value: 1200 }],
    ["007", { kind: "ok", value: 7 }],
    ["1500", { kind: "ok", value: 1500 }],
    ["1501", { kind: "error", reason: "tooLarge" }],
    ["99999999999999999999999", { kind: "error", reason: "tooLarge" }],
    ["2,5", { kind: "error", reason: "notWhole" }],
    ["2.5", { kind: "error", reason: "notWhole" }],
    ["-3", { kind: "error", reason: "notWhole" }],
    ["douze", { kind: "error", reason: "notWhole" }],
  ])("« %s » (largest 1 500)", (typed, expected) => {
    expect(readWholeNumber(typed, 1500)).toEqual(expected);
  });
});

describe("readAnswers", () => {
  it("answers in the survey's order, blanks and unknown choices left out, a single choice kept single", () => {
    const typed = {
      remarques: "  ",
      sites: "3",
      "mobilite-delai": ["trois-ans", "annee"],
      "mobilite-besoins": ["bornes", "ancien-choix", "parking"],
    };
    expect(readAnswers(t, survey(), typed, true)).toEqual({
      answers: [
        { question: "mobilite-besoins", value: { kind: "choices", value: ["parking", "bornes"] } },
        { question: "mobilite-delai", value: { kind: "choices", value: ["annee"] } },
        { question: "sites", value: { kind: "number", value: 3 } },
      ],
      errors: [],
    });
  });

  it("a draft may leave required questions blank; sending may not", () => {
    expect(readAnswers(t, survey(), {}, false).errors).toEqual([]);
    expect(readAnswers(t, survey(), {}, true).errors.map((e) => e.fieldId)).toEqual(["survey-choice-mobilite-besoins-parking", "survey-number-sites"]);
  });

  it("a text longer than the limit is refused, counted in characters", () => {
    const long = "é".repeat(4001);
    const { errors } = readAnswers(t, survey(), { remarques: long }, false);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.fieldId).toBe("survey-text-remarques");
    expect(readAnswers(t, survey(), { remarques: "é".repeat(4000) }, false).errors).toEqual([]);
  });

  it("reads back a saved draft", () => {
    expect(
      typedFrom([
        { question: "sites", value: { kind: "number", value: 12 } },
        { question: "mobilite-besoins", value: { kind: "choices", value: ["velos"] } },
        { question: "remarques", value: { kind: "text", value: "Oui" } },
      ]),
    ).toEqual({ sites: "12", "mobilite-besoins": ["velos"], remarques: "Oui" });
  });
});

describe("controlOfRefusal", () => {
  const sent = [
    { question: "mobilite-besoins", value: { kind: "choices" as const, value: ["parking"] } },
    { question: "sites", value: { kind: "number" as const, value: 900 } },
  ];
  it("names the question of a code, or of the i-th answer sent", () => {
    expect(controlOfRefusal(survey(), "question:sites", sent)).toBe("survey-number-sites");
    expect(controlOfRefusal(survey(), "answers[1].value", sent)).toBe("survey-number-sites");
    expect(controlOfRefusal(survey(), "answers[0]", sent)).toBe("survey-choice-mobilite-besoins-parking");
  });
  it("names nothing for another field, an answer not sent or a question not in the survey", () => {
    expect(controlOfRefusal(survey(), "survey_id", sent)).toBeNull();
    expect(controlOfRefusal(survey(), "answers[5].value", sent)).toBeNull();
    expect(controlOfRefusal(survey(), "question:disparue", sent)).toBeNull();
  });
});
