/**
 * One needs survey (#/enquetes/:surveyId; issue 16 §3), as a commune answers it: what it is
 * for, until when answers are accepted, then — while it is open and the commune has not sent
 * its answers — the form (survey/AnswerForm.tsx). Once sent, the answers read-only with who
 * signed them and when; once closed, what was saved, read-only. Accounts that do not answer
 * (the centrale's staff) read the questions as the communes read them.
 */
import { useState } from "react";
import { api } from "../api";
import { ErrorPanel } from "../components/ErrorPanel";
import { Icon } from "../components/Icon";
import { Loading } from "../components/Loading";
import { Page } from "../components/Page";
import { Receipt } from "../components/Receipt";
import { useCommand } from "../data";
import { formatDate, formatDateTime } from "../format";
import { useT } from "../i18n";
import { paths } from "../paths";
import { nameWithTitle, titleOf } from "../people";
import { Link } from "../router";
import { useSession } from "../session";
import type { ResponseSignature } from "../bindings/ResponseSignature";
import type { SurveyAnswer as Answer } from "../bindings/SurveyAnswer";
import type { SurveyPage } from "../bindings/SurveyPage";
import { useWho } from "./orders/Actions";
import { AnswerForm } from "./survey/AnswerForm";
import { AnswersView, PendingTag, QuestionsPreview, ResponseStatusTag } from "./survey/common";
import { isCommuneRole } from "./screenHelpers";
import type { ScreenProps } from "./ScreenProps";

/** The answers as sent: who signed them, when, and whether they still wait on this PC. */
function SentAnswers({ page, answers, signature, pending }: { page: SurveyPage; answers: Answer[]; signature: ResponseSignature | null; pending: boolean }) {
  const t = useT();
  return (
    <section className="section" aria-labelledby="survey-sent-title" data-testid="survey-sent">
      <h2 id="survey-sent-title">{t("surveys.answer.sentTitle")}</h2>
      {signature && (
        <p className="survey-signature" data-testid="survey-signature">
          <Icon name="check" /> {t("surveys.answer.signature", { who: nameWithTitle(signature.name, signature.title), when: formatDateTime(signature.at) })}
        </p>
      )}
      <p data-testid={pending ? "survey-pending" : "survey-final"}>
        {pending ? (
          <>
            <PendingTag /> {t("surveys.answer.sentPending")}
          </>
        ) : (
          <span className="muted">{t("surveys.answer.sentFinal")}</span>
        )}
      </p>
      <AnswersView survey={page.survey} answers={answers} testId="survey-sent-answers" />
    </section>
  );
}

/** Closed before the commune sent its answers: no more answers, the draft for memory. */
function ClosedAnswers({ page }: { page: SurveyPage }) {
  const t = useT();
  const draft = page.response?.answers ?? [];
  return (
    <section className="section" aria-labelledby="survey-closed-title" data-testid="survey-closed">
      <div className="panel panel--warning" role="note">
        <p className="panel__title" id="survey-closed-title">
          <Icon name="lock" />
          {t("surveys.answer.closedNotice", { date: formatDate(page.survey.closes_on) })}
        </p>
        <p>{page.response ? t("surveys.answer.closedDraft") : t("surveys.answer.closedNone")}</p>
      </div>
      {page.response && <AnswersView survey={page.survey} answers={draft} testId="survey-closed-answers" />}
    </section>
  );
}

/** What was just sent from this PC, until the re-read says it too. */
type SentHere = { answers: Answer[]; signature: ResponseSignature };

function SurveyView({ page }: { page: SurveyPage }) {
  const t = useT();
  const who = useWho();
  const { state } = useSession();
  const me = state.session;
  const commune = isCommuneRole(me?.role);
  const [sentHere, setSentHere] = useState<SentHere | null>(null);
  const { survey, response } = page;
  const communeName = state.commune?.name_fr ?? t("surveys.answer.yourCommune");

  const onSent = (answers: Answer[]) => {
    const at = new Date().toISOString();
    setSentHere({ answers, signature: { name: me?.display_name ?? "", title: me ? titleOf(me.role, me.gender) : "", at } });
  };

  let body;
  if (response?.status === "sent") {
    body = <SentAnswers page={page} answers={response.answers} signature={response.sent} pending={page.pending} />;
  } else if (sentHere) {
    body = <SentAnswers page={page} answers={sentHere.answers} signature={sentHere.signature} pending />;
  } else if (!page.open) {
    body = <ClosedAnswers page={page} />;
  } else if (commune) {
    body = <AnswerForm key={survey.id} page={page} onSent={onSent} />;
  } else {
    body = (
      <>
        <div className="panel" role="note" data-testid="survey-preview-notice">
          <p>{t("surveys.answer.previewNotice")}</p>
          {me?.role === "centrale_staff" && (
            <p>
              <Link to={paths.surveyResults(survey.id)} data-testid="survey-results-link">
                {t("surveys.centrale.results")}
              </Link>
            </p>
          )}
        </div>
        <QuestionsPreview survey={survey} />
      </>
    );
  }

  const status = sentHere ? "sent" : (response?.status ?? null);
  return (
    <Page
      title={survey.title}
      intro={
        <>
          {survey.intro && <p className="pre-line">{survey.intro}</p>}
          <p data-testid="survey-closes">
            {page.open ? t("surveys.answer.closes", { date: formatDate(survey.closes_on) }) : t("surveys.answer.closed", { date: formatDate(survey.closes_on) })}
          </p>
        </>
      }
    >
      <p>
        <Link to={paths.surveys()} data-testid="survey-back">
          {t("surveys.answer.backToList")}
        </Link>
      </p>
      {sentHere && (
        <Receipt
          title={t("surveys.answer.receiptTitle")}
          who={who}
          when={sentHere.signature.at}
          what={t("surveys.answer.receiptWhat", { commune: communeName, title: survey.title, count: sentHere.answers.length })}
          testId="survey-receipt"
        >
          <p className="muted">{t("surveys.answer.receiptNote")}</p>
        </Receipt>
      )}
      {commune && (
        <p className="survey-card__facts" data-testid="survey-status">
          <ResponseStatusTag status={status} />
          {(page.pending || (sentHere && response?.status !== "sent")) && <PendingTag testId="survey-status-pending" />}
        </p>
      )}
      {body}
    </Page>
  );
}

export function SurveyAnswer({ params }: ScreenProps) {
  const t = useT();
  const surveyId = params.surveyId ?? "";
  const page = useCommand(async () => api.survey(surveyId), [surveyId]);
  if (page.error && !page.data) {
    return (
      <Page title={t("surveys.answer.notFoundTitle")}>
        <ErrorPanel error={page.error} onRetry={page.reload} />
      </Page>
    );
  }
  if (page.loading && !page.data) return <Loading />;
  if (!page.data) {
    return (
      <Page title={t("surveys.answer.notFoundTitle")}>
        <p data-testid="survey-not-found">{t("surveys.answer.notFound")}</p>
        <p>
          <Link to={paths.surveys()}>{t("surveys.answer.backToList")}</Link>
        </p>
      </Page>
    );
  }
  return <SurveyView page={page.data} />;
}
