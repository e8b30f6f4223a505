/**
 * What the centrale's survey screens share: the gate that keeps them for the centrale's staff
 * (a commune reads its own survey screens; the intercommunale refuses the act anyway), and the
 * questions of a survey in order with their theme.
 */
import type { ReactNode } from "react";
import { EmptyState } from "../../../components/EmptyState";
import { useT } from "../../../i18n";
import { paths } from "../../../paths";
import { Link } from "../../../router";
import { useSession } from "../../../session";
import type { SurveyQuestion } from "../../../bindings/SurveyQuestion";
import type { SurveyTheme } from "../../../bindings/SurveyTheme";
import "./surveyAdmin.css";

/** Shows `children` to the centrale's staff only; others read why and go back to the surveys. */
export function SurveyAdminOnly({ children }: { children: ReactNode }) {
  const t = useT();
  const { state } = useSession();
  if (state.session?.role === "centrale_staff") return <>{children}</>;
  return (
    <EmptyState
      testId="survey-admin-forbidden"
      message={t("surveyAdmin.forbidden")}
      action={
        <Link to={paths.surveys()} className="button button--secondary">
          {t("surveyAdmin.backToSurveys")}
        </Link>
      }
    />
  );
}

/** Every question of a survey with its theme, in the survey's order. */
export function questionsOf(themes: SurveyTheme[]): { theme: SurveyTheme; question: SurveyQuestion }[] {
  return themes.flatMap((theme) => theme.questions.map((question) => ({ theme, question })));
}
