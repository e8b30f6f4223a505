/**
 * Presentation mode (#/commandes/:orderId/presentation), for a collège meeting on a screen or
 * a projector: the window full screen, no navigation chrome (the route's frame is `bare`),
 * large type, high contrast, the offers side by side readable from the end of the table.
 *
 * A 1280×720 projector shows a few rows only, so the comparison is shown in pages (issue 15,
 * point 6): the price lines, then the lead time and remarks, then the award criteria with the
 * reasons of each quality score — and on every page the offers' names, their totals HTVA and
 * TVAC, the weighted total and the rank. → / PageDown / Space go on (a clicker sends those),
 * ← / PageUp go back, Home and End; « Quitter la présentation » (or Esc) goes back to the order.
 */
import { useEffect, useMemo, useState } from "react";
import { api } from "../api";
import { Button } from "../components/Button";
import { ErrorPanel } from "../components/ErrorPanel";
import { Icon } from "../components/Icon";
import { Loading } from "../components/Loading";
import { Money } from "../components/Money";
import { Page } from "../components/Page";
import { useCommand } from "../data";
import { formatDate, formatDeadline, formatDecimal } from "../format";
import { useT } from "../i18n";
import { paths } from "../paths";
import { navigate } from "../router";
import { useSession } from "../session";
import type { OrderDetail } from "../bindings/OrderDetail";
import { OrderStatusTag, providerLabel, rankLabel } from "./orders/common";
import { Comparison, criteriaOf, criterionRowKey, INTEROPERABILITY_ROW, lineRowKey, rankingSentence } from "./orders/Comparison";
import type { ScreenProps } from "./ScreenProps";

/** One page of the comparison: its title and the rows it adds to the summary rows. */
export type PresentationPage = { title: string; rows: string[] };

/** How many price lines, and how many criteria, one page holds on a 1280×720 projector with
 * the names, totals and ranking: one (a price line's cell is tall: amount, unit price, ceiling). */
const LINES_PER_PAGE = 1;
const CRITERIA_PER_PAGE = 1;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The pages of an order's comparison, in the order a collège reads them. */
export function presentationPages(detail: OrderDetail, t: ReturnType<typeof useT>): PresentationPage[] {
  const pages: PresentationPage[] = [];
  const lines = chunks(detail.comparison.rows.map((l) => lineRowKey(l.price_line_code)), LINES_PER_PAGE);
  lines.forEach((rows, i) =>
    pages.push({ title: lines.length > 1 ? t("orders.presentation.pagePricesPart", { part: i + 1, parts: lines.length }) : t("orders.presentation.pagePrices"), rows }),
  );
  pages.push({ title: t("orders.presentation.pageExecution"), rows: ["lead-time", "notes"] });
  if (detail.interoperability.some((s) => s.sheet !== null)) {
    pages.push({ title: t("orders.presentation.pageInteroperability"), rows: [INTEROPERABILITY_ROW] });
  }
  const criteria = chunks(criteriaOf(detail).map((c) => criterionRowKey(c.code)), CRITERIA_PER_PAGE);
  criteria.forEach((rows, i) =>
    pages.push({
      title: criteria.length > 1 ? t("orders.presentation.pageCriteriaPart", { part: i + 1, parts: criteria.length }) : t("orders.presentation.pageCriteria"),
      rows,
    }),
  );
  return pages;
}

function Content({ detail }: { detail: OrderDetail }) {
  const t = useT();
  const { order, award, evaluation } = detail;
  const winner = evaluation?.ranking[0];
  const pages = useMemo(() => presentationPages(detail, t), [detail, t]);
  const [index, setIndex] = useState(0);
  const last = pages.length - 1;
  const page = pages[Math.min(index, last)];
  // The offers' names and the page's rows; the totals and the ranking are in the band below,
  // on every page.
  const shown = useMemo(() => new Set<string>(["provider", ...(page?.rows ?? [])]), [page]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      // Keys typed into a control (a focused button's Space) keep their own meaning.
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      const target = event.target as HTMLElement | null;
      if (target && target.closest("button, a, input, select, textarea")) return;
      const moves: Record<string, (i: number) => number> = {
        ArrowRight: (i) => Math.min(i + 1, last),
        PageDown: (i) => Math.min(i + 1, last),
        " ": (i) => Math.min(i + 1, last),
        ArrowLeft: (i) => Math.max(i - 1, 0),
        PageUp: (i) => Math.max(i - 1, 0),
        Home: () => 0,
        End: () => last,
      };
      const move = moves[event.key];
      if (!move) return;
      event.preventDefault();
      setIndex(move);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [last]);
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
          <div className="presentation__pager" role="group" aria-label={t("orders.presentation.pagerLabel")} data-testid="presentation-pager">
            <Button variant="secondary" onClick={() => setIndex((i) => Math.max(i - 1, 0))} disabled={index === 0} data-testid="presentation-previous">
              {t("orders.presentation.previous")}
            </Button>
            <p className="presentation__page" aria-live="polite" data-testid="presentation-page">
              {t("orders.presentation.pageOf", { page: Math.min(index, last) + 1, pages: pages.length, title: page?.title ?? "" })}
            </p>
            <Button variant="secondary" onClick={() => setIndex((i) => Math.min(i + 1, last))} disabled={index >= last} data-testid="presentation-next">
              {t("orders.presentation.next")}
            </Button>
          </div>
          <Comparison detail={detail} variant="presentation" only={shown} />
          {!evaluation && <p className="presentation__note">{t("orders.presentation.notEvaluated")}</p>}
          <Summary detail={detail} />
        </>
      )}
    </>
  );
}

/**
 * The foot of every page (issue 15, point 6): each offer's totals HTVA and TVAC, its weighted
 * total and its rank, first-ranked first, in a table that stays at the bottom of the screen
 * whatever the page shows above it.
 */
function Summary({ detail }: { detail: OrderDetail }) {
  const t = useT();
  const ranking = new Map((detail.evaluation?.ranking ?? []).map((r) => [r.offer_id, r]));
  const rankOf = (offerId: string, rank: number | null) => rank ?? ranking.get(offerId)?.rank ?? null;
  const columns = [...detail.comparison.columns].sort(
    (a, b) => (rankOf(a.offer_id, a.rank) ?? Number.MAX_SAFE_INTEGER) - (rankOf(b.offer_id, b.rank) ?? Number.MAX_SAFE_INTEGER),
  );
  return (
    <section className="presentation__summary" aria-labelledby="presentation-summary-title" data-testid="presentation-summary">
      <table>
        <caption id="presentation-summary-title">{t("orders.presentation.summaryTitle")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("orders.presentation.summaryOffer")}</th>
            <th scope="col">{t("orders.compare.totalHtva")}</th>
            <th scope="col">{t("orders.compare.totalTvac")}</th>
            <th scope="col">{t("orders.compare.weightedTotal")}</th>
            <th scope="col">{t("orders.compare.rank")}</th>
          </tr>
        </thead>
        <tbody>
          {columns.map((c) => {
            const rank = rankOf(c.offer_id, c.rank);
            const total = ranking.get(c.offer_id)?.total;
            return (
              <tr key={c.offer_id} className={rank === 1 ? "presentation__summary-first" : undefined} data-testid="presentation-summary-row" data-offer-id={c.offer_id}>
                <th scope="row">
                  {rank === 1 && <Icon name="check" />}
                  {providerLabel(t, c.provider_name)}
                </th>
                <td>
                  <Money cents={c.total.excl_vat} basis="htva" />
                </td>
                <td>
                  <Money cents={c.total.incl_vat} basis="tvac" />
                </td>
                <td>{total !== undefined ? t("orders.compare.points", { points: formatDecimal(total), weight: "100" }) : t("orders.compare.afterEvaluation")}</td>
                <td>{rank !== null ? rankLabel(t, rank) : t("orders.compare.afterEvaluation")}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

export function Presentation({ params }: ScreenProps) {
  const t = useT();
  const { state } = useSession();
  const orderId = params.orderId ?? "";
  const detail = useCommand(async () => api.orderDetail(orderId), [orderId]);
  const leave = () => navigate(paths.order(orderId));

  // Full screen while presenting, back to a window when leaving (by any way).
  useEffect(() => {
    void api.setFullscreen(true);
    return () => {
      void api.setFullscreen(false);
    };
  }, []);

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
