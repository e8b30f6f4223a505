/**
 * The pooled offers side by side, for the centrale once the offers are opened and it has
 * declared: one column per provider, the same rows in the same order — each unit price (the
 * same for every commune), the pooled total (what every commune would pay, summed), the lead
 * time, the notes — the better value on each row marked in words; once analysed, the quality
 * points, the total points and the rank at the bottom, the ranking in a sentence above.
 * An offer set aside stays in its column, marked so, and is never marked best; until a
 * commune's collège has awarded, the centrale may set an offer aside from its column
 * (pool/SetPooledOfferAside.tsx).
 */
import { useState, type ReactNode } from "react";
import { Button } from "../../components/Button";
import { Money } from "../../components/Money";
import { StatusTag } from "../../components/StatusTag";
import { formatDecimal } from "../../format";
import { useT } from "../../i18n";
import type { PoolPage } from "../../bindings/PoolPage";
import type { PooledOfferView } from "../../bindings/PooledOfferView";
import type { ReceiptData } from "../orders/Actions";
import { Marker, providerLabel, rankLabel } from "../orders/common";
import { SetPooledOfferAsideDialog } from "./SetPooledOfferAside";

/** The price lines the offers price, in the pooled volume's order, then any other. */
function lineCodes(page: PoolPage): { code: string; label: string }[] {
  const out = page.pooled.map((q) => ({ code: q.price_line_code, label: q.label }));
  for (const o of page.offers) {
    for (const u of o.unit_prices) {
      if (!out.some((l) => l.code === u.price_line_code)) out.push({ code: u.price_line_code, label: u.label });
    }
  }
  return out;
}

/** The lowest of the values (ties included); nothing to mark with a single offer. */
function lowest(values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length > 1 ? Math.min(...known) : null;
}

type Row = { key: string; label: string; cell: (o: PooledOfferView) => ReactNode };

/**
 * `canSetAside`: the centrale may set an offer aside now (declared, offers opened or analysed,
 * no collège has awarded yet).
 */
export function PoolOffers({ page, canSetAside = false, onDone }: { page: PoolPage; canSetAside?: boolean; onDone?: (r: ReceiptData) => void }) {
  const t = useT();
  const [chosen, setChosen] = useState<PooledOfferView | null>(null);
  const offers = page.offers;
  /** The value of the offers still in competition (an offer set aside is never the best). */
  const compared = (value: (o: PooledOfferView) => number | null) => offers.map((o) => (o.set_aside ? null : value(o)));
  const analysed = page.evaluated !== null;
  const lines = lineCodes(page);
  const quality = page.criteria.filter((c) => !c.is_price);
  const unitPrice = (o: PooledOfferView, code: string) => o.unit_prices.find((u) => u.price_line_code === code)?.unit_price_cents ?? null;

  const rows: Row[] = [];
  for (const l of lines) {
    const best = lowest(compared((o) => unitPrice(o, l.code)));
    rows.push({
      key: `line-${l.code}`,
      label: t("pools.offers.unitPrice", { line: l.label }),
      cell: (o) => {
        const price = unitPrice(o, l.code);
        if (price === null) return <span className="muted">{t("orders.compare.notPriced")}</span>;
        return (
          <>
            <Money cents={price} basis="htva" />
            {best !== null && !o.set_aside && price === best && (
              <p className="cell-markers">
                <Marker tone="best" icon="check">
                  {t("orders.compare.bestPrice")}
                </Marker>
              </p>
            )}
          </>
        );
      },
    });
  }
  const bestTotal = lowest(compared((o) => o.total_excl_vat));
  rows.push({
    key: "total",
    label: t("pools.offers.total"),
    cell: (o) => (
      <>
        <strong>
          <Money cents={o.total_excl_vat} basis="htva" />
        </strong>
        {bestTotal !== null && !o.set_aside && o.total_excl_vat === bestTotal && (
          <p className="cell-markers">
            <Marker tone="best" icon="check" testId="pool-offer-lowest">
              {t("orders.compare.lowestTotal")}
            </Marker>
          </p>
        )}
      </>
    ),
  });
  const bestLead = lowest(compared((o) => o.lead_time_days));
  rows.push({
    key: "lead-time",
    label: t("orders.compare.leadTime"),
    cell: (o) => (
      <>
        {t("orders.compare.days", { count: o.lead_time_days })}
        {bestLead !== null && !o.set_aside && o.lead_time_days === bestLead && (
          <p className="cell-markers">
            <Marker tone="best" icon="check">
              {t("orders.compare.shortestLeadTime")}
            </Marker>
          </p>
        )}
      </>
    ),
  });
  rows.push({
    key: "notes",
    label: t("orders.compare.notes"),
    cell: (o) => (o.notes.trim() ? <span className="pre-line">{o.notes}</span> : <span className="muted">{t("orders.compare.noNotes")}</span>),
  });
  if (analysed) {
    for (const c of quality) {
      rows.push({
        key: `criterion-${c.code}`,
        label: t("orders.compare.criterion", { label: c.label, weight: String(c.weight) }),
        cell: (o) => {
          const q = o.quality.find((x) => x.criterion_code === c.code);
          return q ? t("orders.compare.points", { points: formatDecimal(q.points), weight: String(c.weight) }) : <span className="muted">—</span>;
        },
      });
    }
    rows.push({
      key: "points",
      label: t("orders.compare.weightedTotal"),
      cell: (o) => (o.points !== null ? <strong>{t("pools.offers.pointsOf100", { points: formatDecimal(o.points) })}</strong> : <span className="muted">—</span>),
    });
    rows.push({
      key: "rank",
      label: t("pools.offers.rank"),
      cell: (o) =>
        o.rank !== null ? (
          <>
            <strong>{rankLabel(t, o.rank)}</strong>
            {o.rank === 1 && (
              <p className="cell-markers">
                <Marker tone="best" icon="check" testId="pool-offer-first">
                  {t("orders.compare.rankedFirst")}
                </Marker>
              </p>
            )}
          </>
        ) : (
          <span className="muted">—</span>
        ),
    });
  }

  const setAsideOpen = canSetAside && onDone !== undefined;
  if (setAsideOpen || offers.some((o) => o.set_aside)) {
    rows.push({
      key: "set-aside",
      label: t("pools.setAside.row"),
      cell: (o) =>
        o.set_aside ? (
          <span data-testid="pool-offer-set-aside">{t("pools.setAside.done")}</span>
        ) : setAsideOpen ? (
          <Button variant="secondary" onClick={() => setChosen(o)} data-testid="pool-set-aside-open" data-provider-id={o.provider_id}>
            {t("pools.setAside.button", { provider: providerLabel(t, o.provider_name || null) })}
          </Button>
        ) : (
          <span className="muted">—</span>
        ),
    });
  }

  const label = t("pools.offers.label", { count: offers.length });
  const first = offers.find((o) => o.rank === 1);
  return (
    <section className="section" aria-labelledby="pool-offers-title" data-testid="pool-offers">
      <h2 id="pool-offers-title">{t("pools.offers.title", { count: offers.length })}</h2>
      {offers.length === 0 ? (
        <p className="panel" data-testid="pool-offers-none">
          {t("pools.offers.none")}
        </p>
      ) : (
        <>
          <p>{t("pools.offers.intro")}</p>
          {analysed && first && (
            <p className="lead" data-testid="pool-ranking">
              {t("pools.offers.ranking", { provider: providerLabel(t, first.provider_name || null), points: formatDecimal(first.points ?? "0") })}
            </p>
          )}
          {/* Focusable so that a keyboard can scroll it sideways in a narrow window (WCAG 2.1.1). */}
          {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
          <div className="comparison-region" role="region" aria-label={label} tabIndex={0}>
            <table className="comparison" data-testid="pool-offers-table" data-offers={offers.length}>
              <caption className="visually-hidden">{label}</caption>
              <thead>
                <tr className="comparison__row comparison__row--head">
                  <th scope="col" className="comparison__label">
                    {t("orders.compare.offer")}
                  </th>
                  {offers.map((o) => (
                    <th scope="col" className={`comparison__cell comparison__offer${o.rank === 1 ? " comparison__offer--first" : ""}`} key={o.provider_id} data-testid="pool-offer-column" data-provider-id={o.provider_id}>
                      {providerLabel(t, o.provider_name || null)}
                      {o.set_aside && (
                        <span className="block">
                          <StatusTag tone="neutral" label={t("pools.setAside.tag")} testId="pool-offer-set-aside-tag" />
                        </span>
                      )}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr className="comparison__row" key={r.key} data-row={r.key}>
                    <th scope="row" className="comparison__label">
                      {r.label}
                    </th>
                    {offers.map((o) => (
                      <td className="comparison__cell" key={o.provider_id} data-testid="pool-offer-cell" data-provider-id={o.provider_id} data-row={r.key}>
                        {r.cell(o)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {setAsideOpen && <p className="muted" data-testid="pool-set-aside-explain">{t("pools.setAside.explain")}</p>}
        </>
      )}
      {chosen && onDone && <SetPooledOfferAsideDialog page={page} offer={chosen} onClose={() => setChosen(null)} onDone={onDone} />}
    </section>
  );
}
