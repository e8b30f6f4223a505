/**
 * « Résultats de l'enquête » (#/enquetes/:surveyId/resultats), for the centrale's staff (issue
 * 16 §3): where the survey stands (open until its closing day, or closed; how many communes
 * sent their answers, how many drafts are in progress), then the answers « par besoin » — each
 * need with how many communes expressed it and which, and the way to turn it into a service of
 * the catalogue — and « par commune », with each commune's answers once sent. The sent answers
 * of every survey can be exported as a CSV file.
 */
import { api } from "../../api";
import { EmptyState } from "../../components/EmptyState";
import { ErrorPanel } from "../../components/ErrorPanel";
import { ExportCsv } from "../../components/ExportCsv";
import { Loading } from "../../components/Loading";
import { Page } from "../../components/Page";
import { StatusTag } from "../../components/StatusTag";
import { useCommand } from "../../data";
import { formatDate, formatDateTime } from "../../format";
import { useT } from "../../i18n";
import { paths } from "../../paths";
import { Link } from "../../router";
import type { SurveyResultsView } from "../../bindings/SurveyResultsView";
import type { ScreenProps } from "../ScreenProps";
import { SurveyAdminOnly } from "./surveyAdmin/common";
import { CommuneResponses } from "./surveyAdmin/CommuneResponses";
import { NeedResults } from "./surveyAdmin/NeedResults";

function BackToSurveys() {
  const t = useT();
  return (
    <p>
      <Link to={paths.surveys()} data-testid="results-back">
        {t("surveyAdmin.backToSurveys")}
      </Link>
    </p>
  );
}

function Header({ view }: { view: SurveyResultsView }) {
  const t = useT();
  const { survey } = view;
  const sent = view.communes.filter((c) => c.status === "sent").length;
  const drafts = view.communes.length - sent;
  return (
    <div className="survey-results__header" data-testid="results-header">
      <p className="survey-results__title" data-testid="results-survey-title">
        {survey.title}
      </p>
      <p>
        {view.open ? (
          <StatusTag tone="info" label={t("surveyAdmin.results.closesOn", { date: formatDate(survey.closes_on) })} testId="results-status" />
        ) : (
          <StatusTag tone="neutral" label={t("surveyAdmin.results.closed", { date: formatDate(survey.closes_on) })} testId="results-status" />
        )}
      </p>
      <p className="lead" data-testid="results-counts">
        {t("surveyAdmin.results.sentCount", { count: sent, total: view.communes_total })}
        {" ; "}
        {t("surveyAdmin.results.draftCount", { count: drafts })}
      </p>
      {survey.intro.trim() !== "" && <p className="muted survey-results__intro">{survey.intro}</p>}
      <p className="muted" data-testid="results-published">
        {t("surveyAdmin.results.published", { when: formatDateTime(survey.published_at), who: survey.published_by })}
      </p>
    </div>
  );
}

function Results({ surveyId }: { surveyId: string }) {
  const t = useT();
  const results = useCommand(() => api.surveyResults(surveyId), [surveyId]);
  if (results.error) return <ErrorPanel error={results.error} onRetry={results.reload} />;
  if (results.loading && results.data === undefined) return <Loading />;
  const view = results.data ?? null;
  if (view === null) {
    return (
      <EmptyState
        testId="results-not-found"
        message={t("surveyAdmin.results.notFound")}
        action={
          <Link to={paths.surveys()} className="button button--secondary">
            {t("surveyAdmin.backToSurveys")}
          </Link>
        }
      />
    );
  }
  return (
    <>
      <BackToSurveys />
      <Header view={view} />
      <section className="section" aria-labelledby="results-export" data-testid="results-export">
        <h2 id="results-export" className="visually-hidden">
          {t("surveyAdmin.results.exportTitle")}
        </h2>
        <ExportCsv kind="survey_answers" surveyId={surveyId} label={t("surveyAdmin.results.export")} />
        <p className="muted">{t("surveyAdmin.results.exportNote")}</p>
      </section>
      <NeedResults view={view} />
      <CommuneResponses view={view} />
    </>
  );
}

export function SurveyResults({ params }: ScreenProps) {
  const t = useT();
  const surveyId = params.surveyId ?? "";
  return (
    <Page title={t("surveyAdmin.results.pageTitle")}>
      <SurveyAdminOnly>
        <Results surveyId={surveyId} />
      </SurveyAdminOnly>
    </Page>
  );
}
