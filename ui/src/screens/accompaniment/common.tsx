/**
 * What the accompaniment screens share: a quantity in words (« 1,5 jour », « 2 forfaits »), the
 * status as a tag, the lines of an order with their planned and delivered dates, and the
 * invoice line. The same pieces show on the screen « Accompagnement de l'intercommunale » and on
 * the page of the call-off an accompaniment goes with.
 */
import type { ReactNode } from "react";
import { Money } from "../../components/Money";
import { StatusTag } from "../../components/StatusTag";
import { formatDate } from "../../format";
import { useT, type Translate } from "../../i18n";
import { accompanimentTone } from "../../statuses";
import type { AccompanimentLine } from "../../bindings/AccompanimentLine";
import type { AccompanimentOrder } from "../../bindings/AccompanimentOrder";
import type { AccompanimentStatus } from "../../bindings/AccompanimentStatus";
import type { AccompanimentUnit } from "../../bindings/AccompanimentUnit";
import { quantityText } from "./rules";
import "./accompaniment.css";

/** « 1,5 jour », « 2 forfaits » (French: below 2, singular). */
export function quantityLabel(t: Translate, quantity: string, unit: AccompanimentUnit): string {
  // The number only picks the plural form; the text shown is the decimal string itself.
  return t(`accompaniment.quantity.${unit}`, { count: Number(quantity), quantity: quantityText(quantity) });
}

/** The status in words, colour and icon. */
export function AccompanimentStatusTag({ status, testId }: { status: AccompanimentStatus; testId?: string }) {
  const t = useT();
  return <StatusTag tone={accompanimentTone(status)} label={t(`accompaniment.status.${status}`)} testId={testId} />;
}

/** « Facture ACC-2027-0001 du 12/03/2027, à payer au plus tard le 11/04/2027 ». */
export function invoiceText(t: Translate, order: AccompanimentOrder): string | null {
  const invoice = order.invoice;
  if (!invoice) return null;
  return t("accompaniment.invoice.line", { number: invoice.number, date: formatDate(invoice.date), due: formatDate(invoice.due_date) });
}

/**
 * The lines of an order: service, quantity, amount excluding VAT, planned and delivered dates;
 * `action` adds a last column (the centrale's « Réalisé le… »).
 */
export function LinesTable({
  lines,
  caption,
  action,
  actionTitle,
}: {
  lines: AccompanimentLine[];
  caption: string;
  action?: (line: AccompanimentLine) => ReactNode;
  actionTitle?: string;
}) {
  const t = useT();
  const notYet = <span className="muted">{t("accompaniment.lines.notYet")}</span>;
  return (
    // Scrolls sideways when the text is enlarged: focusable so that the keyboard can scroll it.
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
    <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table className="table accompaniment-lines" data-testid="accompaniment-lines">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("accompaniment.lines.service")}</th>
            <th scope="col">{t("accompaniment.lines.quantity")}</th>
            <th scope="col" className="num">
              {t("accompaniment.lines.amount")}
            </th>
            <th scope="col">{t("accompaniment.lines.planned")}</th>
            <th scope="col">{t("accompaniment.lines.delivered")}</th>
            {action && <th scope="col">{actionTitle}</th>}
          </tr>
        </thead>
        <tbody>
          {lines.map((line) => (
            <tr key={line.code} data-testid="accompaniment-line" data-code={line.code}>
              <th scope="row">{line.label_fr}</th>
              <td data-testid="accompaniment-line-quantity">{quantityLabel(t, line.quantity, line.unit)}</td>
              <td className="num">
                <Money cents={line.amount.excl_vat} basis="htva" />
              </td>
              <td data-testid="accompaniment-line-planned">{line.planned_on ? formatDate(line.planned_on) : notYet}</td>
              <td data-testid="accompaniment-line-delivered">{line.delivered_on ? formatDate(line.delivered_on) : notYet}</td>
              {action && <td>{action(line)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
