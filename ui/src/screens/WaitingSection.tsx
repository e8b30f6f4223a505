/**
 * « Ce qui vous attend » (issue 14 §2): what the signed-in person may do now, the late
 * deployment steps, and for the centrale the frameworks whose successor is to be prepared
 * (issue 16.5), from `waiting()` — the same list the menu counts and the desktop
 * notifications tell after a sync. The person turns those notifications on or off here.
 */
import { useState } from "react";
import { api } from "../api";
import { Button } from "../components/Button";
import { EmptyState } from "../components/EmptyState";
import { ErrorPanel } from "../components/ErrorPanel";
import { Icon } from "../components/Icon";
import { Loading } from "../components/Loading";
import { useCommand } from "../data";
import { AppError } from "../errors";
import { formatDate } from "../format";
import { useT } from "../i18n";
import { paths } from "../paths";
import { Link } from "../router";
import { useSession } from "../session";
import type { Waiting } from "../bindings/Waiting";
import type { WaitingScreen } from "../bindings/WaitingScreen";

const ADHESION_KINDS = new Set<Waiting["kind"]>([
  "record_adhesion_decision",
  "sign_adhesion",
  "sign_termination",
  "countersign_adhesion",
  "activate_adhesion",
]);

/** Where the person acts on it: the order, or the adhesion (the commune's own, or that
 * commune's page for the centrale). */
export function waitingPath(item: Waiting, communeAccount: boolean): string {
  if (item.kind === "prepare_successor") return paths.tracking();
  if (item.kind === "answer_survey") return paths.survey(item.record_id);
  if (!ADHESION_KINDS.has(item.kind)) return paths.order(item.record_id);
  return communeAccount ? paths.adhesion() : paths.commune(item.commune_nis);
}

function WaitingRow({ item, communeAccount }: { item: Waiting; communeAccount: boolean }) {
  const t = useT();
  const late =
    item.kind === "late_milestone" && item.milestone && item.planned_date
      ? t("waiting.late", { step: t(`milestoneKind.${item.milestone}`), date: formatDate(item.planned_date) })
      : item.kind === "prepare_successor" && item.end_date
        ? t("waiting.ends", { date: formatDate(item.end_date) })
        : item.kind === "answer_survey" && item.end_date
          ? t("waiting.surveyCloses", { date: formatDate(item.end_date) })
          : null;
  return (
    <li className="action-item" data-testid="waiting-item" data-kind={item.kind}>
      <p className="action-item__next">
        <Icon name={item.kind === "late_milestone" ? "clock" : "arrow-right"} />
        <strong>{t(`waiting.kind.${item.kind}`)}</strong>
      </p>
      <p>
        <Link to={waitingPath(item, communeAccount)} className="action-item__title">
          {item.title}
        </Link>
        {!communeAccount && !ADHESION_KINDS.has(item.kind) && item.commune_name && <span className="muted"> · {item.commune_name}</span>}
      </p>
      {late && <p className="muted">{late}</p>}
    </li>
  );
}

/**
 * `listed`: false on the centrale's home, whose groups already list what waits — there the
 * section only holds the notifications' switch.
 */
export function WaitingSection({ listed = true }: { listed?: boolean }) {
  const t = useT();
  const { state } = useSession();
  const communeAccount = Boolean(state.session?.commune_nis);
  const read = useCommand(() => api.waiting(), []);
  const [changed, setChanged] = useState<WaitingScreen | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const data = changed ?? read.data;

  const toggle = async (enabled: boolean) => {
    setBusy(true);
    setError(null);
    try {
      setChanged(await api.setNotifications(enabled));
      read.reload();
    } catch (e) {
      setError(AppError.from(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="waiting-title" data-testid="waiting">
      <h2 className="card__title" id="waiting-title">
        {listed ? t("waiting.title") : t("waiting.notifications.title")}
        {listed && data && (
          <span className={`todo-count${data.items.length === 0 ? " todo-count--zero" : ""}`} data-testid="waiting-count">
            {data.items.length}
          </span>
        )}
      </h2>
      {listed && <p className="muted">{t("waiting.help")}</p>}
      {read.error && <ErrorPanel error={read.error} onRetry={read.reload} />}
      {error && <ErrorPanel error={error} />}
      {!data && !read.error && <Loading />}
      {listed &&
        data &&
        (data.items.length === 0 ? (
          <EmptyState message={t("waiting.none")} />
        ) : (
          <ul className="action-list">
            {data.items.map((item) => (
              <WaitingRow key={item.key} item={item} communeAccount={communeAccount} />
            ))}
          </ul>
        ))}
      {data && (
        <div className="waiting-notifications" data-testid="waiting-notifications" data-enabled={data.notifications_enabled}>
          <p>
            <Icon name={data.notifications_enabled ? "info" : "warning"} />{" "}
            {data.notifications_enabled ? t("waiting.notifications.on") : t("waiting.notifications.off")}
          </p>
          <Button
            variant="secondary"
            busy={busy}
            onClick={() => void toggle(!data.notifications_enabled)}
            data-testid="waiting-notifications-toggle"
          >
            {data.notifications_enabled ? t("waiting.notifications.turnOff") : t("waiting.notifications.turnOn")}
          </Button>
        </div>
      )}
    </section>
  );
}
