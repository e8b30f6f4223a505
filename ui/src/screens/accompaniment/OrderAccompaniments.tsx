/**
 * « Accompagnement de l'intercommunale » on a call-off's page, beside its deployment: the
 * intercommunale's services ordered with it (cancelled ones left out), each line with its
 * planned and delivered dates, and — for the commune, once the call-off is sent to the
 * centrale and not closed — « Commander un accompagnement pour cette commande ».
 */
import { Icon } from "../../components/Icon";
import { Money } from "../../components/Money";
import { StatusTag } from "../../components/StatusTag";
import { useT } from "../../i18n";
import { paths } from "../../paths";
import { Link } from "../../router";
import type { OrderDetail } from "../../bindings/OrderDetail";
import { AccompanimentStatusTag, invoiceText, LinesTable } from "./common";

export function OrderAccompaniments({ detail, commune }: { detail: OrderDetail; commune: boolean }) {
  const t = useT();
  const { order, accompaniments } = detail;
  // The call-offs a commune may attach an accompaniment to: sent to the centrale, not closed
  // (the screen's `call_offs`).
  const mayOrder = commune && order.submitted_at !== null && order.closure === null;
  if (accompaniments.length === 0 && !mayOrder) return null;
  return (
    <section className="section" aria-labelledby="order-accompaniments-title" data-testid="order-accompaniments">
      <h2 id="order-accompaniments-title">{t("accompaniment.orderPage.title")}</h2>
      <p className="muted">{t("accompaniment.orderPage.intro")}</p>
      {accompaniments.length === 0 ? (
        <p data-testid="order-accompaniments-none">{t("accompaniment.orderPage.none")}</p>
      ) : (
        <ul className="plain-list accompaniment-list">
          {accompaniments.map((row) => {
            const invoice = invoiceText(t, row.order);
            return (
              <li key={row.order.id} className="accompaniment-summary" data-testid="order-accompaniment" data-accompaniment-id={row.order.id} data-status={row.order.status}>
                <h3 className="accompaniment-summary__title">{row.order.title}</h3>
                <p className="accompaniment-card__status">
                  <AccompanimentStatusTag status={row.order.status} testId="order-accompaniment-status" />
                  {row.pending && <StatusTag tone="pending" label={t("common.notSynced")} />}
                  <span>
                    <Money cents={row.order.total.excl_vat} basis="htva" /> {"·"} <Money cents={row.order.total.incl_vat} basis="tvac" />
                  </span>
                </p>
                <LinesTable lines={row.order.lines} caption={t("accompaniment.lines.caption", { title: row.order.title })} />
                {invoice && <p data-testid="order-accompaniment-invoice">{invoice}</p>}
              </li>
            );
          })}
        </ul>
      )}
      <p>
        {mayOrder && (
          <Link to={paths.accompaniment(order.id)} className="button button--secondary" data-testid="order-accompaniment-link">
            <Icon name="arrow-right" />
            {t("accompaniment.orderPage.order")}
          </Link>
        )}
        {!mayOrder && (
          <Link to={paths.accompaniment()} data-testid="order-accompaniment-screen">
            {t("accompaniment.orderPage.see")}
          </Link>
        )}
      </p>
    </section>
  );
}
