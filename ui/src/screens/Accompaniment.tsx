/**
 * « Accompagnement de l'intercommunale » (#/accompagnement, `?commande=<id>` preselects the
 * call-off; issue 16 §2): the services the intercommunale renders itself to its communes —
 * project set-up, configuration, training, data migration, communication to citizens — at the
 * prices of its list, without any competition between providers (the legal basis is the
 * domain's sentence, shown as it is).
 *
 * A commune's account sees the list in force, orders from it (accompaniment/OrderForm.tsx),
 * follows its orders, cancels one not yet planned and downloads the invoice. The centrale's
 * staff see every commune's orders, plan them, record what was delivered, invoice
 * (accompaniment/CentraleActions.tsx) and publish a new version of the list
 * (accompaniment/PriceListEditor.tsx).
 */
import { useState } from "react";
import { api } from "../api";
import { EmptyState } from "../components/EmptyState";
import { ErrorPanel } from "../components/ErrorPanel";
import { Icon } from "../components/Icon";
import { Loading } from "../components/Loading";
import { Money } from "../components/Money";
import { Page } from "../components/Page";
import { Receipt } from "../components/Receipt";
import { useCommand } from "../data";
import { formatDate, formatDecimal } from "../format";
import { useT } from "../i18n";
import { useSession } from "../session";
import type { AccompanimentScreen } from "../bindings/AccompanimentScreen";
import type { OutboxEntry } from "../bindings/OutboxEntry";
import type { PriceListVersion } from "../bindings/PriceListVersion";
import { ACCOMPANIMENT_UNITS } from "../bindings/rules";
import type { ReceiptData } from "./orders/Actions";
import { OrderCard, type OpenAct } from "./accompaniment/OrderCard";
import { OrderForm } from "./accompaniment/OrderForm";
import { PriceListEditor } from "./accompaniment/PriceListEditor";
import { unitAmount } from "./accompaniment/rules";
import { normalizeVat } from "./centrale/catalogueAdmin/rules";
import { isCommuneRole } from "./screenHelpers";
import type { ScreenProps } from "./ScreenProps";

/** The price list in force: service, what it includes, unit, price HTVA and TVAC. */
function PriceList({ list }: { list: PriceListVersion | null }) {
  const t = useT();
  return (
    <section className="section" aria-labelledby="accompaniment-price-list-title" data-testid="accompaniment-price-list">
      <h2 id="accompaniment-price-list-title">{t("accompaniment.priceList.title")}</h2>
      {!list || list.services.length === 0 ? (
        <EmptyState message={t("accompaniment.priceList.none")} testId="accompaniment-price-list-empty" />
      ) : (
        <>
          <p className="muted" data-testid="accompaniment-price-list-version">
            {t("accompaniment.priceList.version", { version: list.version, date: formatDate(list.published_at) })}
            {list.note && ` ${t("accompaniment.priceList.note", { note: list.note })}`}
          </p>
          {/* Scrolls sideways when the text is enlarged: focusable so that the keyboard can scroll it. */}
          {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="accompaniment-price-list-title">
            <table className="table" aria-labelledby="accompaniment-price-list-title">
              <thead>
                <tr>
                  <th scope="col">{t("accompaniment.priceList.service")}</th>
                  <th scope="col">{t("accompaniment.priceList.description")}</th>
                  <th scope="col">{t("accompaniment.priceList.unit")}</th>
                  <th scope="col" className="num">
                    {t("accompaniment.priceList.priceExcl")}
                  </th>
                  <th scope="col" className="num">
                    {t("accompaniment.priceList.vat")}
                  </th>
                  <th scope="col" className="num">
                    {t("accompaniment.priceList.priceIncl")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.services.map((s) => (
                  <tr key={s.code} data-testid="accompaniment-service" data-code={s.code}>
                    <th scope="row">{s.label_fr}</th>
                    <td className="pre-line">{s.description_fr || <span className="muted">{t("common.notGiven")}</span>}</td>
                    <td>{t(`accompaniment.priceList.per.${s.unit}`, { unit: ACCOMPANIMENT_UNITS[s.unit] })}</td>
                    <td className="num" data-testid="accompaniment-service-htva">
                      <Money cents={s.price_cents} basis="htva" />
                    </td>
                    <td className="num">{t("accompaniment.priceList.percent", { value: formatDecimal(normalizeVat(s.vat_rate)) })}</td>
                    <td className="num" data-testid="accompaniment-service-tvac">
                      <Money cents={unitAmount(s).incl_vat} basis="tvac" />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

/** The ids of the accompaniments whose invoice waits in this PC's outbox. */
function invoicesQueued(outbox: OutboxEntry[] | undefined): Set<string> {
  const out = new Set<string>();
  for (const e of outbox ?? []) {
    const p = e.payload;
    if (e.name !== "accompaniment.invoice" || e.state !== "pending") continue;
    if (typeof p === "object" && p !== null && !Array.isArray(p) && typeof p.accompaniment_id === "string") out.add(p.accompaniment_id);
  }
  return out;
}

function ScreenView({ data, preselected }: { data: AccompanimentScreen; preselected: string }) {
  const t = useT();
  const { state } = useSession();
  const role = state.session?.role;
  const commune = isCommuneRole(role);
  const centrale = role === "centrale_staff";
  const [receipt, setReceipt] = useState<ReceiptData | null>(null);
  const [open, setOpen] = useState<OpenAct>(null);
  // Invoices asked here: the outbox says so after a reload, this set at once.
  const [invoiced, setInvoiced] = useState<Set<string>>(new Set());
  const outbox = useCommand(async () => (centrale ? api.outbox() : []), [centrale]);
  const queued = invoicesQueued(outbox.data);

  const orders = (
    <section className="section" aria-labelledby="accompaniment-orders-title" data-testid="accompaniment-orders">
      <h2 id="accompaniment-orders-title">{t(centrale ? "accompaniment.orders.titleCentrale" : "accompaniment.orders.title")}</h2>
      {data.orders.length === 0 ? (
        <EmptyState message={t(centrale ? "accompaniment.orders.noneCentrale" : "accompaniment.orders.none")} testId="accompaniment-orders-empty" />
      ) : (
        <ul className="accompaniment-list">
          {data.orders.map((row) => (
            <OrderCard
              key={row.order.id}
              row={row}
              commune={commune}
              centrale={centrale}
              invoiceQueued={queued.has(row.order.id) || invoiced.has(row.order.id)}
              open={open}
              onOpen={setOpen}
              onInvoiceSent={() => setInvoiced((s) => new Set(s).add(row.order.id))}
              onDone={setReceipt}
            />
          ))}
        </ul>
      )}
    </section>
  );

  return (
    <>
      {receipt && (
        <Receipt title={receipt.title} who={receipt.who} when={receipt.when} what={receipt.what} testId="accompaniment-receipt">
          {receipt.note && <p className="muted">{receipt.note}</p>}
        </Receipt>
      )}
      <div className="panel" role="note" data-testid="accompaniment-legal-basis">
        <p className="panel__title">
          <Icon name="info" />
          {t("accompaniment.legalBasisTitle")}
        </p>
        <p>{data.legal_basis}</p>
      </div>
      {orders}
      <PriceList list={data.price_list} />
      {centrale && <PriceListEditor current={data.price_list} onDone={setReceipt} />}
      {commune && <OrderForm key={preselected} screen={data} preselectedCallOff={preselected} onDone={setReceipt} />}
    </>
  );
}

export function Accompaniment({ query }: ScreenProps) {
  const t = useT();
  const screen = useCommand(async () => api.accompaniment(), []);
  const preselected = query.get("commande") ?? "";
  return (
    <Page title={t("accompaniment.title")} intro={<p>{t("accompaniment.intro")}</p>}>
      {screen.error && <ErrorPanel error={screen.error} onRetry={screen.reload} />}
      {screen.loading && !screen.data && <Loading />}
      {screen.data && <ScreenView data={screen.data} preselected={preselected} />}
    </Page>
  );
}
