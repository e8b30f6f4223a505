/**
 * Suivi des accords-cadres (#/suivi-des-accords-cadres), for the centrale's staff (issue 16.5),
 * from this PC's cache (offline too), figures by the domain (`centrale_domain::tracking`, the
 * same function as the server's `GET /api/v1/centrale/frameworks/tracking`):
 * - « Fin des accords-cadres »: each framework in force, the soonest end first, with its days
 *   left and « Successeur à préparer » (ends within six months, no successor) / « Successeur
 *   prévu » / « En cours »;
 * - « Consommation »: each framework's maximum value and what the awards consumed of it, per
 *   commune, flagged from 80 %;
 * - « Qui utilise quoi »: every awarded call-off (commune, solution, framework, amount, state),
 *   sortable, and the solutions of each commune; both lists as CSV.
 */
import { useMemo, useState } from "react";
import { api } from "../../api";
import { EmptyState } from "../../components/EmptyState";
import { ErrorPanel } from "../../components/ErrorPanel";
import { ExportCsv } from "../../components/ExportCsv";
import { Field } from "../../components/Field";
import { Loading } from "../../components/Loading";
import { Page } from "../../components/Page";
import { StatusTag, type Tone } from "../../components/StatusTag";
import { useCommand } from "../../data";
import { formatDate, formatDateTime, formatDecimal, formatMoney } from "../../format";
import { useT, type MessageKey, type Translate } from "../../i18n";
import { paths } from "../../paths";
import { Link } from "../../router";
import { orderTone } from "../../statuses";
import type { EndStatus } from "../../bindings/EndStatus";
import type { FrameworkConsumption } from "../../bindings/FrameworkConsumption";
import type { FrameworkEnd } from "../../bindings/FrameworkEnd";
import type { FrameworkTracking } from "../../bindings/FrameworkTracking";
import type { SolutionUse } from "../../bindings/SolutionUse";
import type { ScreenProps } from "../ScreenProps";
import "./centrale.css";

const END_LOOK: Record<EndStatus, { tone: Tone; key: MessageKey }> = {
  successor_needed: { tone: "warning", key: "tracking.ends.successorNeeded" },
  successor_planned: { tone: "success", key: "tracking.ends.successorPlanned" },
  running: { tone: "info", key: "tracking.ends.running" },
};

function percent(t: Translate, value: string): string {
  return t("tracking.percent", { value: formatDecimal(value) });
}

// ── Fin des accords-cadres ──────────────────────────────────────────────────────────

function Ends({ data }: { data: FrameworkTracking }) {
  const t = useT();
  return (
    <section className="section" aria-labelledby="tracking-ends-title" data-testid="tracking-ends">
      <h2 id="tracking-ends-title">{t("tracking.ends.title")}</h2>
      <p className="muted">{t("tracking.ends.intro", { months: data.lead_months })}</p>
      {data.ends.length === 0 ? (
        <EmptyState message={t("tracking.ends.none")} testId="tracking-ends-empty" />
      ) : (
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="tracking-ends-title">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t("tracking.ends.framework")}</th>
                <th scope="col">{t("tracking.ends.end")}</th>
                <th scope="col" className="num">
                  {t("tracking.ends.daysLeft")}
                </th>
                <th scope="col">{t("tracking.ends.situation")}</th>
              </tr>
            </thead>
            <tbody>
              {data.ends.map((e) => (
                <EndRow key={e.framework_id} end={e} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function EndRow({ end }: { end: FrameworkEnd }) {
  const t = useT();
  const look = END_LOOK[end.status];
  return (
    <tr data-testid="tracking-end" data-reference={end.reference} data-status={end.status}>
      <th scope="row">
        <Link to={paths.service(end.service_id)}>{end.reference}</Link>
        <br />
        <span className="muted">{end.service_name ?? end.title_fr}</span>
      </th>
      <td>{formatDate(end.end_date)}</td>
      <td className="num" data-testid="tracking-end-days">
        {end.days_left === 0 ? t("tracking.ends.lastDay") : t("tracking.ends.days", { count: end.days_left })}
      </td>
      <td>
        <StatusTag tone={look.tone} label={t(look.key)} testId="tracking-end-status" />
        {end.successor && (
          <p className="muted">
            {t("tracking.ends.successor", { reference: end.successor.reference, date: formatDate(end.successor.start_date) })}
          </p>
        )}
      </td>
    </tr>
  );
}

// ── Consommation ────────────────────────────────────────────────────────────────────

function Consumption({ data }: { data: FrameworkTracking }) {
  const t = useT();
  return (
    <section className="section" aria-labelledby="tracking-consumption-title" data-testid="tracking-consumption">
      <h2 id="tracking-consumption-title">{t("tracking.consumption.title")}</h2>
      <p className="muted">{t("tracking.consumption.intro", { percent: data.alert_percent })}</p>
      {data.consumption.length === 0 ? (
        <EmptyState message={t("tracking.consumption.none")} />
      ) : (
        <>
          <ExportCsv kind="consumption" />
          {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="tracking-consumption-title">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t("tracking.consumption.framework")}</th>
                  <th scope="col" className="num">
                    {t("tracking.consumption.maximum")}
                  </th>
                  <th scope="col" className="num">
                    {t("tracking.consumption.consumed")}
                  </th>
                  <th scope="col" className="num">
                    {t("tracking.consumption.remaining")}
                  </th>
                  <th scope="col" className="num">
                    {t("tracking.consumption.share")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.consumption.map((c) => (
                  <ConsumptionRow key={c.framework_id} row={c} alertPercent={data.alert_percent} />
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

function ConsumptionRow({ row, alertPercent }: { row: FrameworkConsumption; alertPercent: number }) {
  const t = useT();
  return (
    <tr data-testid="tracking-consumption-row" data-reference={row.reference} data-alert={row.alert}>
      <th scope="row">
        {row.reference}
        {row.service_name && (
          <>
            <br />
            <span className="muted">{row.service_name}</span>
          </>
        )}
        {row.communes.length > 0 && (
          <details className="overview-value-communes">
            <summary>{t("tracking.consumption.perCommune", { count: row.communes.length })}</summary>
            <ul className="plain-list" data-testid="tracking-consumption-communes">
              {row.communes.map((c) => {
                const params = {
                  commune: c.commune_name ?? c.commune_nis,
                  amount: formatMoney(c.consumed.excl_vat, "htva"),
                  count: c.orders,
                };
                return (
                  <li key={c.commune_nis}>
                    {c.percent_of_maximum === null
                      ? t("tracking.consumption.communeNoMax", params)
                      : t("tracking.consumption.commune", { ...params, share: percent(t, c.percent_of_maximum) })}
                  </li>
                );
              })}
            </ul>
          </details>
        )}
      </th>
      <td className="num">{row.maximum === null ? t("tracking.consumption.notStated") : formatMoney(row.maximum, "htva")}</td>
      <td className="num">{formatMoney(row.consumed.excl_vat, "htva")}</td>
      <td className="num">{row.remaining === null ? "—" : formatMoney(row.remaining, "htva")}</td>
      <td className="num" data-testid="tracking-consumption-share">
        {row.consumed_percent === null ? "—" : percent(t, row.consumed_percent)}
        {row.alert && (
          <>
            <br />
            <StatusTag tone="warning" label={t("tracking.consumption.alert", { percent: alertPercent })} testId="tracking-consumption-alert" />
          </>
        )}
      </td>
    </tr>
  );
}

// ── Qui utilise quoi ────────────────────────────────────────────────────────────────

type SortKey = "service" | "commune" | "provider" | "amount" | "awarded";
const SORT_KEYS: SortKey[] = ["service", "commune", "provider", "amount", "awarded"];

const collator = new Intl.Collator("fr-BE", { sensitivity: "base" });

function sorted(rows: SolutionUse[], key: SortKey, t: Translate): SolutionUse[] {
  const service = (s: SolutionUse) => s.service_name ?? t("tracking.solutions.unknownService");
  const commune = (s: SolutionUse) => s.commune_name ?? s.commune_nis;
  const provider = (s: SolutionUse) => s.provider_name ?? t("tracking.solutions.unknownProvider");
  const compare: Record<SortKey, (a: SolutionUse, b: SolutionUse) => number> = {
    service: (a, b) => collator.compare(service(a), service(b)) || collator.compare(commune(a), commune(b)),
    commune: (a, b) => collator.compare(commune(a), commune(b)) || collator.compare(service(a), service(b)),
    provider: (a, b) => collator.compare(provider(a), provider(b)) || collator.compare(commune(a), commune(b)),
    amount: (a, b) => b.amount.excl_vat - a.amount.excl_vat,
    awarded: (a, b) => b.awarded_at.localeCompare(a.awarded_at),
  };
  return [...rows].sort(compare[key]);
}

function Solutions({ data }: { data: FrameworkTracking }) {
  const t = useT();
  const [sortKey, setSortKey] = useState<SortKey>("service");
  const rows = useMemo(() => sorted(data.solutions, sortKey, t), [data.solutions, sortKey, t]);
  const service = (s: SolutionUse) => s.service_name ?? t("tracking.solutions.unknownService");
  const provider = (s: SolutionUse) => s.provider_name ?? t("tracking.solutions.unknownProvider");
  return (
    <section className="section" aria-labelledby="tracking-solutions-title" data-testid="tracking-solutions">
      <h2 id="tracking-solutions-title">{t("tracking.solutions.title")}</h2>
      <p className="muted">{t("tracking.solutions.intro")}</p>
      {rows.length === 0 ? (
        <EmptyState message={t("tracking.solutions.none")} testId="tracking-solutions-empty" />
      ) : (
        <>
          <ExportCsv kind="solutions" />
          <Field
            type="select"
            id="tracking-sort"
            label={t("tracking.solutions.sortLabel")}
            value={sortKey}
            onChange={(v) => setSortKey(v as SortKey)}
            width="medium"
            testId="tracking-sort"
            options={SORT_KEYS.map((k) => ({ value: k, label: t(`tracking.solutions.sort.${k}`) }))}
          />
          {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="tracking-solutions-title">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t("tracking.solutions.service")}</th>
                  <th scope="col">{t("tracking.solutions.commune")}</th>
                  <th scope="col">{t("tracking.solutions.provider")}</th>
                  <th scope="col">{t("tracking.solutions.framework")}</th>
                  <th scope="col" className="num">
                    {t("tracking.solutions.amount")}
                  </th>
                  <th scope="col">{t("tracking.solutions.state")}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((s) => (
                  <tr key={s.order_id} data-testid="tracking-solution" data-order-id={s.order_id}>
                    <th scope="row">
                      {service(s)}
                      <br />
                      <Link to={paths.order(s.order_id)} className="muted">
                        {s.title}
                      </Link>
                    </th>
                    <td>{s.commune_name ?? s.commune_nis}</td>
                    <td>{provider(s)}</td>
                    <td>{s.framework_reference ?? "—"}</td>
                    <td className="num">{formatMoney(s.amount.excl_vat, "htva")}</td>
                    <td>
                      <StatusTag tone={orderTone(s.status)} label={t(`status.order.${s.status}`)} />
                      <br />
                      <span className="muted">{formatDateTime(s.awarded_at)}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3>{t("tracking.solutions.perCommuneTitle")}</h3>
          <dl className="tracking-communes" data-testid="tracking-per-commune">
            {data.communes.map((c) => (
              <div key={c.commune_nis} data-nis={c.commune_nis}>
                <dt>{c.commune_name ?? c.commune_nis}</dt>
                {c.solutions.map((s) => (
                  <dd key={s.order_id}>
                    {t("tracking.solutions.perCommuneItem", {
                      service: service(s),
                      provider: provider(s),
                      state: t(`status.order.${s.status}`),
                    })}
                  </dd>
                ))}
              </div>
            ))}
          </dl>
        </>
      )}
    </section>
  );
}

// ── The screen ──────────────────────────────────────────────────────────────────────

export function Tracking(_props: ScreenProps) {
  const t = useT();
  const read = useCommand(() => api.tracking(), []);
  const data = read.data;
  return (
    <Page title={t("tracking.title")} intro={data ? <p className="lead">{t("tracking.intro", { date: formatDate(data.today) })}</p> : undefined}>
      <div data-testid="tracking">
        {read.error && <ErrorPanel error={read.error} onRetry={read.reload} />}
        {read.loading && !data && <Loading />}
        {data && (
          <>
            <p className="muted">{t("tracking.note")}</p>
            <Ends data={data} />
            <Consumption data={data} />
            <Solutions data={data} />
          </>
        )}
      </div>
    </Page>
  );
}
