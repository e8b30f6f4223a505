/**
 * One order (#/commandes/:orderId): where it stands and what it waits for, then what the
 * commune can do at this stage — send the request (blocked with the reason until the
 * adhesion is active), follow the invitations, compare the opened offers side by side,
 * score them, record the collège's award — then the needs, the history, and cancelling or
 * withdrawing where the rules allow. Acts with legal weight are confirmed, then receipted.
 *
 * The centrale sees every commune's orders: it launches the mini-competition on a submitted
 * request, follows the sealed competition, and records the purchase order once the commune
 * has awarded (orders/CentraleActions.tsx); the commune's own acts are not shown to it.
 *
 * Beside the deployment, the intercommunale's accompaniment services ordered with the call-off
 * (issue 16 §2; accompaniment/OrderAccompaniments.tsx), and for the commune the way to order one.
 *
 * An order of a pooled call-off (issue 16 §4) says so in a banner leading to the pool: its
 * launch, its offers' analysis and the acts around them (extending the deadline, setting an
 * offer aside, asking for a price justification, a direct award) are the pool's, not shown
 * here; the commune's award, the purchase order, cancelling and withdrawing stay.
 */
import { Questions } from "./orders/Questions";
import { SetAsideSection } from "./orders/SetAside";
import { PriceJustificationSection, pricesUnsettled } from "./orders/PriceJustification";
import { useState } from "react";
import { api } from "../api";
import { ErrorPanel } from "../components/ErrorPanel";
import { Icon } from "../components/Icon";
import { Loading } from "../components/Loading";
import { Page } from "../components/Page";
import { Receipt } from "../components/Receipt";
import { StatusTag } from "../components/StatusTag";
import { useCommand } from "../data";
import { formatDate, formatDateTime } from "../format";
import { useT } from "../i18n";
import { paths } from "../paths";
import { Link } from "../router";
import { useSession } from "../session";
import type { OrderDetail } from "../bindings/OrderDetail";
import { orderTone } from "../statuses";
import { CloseActions, SubmitSection, type ReceiptData } from "./orders/Actions";
import { AwardForm } from "./orders/Award";
import { ConflictDeclarations, ConflictGate } from "./orders/ConflictGate";
import {
  communeLabel,
  CompetitionFollow,
  LaunchCompetition,
  PurchaseOrderSection,
  useCommuneNames,
} from "./orders/CentraleActions";
import { isCommuneRole, NextActionLine, OrderStatusTag, signsFor } from "./orders/common";
import { Comparison } from "./orders/Comparison";
import { DocumentsBlock } from "./orders/Documents";
import { FrameworkDocuments } from "../components/FrameworkDocuments";
import { InteroperabilitySheets } from "../components/InteroperabilitySheets";
import { EvaluationForm } from "./orders/Evaluation";
import { AwardResult, DeploymentInfo, History, Invitations, NeedsSummary } from "./orders/Sections";
import { DesignationPanel } from "./DirectCallOff";
import { DirectAwardForm } from "./orders/DirectAward";
import { OrderAccompaniments } from "./accompaniment/OrderAccompaniments";
import { OrderPoolBanner } from "./pool/OrderPoolBanner";
import type { ScreenProps } from "./ScreenProps";
import { ORDER_ACTS_FROM } from "../bindings/rules";
import { PrintButton } from "../print/PrintButton";

/** For the centrale: the commune's name, to word the status and who acts. */
type CentraleView = { communeName: string } | null;

function StatusPanel({ detail, centrale }: { detail: OrderDetail; centrale: CentraleView }) {
  const t = useT();
  const { order } = detail;
  const sealed = order.status === "competition_open" && order.competition?.deadline;
  return (
    <section className="status-panel" aria-labelledby="order-status-title" data-testid="order-status-panel">
      <h2 className="visually-hidden" id="order-status-title">
        {t("orders.page.statusTitle")}
      </h2>
      <p className="status-panel__status">
        {centrale && !sealed ? (
          <StatusTag tone={orderTone(order.status)} label={t(`centraleOrders.statusLine.${order.status}`)} testId="order-status" />
        ) : (
          <OrderStatusTag status={order.status} deadline={order.competition?.deadline} long testId="order-status" />
        )}
        {order.pending && <StatusTag tone="pending" label={t("common.notSynced")} />}
      </p>
      {detail.next_action && (
        <div className="status-panel__next">
          <p className="next-line__label">{t("orders.page.next")}</p>
          {centrale ? (
            <NextActionLine action={detail.next_action} centrale={{ communeName: centrale.communeName }} testId="order-next" />
          ) : (
            <NextActionLine action={detail.next_action} testId="order-next" />
          )}
        </div>
      )}
      {order.closure && (
        <div className="status-panel__closure" data-testid="order-closure">
          <p>
            <strong>{t("orders.page.closureReason")}</strong> {order.closure.reason}
          </p>
          {order.closure.decision && (
            <p data-testid="order-closure-decision">
              {t("orders.page.closureDecision", { reference: order.closure.decision.reference, date: formatDate(order.closure.decision.date) })}
            </p>
          )}
          <p className="muted">{t("orders.page.closureBy", { who: order.closure.by, when: formatDateTime(order.closure.at) })}</p>
        </div>
      )}
      {order.status === "no_offer" && (
        <p data-testid="order-no-offer">{t(order.may_buy_elsewhere ? "orders.page.noOfferAgain" : "orders.page.noOffer")}</p>
      )}
    </section>
  );
}

function OffersSection({ detail, role }: { detail: OrderDetail; role: ReturnType<typeof useSession>["state"]["session"] }) {
  const t = useT();
  const { order } = detail;
  // A pooled call-off's offers are analysed once, on the pool, by the centrale.
  const pooled = detail.pool !== null;
  const columns = detail.comparison.columns;
  const evaluable = ORDER_ACTS_FROM.evaluate.includes(order.status) && isCommuneRole(role?.role);
  // The offers are shown to whoever evaluates or decides only after their declaration of no
  // conflict of interest (law of 17 June 2016 art. 6).
  if (evaluable && !detail.decisions.declared_by_me) return <ConflictGate detail={detail} />;
  return (
    <>
      <section className="section" aria-labelledby="order-offers-title" data-testid="order-offers" data-print-keep="comparison">
        <div className="section__head">
          <h2 id="order-offers-title">{t("orders.page.offersTitle", { count: columns.length })}</h2>
          <PrintButton scope="comparison" />
          <Link to={paths.presentation(order.id)} className="button button--secondary" data-testid="presentation-open">
            <Icon name="arrow-right" />
            {t("orders.page.presentation")}
          </Link>
        </div>
        <p>{t("orders.page.offersIntro")}</p>
        {detail.evaluation && detail.evaluation.outcome !== "ranked" && (
          <p className="panel" data-testid="ranking-outcome">
            {t(`orders.outcome.${detail.evaluation.outcome}`)}
          </p>
        )}
        <Comparison detail={detail} />
        {detail.evaluation && (
          <p className="muted">{t("orders.page.evaluatedBy", { who: detail.evaluation.evaluated_by, when: formatDateTime(detail.evaluation.evaluated_at) })}</p>
        )}
        <ConflictDeclarations detail={detail} />
        <InteroperabilitySheets sheets={detail.interoperability} commune headingLevel={3} intro={t("interop.introComparison")} />
      </section>
      {evaluable && pooled && order.status === "offers_opened" && (
        <p className="panel" data-testid="order-pool-analysis">
          {t("pools.order.analysisOnPool")}
        </p>
      )}
      {evaluable &&
        !pooled &&
        (pricesUnsettled(detail) ? (
          <p className="panel panel--warning" data-testid="evaluation-waits-prices">
            {t("orders.priceJustification.evaluationWaits")}
          </p>
        ) : (
          <EvaluationForm detail={detail} primary={order.status === "offers_opened"} />
        ))}
    </>
  );
}

function OrderView({ detail }: { detail: OrderDetail }) {
  const t = useT();
  const { state } = useSession();
  const [receipt, setReceipt] = useState<ReceiptData | null>(null);
  const { order } = detail;
  const hasOffers = detail.comparison.columns.length > 0;
  const isCentrale = state.session?.role === "centrale_staff";
  const names = useCommuneNames(isCentrale);
  const communeName = communeLabel(t, names, order.commune_nis);
  const centrale: CentraleView = isCentrale ? { communeName } : null;
  const communeStep = order.status === "offers_opened" || order.status === "evaluated";
  // Issue 16 §4: the pool's acts (launch, deadline, offers' analysis…) are not the order's.
  const pooled = detail.pool !== null;
  const direct = !pooled && detail.designation !== null && ORDER_ACTS_FROM.direct_award.includes(order.status);

  return (
    <Page
      title={order.title}
      intro={
        <p className="order-intro">
          <span>{t("orders.page.kicker")}</span>
          {" · "}
          {centrale && (
            <>
              <span data-testid="order-page-commune">{t("centraleOrders.page.communeIntro", { name: centrale.communeName })}</span>
              {" · "}
            </>
          )}
          <span>{order.service_name ?? t("orders.serviceUnknown")}</span>
          {order.framework_reference && (
            <>
              {" · "}
              <span>{t("orders.needs.frameworkValue", { reference: order.framework_reference, version: String(order.framework_version) })}</span>
            </>
          )}
        </p>
      }
    >
      {receipt && (
        <Receipt title={receipt.title} who={receipt.who} when={receipt.when} what={receipt.what} testId="order-receipt">
          {receipt.note && <p className="muted">{order.pending ? receipt.note : t("orders.receivedNote")}</p>}
        </Receipt>
      )}
      {detail.formerly && (
        <p className="panel" data-testid="order-formerly">
          {t("orders.page.formerly", {
            name: detail.formerly.from_name,
            nis: detail.formerly.from_nis,
            date: formatDate(detail.formerly.on),
          })}
        </p>
      )}
      {detail.pool && <OrderPoolBanner pool={detail.pool} />}
      <p className="page__tools">
        <PrintButton scope="page" />
      </p>
      <StatusPanel detail={detail} centrale={centrale} />
      {detail.designation && <DesignationPanel designation={detail.designation} forOrder />}

      {ORDER_ACTS_FROM.submit.includes(order.status) && !isCentrale && <SubmitSection detail={detail} onDone={setReceipt} />}
      {/* Issue 11 rule 5: an order the framework's conditions call off directly is awarded by
          the commune to the provider they designate; no competition is launched. */}
      {ORDER_ACTS_FROM.launch_competition.includes(order.status) &&
        !direct &&
        (pooled ? (
          <p className="panel" data-testid="order-pool-launch">
            {t("pools.order.launchOnPool")}
          </p>
        ) : isCentrale ? (
          <LaunchCompetition detail={detail} communeName={communeName} onDone={setReceipt} />
        ) : (
          <p className="panel">{t("orders.page.submittedExplain")}</p>
        ))}
      {direct && isCentrale && (
        <p className="panel" data-testid="order-direct-commune-step">
          {t("orders.directAward.centrale")}
        </p>
      )}
      {direct && !isCentrale && detail.designation &&
        (detail.decisions.declared_by_me ? (
          <DirectAwardForm detail={detail} designation={detail.designation} onDone={setReceipt} />
        ) : (
          <ConflictGate detail={detail} />
        ))}
      {ORDER_ACTS_FROM.relaunch_competition.includes(order.status) && isCentrale && !pooled && <LaunchCompetition detail={detail} communeName={communeName} onDone={setReceipt} relaunch />}
      {order.status === "competition_open" && isCentrale && <CompetitionFollow detail={detail} onDone={pooled ? undefined : setReceipt} />}
      {(detail.invitations.length > 0 || order.competition) && <Invitations detail={detail} />}
      <Questions detail={detail} canAnswer={isCentrale && ORDER_ACTS_FROM.answer_question.includes(order.status)} onDone={setReceipt} />
      {isCentrale && communeStep && (
        <p className="panel" data-testid="order-commune-step">
          {t(pooled ? "pools.order.communeSide" : "centraleOrders.communeSide")}
        </p>
      )}
      {hasOffers && <OffersSection detail={detail} role={state.session} />}
      {hasOffers && (isCentrale || detail.decisions.declared_by_me) && (
        <PriceJustificationSection
          detail={detail}
          canAsk={!pooled && ORDER_ACTS_FROM.ask_price_justification.includes(order.status)}
          canDecide={ORDER_ACTS_FROM.accept_price_justification.includes(order.status) && !isCentrale && signsFor(detail, state.session?.role, null)}
          onDone={setReceipt}
        />
      )}
      <SetAsideSection detail={detail} canSetAside={!pooled && ORDER_ACTS_FROM.set_offer_aside.includes(order.status) && !isCentrale && signsFor(detail, state.session?.role, "set_aside") && hasOffers} onDone={setReceipt} />
      {ORDER_ACTS_FROM.award.includes(order.status) && detail.evaluation && !isCentrale && detail.decisions.declared_by_me && (
        <AwardForm detail={detail} onDone={setReceipt} />
      )}
      <AwardResult detail={detail} />
      {ORDER_ACTS_FROM.issue_purchase_order.includes(order.status) && isCentrale && <PurchaseOrderSection detail={detail} communeName={communeName} onDone={setReceipt} />}
      <DeploymentInfo detail={detail} />
      <OrderAccompaniments detail={detail} commune={isCommuneRole(state.session?.role)} />
      <DocumentsBlock recordId={order.id} refreshKey={`${order.status}-${order.pending}`} />

      <section className="section" aria-labelledby="order-needs-title">
        <h2 id="order-needs-title">{t("orders.page.needsTitle")}</h2>
        <NeedsSummary detail={detail} />
      </section>
      {detail.terms && (
        <section className="section" aria-labelledby="order-framework-documents-title" data-testid="order-framework-documents">
          <h2 id="order-framework-documents-title">{t("service.documents.pinnedTitle")}</h2>
          <p className="muted">{t("service.documents.pinnedIntro", { version: String(order.framework_version) })}</p>
          <FrameworkDocuments documents={detail.terms.documents} labelledBy="order-framework-documents-title" />
        </section>
      )}
      <History detail={detail} />
      <CloseActions detail={detail} onDone={setReceipt} />
      <p className="section">
        <Link to={paths.orders()}>{t("orders.form.backToList")}</Link>
      </p>
    </Page>
  );
}

export function OrderPage({ params }: ScreenProps) {
  const t = useT();
  const orderId = params.orderId ?? "";
  const detail = useCommand(async () => api.orderDetail(orderId), [orderId]);
  if (detail.error && !detail.data) {
    return (
      <Page title={t("orders.detailTitle")}>
        <ErrorPanel error={detail.error} onRetry={detail.reload} />
      </Page>
    );
  }
  if (detail.loading && !detail.data) return <Loading />;
  if (!detail.data) {
    return (
      <Page title={t("orders.detailTitle")}>
        <p data-testid="order-not-found">{t("orders.notFound")}</p>
        <p>
          <Link to={paths.orders()}>{t("orders.form.backToList")}</Link>
        </p>
      </Page>
    );
  }
  return <OrderView detail={detail.data} />;
}
