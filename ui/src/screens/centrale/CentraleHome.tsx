/**
 * The centrale's home (« À traiter », shown by Accueil for centrale_staff): what waits for the
 * procurement staff, group by group, each with its count — adhesions to countersign and to
 * activate (from `communes()`), requests to put to competition and purchase orders to issue
 * (orders whose next action is the centrale's), the competitions running with their deadline,
 * the deployments with late milestones, and the frameworks whose successor is to be prepared
 * (issue 16.5, from `waiting()`). Each order shows its commune's name. A group with
 * nothing in it says so (« Rien à traiter »).
 */
import type { ReactNode } from "react";
import { api } from "../../api";
import { EmptyState } from "../../components/EmptyState";
import { ErrorPanel } from "../../components/ErrorPanel";
import { Icon } from "../../components/Icon";
import { Loading } from "../../components/Loading";
import { Page } from "../../components/Page";
import { StatusTag } from "../../components/StatusTag";
import { useCommand, type CommandState } from "../../data";
import { formatDate, formatDeadline } from "../../format";
import { useT } from "../../i18n";
import { paths } from "../../paths";
import { Link } from "../../router";
import { useSession } from "../../session";
import { mustTurnOnSecondFactor } from "../../secondFactor";
import { LIMITS } from "../../bindings/rules";
import type { CommuneRow } from "../../bindings/CommuneRow";
import type { DeploymentRow } from "../../bindings/DeploymentRow";
import type { OrderRow } from "../../bindings/OrderRow";
import { daysBetween } from "../screenHelpers";
import type { ScreenProps } from "../ScreenProps";
import { CommuneStatusTag } from "./Communes";
import { MailPreferencesSection } from "../MailPreferencesSection";
import { WaitingSection } from "../WaitingSection";
import "./centrale.css";

/** A group of things to do: title, count, a line of help, the items or « Rien à traiter ». */
function TodoGroup<T>({
  testId,
  title,
  help,
  source,
  items,
  total,
  more,
  empty,
  children,
}: {
  testId: string;
  title: string;
  help: string;
  /** The read the items come from (its loading and error show in the group). */
  source: CommandState<unknown>;
  items: T[];
  /** How many there are when `items` are only the first of them (then `more` leads to all). */
  total?: number;
  more?: ReactNode;
  empty?: string;
  children: (item: T) => ReactNode;
}) {
  const t = useT();
  const titleId = `${testId}-title`;
  const ready = source.data !== undefined;
  const count = total ?? items.length;
  return (
    <section className="card" aria-labelledby={titleId} data-testid={testId} data-count={ready ? count : undefined}>
      <h2 className="card__title" id={titleId}>
        {title}
        {ready && (
          <span className={`todo-count${count === 0 ? " todo-count--zero" : ""}`} data-testid={`${testId}-count`}>
            {count}
          </span>
        )}
      </h2>
      <p className="todo-help">{help}</p>
      {source.error && <ErrorPanel error={source.error} onRetry={source.reload} />}
      {!ready && !source.error && <Loading />}
      {ready &&
        (items.length === 0 ? (
          <EmptyState message={empty ?? t("centraleHome.nothing")} testId={`${testId}-empty`} />
        ) : (
          <>
            <ul className="action-list">{items.map(children)}</ul>
            {count > items.length && more}
          </>
        ))}
    </section>
  );
}

function CommuneItem({ row }: { row: CommuneRow }) {
  const t = useT();
  return (
    <li className="action-item" data-testid="todo-item" data-nis={row.nis_code}>
      <div className="action-item__head">
        <Link to={paths.commune(row.nis_code)} className="action-item__title">
          {row.name_fr}
        </Link>
        {row.adhesion_status && <CommuneStatusTag status={row.adhesion_status} />}
      </div>
      <p className="action-item__meta">
        <span>{t("centraleHome.adhesionItem", { arrondissement: row.arrondissement_fr, nis: row.nis_code })}</span>
        {row.pending && <StatusTag tone="pending" label={t("centraleHome.pending")} />}
      </p>
    </li>
  );
}

/** The commune's name from the list, or « commune 84009 » when it is not there. */
function useCommuneName(communes: CommuneRow[] | undefined) {
  const t = useT();
  const byNis = new Map((communes ?? []).map((c) => [c.nis_code, c.name_fr]));
  return (nis: string) => byNis.get(nis) ?? t("centraleHome.unknownCommune", { nis });
}

function OrderItem({ row, commune, children }: { row: OrderRow; commune: string; children?: ReactNode }) {
  const t = useT();
  return (
    <li className="action-item" data-testid="todo-item" data-order-id={row.id}>
      <div className="action-item__head">
        <Link to={paths.order(row.id)} className="action-item__title">
          {row.title}
        </Link>
      </div>
      <p data-testid="todo-item-commune">
        <strong>{t("centraleHome.commune", { name: commune })}</strong>
      </p>
      {row.service_name && <p className="muted">{t("centraleHome.service", { name: row.service_name })}</p>}
      {row.next_action && (
        <p className="action-item__next">
          <Icon name="arrow-right" />
          <span>{t(`nextAction.${row.next_action.code}`)}</span>
        </p>
      )}
      {(children || row.pending) && (
        <p className="action-item__meta">
          {children}
          {row.pending && <StatusTag tone="pending" label={t("centraleHome.pending")} />}
        </p>
      )}
    </li>
  );
}

function LateItem({ row, commune }: { row: DeploymentRow; commune: string }) {
  const t = useT();
  const late = row.milestones.filter((m) => m.late);
  return (
    <li className="action-item" data-testid="todo-item" data-order-id={row.order_id}>
      <div className="action-item__head">
        <Link to={paths.order(row.order_id)} className="action-item__title">
          {row.title}
        </Link>
        <StatusTag tone="danger" icon="clock" label={t("progress.late", { count: Math.max(row.progress.late, late.length) })} />
      </div>
      <p data-testid="todo-item-commune">
        <strong>{t("centraleHome.commune", { name: commune })}</strong>
      </p>
      {(row.service_name || row.provider_name) && (
        <p className="muted">
          {row.service_name && t("centraleHome.service", { name: row.service_name })}
          {row.service_name && row.provider_name && " · "}
          {row.provider_name && t("centraleHome.late.provider", { name: row.provider_name })}
        </p>
      )}
      {late.length > 0 && (
        <ul className="readable-list">
          {late.map((m) => (
            <li key={m.id}>{t("centraleHome.late.milestone", { step: t(`milestoneKind.${m.kind}`), date: formatDate(m.planned_date) })}</li>
          ))}
        </ul>
      )}
      {row.pending && (
        <p className="action-item__meta">
          <StatusTag tone="pending" label={t("centraleHome.pending")} />
        </p>
      )}
    </li>
  );
}

/** Oldest first (the order-to-award promise runs from the request). */
function byAge(a: OrderRow, b: OrderRow): number {
  return (a.submitted_at ?? a.created_at).localeCompare(b.submitted_at ?? b.created_at);
}

/** E-mails the intercommunale gave up sending (issue 14): said on the home page when there are
 * some, with the way to the list. Read from the intercommunale: nothing is said offline (the
 * list's own screen says why it cannot be read). */
function FailedMailAlert() {
  const t = useT();
  const failed = useCommand(() => api.failedMail(), []);
  const count = failed.data?.length ?? 0;
  if (count === 0) return null;
  return (
    <div className="panel panel--warning" role="note" data-testid="failed-mail-alert" data-count={count}>
      <h2 className="panel__title">
        <Icon name="error" />
        {t("centraleHome.failedMailAlert", { count })}
      </h2>
      <p>
        <Link to={paths.failedMail()} data-testid="failed-mail-alert-link">
          {t("centraleHome.failedMailLink")}
        </Link>
      </p>
    </div>
  );
}

/** A staff account without its second factor is told to turn it on (issue 17 point 9): it
 * cannot countersign nor issue a purchase order until then. */
function SecondFactorBanner() {
  const t = useT();
  const { state } = useSession();
  if (!mustTurnOnSecondFactor(state.session)) return null;
  return (
    <div className="panel panel--warning" role="note" data-testid="second-factor-banner">
      <h2 className="panel__title">
        <Icon name="lock" />
        {t("secondFactor.banner.title")}
      </h2>
      <p>{t("secondFactor.banner.text")}</p>
      <p>
        <Link to={paths.account()} data-testid="second-factor-banner-link">
          {t("secondFactor.banner.link")}
        </Link>
      </p>
    </div>
  );
}

/** Late deployments listed on the home; the Déploiement screen has them all. */
const LATE_SHOWN_HERE = 10;

export function CentraleHome(_props: ScreenProps) {
  const t = useT();
  const { state } = useSession();
  const communes = useCommand(() => api.communes(), []);
  const orders = useCommand(() => api.orders({ statuses: [] }), []);
  // The most late first, as the Déploiement screen orders them; the first few here.
  const deployments = useCommand(() => api.deployments({ late_only: true, shown: LATE_SHOWN_HERE }), []);
  const waiting = useCommand(() => api.waiting(), []);
  const pools = useCommand(() => api.pools(), []);
  // Issue 16 §4: a pooled call-off waits for the centrale once joining is closed (to launch)
  // and once its offers are opened (the one analysis).
  const poolsToHandle = (pools.data?.pools ?? []).filter(
    (p) => (p.phase === "joining_closed" && p.members > 0) || p.phase === "offers_opened",
  );
  const successors = (waiting.data?.items ?? []).filter((w) => w.kind === "prepare_successor");
  const communeName = useCommuneName(communes.data);
  const today = state.today;

  const communeRows = communes.data ?? [];
  const toCountersign = communeRows.filter((c) => c.adhesion_status === "signed_by_commune");
  const toActivate = communeRows.filter((c) => c.adhesion_status === "countersigned");
  const orderRows = orders.data ?? [];
  const forCentrale = orderRows.filter((o) => o.next_action?.by === "centrale");
  const toLaunch = forCentrale.filter((o) => o.next_action?.code === "launch_competition").sort(byAge);
  const toIssue = forCentrale.filter((o) => o.next_action?.code === "issue_purchase_order").sort(byAge);
  const awaitingOffers = orderRows
    .filter((o) => o.status === "competition_open")
    .sort((a, b) => (a.next_action?.due_at ?? "9999").localeCompare(b.next_action?.due_at ?? "9999"));
  const late = deployments.data?.rows ?? [];
  const me = state.session;

  return (
    <Page
      title={t("centraleHome.title")}
      intro={me ? <p className="lead">{t("centraleHome.welcome", { name: me.display_name, date: formatDate(today) })}</p> : undefined}
    >
      <div data-testid="centrale-home">
        <SecondFactorBanner />
        <FailedMailAlert />
        <nav aria-label={t("centraleHome.links")}>
          <ul className="centrale-links">
            <li>
              <Link to={paths.communes()} data-testid="centrale-home-communes">
                {t("centraleHome.communes")}
              </Link>
            </li>
            <li>
              <Link to={paths.orders()} data-testid="centrale-home-orders">
                {t("centraleHome.orders")}
              </Link>
            </li>
            <li>
              <Link to={paths.overview()} data-testid="centrale-home-overview">
                {t("centraleHome.overview")}
              </Link>
            </li>
            <li>
              <Link to={paths.tracking()} data-testid="centrale-home-tracking">
                {t("centraleHome.tracking")}
              </Link>
            </li>
            <li>
              <Link to={paths.failedMail()} data-testid="centrale-home-failed-mail">
                {t("centraleHome.failedMail")}
              </Link>
            </li>
          </ul>
        </nav>
        <div className="dashboard">
          <TodoGroup
            testId="todo-countersign"
            title={t("centraleHome.countersign.title")}
            help={t("centraleHome.countersign.help")}
            source={communes}
            items={toCountersign}
          >
            {(c) => <CommuneItem key={c.nis_code} row={c} />}
          </TodoGroup>
          <TodoGroup
            testId="todo-activate"
            title={t("centraleHome.activate.title")}
            help={t("centraleHome.activate.help")}
            source={communes}
            items={toActivate}
          >
            {(c) => <CommuneItem key={c.nis_code} row={c} />}
          </TodoGroup>
          <TodoGroup testId="todo-launch" title={t("centraleHome.launch.title")} help={t("centraleHome.launch.help")} source={orders} items={toLaunch}>
            {(o) => {
              const since = o.submitted_at ?? o.created_at;
              const days = Math.max(0, daysBetween(since.slice(0, 10), today));
              return (
                <OrderItem key={o.id} row={o} commune={communeName(o.commune_nis)}>
                  <span data-testid="todo-item-received">{t("centraleHome.launch.receivedDays", { count: days, date: formatDate(since) })}</span>
                </OrderItem>
              );
            }}
          </TodoGroup>
          <TodoGroup
            testId="todo-purchase-order"
            title={t("centraleHome.purchaseOrder.title")}
            help={t("centraleHome.purchaseOrder.help")}
            source={orders}
            items={toIssue}
          >
            {(o) => <OrderItem key={o.id} row={o} commune={communeName(o.commune_nis)} />}
          </TodoGroup>
          <TodoGroup
            testId="todo-offers"
            title={t("centraleHome.offers.title")}
            help={t("centraleHome.offers.help")}
            source={orders}
            items={awaitingOffers}
            empty={t("centraleHome.offers.empty")}
          >
            {(o) => (
              <OrderItem key={o.id} row={o} commune={communeName(o.commune_nis)}>
                <span data-testid="todo-item-deadline">
                  {o.next_action?.due_at
                    ? t("centraleHome.offers.deadline", { deadline: formatDeadline(o.next_action.due_at) })
                    : t("centraleHome.offers.noDeadline")}
                </span>
              </OrderItem>
            )}
          </TodoGroup>
          <TodoGroup
            testId="todo-late-deployments"
            title={t("centraleHome.late.title")}
            help={t("centraleHome.late.help")}
            source={deployments}
            items={late}
            total={deployments.data?.matching}
            more={
              <Link to={paths.deployments()} data-testid="todo-late-deployments-all">
                {t("centraleHome.late.all", { count: deployments.data?.matching ?? 0 })}
              </Link>
            }
          >
            {(d) => <LateItem key={d.order_id} row={d} commune={communeName(d.commune_nis)} />}
          </TodoGroup>
          <TodoGroup
            testId="todo-pools"
            title={t("centraleHome.pools.title")}
            help={t("centraleHome.pools.help")}
            source={pools}
            items={poolsToHandle}
          >
            {(p) => (
              <li key={p.id} className="action-item" data-testid="todo-item" data-pool-id={p.id}>
                <div className="action-item__head">
                  <Link to={paths.pool(p.id)} className="action-item__title">
                    {p.title}
                  </Link>
                </div>
                <p className="action-item__meta" data-testid="todo-pool-next">
                  {p.phase === "offers_opened"
                    ? t("centraleHome.pools.analyse", { count: p.members })
                    : t("centraleHome.pools.launch", { count: p.members, date: formatDate(p.join_until) })}
                </p>
              </li>
            )}
          </TodoGroup>
          <TodoGroup
            testId="todo-successors"
            title={t("centraleHome.successors.title")}
            help={t("centraleHome.successors.help", { months: LIMITS.SUCCESSOR_LEAD_MONTHS })}
            source={waiting}
            items={successors}
          >
            {(w) => (
              <li key={w.key} className="action-item" data-testid="todo-item" data-framework-id={w.record_id}>
                <div className="action-item__head">
                  <Link to={paths.tracking()} className="action-item__title">
                    {w.title}
                  </Link>
                </div>
                {w.end_date && <p className="action-item__meta">{t("waiting.ends", { date: formatDate(w.end_date) })}</p>}
              </li>
            )}
          </TodoGroup>
          <WaitingSection listed={false} />
          <MailPreferencesSection />
        </div>
      </div>
    </Page>
  );
}
