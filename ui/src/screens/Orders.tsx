/**
 * « Commandes » (#/commandes): every order of the commune, grouped by stage (in the order of
 * an order's life), each with its title, service, status, what it waits for, who must act and
 * by when. A filter shows one stage only. « Nouvelle commande » starts a draft.
 */
import { useState } from "react";
import { api } from "../api";
import { EmptyState } from "../components/EmptyState";
import { ErrorPanel } from "../components/ErrorPanel";
import { Field } from "../components/Field";
import { Loading } from "../components/Loading";
import { Page } from "../components/Page";
import { StatusTag } from "../components/StatusTag";
import { useCommand } from "../data";
import { formatDate } from "../format";
import { useT } from "../i18n";
import { paths } from "../paths";
import { Link } from "../router";
import { useSession } from "../session";
import type { OrderRow } from "../bindings/OrderRow";
import type { OrderStatus } from "../bindings/OrderStatus";
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

function OrderItem({ row }: { row: OrderRow }) {
  const t = useT();
  return (
    <li className="order-item" data-testid="order-row" data-order-id={row.id} data-status={row.status}>
      <div className="order-item__head">
        <h3 className="order-item__title">
          <Link to={paths.order(row.id)}>{row.title}</Link>
        </h3>
        <OrderStatusTag status={row.status} />
      </div>
      <p className="order-item__service">
        <span className="next-line__label">{t("orders.list.service")}</span> {row.service_name ?? t("orders.serviceUnknown")}
      </p>
      <NextActionLine action={row.next_action} testId="order-row-next" />
      <p className="order-item__meta">
        <span>{t("orders.list.createdOn", { date: formatDate(row.created_at) })}</span>
        {row.submitted_at && <span>{t("orders.list.submittedOn", { date: formatDate(row.submitted_at) })}</span>}
        {row.pending && <StatusTag tone="pending" label={t("common.notSynced")} />}
        {row.status === "draft" && <Link to={paths.editOrder(row.id)}>{t("orders.list.edit", { title: row.title })}</Link>}
      </p>
    </li>
  );
}

export function Orders(_props: ScreenProps) {
  const t = useT();
  const { state } = useSession();
  const orders = useCommand(() => api.orders({ statuses: [] }), []);
  const [filter, setFilter] = useState("");
  const rows = orders.data ?? [];
  const present = STATUS_ORDER.filter((s) => rows.some((r) => r.status === s));
  const shown = filter ? present.filter((s) => s === filter) : present;
  const canOrder = isCommuneRole(state.session?.role);

  return (
    <Page title={t("orders.title")} intro={<p>{t("orders.list.intro")}</p>}>
      {canOrder && (
        <p>
          <Link to={paths.newOrder()} className="button button--primary" data-testid="new-order">
            {t("orders.list.new")}
          </Link>
        </p>
      )}
      {orders.error && <ErrorPanel error={orders.error} onRetry={orders.reload} />}
      {orders.loading && !orders.data && <Loading />}
      {orders.data && rows.length === 0 && (
        <EmptyState
          message={t("orders.list.empty")}
          testId="orders-empty"
          action={
            <Link to={paths.catalogue()} className="button button--secondary">
              {t("orders.list.browse")}
            </Link>
          }
        />
      )}
      {rows.length > 0 && (
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
                  {t(`status.order.${status}`)}{" "}
                  <span className="order-group__count">{t("orders.list.count", { count: group.length })}</span>
                </h2>
                <ul className="order-list">
                  {group.map((r) => (
                    <OrderItem key={r.id} row={r} />
                  ))}
                </ul>
              </section>
            );
          })}
        </>
      )}
    </Page>
  );
}
