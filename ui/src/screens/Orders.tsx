/**
 * « Commandes » (#/commandes): every order of the commune, grouped by stage (in the order of
 * an order's life), each with its title, service, status, what it waits for, who must act and
 * by when. A filter shows one stage only. « Nouvelle commande » starts a draft.
 *
 * The centrale sees the orders of every commune, each with the commune's name, as a queue:
 * « À traiter par la centrale » (competitions to launch, purchase orders to issue, oldest
 * request first) by default, « En concurrence » (offers awaited, soonest deadline first) and
 * « Toutes » (by stage, as the commune sees them).
 */
import { useState } from "react";
import { api } from "../api";
import { EmptyState } from "../components/EmptyState";
import { ExportCsv } from "../components/ExportCsv";
import { ErrorPanel } from "../components/ErrorPanel";
import { Field } from "../components/Field";
import { Loading } from "../components/Loading";
import { Page } from "../components/Page";
import { StatusTag } from "../components/StatusTag";
import { useCommand } from "../data";
import { formatDate, formatDeadline } from "../format";
import { useT } from "../i18n";
import { paths } from "../paths";
import { Link } from "../router";
import { useSession } from "../session";
import type { OrderRow } from "../bindings/OrderRow";
import type { NextActionCode } from "../bindings/NextActionCode";
import type { OrderStatus } from "../bindings/OrderStatus";
import { communeLabel, useCommuneNames } from "./orders/CentraleActions";
import { isCommuneRole, NextActionLine, OrderStatusTag } from "./orders/common";
import type { ScreenProps } from "./ScreenProps";

/** The stages in the order of an order's life (the groups of the list). */
export const STATUS_ORDER: OrderStatus[] = [
  "draft",
  "submitted",
  "competition_open",
  "offers_opened",
  "evaluated",
  "awarded",
  "purchase_order_issued",
  "deploying",
  "provisionally_accepted",
  "finally_accepted",
  "no_offer",
  "withdrawn",
  "cancelled",
];

/** For the centrale's list: the commune of the row, by name. */
type CommuneOf = (nis: string) => string;

function OrderItem({ row, communeOf }: { row: OrderRow; communeOf?: CommuneOf }) {
  const t = useT();
  const commune = communeOf ? communeOf(row.commune_nis) : null;
  return (
    <li className="order-item" data-testid="order-row" data-order-id={row.id} data-status={row.status} data-commune-nis={row.commune_nis}>
      <div className="order-item__head">
        <h3 className="order-item__title">
          <Link to={paths.order(row.id)}>{row.title}</Link>
        </h3>
        <OrderStatusTag status={row.status} />
      </div>
      {commune !== null && (
        <p className="order-item__commune">
          <span className="next-line__label">{t("centraleOrders.commune.label")}</span>{" "}
          <strong data-testid="order-commune">{commune}</strong>
        </p>
      )}
      <p className="order-item__service">
        <span className="next-line__label">{t("orders.list.service")}</span> {row.service_name ?? t("orders.serviceUnknown")}
      </p>
      {row.status === "competition_open" && row.next_action?.due_at && communeOf && (
        <p className="lead" data-testid="order-row-deadline">
          {t("centraleOrders.list.deadline", { deadline: formatDeadline(row.next_action.due_at) })}
        </p>
      )}
      {communeOf ? (
        <NextActionLine action={row.next_action} centrale={{ communeName: commune }} testId="order-row-next" />
      ) : (
        <NextActionLine action={row.next_action} testId="order-row-next" />
      )}
      <p className="order-item__meta">
        <span>{t("orders.list.createdOn", { date: formatDate(row.created_at) })}</span>
        {row.submitted_at && <span>{t("orders.list.submittedOn", { date: formatDate(row.submitted_at) })}</span>}
        {row.pending && <StatusTag tone="pending" label={t("common.notSynced")} />}
        {row.status === "draft" && <Link to={paths.editOrder(row.id)}>{t("orders.list.edit", { title: row.title })}</Link>}
      </p>
    </li>
  );
}

/** The centrale's views of the list. */
type Queue = "centrale" | "competition" | "all";
const QUEUES: Queue[] = ["centrale", "competition", "all"];

/** The centrale's acts, in the order of an order's life (the groups of its queue). */
const CENTRALE_ACTS = ["launch_competition", "issue_purchase_order"] as const satisfies readonly NextActionCode[];

function inQueue(row: OrderRow, queue: Queue): boolean {
  if (queue === "centrale") return row.next_action?.by === "centrale";
  if (queue === "competition") return row.status === "competition_open";
  return true;
}

/** Oldest request first (the one waiting longest). */
function byWaiting(a: OrderRow, b: OrderRow): number {
  return (a.submitted_at ?? a.created_at).localeCompare(b.submitted_at ?? b.created_at) || a.title.localeCompare(b.title, "fr");
}

/** Soonest deadline first. */
function byDeadline(a: OrderRow, b: OrderRow): number {
  const da = a.next_action?.due_at ? Date.parse(a.next_action.due_at) : Number.POSITIVE_INFINITY;
  const db = b.next_action?.due_at ? Date.parse(b.next_action.due_at) : Number.POSITIVE_INFINITY;
  return da === db ? byWaiting(a, b) : da - db;
}

/** Rows drawn at first in a group, and added by each « Afficher … de plus ». */
export const ORDERS_SHOWN_AT_ONCE = 100;

/**
 * A group's rows, the first {@link ORDERS_SHOWN_AT_ONCE} drawn, then a button for the next
 * ones. WHY: the list of a PC with 1,000 drafts drew 1,000 rows, which took 87 MiB of the
 * window's memory (issue 19 §5, `desktop_app`); the counts and the stage filter still say
 * how many there are.
 */
function OrderList({ rows, communeOf }: { rows: OrderRow[]; communeOf?: CommuneOf }) {
  const t = useT();
  const [drawn, setDrawn] = useState(ORDERS_SHOWN_AT_ONCE);
  const rest = rows.length - drawn;
  return (
    <>
      <ul className="order-list">
        {rows.slice(0, drawn).map((r) => (
          <OrderItem key={r.id} row={r} communeOf={communeOf} />
        ))}
      </ul>
      {rest > 0 && (
        <button
          type="button"
          className="button button--secondary"
          data-testid="orders-more"
          onClick={() => setDrawn((n) => n + ORDERS_SHOWN_AT_ONCE)}
        >
          {t("orders.list.more", { count: Math.min(rest, ORDERS_SHOWN_AT_ONCE), rest })}
        </button>
      )}
    </>
  );
}

/** Groups of rows by stage, with the stage filter (the commune's list, the centrale's « Toutes »). */
function ByStage({ rows, communeOf }: { rows: OrderRow[]; communeOf?: CommuneOf }) {
  const t = useT();
  const [filter, setFilter] = useState("");
  const present = STATUS_ORDER.filter((s) => rows.some((r) => r.status === s));
  const shown = filter ? present.filter((s) => s === filter) : present;
  return (
    <>
      <div className="orders-filter">
        <Field
          type="select"
          id="orders-filter"
          label={t("orders.list.filterLabel")}
          value={filter}
          onChange={setFilter}
          width="medium"
          testId="orders-filter"
          options={[
            { value: "", label: t("orders.list.filterAll", { count: rows.length }) },
            ...present.map((s) => ({
              value: s,
              label: t("orders.list.filterOption", {
                status: t(`status.order.${s}`),
                count: String(rows.filter((r) => r.status === s).length),
              }),
            })),
          ]}
        />
      </div>
      <p className="visually-hidden" role="status">
        {t("orders.list.count", { count: shown.reduce((n, s) => n + rows.filter((r) => r.status === s).length, 0) })}
      </p>
      {shown.map((status) => {
        const group = rows.filter((r) => r.status === status);
        return (
          <section className="order-group" key={status} aria-labelledby={`orders-group-${status}`} data-testid="orders-group" data-status={status}>
            <h2 className="order-group__title" id={`orders-group-${status}`}>
              {t(`status.order.${status}`)} <span className="order-group__count">{t("orders.list.count", { count: group.length })}</span>
            </h2>
            <OrderList rows={group} communeOf={communeOf} />
          </section>
        );
      })}
    </>
  );
}

/** The centrale's list: the queue filter, then the orders of every commune. */
function CentraleOrders({ rows }: { rows: OrderRow[] }) {
  const t = useT();
  const names = useCommuneNames(true);
  const [queue, setQueue] = useState<Queue>("centrale");
  const communeOf: CommuneOf = (nis) => communeLabel(t, names, nis);
  const count = (q: Queue) => rows.filter((r) => inQueue(r, q)).length;
  const shown = rows.filter((r) => inQueue(r, queue));

  return (
    <>
      <fieldset className="fieldset orders-queue" data-testid="orders-queue-filter">
        <legend className="fieldset__legend">{t("centraleOrders.list.queueLegend")}</legend>
        <div style={{ display: "flex", flexWrap: "wrap", gap: "0.5rem 1.5rem" }}>
          {QUEUES.map((q) => (
            <label key={q} htmlFor={`orders-queue-${q}`} style={{ display: "inline-flex", alignItems: "center", gap: "0.5rem" }}>
              <input
                type="radio"
                id={`orders-queue-${q}`}
                name="orders-queue"
                value={q}
                checked={queue === q}
                onChange={() => setQueue(q)}
                data-testid={`orders-queue-${q}`}
              />
              {t(`centraleOrders.list.queue.${q}`, { count: String(count(q)) })}
            </label>
          ))}
        </div>
      </fieldset>
      <p className="visually-hidden" role="status">
        {t("orders.list.count", { count: shown.length })}
      </p>
      {queue !== "all" && shown.length === 0 && (
        <EmptyState message={t(`centraleOrders.list.queueEmpty.${queue}`)} testId="orders-queue-empty" />
      )}
      {queue === "centrale" &&
        CENTRALE_ACTS.map((code) => {
          const group = shown.filter((r) => r.next_action?.code === code).sort(byWaiting);
          if (group.length === 0) return null;
          return (
            <section className="order-group" key={code} aria-labelledby={`orders-queue-group-${code}`} data-testid="orders-group" data-action={code}>
              <h2 className="order-group__title" id={`orders-queue-group-${code}`}>
                {t(`centraleOrders.list.groups.${code}`)} <span className="order-group__count">{t("orders.list.count", { count: group.length })}</span>
              </h2>
              <OrderList rows={group} communeOf={communeOf} />
            </section>
          );
        })}
      {queue === "competition" && shown.length > 0 && (
        <section className="order-group" aria-labelledby="orders-queue-competition" data-testid="orders-group" data-status="competition_open">
          <h2 className="order-group__title" id="orders-queue-competition">
            {t("centraleOrders.list.competitionTitle")} <span className="order-group__count">{t("orders.list.count", { count: shown.length })}</span>
          </h2>
          <OrderList rows={[...shown].sort(byDeadline)} communeOf={communeOf} />
        </section>
      )}
      {queue === "all" && <ByStage rows={rows} communeOf={communeOf} />}
    </>
  );
}

export function Orders(_props: ScreenProps) {
  const t = useT();
  const { state } = useSession();
  const orders = useCommand(() => api.orders({ statuses: [] }), []);
  const rows = orders.data ?? [];
  const canOrder = isCommuneRole(state.session?.role);
  const isCentrale = state.session?.role === "centrale_staff";

  return (
    <Page title={t("orders.title")} intro={<p>{isCentrale ? t("centraleOrders.list.intro") : t("orders.list.intro")}</p>}>
      {canOrder && (
        <p>
          <Link to={paths.newOrder()} className="button button--primary" data-testid="new-order">
            {t("orders.list.new")}
          </Link>
        </p>
      )}
      {orders.data && rows.length > 0 && <ExportCsv kind="orders" />}
      {orders.error && <ErrorPanel error={orders.error} onRetry={orders.reload} />}
      {orders.loading && !orders.data && <Loading />}
      {orders.data && rows.length === 0 &&
        (isCentrale ? (
          <EmptyState message={t("centraleOrders.list.empty")} testId="orders-empty" />
        ) : (
          <EmptyState
            message={t("orders.list.empty")}
            testId="orders-empty"
            action={
              <Link to={paths.catalogue()} className="button button--secondary">
                {t("orders.list.browse")}
              </Link>
            }
          />
        ))}
      {rows.length > 0 && (isCentrale ? <CentraleOrders rows={rows} /> : <ByStage rows={rows} />)}
    </Page>
  );
}
