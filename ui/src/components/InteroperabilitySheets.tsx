/**
 * The interoperability sheets of a framework's solutions (issue 16 §1), one card per party: the
 * open data, interfaces, citizen sign-on, exports, hosting and reversibility the solution offers,
 * what the intercommunale checked of each, the catalogue solutions it works with, and — for a
 * commune — which of the solutions it already runs it works with. Shown on a service's page (the
 * version in force) and on the comparison of offers (the version the order is pinned to). The
 * words of the sheet are the domain's (`INTEROPERABILITY_LABELS` in the generated rules.ts).
 */
import { INTEROPERABILITY_LABELS } from "../bindings/rules";
import type { InteropAspect } from "../bindings/InteropAspect";
import type { InteroperabilitySheet } from "../bindings/InteroperabilitySheet";
import type { LinkView } from "../bindings/LinkView";
import type { SolutionSheetView } from "../bindings/SolutionSheetView";
import { formatDate } from "../format";
import { useT, type Translate } from "../i18n";
import { Icon } from "./Icon";

const ASPECTS = Object.keys(INTEROPERABILITY_LABELS.aspect) as InteropAspect[];

/** What the solution offers for one aspect, in words. */
function offered(t: Translate, sheet: InteroperabilitySheet, aspect: InteropAspect): string {
  const list = (items: string[]) => (items.length > 0 ? items.join(" ; ") : t("interop.none"));
  switch (aspect) {
    case "open_data":
      return list(sheet.open_data.map((d) => `${d.format} (${d.licence})`));
    case "api":
      return list(sheet.apis.map((a) => `${a.name} — ${a.specification}`));
    case "citizen_identity":
      return list(sheet.citizen_identity.map((c) => INTEROPERABILITY_LABELS.citizen_identity[c]));
    case "data_export":
      return list(sheet.data_exports);
    case "hosting": {
      const where = INTEROPERABILITY_LABELS.hosting[sheet.hosting];
      const detail = sheet.hosting_detail.trim();
      return detail ? t("interop.hostingWithDetail", { where, detail }) : t("interop.hosting", { where });
    }
    case "reversibility":
      return sheet.reversibility;
  }
}

/** The other solution of a link, named as a person reads it. */
export function solutionLabel(t: Translate, link: LinkView): string {
  const service = link.with.service_name ?? t("interop.unknownService");
  const provider = link.with.provider_name ?? t("interop.unknownProvider");
  return link.with.solution_name
    ? t("interop.solutionNamed", { service, provider, solution: link.with.solution_name })
    : t("interop.solution", { service, provider });
}

function LinkItem({ link }: { link: LinkView }) {
  const t = useT();
  return (
    <li>
      <strong>{solutionLabel(t, link)}</strong> — {link.how}{" "}
      {link.checked_on ? (
        <span className="interop__tested">{t("interop.tested", { date: formatDate(link.checked_on) })}</span>
      ) : (
        <span className="muted">{t("interop.declared")}</span>
      )}
    </li>
  );
}

function SheetCard({ view, index, commune }: { view: SolutionSheetView; index: number; commune: boolean }) {
  const t = useT();
  const provider = view.provider_name ?? t("interop.unknownProvider");
  const sheet = view.sheet;
  return (
    <article className="interop__card" data-testid={`interop-sheet-${index}`} aria-labelledby={`interop-title-${index}`}>
      <h3 id={`interop-title-${index}`} className="interop__title">
        {sheet ? t("interop.cardTitle", { provider, solution: sheet.solution_name }) : provider}
      </h3>
      {commune && view.fits_running.length > 0 && (
        <div className="interop__fits" data-testid={`interop-fits-${index}`}>
          <p>
            <Icon name="check" /> <strong>{t("interop.fitsTitle", { count: view.fits_running.length })}</strong>
          </p>
          <ul>
            {view.fits_running.map((link, i) => (
              <LinkItem key={i} link={link} />
            ))}
          </ul>
        </div>
      )}
      {!sheet ? (
        <p className="muted" data-testid={`interop-missing-${index}`}>
          {t("interop.missing")}
        </p>
      ) : (
        <table className="table interop__table">
          <caption className="visually-hidden">{t("interop.caption", { provider })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("interop.aspect")}</th>
              <th scope="col">{t("interop.offered")}</th>
              <th scope="col">{t("interop.checked")}</th>
            </tr>
          </thead>
          <tbody>
            {ASPECTS.map((aspect) => {
              const check = sheet.checks.find((c) => c.aspect === aspect);
              return (
                <tr key={aspect} data-testid={`interop-${index}-${aspect}`}>
                  <th scope="row">{INTEROPERABILITY_LABELS.aspect[aspect]}</th>
                  <td>{offered(t, sheet, aspect)}</td>
                  <td>
                    {check ? (
                      <span className={`interop__check interop__check--${check.outcome}`}>
                        {t("interop.checkOn", { outcome: INTEROPERABILITY_LABELS.outcome[check.outcome], date: formatDate(check.checked_on) })}
                        {check.note.trim() && <> — {check.note}</>}
                      </span>
                    ) : (
                      <span className="muted">{t("interop.notChecked")}</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {view.links.length > 0 && (
        <>
          <p className="interop__links-title">{t("interop.worksWith")}</p>
          <ul className="interop__links" data-testid={`interop-links-${index}`}>
            {view.links.map((link, i) => (
              <LinkItem key={i} link={link} />
            ))}
          </ul>
        </>
      )}
    </article>
  );
}

/**
 * The sheets of every party, with a heading; `commune` shows what each solution works with
 * among the commune's own solutions (the comparison and the catalogue of a commune's account).
 */
export function InteroperabilitySheets({
  sheets,
  commune,
  headingLevel = 2,
  intro,
}: {
  sheets: SolutionSheetView[];
  commune: boolean;
  headingLevel?: 2 | 3;
  intro?: string;
}) {
  const t = useT();
  if (sheets.length === 0) return null;
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <section className="section interop" aria-labelledby="interop-heading" data-testid="interoperability">
      <Heading id="interop-heading">{t("interop.heading")}</Heading>
      <p className="muted">{intro ?? t("interop.intro")}</p>
      <div className="interop__cards">
        {sheets.map((view, i) => (
          <SheetCard key={view.provider_id} view={view} index={i} commune={commune} />
        ))}
      </div>
    </section>
  );
}
