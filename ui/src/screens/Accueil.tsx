/**
 * Accueil: where the commune stands — the adhesion, the orders and what each waits for, the
 * running deployments, and what waits to be sent. Everything comes from `home()` as codes,
 * translated here.
 */
import { lazy, Suspense, useLayoutEffect, useState } from "react";
import { api } from "../api";
import { EmptyState } from "../components/EmptyState";
import { ErrorPanel } from "../components/ErrorPanel";
import { Icon } from "../components/Icon";
import { Loading } from "../components/Loading";
import { Page } from "../components/Page";
import { ProgressBar } from "../components/ProgressBar";
import { StatusTag } from "../components/StatusTag";
import { useCommand, useNow, useSyncStatus } from "../data";
import { formatDate, formatDeadline, formatRelative } from "../format";
import { takeArrivedHome, takeEarlyHome } from "../early";
import { loadMessages, useT } from "../i18n";
import { afterNextPaint } from "../paint";
import { paths } from "../paths";
import { Link } from "../router";
import { useSession } from "../session";
import { adhesionTone, orderTone } from "../statuses";
import type { ActionItem } from "../bindings/ActionItem";
import type { AdhesionSummary } from "../bindings/AdhesionSummary";
import type { DeploymentSummary } from "../bindings/DeploymentSummary";
import type { StatusCount } from "../bindings/StatusCount";
import type { ScreenProps } from "./ScreenProps";

/** The province's map, drawn once its standings are read — after the first frame (`holdReads`):
 * loaded then, not with the first screen's script (its communes' outlines are 30 kB). */
const StandingsMap = lazy(() => import("../map/CommunesMap").then((module) => ({ default: module.StandingsMap })));

/** The centrale's home, loaded only on the centrale's PC (a commune's first screen never needs
 * it: issue 19 §5), with the words of the later screens its groups use. */
const CentraleHome = lazy(() =>
  Promise.all([import("./centrale/CentraleHome"), loadMessages()]).then(([module]) => ({ default: module.CentraleHome })),
);
import { MailPreferencesSection } from "./MailPreferencesSection";
import { WaitingSection } from "./WaitingSection";

function AdhesionSection({ adhesion }: { adhesion: AdhesionSummary | null }) {
  const t = useT();
  return (
    <section className="card" aria-labelledby="home-adhesion-title" data-testid="home-adhesion">
      <h2 className="card__title" id="home-adhesion-title">
        {t("home.adhesion.title")}
      </h2>
      {adhesion === null ? (
        <EmptyState
          message={t("home.adhesion.none")}
          action={
            <Link to={paths.adhesion()} className="button button--secondary">
              {t("home.adhesion.start")}
            </Link>
          }
        />
      ) : (
        <>
          <p className="status-line">
            <span className="status-line__label">{t("home.adhesion.status")}</span>{" "}
            <StatusTag tone={adhesionTone(adhesion.status)} label={t(`status.adhesion.${adhesion.status}`)} testId="home-adhesion-status" />
          </p>
          <p>
            <strong>{adhesion.allows_orders ? t("home.adhesion.mayOrder") : t("home.adhesion.mayNotOrder")}</strong>
          </p>
          {adhesion.next_step && (
            <div className="next-step">
              <p className="next-step__label">{t("home.adhesion.remaining")}</p>
              <p data-testid="home-adhesion-next">{t(`adhesionStep.${adhesion.next_step}`)}</p>
            </div>
          )}
          <p>
            <Link to={paths.adhesion()}>{t("home.adhesion.open")}</Link>
          </p>
        </>
      )}
    </section>
  );
}

function ActionRow({ item }: { item: ActionItem }) {
  const t = useT();
  const { action } = item;
  return (
    <li className="action-item" data-testid="home-action" data-order-id={item.order_id}>
      <div className="action-item__head">
        <Link to={paths.order(item.order_id)} className="action-item__title">
          {item.title}
        </Link>
        <StatusTag tone={orderTone(item.status)} label={t(`status.order.${item.status}`)} />
      </div>
      {item.service_name && <p className="muted">{item.service_name}</p>}
      <p className="action-item__next" data-testid="home-action-next">
        <Icon name="arrow-right" />
        <span>{t(`nextAction.${action.code}`)}</span>
      </p>
      <p className="action-item__meta">
        <span>
          {t("home.orders.who")} {t(`party.${action.by}`)}
        </span>
        {action.due_at && (
          <span data-testid="home-action-due">{t("home.orders.dueAt", { deadline: formatDeadline(action.due_at) })}</span>
        )}
        {!action.due_at && action.due_on && (
          <span data-testid="home-action-due">{t("home.orders.dueOn", { date: formatDate(action.due_on) })}</span>
        )}
        {item.overdue && <StatusTag tone="danger" label={t("home.orders.overdue")} icon="clock" />}
        {item.pending && <StatusTag tone="pending" label={t("common.notSynced")} />}
      </p>
    </li>
  );
}

function OrdersSection({ counts, actions, total }: { counts: StatusCount[]; actions: ActionItem[]; total: number }) {
  const t = useT();
  return (
    <section className="card" aria-labelledby="home-orders-title" data-testid="home-orders">
      <h2 className="card__title" id="home-orders-title">
        {t("home.orders.title")}
      </h2>
      {counts.length === 0 ? (
        <EmptyState
          message={t("home.orders.empty")}
          action={
            <Link to={paths.catalogue()} className="button button--secondary">
              {t("home.orders.browse")}
            </Link>
          }
        />
      ) : (
        <>
          <h3 className="card__subtitle">{t("home.orders.byStatus")}</h3>
          <ul className="count-list">
            {counts.map((c) => (
              <li key={c.status} data-testid="home-order-count" data-status={c.status}>
                <span className="count-list__count">{c.count}</span>
                <StatusTag tone={orderTone(c.status)} label={t(`status.order.${c.status}`)} />
              </li>
            ))}
          </ul>
          <h3 className="card__subtitle">{t("home.orders.todo")}</h3>
          {actions.length === 0 ? (
            <p className="muted">{t("home.orders.nothingToDo")}</p>
          ) : (
            <ul className="action-list">
              {actions.map((a) => (
                <ActionRow key={a.order_id} item={a} />
              ))}
            </ul>
          )}
          {total > actions.length && (
            <p className="muted" data-testid="home-actions-more">
              {t("home.orders.more", { count: total - actions.length })}
            </p>
          )}
          <p>
            <Link to={paths.orders()}>{t("home.orders.all")}</Link>
          </p>
        </>
      )}
    </section>
  );
}

function DeploymentRow({ d }: { d: DeploymentSummary }) {
  const t = useT();
  const { progress } = d;
  return (
    <li className="deployment-item" data-testid="home-deployment" data-order-id={d.order_id}>
      <div className="action-item__head">
        <Link to={paths.order(d.order_id)} className="action-item__title">
          {d.title}
        </Link>
        <StatusTag tone={orderTone(d.status)} label={t(`status.order.${d.status}`)} />
      </div>
      {(d.service_name || d.provider_name) && (
        <p className="muted">
          {d.service_name}
          {d.service_name && d.provider_name && " · "}
          {d.provider_name && `${t("home.deployments.provider")} ${d.provider_name}`}
        </p>
      )}
      <ProgressBar value={progress.done} max={progress.total} label={progress.total === 0 ? t("progress.noSteps") : t("progress.steps", { count: progress.done, total: progress.total })} />
      {progress.late > 0 && <StatusTag tone="danger" icon="clock" label={t("progress.late", { count: progress.late })} />}
      {d.next_milestone && (
        <p className="action-item__next">
          <Icon name="arrow-right" />
          <span>
            {t("home.deployments.next", {
              step: t(`milestoneKind.${d.next_milestone.kind}`),
              date: formatDate(d.next_milestone.planned_date),
            })}
          </span>
        </p>
      )}
      {d.next_milestone?.late && <StatusTag tone="danger" icon="clock" label={t("status.milestone.late")} />}
    </li>
  );
}

function DeploymentsSection({ deployments, total }: { deployments: DeploymentSummary[]; total: number }) {
  const t = useT();
  return (
    <section className="card" aria-labelledby="home-deployments-title" data-testid="home-deployments">
      <h2 className="card__title" id="home-deployments-title">
        {t("home.deployments.title")}
      </h2>
      {deployments.length === 0 ? (
        <EmptyState message={t("home.deployments.empty")} />
      ) : (
        <>
          <ul className="action-list">
            {deployments.map((d) => (
              <DeploymentRow key={d.order_id} d={d} />
            ))}
          </ul>
          <p>
            <Link to={paths.deployments()} data-testid="home-deployments-all">
              {total > deployments.length ? t("home.deployments.allCounted", { count: total }) : t("home.deployments.all")}
            </Link>
          </p>
        </>
      )}
    </section>
  );
}

/** Where the province's communes stand (issue 15.9): the public standings, on a map. */
function ProvinceSection() {
  const standings = useCommand(() => api.standings(), []);
  if (standings.error) return <ErrorPanel error={standings.error} onRetry={standings.reload} />;
  if (!standings.data) return null;
  return (
    <Suspense fallback={null}>
      <StandingsMap standings={standings.data} />
    </Suspense>
  );
}

function PendingSection() {
  const t = useT();
  const { status } = useSyncStatus();
  const now = useNow();
  return (
    <section className="card" aria-labelledby="home-pending-title" data-testid="home-pending">
      <h2 className="card__title" id="home-pending-title">
        {t("home.pending.title")}
      </h2>
      {status === null ? (
        <Loading />
      ) : (
        <>
          <p data-testid="home-pending-count" data-count={status.pending}>
            <Icon name="pending" /> {t("sync.pending", { count: status.pending })}
          </p>
          {status.last_success && (
            <p className="muted">{t("sync.lastSuccess", { when: formatRelative(status.last_success, now) })}</p>
          )}
          {status.needs_attention > 0 && (
            <p>
              <Link to={paths.attention()} data-testid="home-attention-link">
                <Icon name="warning" /> {t("sync.attention", { count: status.needs_attention })}
              </Link>
            </p>
          )}
        </>
      )}
    </section>
  );
}

/** The commune's home; the centrale's staff get their own (what waits for them). */
export function Accueil(props: ScreenProps) {
  const { state } = useSession();
  return state.session?.role === "centrale_staff" ? <CentraleHome {...props} /> : <CommuneHome />;
}

function CommuneHome() {
  const t = useT();
  const { state } = useSession();
  // The early read's answer when already there: the Accueil's first frame shows the orders.
  const [arrived] = useState(takeArrivedHome);
  const home = useCommand(() => takeEarlyHome() ?? api.home(), [], { initial: arrived });
  const drawn = home.data !== undefined;
  // Once the orders are on screen (the frame that draws them painted): the app logs how long
  // its start took, the first time. Asked as the orders are put in the page, not after React's
  // later effects: the frame that paints them is the one timed.
  useLayoutEffect(() => {
    if (!drawn) return;
    return afterNextPaint(() => void api.firstScreenShown(Math.round(performance.now())).catch(() => undefined));
  }, [drawn]);
  const me = state.session;
  const isCommune = Boolean(me?.commune_nis);

  return (
    <Page title={t("home.title")} intro={me ? <p className="lead">{t("home.welcome", { name: me.display_name })}</p> : undefined}>
      {home.error && <ErrorPanel error={home.error} onRetry={home.reload} />}
      {home.loading && !home.data && <Loading />}
      {home.data && (
        <div className="dashboard">
          <WaitingSection />
          {isCommune && <AdhesionSection adhesion={home.data.adhesion} />}
          <OrdersSection
            counts={home.data.orders_by_status}
            actions={home.data.next_actions}
            total={home.data.next_actions_total}
          />
          <DeploymentsSection deployments={home.data.deployments} total={home.data.deployments_total} />
          {isCommune && <ProvinceSection />}
          <PendingSection />
          <MailPreferencesSection />
        </div>
      )}
    </Page>
  );
}
