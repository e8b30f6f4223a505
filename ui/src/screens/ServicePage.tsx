/**
 * Service page (#/catalogue/:serviceId): the framework agreement behind a service — providers,
 * period, price schedule (ceilings HTVA and TVAC), award criteria and weights, documents — and
 * what it would cost this commune at the framework's ceilings, with « Commander ce service »;
 * the interoperability sheet of each provider's solution, with what each works with among the
 * solutions the commune already runs (issue 16 §1); when it was added to the catalogue and the
 * need of a survey it answers (issue 16 §3).
 */
import { api } from "../api";
import { EmptyState } from "../components/EmptyState";
import { ErrorPanel } from "../components/ErrorPanel";
import { Icon } from "../components/Icon";
import { FrameworkDocuments } from "../components/FrameworkDocuments";
import { InteroperabilitySheets } from "../components/InteroperabilitySheets";
import { Loading } from "../components/Loading";
import { Money } from "../components/Money";
import { Page } from "../components/Page";
import { StatusTag } from "../components/StatusTag";
import { useCommand } from "../data";
import { formatDate, formatDecimal, formatInteger, formatMoney } from "../format";
import { useT } from "../i18n";
import { paths } from "../paths";
import { Link } from "../router";
import { useSession } from "../session";
import type { CostEstimate } from "../bindings/CostEstimate";
import type { FrameworkView } from "../bindings/FrameworkView";
import type { ServiceDetail } from "../bindings/ServiceDetail";
import { CallOffStatus, callOffHelp } from "./CallOffStatus";
import { DesignationPanel, DirectCallOffRows } from "./DirectCallOff";
import { isCommuneRole } from "./screenHelpers";
import { FromNeed, NewBadge } from "./survey/NewInCatalogue";
import type { ScreenProps } from "./ScreenProps";

/** Paragraphs of a French text (blank lines separate them). */
function Paragraphs({ text }: { text: string }) {
  const parts = text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  return (
    <>
      {parts.map((p, i) => (
        <p key={i}>{p}</p>
      ))}
    </>
  );
}

function Framework({ framework }: { framework: FrameworkView }) {
  const t = useT();
  const { terms } = framework;
  return (
    <section className="section" aria-labelledby="framework-title" data-testid="framework">
      <h2 id="framework-title">{t("service.framework.title")}</h2>
      <p className="framework-name">{framework.title}</p>
      <dl className="summary-list">
        <div className="summary-list__row">
          <dt>{t("service.framework.reference")}</dt>
          <dd data-testid="framework-reference">{framework.reference}</dd>
        </div>
        <div className="summary-list__row">
          <dt>{t("service.framework.period")}</dt>
          <dd data-testid="framework-period">
            {t("service.framework.periodValue", { start: formatDate(terms.start_date), end: formatDate(terms.end_date) })}
            <br />
            <span className="muted">{t("service.framework.lastDay", { date: formatDate(terms.end_date) })}</span>
          </dd>
        </div>
        <div className="summary-list__row">
          <dt>{t("service.framework.method")}</dt>
          <dd>{t(`service.callOffMethod.${framework.call_off_method}`)}</dd>
        </div>
        <DirectCallOffRows method={framework.call_off_method} conditions={terms.direct_call_off} />
        <div className="summary-list__row">
          <dt>{t("service.framework.value")}</dt>
          <dd data-testid="framework-value">
            {t("service.framework.contractMonths", { months: terms.contract_months })}
            <br />
            <span className="muted">
              {terms.max_value === null
                ? t("service.framework.maxValueNotStated")
                : t("service.framework.maxValue", { amount: formatMoney(terms.max_value, "htva") })}
            </span>
          </dd>
        </div>
        <div className="summary-list__row">
          <dt>{t("service.framework.version")}</dt>
          <dd>
            {t("service.framework.versionValue", { version: terms.version, date: formatDate(terms.published_at) })}
            {terms.change_note.trim() !== "" && (
              <>
                <br />
                <span className="muted">{t("service.framework.changeNote", { note: terms.change_note.trim() })}</span>
              </>
            )}
          </dd>
        </div>
      </dl>

      <h3 className="subsection" id="framework-providers-title">
        {t("service.providers.title")}
      </h3>
      <ul className="provider-list" data-testid="framework-providers" aria-labelledby="framework-providers-title">
        {/* A provider replaced by its successor is no longer party: not listed. */}
        {terms.providers
          .filter((p) => p.status !== "replaced")
          .map((p) => (
          <li key={p.provider_id} className="provider-list__item" data-provider-id={p.provider_id}>
            <strong>{p.name ?? t("service.providers.unknown")}</strong>
            {p.enterprise_number && <span className="muted"> {t("service.providers.bce", { number: p.enterprise_number })}</span>}
            {p.status === "suspended" && (
              <>
                {" "}
                <StatusTag tone="warning" label={t("service.providers.suspended")} />
              </>
            )}
          </li>
        ))}
      </ul>
      {terms.providers.length === 0 && <p className="muted">{t("service.providers.none")}</p>}

      <h3 className="subsection" id="price-schedule-title">
        {t("service.prices.title")}
      </h3>
      <p className="muted">{t("service.prices.intro")}</p>
      {/* Scrolls sideways when the text is enlarged: focusable so that the keyboard can scroll it. */}
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
      <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="price-schedule-title">
        <table className="table" data-testid="price-schedule" aria-labelledby="price-schedule-title">
          <thead>
            <tr>
              <th scope="col">{t("service.prices.line")}</th>
              <th scope="col">{t("service.prices.unit")}</th>
              <th scope="col" className="num">
                {t("service.prices.ceilingExcl")}
              </th>
              <th scope="col" className="num">
                {t("service.prices.vat")}
              </th>
              <th scope="col" className="num">
                {t("service.prices.ceilingIncl")}
              </th>
            </tr>
          </thead>
          <tbody>
            {terms.price_schedule.map((line) => (
              <tr key={line.code} data-testid="price-line" data-code={line.code}>
                <th scope="row">{line.label}</th>
                <td>{line.unit}</td>
                <td className="num" data-testid="price-ceiling-htva">
                  <Money cents={line.ceiling_excl_vat} basis="htva" />
                </td>
                <td className="num">{t("service.percent", { value: formatDecimal(line.vat_rate_percent) })}</td>
                <td className="num" data-testid="price-ceiling-tvac">
                  <Money cents={line.ceiling_incl_vat} basis="tvac" />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h3 className="subsection" id="award-criteria-title">
        {t("service.criteria.title")}
      </h3>
      <p className="muted">{t("service.criteria.intro")}</p>
      <ul className="criteria" data-testid="award-criteria" aria-labelledby="award-criteria-title">
        {terms.criteria.map((c) => (
          <li key={c.code} className="criteria__item" data-code={c.code}>
            <span className="criteria__label">
              <strong>{c.label}</strong>
              <span className="criteria__weight">{t("service.percent", { value: String(c.weight) })}</span>
            </span>
            <span className="criteria__bar" aria-hidden="true">
              <span className="criteria__fill" style={{ width: `${Math.max(0, Math.min(100, c.weight))}%` }} />
            </span>
            <span className="muted criteria__kind">{t(`service.criterionKind.${c.kind}`)}</span>
          </li>
        ))}
      </ul>

      <h3 className="subsection" id="framework-documents-title">
        {t("service.documents.title")}
      </h3>
      <FrameworkDocuments documents={terms.documents} labelledBy="framework-documents-title" />
    </section>
  );
}

function Estimate({ estimate }: { estimate: CostEstimate }) {
  const t = useT();
  return (
    <section className="section estimate" aria-labelledby="estimate-title" data-testid="cost-estimate">
      <h2 id="estimate-title">
        {t("service.estimate.title", { commune: estimate.commune_name, population: formatInteger(estimate.population) })}
      </h2>
      <p>
        {t("service.estimate.explain", {
          population: formatInteger(estimate.population),
          date: formatDate(estimate.population_date),
        })}
      </p>
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
      <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="estimate-title">
        <table className="table" aria-labelledby="estimate-title">
          <thead>
            <tr>
              <th scope="col">{t("service.prices.line")}</th>
              <th scope="col" className="num">
                {t("service.estimate.quantity")}
              </th>
              <th scope="col" className="num">
                {t("service.estimate.unitCeiling")}
              </th>
              <th scope="col" className="num">
                {t("service.estimate.amountExcl")}
              </th>
              <th scope="col" className="num">
                {t("service.estimate.amountIncl")}
              </th>
            </tr>
          </thead>
          <tbody>
            {estimate.lines.map((line) => (
              <tr key={line.code} data-testid="estimate-line" data-code={line.code}>
                <th scope="row">
                  {line.label}
                  <br />
                  <span className="muted">{line.unit}</span>
                </th>
                <td className="num">
                  {formatDecimal(line.quantity)}
                  {line.periods !== "1" && ` × ${formatDecimal(line.periods)}`}
                </td>
                <td className="num">
                  <Money cents={line.unit_ceiling_excl_vat} basis="htva" />
                </td>
                <td className="num">
                  <Money cents={line.amount.excl_vat} basis="htva" />
                </td>
                <td className="num">
                  <Money cents={line.amount.incl_vat} basis="tvac" />
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={3}>
                {t("service.estimate.total")}
              </th>
              <td className="num" data-testid="estimate-total-htva">
                <Money cents={estimate.total.excl_vat} basis="htva" />
              </td>
              <td className="num" data-testid="estimate-total-tvac">
                <Money cents={estimate.total.incl_vat} basis="tvac" />
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
      <p className="muted">{t("service.estimate.vat", { vat: formatVat(estimate) })}</p>
      <p className="muted">{t("service.estimate.periods")}</p>
    </section>
  );
}

function formatVat(estimate: CostEstimate): string {
  // Through <Money>'s formatter, without its HTVA/TVAC word: VAT is its own amount.
  const cents = estimate.total.vat;
  const euros = (cents - (cents % 100)) / 100;
  const rest = String(Math.abs(cents % 100)).padStart(2, "0");
  return `${formatInteger(euros)},${rest}\u00a0€`;
}

function Detail({ detail }: { detail: ServiceDetail }) {
  const t = useT();
  const { state } = useSession();
  const { service, framework, estimate } = detail;
  const role = state.session?.role;
  const commune = isCommuneRole(role);
  const help = callOffHelp(t, service);
  const adhesionActive = state.commune?.adhesion_status === "active";

  return (
    <>
      <p className="service-head">
        <span className="service-card__category">{service.category}</span>
        <CallOffStatus row={service} testId="service-call-off" />
        {service.pending && <StatusTag tone="pending" label={t("catalogue.pending")} />}
        {service.is_new && <NewBadge />}
      </p>
      <p className="lead">{service.summary}</p>
      {(service.added_on || service.from_need) && (
        <div data-testid="service-origin">
          {service.added_on && <p data-testid="service-added-on">{t("surveys.catalogue.addedOnSentence", { date: formatDate(service.added_on) })}</p>}
          <FromNeed service={service} />
        </div>
      )}
      <Paragraphs text={detail.description} />

      <div className="order-box" data-testid="order-box">
        {help && (
          <p className="order-box__help">
            <Icon name="info" /> {help}
          </p>
        )}
        {commune && service.call_off_possible && (
          <>
            {!adhesionActive && (
              <p data-testid="order-adhesion-note">
                {t("service.order.adhesionNote")} <Link to={paths.adhesion()}>{t("service.order.adhesionLink")}</Link>
              </p>
            )}
            <Link to={paths.newOrder(service.id)} className="button button--primary" data-testid="order-this-service">
              {t("service.order.button")}
              <Icon name="arrow-right" />
            </Link>
          </>
        )}
        {!commune && <p className="muted">{t("service.order.communeOnly")}</p>}
        {detail.designation && (
          <DesignationPanel designation={detail.designation} />
        )}
      </div>

      {role === "centrale_staff" && framework && (
        <p className="section" data-testid="framework-admin">
          <Link to={paths.newFrameworkVersion(service.id)} className="button button--secondary" data-testid="framework-new-version">
            {t("catalogueAdmin.buttons.newVersion")}
          </Link>
        </p>
      )}

      {estimate ? (
        <Estimate estimate={estimate} />
      ) : (
        framework && (
          <section className="section" aria-labelledby="estimate-title">
            <h2 id="estimate-title">{t("service.estimate.heading")}</h2>
            <p className="muted" data-testid="estimate-none">
              {commune ? t("service.estimate.noneCommune") : t("service.estimate.noneOther")}
            </p>
          </section>
        )
      )}

      <InteroperabilitySheets sheets={detail.interoperability} commune={commune} />

      {framework ? (
        <Framework framework={framework} />
      ) : (
        <div className="panel panel--warning" data-testid="framework-missing">
          <h2 className="panel__title">
            <Icon name="warning" />
            {t("service.framework.title")}
          </h2>
          <p>{t("service.framework.missing")}</p>
        </div>
      )}

      <p className="section">
        <Link to={paths.catalogue()} className="back-link">
          {t("service.back")}
        </Link>
      </p>
    </>
  );
}

export function ServicePage({ params }: ScreenProps) {
  const t = useT();
  const serviceId = params.serviceId ?? "";
  const detail = useCommand(() => api.serviceDetail(serviceId), [serviceId]);
  const data = detail.data ?? null;

  return (
    <Page title={data ? data.service.name : t("service.title")}>
      {detail.error && <ErrorPanel error={detail.error} onRetry={detail.reload} />}
      {detail.loading && !detail.data && <Loading />}
      {!detail.loading && !detail.error && data === null && (
        <EmptyState
          testId="service-not-found"
          message={t("service.notFound")}
          action={
            <Link to={paths.catalogue()} className="button button--secondary">
              {t("service.back")}
            </Link>
          }
        />
      )}
      {data && <Detail detail={data} />}
    </Page>
  );
}
