/**
 * « Par commune »: each commune that started answering, where its answers stand (sent, or a
 * draft in progress), who sent them and when (Brussels time); a sent row unfolds the commune's
 * answers in the survey's order. A draft is the commune's own work until sent: nothing of it
 * is shown. The communes that have not started are counted below.
 */
import { EmptyState } from "../../../components/EmptyState";
import { StatusTag } from "../../../components/StatusTag";
import { formatDateTime } from "../../../format";
import { useT } from "../../../i18n";
import type { CommuneResponseLine } from "../../../bindings/CommuneResponseLine";
import type { SurveyResultsView } from "../../../bindings/SurveyResultsView";
import { answerText } from "./answers";
import { questionsOf } from "./common";

export function CommuneResponses({ view }: { view: SurveyResultsView }) {
  const t = useT();
  const notStarted = Math.max(0, view.communes_total - view.communes.length);
  return (
    <section className="section" aria-labelledby="results-by-commune" data-testid="results-by-commune">
      <h2 id="results-by-commune">{t("surveyAdmin.results.byCommune")}</h2>
      {view.communes.length === 0 ? (
        <EmptyState message={t("surveyAdmin.results.noCommune")} testId="results-communes-empty" />
      ) : (
        // Scrolls sideways when the text is enlarged: focusable so that the keyboard can scroll it.
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
        <div className="table-wrap" tabIndex={0} role="region" aria-label={t("surveyAdmin.results.communesCaption")}>
          <table className="table survey-communes" data-testid="results-communes">
            <caption className="visually-hidden">{t("surveyAdmin.results.communesCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("surveyAdmin.results.colCommune")}</th>
                <th scope="col">{t("surveyAdmin.results.colStatus")}</th>
                <th scope="col">{t("surveyAdmin.results.colSent")}</th>
                <th scope="col">{t("surveyAdmin.results.colAnswers")}</th>
              </tr>
            </thead>
            <tbody>
              {view.communes.map((line) => (
                <CommuneRow key={line.commune_nis} view={view} line={line} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {notStarted > 0 && (
        <p className="muted" data-testid="results-not-started">
          {t("surveyAdmin.results.notStarted", { count: notStarted })}
        </p>
      )}
    </section>
  );
}

function CommuneRow({ view, line }: { view: SurveyResultsView; line: CommuneResponseLine }) {
  const t = useT();
  const nis = line.commune_nis;
  const sent = line.status === "sent";
  const answers = new Map(line.answers.map((a) => [a.question, a.value]));
  return (
    <tr data-testid={`results-commune-${nis}`} data-status={line.status}>
      <th scope="row">{line.commune_name}</th>
      <td>
        {sent ? (
          <StatusTag tone="success" label={t("surveyAdmin.results.statusSent")} testId={`results-commune-${nis}-status`} />
        ) : (
          <StatusTag tone="pending" label={t("surveyAdmin.results.statusDraft")} testId={`results-commune-${nis}-status`} />
        )}
      </td>
      <td data-testid={`results-commune-${nis}-sent`}>
        {line.sent ? (
          t("surveyAdmin.results.sentBy", { name: line.sent.name, title: line.sent.title, when: formatDateTime(line.sent.at) })
        ) : (
          <span className="muted">{t("surveyAdmin.results.draftSaved", { when: formatDateTime(line.saved_at) })}</span>
        )}
      </td>
      <td>
        {sent ? (
          <details className="survey-commune-answers" data-testid={`results-commune-${nis}-answers`}>
            <summary>
              {t("surveyAdmin.results.showAnswers")}
              <span className="visually-hidden">{t("surveyAdmin.results.ofCommune", { commune: line.commune_name })}</span>
            </summary>
            <dl className="survey-answer-list">
              {questionsOf(view.survey.themes).map(({ theme, question }) => {
                const value = answers.get(question.code);
                return (
                  <div key={question.code} className="survey-answer-list__row" data-question={question.code}>
                    <dt>
                      <span className="muted">{theme.title_fr}</span> — {question.text_fr}
                    </dt>
                    <dd data-testid={`results-commune-${nis}-answer-${question.code}`}>
                      {value ? answerText(t, question, value) : <span className="muted">{t("surveyAdmin.results.noAnswer")}</span>}
                    </dd>
                  </div>
                );
              })}
            </dl>
          </details>
        ) : (
          <span className="muted">{t("surveyAdmin.results.draftHidden")}</span>
        )}
      </td>
    </tr>
  );
}
