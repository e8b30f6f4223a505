/**
 * Vue d'ensemble (#/vue-d-ensemble), for the centrale's staff: the key figures (orders, amount
 * awarded, the median time from order to award against the 20-day promise, the share kept,
 * communes adherent), the map of the province (by adhesion or by orders), then charts — orders
 * and amounts per commune and per service, the time to award month by month with the promise
 * as a dashed line, adhesions over the months. Each chart says what it shows in words (for
 * screen readers) and has its figures as a table under « Voir les données ».
 */
import { api } from "../../api";
import { EmptyState } from "../../components/EmptyState";
import { ExportCsv } from "../../components/ExportCsv";
import { ErrorPanel } from "../../components/ErrorPanel";
import { Loading } from "../../components/Loading";
import { Page } from "../../components/Page";
import { useCommand } from "../../data";
import { formatDate, formatDecimal, formatInteger, formatMoney } from "../../format";
import { useT, type MessageKey, type Translate } from "../../i18n";
import { paths } from "../../paths";
import { Link } from "../../router";
import { CommunesMap } from "../../map/CommunesMap";
import type { AdhesionsOverTime } from "../../bindings/AdhesionsOverTime";
import type { AwardTime } from "../../bindings/AwardTime";
import type { CommuneOrders } from "../../bindings/CommuneOrders";
import type { FrameworkValue } from "../../bindings/FrameworkValue";
import type { Overview as OverviewData } from "../../bindings/Overview";
import type { ServiceOrders } from "../../bindings/ServiceOrders";
import type { DataTable } from "./charts/ChartFrame";
import { HorizontalBarChart, type BarRow } from "./charts/HorizontalBarChart";
import { MonthChart } from "./charts/MonthChart";
import { formatEuros, formatMonth, topWithOthers } from "./charts/scale";
import type { ScreenProps } from "../ScreenProps";
import "./charts/charts.css";

/** How many communes (or services) get their own bar; the others share the last one. */
const TOP = 15;
/** How many leaders the spoken summary of a bar chart names. */
const SPOKEN = 3;

/** A day count sent as a decimal string (`"14"`, `"20.5"`), in words: « 20,5 jours ». */
function days(t: Translate, value: string): string {
  // The number only picks singular or plural; the figure shown is the string's own digits.
  return t("overview.days", { count: Number(value), value: formatDecimal(value) });
}

/** A large amount may go to the line before « HTVA » in a narrow box (never inside the number). */
function wrappable(money: string): string {
  return money.replace(/\u00a0(?=\S+$)/, " ");
}

/** « 3 des 4 », « les 4 », « la seule », « aucune des 4 » commandes attribuées. */
function shareDetailKey(kept: number, awarded: number): MessageKey {
  if (kept === awarded) return "overview.figures.shareDetailAll";
  if (kept === 0) return "overview.figures.shareDetailNone";
  return "overview.figures.shareDetail";
}

function percent(t: Translate, value: string): string {
  return t("overview.percent", { value: formatDecimal(value) });
}

// ── Key figures ─────────────────────────────────────────────────────────────────────

function Figure({
  label,
  value,
  detail,
  testId,
  alert,
}: {
  label: string;
  value: string;
  detail?: string;
  testId?: string;
  alert?: boolean;
}) {
  const t = useT();
  return (
    <div className={`overview-figure${alert ? " overview-figure--alert" : ""}`} data-testid={testId}>
      <dt>
        {label}
        <span className="visually-hidden">{t("overview.figures.separator")}</span>
      </dt>
      <dd>
        <span className="overview-figure__value">{value}</span>
        {detail && (
          <>
            {" "}
            <span className="overview-figure__detail">{detail}</span>
          </>
        )}
      </dd>
    </div>
  );
}

function Figures({ data }: { data: OverviewData }) {
  const t = useT();
  const { totals, award_time: time } = data;
  const promise = time.promise_days;
  return (
    <dl className="overview-figures" data-testid="overview-figures" aria-label={t("overview.figures.label")}>
      <Figure
        label={t("overview.figures.orders")}
        value={formatInteger(totals.orders)}
        detail={t("overview.figures.ordersAwarded", { count: totals.awarded })}
        testId="overview-figure-orders"
      />
      <Figure
        label={t("overview.figures.amount")}
        value={wrappable(formatMoney(totals.awarded_excl_vat, "htva"))}
        detail={t("overview.figures.amountDetail")}
        testId="overview-figure-amount"
      />
      <Figure
        label={t("overview.figures.promise")}
        value={time.median_days === null ? t("overview.figures.noAward") : days(t, time.median_days)}
        detail={t("overview.figures.promiseDetail", { days: promise })}
        testId="overview-promise"
        alert={time.median_days !== null && Number(time.median_days) > promise}
      />
      <Figure
        label={t("overview.figures.share", { days: promise })}
        value={time.within_promise_percent === null ? t("overview.figures.shareNone") : percent(t, time.within_promise_percent)}
        detail={
          time.awarded === 0
            ? undefined
            : `${t(shareDetailKey(time.within_promise, time.awarded), { kept: time.within_promise, count: time.awarded })} · ${t(
                "overview.figures.overPromise",
                { count: time.over_promise, days: promise },
              )}`
        }
        testId="overview-figure-share"
        alert={time.over_promise > 0}
      />
      <Figure
        label={t("overview.figures.communes")}
        value={t("overview.figures.communesValue", {
          active: formatInteger(totals.communes_active),
          total: formatInteger(totals.communes_total),
        })}
        detail={t("overview.figures.communesDetail")}
        testId="overview-figure-communes"
      />
    </dl>
  );
}

// ── Orders per commune and per service ──────────────────────────────────────────────

/** A commune's or a service's line, whichever it is. */
type Tally = { key: string; label: string; orders: number; awarded: number; amount: number };

function tallyTable(t: Translate, caption: string, column: string, rows: Tally[]): DataTable {
  const sum = (pick: (r: Tally) => number) => rows.reduce((n, r) => n + pick(r), 0);
  return {
    caption,
    columns: [
      { label: column },
      { label: t("overview.table.orders"), numeric: true },
      { label: t("overview.table.awarded"), numeric: true },
      { label: t("overview.table.amount"), numeric: true },
    ],
    rows: rows.map((r) => ({
      key: r.key,
      cells: [r.label, formatInteger(r.orders), formatInteger(r.awarded), formatMoney(r.amount, "htva")],
    })),
    total: [
      t("overview.table.total"),
      formatInteger(sum((r) => r.orders)),
      formatInteger(sum((r) => r.awarded)),
      formatMoney(sum((r) => r.amount), "htva"),
    ],
  };
}

function tallyChart(
  t: Translate,
  ns: "communes" | "services",
  testId: string,
  rows: Tally[],
) {
  const merged = topWithOthers(rows, TOP, (rest) => ({
    key: "others",
    label: t(`overview.${ns}.others`, { count: rest.length }),
    orders: rest.reduce((n, r) => n + r.orders, 0),
    awarded: rest.reduce((n, r) => n + r.awarded, 0),
    amount: rest.reduce((n, r) => n + r.amount, 0),
  }));
  const bars: BarRow[] = merged.map((r) => ({ key: r.key, label: r.label, values: [r.orders, r.amount] }));
  const top = rows
    .slice(0, SPOKEN)
    .map((r) =>
      r.awarded === 0
        ? t("overview.summaryItemNone", { name: r.label, count: r.orders })
        : t("overview.summaryItem", { name: r.label, count: r.orders, amount: formatEuros(r.amount) }),
    )
    .join(" ; ");
  return (
    <HorizontalBarChart
      title={t(`overview.${ns}.title`)}
      testId={testId}
      intro={rows.length > TOP ? <p className="muted">{t(`overview.${ns}.intro`, { count: TOP })}</p> : undefined}
      summary={t(`overview.${ns}.summary`, { count: rows.length, top })}
      measures={[
        { key: "orders", label: t(`overview.${ns}.orders`), format: formatInteger },
        { key: "amount", label: t(`overview.${ns}.amount`), format: formatEuros },
      ]}
      rows={bars}
      table={tallyTable(t, t(`overview.${ns}.caption`), t(`overview.${ns}.column`), rows)}
      empty={t(`overview.${ns}.empty`)}
    />
  );
}

function communeTallies(rows: CommuneOrders[]): Tally[] {
  return rows.map((c) => ({
    key: c.commune_nis,
    label: c.commune_name ?? c.commune_nis,
    orders: c.orders,
    awarded: c.awarded,
    amount: c.awarded_excl_vat,
  }));
}

function serviceTallies(t: Translate, rows: ServiceOrders[]): Tally[] {
  return rows.map((s) => ({
    key: s.service_id,
    label: s.service_name ?? t("overview.services.unknown"),
    orders: s.orders,
    awarded: s.awarded,
    amount: s.awarded_excl_vat,
  }));
}

// ── Time to award ───────────────────────────────────────────────────────────────────

function AwardTimeChart({ time }: { time: AwardTime }) {
  const t = useT();
  const promise = time.promise_days;
  const months = time.by_month.map((m) => m.month);
  const over = time.by_month.map((m) => m.median_days !== null && Number(m.median_days) > promise);
  const first = months[0];
  const last = months[months.length - 1];
  const summary =
    first && last && time.median_days !== null
      ? t("overview.awardTime.summary", {
          from: formatMonth(first),
          to: formatMonth(last),
          median: days(t, time.median_days),
          days: promise,
          over: t("overview.awardTime.summaryOver", { count: over.filter(Boolean).length }),
        })
      : "";
  return (
    <MonthChart
      title={t("overview.awardTime.title")}
      testId="overview-chart-award-time"
      intro={<p className="muted">{t("overview.awardTime.intro", { days: promise })}</p>}
      summary={summary}
      months={months}
      columns={{
        label: t("overview.awardTime.columns"),
        values: time.by_month.map((m) => (m.median_days === null ? null : Number(m.median_days))),
        labels: time.by_month.map((m) => (m.median_days === null ? null : formatDecimal(m.median_days))),
      }}
      alert={over}
      alertLabel={t("overview.awardTime.alert")}
      reference={{ value: promise, label: t("overview.awardTime.reference", { days: promise }) }}
      yLabel={t("overview.awardTime.yLabel")}
      xLabel={t("overview.awardTime.xLabel")}
      empty={t("overview.awardTime.empty")}
      table={{
        caption: t("overview.awardTime.caption"),
        columns: [
          { label: t("overview.awardTime.colMonth") },
          { label: t("overview.awardTime.colAwarded"), numeric: true },
          { label: t("overview.awardTime.colMedian"), numeric: true },
          { label: t("overview.awardTime.colWithin", { days: promise }), numeric: true },
        ],
        rows: time.by_month.map((m) => ({
          key: m.month,
          cells: [
            formatMonth(m.month),
            formatInteger(m.awarded),
            m.median_days === null ? t("overview.awardTime.noAward") : days(t, m.median_days),
            formatInteger(m.within_promise),
          ],
        })),
        total:
          time.median_days === null
            ? undefined
            : [
                t("overview.table.total"),
                formatInteger(time.awarded),
                days(t, time.median_days),
                formatInteger(time.within_promise),
              ],
      }}
    />
  );
}

// ── Adhesions ───────────────────────────────────────────────────────────────────────

function AdhesionsChart({ adhesions }: { adhesions: AdhesionsOverTime }) {
  const t = useT();
  const series = adhesions.by_month;
  const first = series[0];
  const last = series[series.length - 1];
  const activated = series.reduce((n, m) => n + m.activated, 0);
  const summary =
    first && last
      ? t("overview.adhesions.summary", {
          from: formatMonth(first.month),
          to: formatMonth(last.month),
          first: first.active_total,
          last: last.active_total,
          activated: t("overview.adhesions.summaryActivated", { count: activated }),
        })
      : "";
  const statuses = (
    <>
      <h3 className="chart__subtitle">{t("overview.adhesions.statuses")}</h3>
      <dl className="overview-statuses" data-testid="overview-adhesion-statuses">
        {adhesions.by_status.map((s) => (
          <div key={s.status} data-status={s.status}>
            <dt>{t(`status.adhesion.${s.status}`)}</dt>
            <dd>{formatInteger(s.count)}</dd>
          </div>
        ))}
        <div data-status="none">
          <dt>{t("overview.adhesions.withoutAdhesion")}</dt>
          <dd>{formatInteger(adhesions.without_adhesion)}</dd>
        </div>
      </dl>
    </>
  );
  return (
    <MonthChart
      title={t("overview.adhesions.title")}
      testId="overview-chart-adhesions"
      intro={<p className="muted">{t("overview.adhesions.intro")}</p>}
      summary={summary}
      months={series.map((m) => m.month)}
      columns={{
        label: t("overview.adhesions.columns"),
        values: series.map((m) => m.activated),
        labels: series.map((m) => formatInteger(m.activated)),
      }}
      line={{
        label: t("overview.adhesions.line"),
        values: series.map((m) => m.active_total),
        labels: series.map((m) => formatInteger(m.active_total)),
      }}
      yLabel={t("overview.adhesions.yLabel")}
      xLabel={t("overview.adhesions.xLabel")}
      empty={t("overview.adhesions.empty")}
      footer={statuses}
      table={{
        caption: t("overview.adhesions.caption"),
        columns: [
          { label: t("overview.adhesions.colMonth") },
          { label: t("overview.adhesions.colActivated"), numeric: true },
          { label: t("overview.adhesions.colTerminated"), numeric: true },
          { label: t("overview.adhesions.colTotal"), numeric: true },
        ],
        rows: series.map((m) => ({
          key: m.month,
          cells: [formatMonth(m.month), formatInteger(m.activated), formatInteger(m.terminated), formatInteger(m.active_total)],
        })),
      }}
    />
  );
}

// ── Maximum value of each framework ─────────────────────────────────────────────────

/**
 * Each framework's maximum value and what the awards consumed of it, every commune together
 * (once reached, no new order: CJEU C-23/20), with each commune's share under « Par commune ».
 */
function FrameworkValues({ frameworks }: { frameworks: FrameworkValue[] }) {
  const t = useT();
  if (frameworks.length === 0) return null;
  return (
    <section className="section" aria-labelledby="overview-values-title" data-testid="overview-framework-values">
      <h2 id="overview-values-title">{t("overview.values.title")}</h2>
      <p className="muted">{t("overview.values.intro")}</p>
      <ExportCsv kind="consumption" />
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
      <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="overview-values-title">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t("overview.values.framework")}</th>
              <th scope="col" className="num">
                {t("overview.values.maximum")}
              </th>
              <th scope="col" className="num">
                {t("overview.values.consumed")}
              </th>
              <th scope="col" className="num">
                {t("overview.values.remaining")}
              </th>
              <th scope="col" className="num">
                {t("overview.values.share")}
              </th>
            </tr>
          </thead>
          <tbody>
            {frameworks.map((f) => (
              <tr key={f.framework_id} data-testid="overview-framework-value" data-reference={f.reference}>
                <th scope="row">
                  {f.reference}
                  {f.service_name && (
                    <>
                      <br />
                      <span className="muted">{f.service_name}</span>
                    </>
                  )}
                  {f.communes.length > 0 && (
                    <details className="overview-value-communes">
                      <summary>{t("overview.values.perCommune", { count: f.communes.length })}</summary>
                      <ul className="plain-list" data-testid="overview-framework-value-communes">
                        {f.communes.map((c) => (
                          <li key={c.commune_nis}>
                            {t("overview.values.commune", {
                              commune: c.commune_name ?? c.commune_nis,
                              amount: formatMoney(c.consumed.excl_vat, "htva"),
                              count: c.orders,
                            })}
                          </li>
                        ))}
                      </ul>
                    </details>
                  )}
                </th>
                <td className="num">{f.maximum === null ? t("overview.values.notStated") : formatMoney(f.maximum, "htva")}</td>
                <td className="num">{formatMoney(f.consumed.excl_vat, "htva")}</td>
                <td className="num" data-testid="overview-framework-remaining">
                  {f.remaining === null ? "—" : formatMoney(f.remaining, "htva")}
                </td>
                <td className="num">{f.consumed_percent === null ? "—" : percent(t, f.consumed_percent)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

// ── The screen ──────────────────────────────────────────────────────────────────────

/** True when nothing at all has happened yet: no order sent, no adhesion in any state. */
function isEmpty(data: OverviewData): boolean {
  return (
    data.totals.orders === 0 &&
    data.adhesions.by_month.length === 0 &&
    data.adhesions.by_status.every((s) => s.count === 0)
  );
}

export function Overview(_props: ScreenProps) {
  const t = useT();
  const overview = useCommand(() => api.overview(), []);
  // For the map: each commune's adhesion (the overview has only the counts per status).
  const communes = useCommand(() => api.communes(), []);
  const data = overview.data;

  return (
    <Page
      title={t("overview.title")}
      intro={data ? <p className="lead">{t("overview.intro", { date: formatDate(data.today) })}</p> : undefined}
    >
      <div data-testid="overview">
        {overview.error && <ErrorPanel error={overview.error} onRetry={overview.reload} />}
        {overview.loading && !data && <Loading />}
        {data &&
          (isEmpty(data) ? (
            <EmptyState
              testId="overview-empty"
              message={t("overview.empty")}
              action={
                <Link to={paths.communes()} className="button button--secondary">
                  {t("overview.emptyAction")}
                </Link>
              }
            />
          ) : (
            <>
              <Figures data={data} />
              <p className="overview-note">{t("overview.note")}</p>
              {communes.data && <CommunesMap communes={communes.data} orders={data.communes} />}
              {tallyChart(t, "communes", "overview-chart-communes", communeTallies(data.communes))}
              {tallyChart(t, "services", "overview-chart-services", serviceTallies(t, data.services))}
              <AwardTimeChart time={data.award_time} />
              <AdhesionsChart adhesions={data.adhesions} />
              <FrameworkValues frameworks={data.frameworks} />
            </>
          ))}
      </div>
    </Page>
  );
}
