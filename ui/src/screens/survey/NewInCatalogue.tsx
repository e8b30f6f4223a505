/**
 * What is new in the catalogue (issue 16 §3): the badge « Nouveau » on a service added lately,
 * the sentence saying which need of a survey it answers (« Répond au besoin « Parking
 * intelligent » exprimé par 12 communes dans l'enquête « Mobilité 2027 ». »), and the panel
 * « Nouveau au catalogue » above the list, for every account.
 */
import { StatusTag } from "../../components/StatusTag";
import { formatDate } from "../../format";
import { useT, type Translate } from "../../i18n";
import { paths } from "../../paths";
import { Link } from "../../router";
import type { NeedOrigin } from "../../bindings/NeedOrigin";
import type { ServiceRow } from "../../bindings/ServiceRow";
import "./survey.css";

/** « Répond au besoin « … » exprimé par N communes dans l'enquête « … ». » */
export function fromNeedText(t: Translate, origin: NeedOrigin): string {
  return t("surveys.catalogue.fromNeed", { need: origin.label_fr, survey: origin.survey_title, count: origin.communes });
}

/** « Nouveau », on a service added lately. */
export function NewBadge() {
  const t = useT();
  return <StatusTag tone="info" icon="check" label={t("surveys.catalogue.newBadge")} testId="service-new-badge" />;
}

/** The need a service answers, as a sentence (nothing when it answers none). */
export function FromNeed({ service, testId }: { service: ServiceRow; testId?: string }) {
  const t = useT();
  if (!service.from_need) return null;
  return <p data-testid={testId ?? "service-from-need"}>{fromNeedText(t, service.from_need)}</p>;
}

/** The services added lately, the newest first, above the catalogue's list. */
export function NewInCatalogue({ services }: { services: ServiceRow[] }) {
  const t = useT();
  const fresh = services.filter((s) => s.is_new).sort((a, b) => (b.added_on ?? "").localeCompare(a.added_on ?? ""));
  if (fresh.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="catalogue-new-title" data-testid="catalogue-new">
      <h2 className="panel__title" id="catalogue-new-title">
        {t("surveys.catalogue.newTitle")}
      </h2>
      <p className="muted">{t("surveys.catalogue.newIntro")}</p>
      <ul className="catalogue-new__list">
        {fresh.map((s) => (
          <li key={s.id} data-testid="catalogue-new-item" data-service-id={s.id}>
            <p>
              <Link to={paths.service(s.id)}>{s.name}</Link>
              {s.added_on && (
                <>
                  {", "}
                  <span data-testid="catalogue-new-added">{t("surveys.catalogue.addedOn", { date: formatDate(s.added_on) })}</span>
                </>
              )}
            </p>
            <FromNeed service={s} testId="catalogue-new-need" />
          </li>
        ))}
      </ul>
    </section>
  );
}
