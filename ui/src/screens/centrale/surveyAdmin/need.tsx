/**
 * A service for a need (issue 16 §3): « Créer un service pour ce besoin » on a survey's results
 * opens the new service with `?enquete=…&question=…&choix=…`. This reads that need from the
 * address, finds it in the survey's results on this PC (its words, its theme, how many communes
 * expressed it) and says so above the form; the service then carries the need it answers.
 */
import type { NeedRef } from "../../../bindings/NeedRef";
import type { SurveyResultsView } from "../../../bindings/SurveyResultsView";
import { useT } from "../../../i18n";

/** The need named by the address, or null when it names none. */
export function needFromQuery(query: URLSearchParams): NeedRef | null {
  const survey = query.get("enquete")?.trim() ?? "";
  const question = query.get("question")?.trim() ?? "";
  const choice = query.get("choix")?.trim() ?? "";
  if (survey === "" || question === "" || choice === "") return null;
  return { survey_id: survey, question, choice };
}

/** A need found in its survey: what the form is prefilled with and what the panel says. */
export type FoundNeed = {
  ref: NeedRef;
  /** The choice's words (« Stationnement intelligent »). */
  label: string;
  /** The question's theme (« Mobilité »), a category for the service. */
  theme: string;
  surveyTitle: string;
  /** How many communes expressed it in the answers sent. */
  communes: number;
};

/** The need in the survey's results; null when the survey or its choice is not there. */
export function findNeed(view: SurveyResultsView | null | undefined, ref: NeedRef): FoundNeed | null {
  if (!view || view.survey.id !== ref.survey_id) return null;
  for (const theme of view.survey.themes) {
    const question = theme.questions.find((q) => q.code === ref.question);
    if (!question || question.kind.kind !== "choice") continue;
    const choice = question.kind.choices.find((c) => c.code === ref.choice);
    if (!choice) return null;
    const result = view.results.find((r) => r.question === ref.question)?.result;
    const count = result?.kind === "choice" ? (result.counts.find((c) => c.choice.code === ref.choice)?.communes.length ?? 0) : 0;
    return { ref, label: choice.label_fr, theme: theme.title_fr, surveyTitle: view.survey.title, communes: count };
  }
  return null;
}

/** « Ce service répond au besoin … », or why the need named by the address is not used. */
export function NeedOriginPanel({ need, missing }: { need: FoundNeed | null; missing: boolean }) {
  const t = useT();
  if (need) {
    return (
      <div className="panel" role="note" data-testid="service-need-origin">
        <p>{t("surveyAdmin.need.origin", { need: need.label, count: need.communes, survey: need.surveyTitle })}</p>
      </div>
    );
  }
  if (!missing) return null;
  return (
    <div className="panel panel--warning" role="note" data-testid="service-need-missing">
      <p>{t("surveyAdmin.need.missing")}</p>
    </div>
  );
}
