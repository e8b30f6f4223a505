/**
 * « Enquêtes sur les besoins » (#/enquetes; issue 16 §3): the surveys the centrale publishes to
 * ask the communes what they need, the newest first. A commune's account sees, for each, until
 * when it is open, how many questions it asks and where the commune's answers stand (not
 * started, a draft, sent; saved on this PC and not yet sent), with the way to answer. The
 * centrale's staff see how many communes sent their answers and how many drafts are under way,
 * the way to the results, and « Nouvelle enquête ».
 */
import { api } from "../api";
import { EmptyState } from "../components/EmptyState";
import { ErrorPanel } from "../components/ErrorPanel";
import { Loading } from "../components/Loading";
import { Page } from "../components/Page";
import { useCommand } from "../data";
import { formatDate } from "../format";
import { useT, type MessageKey } from "../i18n";
import { paths } from "../paths";
import { Link } from "../router";
import { useSession } from "../session";
import type { SurveyRow } from "../bindings/SurveyRow";
import { PendingTag, ResponseStatusTag } from "./survey/common";
import type { ScreenProps } from "./ScreenProps";

/** The words of a commune's way into a survey: answer, go on, read what was sent. */
function openLabel(row: SurveyRow): MessageKey {
  if (row.my_status === "sent") return "surveys.open.sent";
  if (!row.open) return "surveys.open.closed";
  return row.my_status === "draft" ? "surveys.open.continue" : "surveys.open.start";
}

function SurveyCard({ row, centrale }: { row: SurveyRow; centrale: boolean }) {
  const t = useT();
  const titleId = `survey-${row.id}-title`;
  const hidden = <span className="visually-hidden"> {t("surveys.open.for", { title: row.title })}</span>;
  return (
    <li
      className="card"
      aria-labelledby={titleId}
      data-testid="surveys-row"
      data-survey-id={row.id}
      data-status={row.my_status ?? "none"}
      data-open={row.open ? "true" : "false"}
    >
      <h2 className="card__title" id={titleId}>
        {row.title}
      </h2>
      <p className="survey-card__facts">
        <span data-testid="surveys-closes">{t(row.open ? "surveys.closesOn" : "surveys.closedOn", { date: formatDate(row.closes_on) })}</span>
        <span data-testid="surveys-questions">{t("surveys.questions", { count: row.questions })}</span>
      </p>
      {centrale ? (
        <p className="survey-card__progress" data-testid="surveys-progress">
          {t("surveys.centrale.progress", {
            sent: t("surveys.centrale.sent", { count: row.sent }),
            drafts: t("surveys.centrale.drafts", { count: row.drafts }),
          })}
        </p>
      ) : (
        <p className="survey-card__facts">
          <ResponseStatusTag status={row.my_status} testId="surveys-status" />
          {row.my_pending && <PendingTag testId="surveys-pending" />}
        </p>
      )}
      <div className="button-group">
        {centrale ? (
          <>
            <Link to={paths.surveyResults(row.id)} className="button button--secondary" data-testid="surveys-results">
              {t("surveys.centrale.results")}
              {hidden}
            </Link>
            <Link to={paths.survey(row.id)} className="button button--link" data-testid="surveys-questions-link">
              {t("surveys.open.questions")}
              {hidden}
            </Link>
          </>
        ) : (
          <Link to={paths.survey(row.id)} className="button button--secondary" data-testid="surveys-open">
            {t(openLabel(row))}
            {hidden}
          </Link>
        )}
      </div>
    </li>
  );
}

export function Surveys(_props: ScreenProps) {
  const t = useT();
  const { state } = useSession();
  const centrale = state.session?.role === "centrale_staff";
  const screen = useCommand(async () => api.surveys(), []);
  // The newest first (the backend sends them so; kept whatever the order it answers).
  const rows = [...(screen.data?.surveys ?? [])].sort((a, b) => b.published_at.localeCompare(a.published_at));

  return (
    <Page title={t("surveys.title")} intro={<p className="lead">{t(centrale ? "surveys.introCentrale" : "surveys.intro")}</p>}>
      {centrale && (
        <div className="button-group">
          <Link to={paths.newSurvey()} className="button button--primary" data-testid="surveys-new">
            {t("surveys.newSurvey")}
          </Link>
        </div>
      )}
      {screen.error && <ErrorPanel error={screen.error} onRetry={screen.reload} />}
      {screen.loading && !screen.data && <Loading />}
      {screen.data &&
        (rows.length === 0 ? (
          <EmptyState message={t(centrale ? "surveys.noneCentrale" : "surveys.none")} testId="surveys-empty" />
        ) : (
          <ul className="survey-list" data-testid="surveys-list">
            {rows.map((row) => (
              <SurveyCard key={row.id} row={row} centrale={centrale} />
            ))}
          </ul>
        ))}
    </Page>
  );
}
