/**
 * Catalogue (#/catalogue): the services on offer through the centrale's framework agreements,
 * with a search (case and accents ignored, done by Rust) and a filter by category. Each service
 * says who provides it and whether it can be ordered today, and links to its page; a service
 * added lately is marked « Nouveau » and listed above, with the need of a survey it answers.
 */
import { useState } from "react";
import { api } from "../api";
import { Button } from "../components/Button";
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
import type { ServiceRow } from "../bindings/ServiceRow";
import { CallOffStatus } from "./CallOffStatus";
import { NewBadge, NewInCatalogue } from "./survey/NewInCatalogue";
import type { ScreenProps } from "./ScreenProps";

function ServiceCard({ service }: { service: ServiceRow }) {
  const t = useT();
  const titleId = `service-${service.id}-title`;
  return (
    <li
      className="service-card"
      data-testid="service-card"
      data-service-id={service.id}
      data-service-code={service.code}
      aria-labelledby={titleId}
    >
      <p className="service-card__category">{service.category}</p>
      <h2 className="service-card__title" id={titleId}>
        <Link to={paths.service(service.id)} data-testid="service-link">
          {service.name}
        </Link>
      </h2>
      <p className="service-card__summary">{service.summary}</p>
      <dl className="facts">
        <div className="facts__row">
          <dt>{t("catalogue.providers")}</dt>
          <dd data-testid="service-providers">
            {service.provider_names.length > 0 ? service.provider_names.join(", ") : t("catalogue.providersUnknown")}
          </dd>
        </div>
        {service.fits_running.length > 0 && (
          <div className="facts__row">
            <dt>{t("catalogue.fitsRunning")}</dt>
            <dd data-testid="service-fits">{service.fits_running.join(", ")}</dd>
          </div>
        )}
        {service.framework_reference && (
          <div className="facts__row">
            <dt>{t("catalogue.framework")}</dt>
            <dd>
              {service.end_date
                ? t("catalogue.frameworkUntil", { reference: service.framework_reference, date: formatDate(service.end_date) })
                : service.framework_reference}
            </dd>
          </div>
        )}
      </dl>
      <p className="service-card__status">
        <CallOffStatus row={service} testId="service-call-off" />
        {service.pending && <StatusTag tone="pending" label={t("catalogue.pending")} />}
        {service.is_new && <NewBadge />}
      </p>
    </li>
  );
}

/** The centrale's catalogue management: a new service, the registered providers. */
function CentraleActions() {
  const t = useT();
  const { state } = useSession();
  if (state.session?.role !== "centrale_staff") return null;
  return (
    <div className="button-group" data-testid="catalogue-admin">
      <Link to={paths.newService()} className="button button--primary" data-testid="catalogue-add-service">
        {t("catalogueAdmin.buttons.addService")}
      </Link>
      <Link to={paths.providers()} className="button button--secondary" data-testid="catalogue-providers">
        {t("catalogueAdmin.buttons.providers")}
      </Link>
    </div>
  );
}

export function Catalogue(_props: ScreenProps) {
  const t = useT();
  const [text, setText] = useState("");
  const [category, setCategory] = useState("");
  const searchText = text.trim() === "" ? null : text.trim();
  const searchCategory = category === "" ? null : category;
  const filtered = searchText !== null || searchCategory !== null;

  const services = useCommand(() => api.services({ text: searchText, category: searchCategory }), [searchText, searchCategory]);
  const categories = useCommand(() => api.serviceCategories(), []);
  const rows = services.data ?? [];

  const clear = () => {
    setText("");
    setCategory("");
    document.getElementById("catalogue-search")?.focus();
  };

  let emptyMessage = t("catalogue.emptyCatalogue");
  if (searchText !== null && searchCategory !== null) {
    emptyMessage = t("catalogue.noResultTextCategory", { text: searchText, category: searchCategory });
  } else if (searchText !== null) {
    emptyMessage = t("catalogue.noResultText", { text: searchText });
  } else if (searchCategory !== null) {
    emptyMessage = t("catalogue.noResultCategory", { category: searchCategory });
  }

  return (
    <Page title={t("catalogue.title")} intro={<p className="lead">{t("catalogue.intro")}</p>}>
      <CentraleActions />
      <form
        className="filters"
        role="search"
        aria-label={t("catalogue.searchLabel")}
        onSubmit={(e) => e.preventDefault()}
      >
        <Field
          id="catalogue-search"
          type="search"
          label={t("catalogue.search")}
          hint={t("catalogue.searchHint")}
          value={text}
          onChange={setText}
          testId="catalogue-search"
          autoComplete="off"
        />
        <Field
          id="catalogue-category"
          type="select"
          label={t("catalogue.category")}
          value={category}
          onChange={setCategory}
          placeholderOption={t("catalogue.allCategories")}
          options={(categories.data ?? []).map((c) => ({ value: c, label: c }))}
          testId="catalogue-category"
        />
      </form>

      {services.error && <ErrorPanel error={services.error} onRetry={services.reload} />}
      {services.loading && !services.data && <Loading />}

      {services.data && (
        <>
          <p className="result-count" role="status" data-testid="catalogue-count">
            {filtered ? t("catalogue.found", { count: rows.length }) : t("catalogue.count", { count: rows.length })}
          </p>
          {/* What is new (issue 16 §3): above the whole catalogue, not above a search's results. */}
          {!filtered && <NewInCatalogue services={rows} />}
          {rows.length === 0 ? (
            <EmptyState
              testId="catalogue-empty"
              message={emptyMessage}
              action={
                filtered ? (
                  <Button onClick={clear} data-testid="catalogue-clear">
                    {t("catalogue.clear")}
                  </Button>
                ) : undefined
              }
            />
          ) : (
            <ul className="service-list">
              {rows.map((s) => (
                <ServiceCard key={s.id} service={s} />
              ))}
            </ul>
          )}
        </>
      )}
    </Page>
  );
}
