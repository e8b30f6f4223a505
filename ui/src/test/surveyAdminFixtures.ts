/**
 * Test data of the centrale's survey screens (issue 16 §3), in the shapes of the Rust types: a
 * survey « Besoins des communes 2028 » with a choice question, a number question and a text
 * question; Namur and Gembloux have sent their answers, Andenne keeps a draft; one need already
 * became a service. Override what a test needs.
 */
import type { Survey } from "../bindings/Survey";
import type { SurveyResultsView } from "../bindings/SurveyResultsView";

export const SURVEY_ID = "0190f0aa-0000-7000-8000-00000000e001";
export const SERVED_SERVICE_ID = "0190f0aa-0000-7000-8000-00000000e0f1";

export const adminSurvey = (over: Partial<Survey> = {}): Survey => ({
  id: SURVEY_ID,
  title: "Besoins des communes 2028",
  intro: "Vos réponses orientent les services que la centrale ajoutera au catalogue.",
  themes: [
    {
      title_fr: "Mobilité",
      questions: [
        {
          code: "mobilite-besoins",
          text_fr: "Quels services de mobilité intéresseraient votre commune ?",
          help_fr: "Cochez tout ce qui s'applique.",
          required: true,
          kind: {
            kind: "choice",
            multiple: true,
            choices: [
              { code: "parking", label_fr: "Stationnement intelligent" },
              { code: "velos", label_fr: "Vélos partagés" },
              { code: "bornes", label_fr: "Bornes de recharge" },
            ],
          },
        },
        {
          code: "mobilite-sites",
          text_fr: "Combien de sites seraient concernés ?",
          help_fr: "",
          required: false,
          kind: { kind: "number", unit_fr: "sites", max: 500 },
        },
      ],
    },
    {
      title_fr: "Services aux citoyens",
      questions: [
        {
          code: "citoyens-idees",
          text_fr: "Quel service en ligne manque à vos citoyens ?",
          help_fr: "",
          required: false,
          kind: { kind: "text" },
        },
      ],
    },
  ],
  closes_on: "2027-04-30",
  published_at: "2027-03-01T09:00:00Z",
  published_by: "Thomas Henrotte",
  ...over,
});

/** The results the centrale reads on 12/03/2027: 2 communes sent, 1 draft, 5 communes in all. */
export const surveyResults = (over: Partial<SurveyResultsView> = {}): SurveyResultsView => ({
  survey: adminSurvey(),
  open: true,
  communes_total: 5,
  communes: [
    {
      commune_nis: "92003",
      commune_name: "Andenne",
      status: "draft",
      sent: null,
      saved_at: "2027-03-22T08:00:00Z",
      // A draft's answers never reach the centrale's screen; even if some were here, none is shown.
      answers: [{ question: "citoyens-idees", value: { kind: "text", value: "Brouillon secret" } }],
    },
    {
      commune_nis: "92142",
      commune_name: "Gembloux",
      status: "sent",
      sent: { name: "Luc Martin", title: "Directeur général", at: "2027-03-21T09:30:00Z" },
      saved_at: "2027-03-21T09:30:00Z",
      answers: [
        { question: "mobilite-besoins", value: { kind: "choices", value: ["parking"] } },
        { question: "mobilite-sites", value: { kind: "number", value: 30 } },
      ],
    },
    {
      commune_nis: "92094",
      commune_name: "Namur",
      status: "sent",
      sent: { name: "Marie Dupont", title: "Directrice générale", at: "2027-03-20T13:05:00Z" },
      saved_at: "2027-03-20T13:05:00Z",
      answers: [
        { question: "mobilite-besoins", value: { kind: "choices", value: ["parking", "bornes"] } },
        { question: "mobilite-sites", value: { kind: "number", value: 12 } },
        { question: "citoyens-idees", value: { kind: "text", value: "Un guichet en ligne pour les cartes de riverain." } },
      ],
    },
  ],
  results: [
    {
      question: "mobilite-besoins",
      answered: 2,
      result: {
        kind: "choice",
        counts: [
          { choice: { code: "parking", label_fr: "Stationnement intelligent" }, communes: ["92142", "92094"] },
          { choice: { code: "bornes", label_fr: "Bornes de recharge" }, communes: ["92094"] },
          { choice: { code: "velos", label_fr: "Vélos partagés" }, communes: [] },
        ],
      },
    },
    {
      question: "mobilite-sites",
      answered: 2,
      result: {
        kind: "number",
        values: [
          { commune_nis: "92142", value: 30 },
          { commune_nis: "92094", value: 12 },
        ],
        total: 42,
      },
    },
    {
      question: "citoyens-idees",
      answered: 1,
      result: { kind: "text", values: [{ commune_nis: "92094", value: "Un guichet en ligne pour les cartes de riverain." }] },
    },
  ],
  names: { "92003": "Andenne", "92094": "Namur", "92142": "Gembloux" },
  served: [
    {
      need: { survey_id: SURVEY_ID, question: "mobilite-besoins", choice: "bornes" },
      service_id: SERVED_SERVICE_ID,
      service_name: "Bornes de recharge publiques",
    },
  ],
  ...over,
});
