/**
 * Presentation mode (#/commandes/:orderId/presentation), for a collège meeting on a screen or
 * a projector: no navigation chrome (the route's frame is `bare`), large type, high
 * contrast, the offers side by side readable from the end of the table. « Quitter la
 * présentation » (or Esc) goes back to the order.
 */
import { useEffect } from "react";
import { api } from "../api";
import { Button } from "../components/Button";
import { ErrorPanel } from "../components/ErrorPanel";
import { Icon } from "../components/Icon";
import { Loading } from "../components/Loading";
import { Money } from "../components/Money";
import { Page } from "../components/Page";
import { useCommand } from "../data";
import { formatDate, formatDeadline } from "../format";
import { useT } from "../i18n";
import { paths } from "../paths";
import { navigate } from "../router";
import { useSession } from "../session";
import type { OrderDetail } from "../bindings/OrderDetail";
import { OrderStatusTag, providerLabel } from "./orders/common";
import { Comparison, rankingSentence } from "./orders/Comparison";
import type { ScreenProps } from "./ScreenProps";

function Content({ detail }: { detail: OrderDetail }) {
  const t = useT();
  const { order, award, evaluation } = detail;
  const winner = evaluation?.ranking[0];
  return (
    <>
      <p className="presentation__meta">
        <OrderStatusTag status={order.status} deadline={order.competition?.deadline} long testId="presentation-status" />
      </p>
      <p className="presentation__meta">
        {order.service_name ?? t("orders.serviceUnknown")}
        {order.framework_reference && ` · ${t("orders.needs.frameworkValue", { reference: order.framework_reference, version: String(order.framework_version) })}`}
      </p>
      {detail.comparison.columns.length === 0 ? (
        <p className="presentation__empty" data-testid="presentation-empty">
          {order.competition && !order.opened_at
            ? t("orders.presentation.sealed", { deadline: formatDeadline(order.competition.deadline) })
            : t("orders.presentation.noOffers")}
        </p>
      ) : (
        <>
          {winner && !award && (
            <p className="presentation__headline" data-testid="presentation-winner">
              <Icon name="check" />
              <span>{rankingSentence(t, winner)}</span>
            </p>
          )}
          {award && (
            <p className="presentation__headline" data-testid="presentation-award">
              <Icon name="check" />
              <span>
                {t("orders.presentation.awarded", {
                  provider: providerLabel(t, award.provider_name),
                  reference: award.college_decision.reference,
                  date: formatDate(award.college_decision.date),
                })}{" "}
                <Money cents={award.amount.excl_vat} basis="htva" />
              </span>
            </p>
          )}
          <h2 className="visually-hidden">{t("orders.presentation.comparisonTitle", { count: detail.comparison.columns.length })}</h2>
          <Comparison detail={detail} variant="presentation" />
          {!evaluation && <p className="presentation__note">{t("orders.presentation.notEvaluated")}</p>}
        </>
      )}
    </>
  );
}

export function Presentation({ params }: ScreenProps) {
  const t = useT();
  const { state } = useSession();
  const orderId = params.orderId ?? "";
  const detail = useCommand(async () => api.orderDetail(orderId), [orderId]);
  const leave = () => navigate(paths.order(orderId));

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape" && !event.defaultPrevented) {
        event.preventDefault();
        navigate(paths.order(orderId));
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [orderId]);

  const title = detail.data ? detail.data.order.title : t("orders.presentationTitle");
  return (
    <div className="presentation" data-testid="presentation">
      <div className="presentation__bar">
        <p className="presentation__kicker">
          {t("orders.presentationTitle")}
          {state.commune && ` · ${state.commune.name_fr}`}
        </p>
        <Button variant="secondary" className="presentation__exit" onClick={leave} data-testid="presentation-exit">
          <Icon name="error" />
          {t("orders.presentation.exit")}
        </Button>
      </div>
      <Page title={title}>
        <p className="visually-hidden">{t("orders.presentation.escHint")}</p>
        {detail.error && !detail.data && <ErrorPanel error={detail.error} onRetry={detail.reload} />}
        {detail.loading && !detail.data && <Loading />}
        {!detail.loading && !detail.data && !detail.error && <p data-testid="order-not-found">{t("orders.notFound")}</p>}
        {detail.data && <Content detail={detail.data} />}
      </Page>
    </div>
  );
}
