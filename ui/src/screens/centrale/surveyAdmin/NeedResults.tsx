/**
 * « Par besoin »: the sent answers, theme by theme, question by question. A choice question is
 * a table drawn as horizontal bars — one row per choice (a need), the most expressed first,
 * each with its count and its share of the communes that answered the question written out
 * (the bar only helps the eye), the communes that expressed it, and what became of it: « Créer
 * un service pour ce besoin », or the service it became. A number question gives its total,
 * its average and each commune's number; a text question each commune's text.
 */
import type { ChoiceCount } from "../../../bindings/ChoiceCount";
import type { QuestionResults } from "../../../bindings/QuestionResults";
import type { SurveyQuestion } from "../../../bindings/SurveyQuestion";
import type { SurveyResultsView } from "../../../bindings/SurveyResultsView";
import { useT } from "../../../i18n";
import { paths } from "../../../paths";
import { Link } from "../../../router";
import { numberWithUnit, percentOf } from "./answers";

type NameOf = (nis: string) => string;

export function NeedResults({ view }: { view: SurveyResultsView }) {
  const t = useT();
  const byQuestion = new Map(view.results.map((r) => [r.question, r]));
  const nameOf: NameOf = (nis) => view.names[nis] ?? nis;

  return (
    <section className="section survey-results" aria-labelledby="results-by-need" data-testid="results-by-need">
      <h2 id="results-by-need">{t("surveyAdmin.results.byNeed")}</h2>
      <p className="muted">{t("surveyAdmin.results.byNeedIntro")}</p>
      {view.survey.themes.map((theme, ti) => (
        <section key={ti} className="survey-results__theme" aria-labelledby={`results-theme-${ti}`}>
          <h3 id={`results-theme-${ti}`}>{theme.title_fr}</h3>
          {theme.questions.map((question) => (
            <QuestionBlock
              key={question.code}
              view={view}
              question={question}
              result={byQuestion.get(question.code) ?? null}
              nameOf={nameOf}
            />
          ))}
        </section>
      ))}
    </section>
  );
}

function QuestionBlock({ view, question, result, nameOf }: { view: SurveyResultsView; question: SurveyQuestion; result: QuestionResults | null; nameOf: NameOf }) {
  const t = useT();
  const answered = result?.answered ?? 0;
  const headingId = `results-question-${question.code}-title`;
  return (
    <article className="survey-result" aria-labelledby={headingId} data-testid={`results-question-${question.code}`}>
      <h4 id={headingId} className="survey-result__question">
        {question.text_fr}
      </h4>
      <p className="muted" data-testid={`results-question-${question.code}-answered`}>
        {t("surveyAdmin.results.answered", { count: answered })}
        {question.kind.kind === "choice" && question.kind.multiple && answered > 0 && <> {t("surveyAdmin.results.multipleNote")}</>}
      </p>
      {result && answered > 0 && result.result.kind === "choice" && (
        <ChoiceBars view={view} question={question} counts={result.result.counts} answered={answered} nameOf={nameOf} />
      )}
      {result && answered > 0 && result.result.kind === "number" && (
        <NumberResult
          question={question}
          values={result.result.values}
          total={result.result.total}
          unit={question.kind.kind === "number" ? question.kind.unit_fr : ""}
          nameOf={nameOf}
        />
      )}
      {result && answered > 0 && result.result.kind === "text" && (
        <ul className="plain-list survey-texts" data-testid={`results-text-${question.code}`}>
          {result.result.values.map((v) => (
            <li key={v.commune_nis} data-nis={v.commune_nis}>
              <strong>{t("surveyAdmin.results.textCommune", { commune: nameOf(v.commune_nis) })}</strong> <span className="survey-texts__text">{v.value}</span>
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}

function ChoiceBars({
  view,
  question,
  counts,
  answered,
  nameOf,
}: {
  view: SurveyResultsView;
  question: SurveyQuestion;
  counts: ChoiceCount[];
  answered: number;
  nameOf: NameOf;
}) {
  const t = useT();
  const q = question.code;
  return (
    // Scrolls sideways when the text is enlarged: focusable so that the keyboard can scroll it.
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
    <div className="table-wrap" tabIndex={0} role="region" aria-label={t("surveyAdmin.results.choicesCaption", { question: question.text_fr })}>
      <table className="table survey-bars" data-testid={`results-choices-${q}`}>
        <caption className="visually-hidden">{t("surveyAdmin.results.choicesCaption", { question: question.text_fr })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("surveyAdmin.results.colNeed")}</th>
            <th scope="col">{t("surveyAdmin.results.colCommunes")}</th>
            <th scope="col">{t("surveyAdmin.results.colService")}</th>
          </tr>
        </thead>
        <tbody>
          {counts.map(({ choice, communes }) => {
            const count = communes.length;
            const percent = percentOf(count, answered);
            const served = view.served.find((s) => s.need.question === q && s.need.choice === choice.code);
            const id = `${q}-${choice.code}`;
            return (
              <tr key={choice.code} data-testid={`results-need-${id}`} data-count={count} data-percent={percent}>
                <th scope="row" className="survey-bars__label">
                  {choice.label_fr}
                </th>
                <td className="survey-bars__cell">
                  <span className="survey-bar" aria-hidden="true">
                    <span className="survey-bar__fill" style={{ width: `${percent}%` }} />
                  </span>
                  <span className="survey-bar__value" data-testid={`results-need-${id}-count`}>
                    {t("surveyAdmin.results.needCount", { count, percent })}
                  </span>
                  {count > 0 && (
                    <details className="survey-bar__communes">
                      <summary>
                        {t("surveyAdmin.results.showCommunes", { count })}
                        <span className="visually-hidden">{t("surveyAdmin.results.forNeed", { need: choice.label_fr })}</span>
                      </summary>
                      <ul className="plain-list" data-testid={`results-need-${id}-communes`}>
                        {communes.map((nis) => (
                          <li key={nis}>{nameOf(nis)}</li>
                        ))}
                      </ul>
                    </details>
                  )}
                </td>
                <td>
                  {served ? (
                    <span data-testid={`results-served-${id}`}>
                      {t("surveyAdmin.results.servedBy")}{" "}
                      <Link to={paths.service(served.service_id)} data-testid={`results-served-link-${id}`}>
                        {served.service_name}
                      </Link>
                    </span>
                  ) : (
                    <Link to={paths.newService({ surveyId: view.survey.id, question: q, choice: choice.code })} data-testid={`results-create-service-${id}`}>
                      {t("surveyAdmin.results.createService")}
                      <span className="visually-hidden">{t("surveyAdmin.results.forNeed", { need: choice.label_fr })}</span>
                    </Link>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function NumberResult({
  question,
  values,
  total,
  unit,
  nameOf,
}: {
  question: SurveyQuestion;
  values: { commune_nis: string; value: number }[];
  total: number;
  unit: string;
  nameOf: NameOf;
}) {
  const t = useT();
  const q = question.code;
  const average = values.length > 0 ? Math.round((total * 10) / values.length) / 10 : 0;
  return (
    <>
      <dl className="survey-figures" data-testid={`results-number-${q}`}>
        <div>
          <dt>{t("surveyAdmin.results.total")}</dt>
          <dd data-testid={`results-number-${q}-total`}>{numberWithUnit(t, total, unit)}</dd>
        </div>
        <div>
          <dt>{t("surveyAdmin.results.average")}</dt>
          <dd data-testid={`results-number-${q}-average`}>{t("surveyAdmin.results.averageValue", { value: numberWithUnit(t, average, unit) })}</dd>
        </div>
      </dl>
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
      <div className="table-wrap" tabIndex={0} role="region" aria-label={t("surveyAdmin.results.numbersCaption", { question: question.text_fr })}>
        <table className="table survey-numbers" data-testid={`results-number-${q}-communes`}>
          <caption className="visually-hidden">{t("surveyAdmin.results.numbersCaption", { question: question.text_fr })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("surveyAdmin.results.colCommune")}</th>
              <th scope="col" className="num">
                {t("surveyAdmin.results.colAnswer")}
              </th>
            </tr>
          </thead>
          <tbody>
            {values.map((v) => (
              <tr key={v.commune_nis} data-nis={v.commune_nis}>
                <th scope="row">{nameOf(v.commune_nis)}</th>
                <td className="num">{numberWithUnit(t, v.value, unit)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
