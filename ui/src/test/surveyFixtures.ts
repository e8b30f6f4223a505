/** Test data for the needs surveys (issue 16 §3), in the shapes of the Rust types. */
import type { Survey } from "../bindings/Survey";
import type { SurveyPage } from "../bindings/SurveyPage";
import type { SurveyResponse } from "../bindings/SurveyResponse";
import type { SurveyRow } from "../bindings/SurveyRow";

export const SURVEY_ID = "0190f0aa-0000-7000-8000-0000000005a1";
export const SURVEY_ID_2 = "0190f0aa-0000-7000-8000-0000000005a2";

/**
 * « Mobilité et stationnement 2027 », open until 31/03/2027: a required question with several
 * choices, an optional one with a single choice, a required number of sites (500 at most) and
 * an optional remark.
 */
export const survey = (over: Partial<Survey> = {}): Survey => ({
  id: SURVEY_ID,
  title: "Mobilité et stationnement 2027",
  intro: "La centrale prépare ses prochains accords-cadres.\n\nDites-nous ce dont votre commune a besoin.",
  themes: [
    {
      title_fr: "Mobilité",
      questions: [
        {
          code: "mobilite-besoins",
          text_fr: "De quoi votre commune a-t-elle besoin ?",
          help_fr: "Cochez tout ce qui vous servirait dans les trois ans.",
          required: true,
          kind: {
            kind: "choice",
            multiple: true,
            choices: [
              { code: "parking", label_fr: "Parking intelligent" },
              { code: "velos", label_fr: "Stationnement vélos sécurisé" },
              { code: "bornes", label_fr: "Bornes de recharge" },
            ],
          },
        },
        {
          code: "mobilite-delai",
          text_fr: "Dans quel délai ?",
          help_fr: "",
          required: false,
          kind: {
            kind: "choice",
            multiple: false,
            choices: [
              { code: "annee", label_fr: "Dans l'année" },
              { code: "trois-ans", label_fr: "D'ici trois ans" },
            ],
          },
        },
      ],
    },
    {
      title_fr: "Équipement",
      questions: [
        { code: "sites", text_fr: "Combien de sites seraient équipés ?", help_fr: "Parkings, écoles, bâtiments communaux.", required: true, kind: { kind: "number", unit_fr: "sites", max: 500 } },
        { code: "remarques", text_fr: "Une remarque ?", help_fr: "", required: false, kind: { kind: "text" } },
      ],
    },
  ],
  closes_on: "2027-03-31",
  published_at: "2027-03-01T09:00:00Z",
  published_by: "Thomas Henrotte",
  ...over,
});

/** A draft of Namur's answers: two needs ticked, 12 sites. */
export const draftResponse = (over: Partial<SurveyResponse> = {}): SurveyResponse => ({
  survey_id: SURVEY_ID,
  commune_nis: "92094",
  answers: [
    { question: "mobilite-besoins", value: { kind: "choices", value: ["parking", "bornes"] } },
    { question: "sites", value: { kind: "number", value: 12 } },
  ],
  status: "draft",
  saved_by: "Julie Lambert",
  saved_at: "2027-03-10T10:00:00Z",
  sent: null,
  ...over,
});

/** Namur's answers, sent by its directrice générale on 11/03/2027 at 15:30 (Brussels). */
export const sentResponse = (over: Partial<SurveyResponse> = {}): SurveyResponse =>
  draftResponse({
    answers: [
      { question: "mobilite-besoins", value: { kind: "choices", value: ["parking", "bornes"] } },
      { question: "sites", value: { kind: "number", value: 12 } },
      { question: "remarques", value: { kind: "text", value: "Priorité au centre-ville." } },
    ],
    status: "sent",
    saved_by: "Marie Dupont",
    saved_at: "2027-03-11T14:30:00Z",
    sent: { name: "Marie Dupont", title: "directrice générale", at: "2027-03-11T14:30:00Z" },
    ...over,
  });

export const surveyPage = (over: Partial<SurveyPage> = {}): SurveyPage => ({
  survey: survey(),
  open: true,
  response: null,
  pending: false,
  ...over,
});

export const surveyRow = (over: Partial<SurveyRow> = {}): SurveyRow => ({
  id: SURVEY_ID,
  title: "Mobilité et stationnement 2027",
  closes_on: "2027-03-31",
  open: true,
  published_at: "2027-03-01T09:00:00Z",
  questions: 4,
  my_status: null,
  my_pending: false,
  sent: 0,
  drafts: 0,
  ...over,
});
