/**
 * The opened offers side by side: one column per offer, the same rows in the same order —
 * the price lines (unit price and line amounts HTVA and TVAC, the framework's ceiling beside
 * each), totals HTVA and TVAC, lead time, notes, the score on each award criterion (the price
 * score computed by the framework's formula), the weighted total and the rank. On each row
 * the better value is marked with an icon and a word, never by colour alone.
 *
 * A real table (issue 15, point 8): each offer's name is a column header (`offer-column`),
 * each row's name a row header, so a screen reader says « Total HTVA, Atelier Numérique SA »
 * on a cell. In a narrow window (or text at 200 %) the table scrolls sideways inside its own
 * region with the row names held at the left: a comparison needs both of its dimensions.
 */
import type { ReactNode } from "react";
import { DateText } from "../../components/DateText";
import { Money } from "../../components/Money";
import { StatusTag } from "../../components/StatusTag";
import { formatDecimal, formatMoney } from "../../format";
import { useT, type Translate } from "../../i18n";
import type { Amount } from "../../bindings/Amount";
import type { CriterionView } from "../../bindings/CriterionView";
import type { OfferCell } from "../../bindings/OfferCell";
import type { OfferColumn } from "../../bindings/OfferColumn";
import type { OrderDetail } from "../../bindings/OrderDetail";
import type { PriceFormula } from "../../bindings/PriceFormula";
import { INTEROPERABILITY_LABELS, PRICE_FORMULAS } from "../../bindings/rules";
import { solutionLabel } from "../../components/InteroperabilitySheets";
import type { RankedOffer } from "../../bindings/RankedOffer";
import { Marker, providerLabel, rankLabel } from "./common";
import { compareDecimal, priceScore, priceScoreAgainstCeiling } from "./numbers";

type Variant = "page" | "presentation";

/** One row: its header (the row's name) and each offer's cell. */
type Row = {
  key: string;
  kind: string;
  label: ReactNode;
  cell: (column: OfferColumn, index: number) => ReactNode;
};

/** The row keys, shared with presentation mode's pages. */
export const lineRowKey = (code: string) => `line-${code}`;
export const criterionRowKey = (code: string) => `criterion-${code}`;

/** The criteria the order is evaluated on: those of the evaluation, else the terms'. */
export function criteriaOf(detail: OrderDetail): CriterionView[] {
  if (detail.evaluation && detail.evaluation.criteria.length > 0) return detail.evaluation.criteria;
  return detail.terms?.criteria ?? [];
}

/** Which of `values` are the best (true), with a tie when every value is the best. */
function bestOf<T>(values: (T | null)[], better: (a: T, b: T) => number): { best: boolean[]; tie: boolean } {
  let top: T | null = null;
  for (const v of values) if (v !== null && (top === null || better(v, top) > 0)) top = v;
  const best = values.map((v) => v !== null && top !== null && better(v, top) === 0);
  const present = values.filter((v) => v !== null).length;
  return { best, tie: present > 1 && best.every((b, i) => b || values[i] === null) };
}

function BestMarker({ best, tie, word, testId }: { best: boolean; tie: boolean; word: string; testId?: string }) {
  const t = useT();
  if (!best) return null;
  if (tie)
    return (
      <Marker tone="tie" icon="pending" testId={testId ? `${testId}-tie` : undefined}>
        {t("orders.compare.tie")}
      </Marker>
    );
  return (
    <Marker tone="best" icon="check" testId={testId}>
      {word}
    </Marker>
  );
}

/** A price with the framework's ceiling beside it. */
function PriceWithCeiling({ label, cents, basis, ceiling }: { label: string; cents: number; basis: "htva" | "tvac"; ceiling: number | null | undefined }) {
  const t = useT();
  return (
    <div className="price-line">
      <span className="price-line__label">{label}</span>{" "}
      <span className="price-line__value">
        <Money cents={cents} basis={basis} />
      </span>
      {ceiling !== null && ceiling !== undefined && (
        <>
          {" "}
          <span className="price-line__ceiling">{t("orders.compare.ceilingBeside", { ceiling: formatMoney(ceiling, basis) })}</span>
        </>
      )}
    </div>
  );
}

function LineCell({
  cell,
  lineCeiling,
  best,
  tie,
  variant,
  offerId,
  code,
}: {
  cell: OfferCell | null;
  lineCeiling: Amount | null;
  best: boolean;
  tie: boolean;
  variant: Variant;
  offerId: string;
  code: string;
}) {
  const t = useT();
  if (!cell) return <p className="muted">{t("orders.compare.notPriced")}</p>;
  return (
    <div data-testid="offer-line" data-offer-id={offerId} data-line-code={code}>
      {variant === "page" ? (
        <>
          <PriceWithCeiling label={t("orders.compare.unitPrice")} cents={cell.unit_price_excl_vat} basis="htva" ceiling={cell.ceiling_excl_vat} />
          <PriceWithCeiling label={t("orders.compare.lineAmount")} cents={cell.amount.excl_vat} basis="htva" ceiling={lineCeiling?.excl_vat} />
          <PriceWithCeiling label={t("orders.compare.lineAmount")} cents={cell.amount.incl_vat} basis="tvac" ceiling={lineCeiling?.incl_vat} />
        </>
      ) : (
        <>
          {/* Presentation: the line's amount first, the unit price and its ceiling under it. */}
          <p className="total-value">
            <Money cents={cell.amount.excl_vat} basis="htva" />
          </p>
          <p className="price-line__ceiling">
            {t("orders.compare.unitDetail", {
              price: formatMoney(cell.unit_price_excl_vat, "htva"),
              ceiling: cell.ceiling_excl_vat !== null ? formatMoney(cell.ceiling_excl_vat, "htva") : "—",
            })}
          </p>
        </>
      )}
      <p className="cell-markers">
        <BestMarker best={best} tie={tie} word={t("orders.compare.bestPrice")} testId="offer-best" />
        {!cell.within_ceiling && (
          <Marker tone="warning" icon="warning" testId="offer-above-ceiling">
            {t("orders.compare.aboveCeiling")}
          </Marker>
        )}
      </p>
    </div>
  );
}

/** The key of the comparison's row of the solutions' interoperability (issue 16 §1). */
export const INTEROPERABILITY_ROW = "interoperability";

export function Comparison({
  detail,
  variant = "page",
  only,
}: {
  detail: OrderDetail;
  variant?: Variant;
  /** Presentation mode's page: the keys of the rows to show (all when absent), in their order. */
  only?: ReadonlySet<string>;
}) {
  const t = useT();
  const { columns, rows: lines } = detail.comparison;
  const criteria = criteriaOf(detail);
  const ranking = new Map<string, RankedOffer>((detail.evaluation?.ranking ?? []).map((r) => [r.offer_id, r]));
  const evaluated = detail.evaluation !== null && ranking.size > 0;
  const lineCeilings = new Map<string, Amount | null>(detail.needs.lines.map((l) => [l.price_line_code, l.amount_at_ceiling]));
  const lowest = columns.length ? Math.min(...columns.map((c) => c.total.excl_vat)) : 0;
  // The pinned version's formula (issue 11 rule 8); terms not on this PC: the relative one.
  const formula: PriceFormula = detail.terms?.price_formula ?? "relative";
  const byLowerCents = (a: number, b: number) => b - a;

  const rows: Row[] = [];

  rows.push({
    key: "provider",
    kind: "head",
    label: <span>{t("orders.compare.offer")}</span>,
    cell: (c) => (
      <div className="offer-head">
        <h3 className="offer-head__name" id={`offer-${c.offer_id}-name`}>
          {providerLabel(t, c.provider_name)}
        </h3>
        {variant === "page" && (
          <p className="offer-head__meta">
            {t("orders.compare.submittedAt")} <DateText value={c.submitted_at} kind="datetime" />
            {c.revision > 1 && <> {t("orders.compare.revision", { revision: String(c.revision) })}</>}
          </p>
        )}
        {c.pending && <StatusTag tone="pending" label={t("common.notSynced")} />}
      </div>
    ),
  });

  for (const line of lines) {
    const marks = bestOf(line.cells.map((cell) => cell?.unit_price_excl_vat ?? null), byLowerCents);
    const name = line.label ?? line.price_line_code;
    rows.push({
      key: lineRowKey(line.price_line_code),
      kind: "line",
      label: (
        <>
          <span className="row-label__main">{name}</span>
          <span className="row-label__sub">{t("orders.compare.quantity", { quantity: formatDecimal(line.quantity), unit: line.unit ?? "" })}</span>
          {line.recurrence && line.recurrence !== "one_off" && line.contract_months !== null && (
            <span className="row-label__sub" data-testid="compare-over-contract">
              {t(`orders.compare.overContract.${line.recurrence}`, { months: line.contract_months })}
            </span>
          )}
          {line.ceiling_excl_vat !== null && variant === "page" && (
            <span className="row-label__sub">
              {t("orders.compare.unitCeiling", {
                htva: formatMoney(line.ceiling_excl_vat, "htva"),
                tvac: line.ceiling_incl_vat !== null ? formatMoney(line.ceiling_incl_vat, "tvac") : "",
              })}
            </span>
          )}
        </>
      ),
      cell: (c, i) => (
        <LineCell
          cell={line.cells[i] ?? null}
          lineCeiling={lineCeilings.get(line.price_line_code) ?? null}
          best={marks.best[i] ?? false}
          tie={marks.tie}
          variant={variant}
          offerId={c.offer_id}
          code={line.price_line_code}
        />
      ),
    });
  }

  const totalHt = bestOf(columns.map((c) => c.total.excl_vat), byLowerCents);
  const totalTtc = bestOf(columns.map((c) => c.total.incl_vat), byLowerCents);
  const ceilingTotal = detail.needs.total_at_ceilings;
  rows.push({
    key: "total-htva",
    kind: "total",
    label: <span className="row-label__main">{t("orders.compare.totalHtva")}</span>,
    cell: (c, i) => (
      <div>
        <p className="total-value" data-testid="offer-total-htva" data-offer-id={c.offer_id}>
          <Money cents={c.total.excl_vat} basis="htva" />
        </p>
        {ceilingTotal.excl_vat > 0 && <p className="price-line__ceiling">{t("orders.compare.ceilingBeside", { ceiling: formatMoney(ceilingTotal.excl_vat, "htva") })}</p>}
        <p className="cell-markers">
          <BestMarker best={totalHt.best[i] ?? false} tie={totalHt.tie} word={t("orders.compare.lowestTotal")} testId="offer-best" />
        </p>
      </div>
    ),
  });
  rows.push({
    key: "total-tvac",
    kind: "total",
    label: <span className="row-label__main">{t("orders.compare.totalTvac")}</span>,
    cell: (c, i) => (
      <div>
        <p className="total-value" data-testid="offer-total-tvac" data-offer-id={c.offer_id}>
          <Money cents={c.total.incl_vat} basis="tvac" />
        </p>
        {ceilingTotal.incl_vat > 0 && <p className="price-line__ceiling">{t("orders.compare.ceilingBeside", { ceiling: formatMoney(ceilingTotal.incl_vat, "tvac") })}</p>}
        <p className="cell-markers">
          <BestMarker best={totalTtc.best[i] ?? false} tie={totalTtc.tie} word={t("orders.compare.lowestTotal")} testId="offer-best" />
        </p>
      </div>
    ),
  });

  const lead = bestOf(columns.map((c) => c.lead_time_days), byLowerCents);
  rows.push({
    key: "lead-time",
    kind: "plain",
    label: (
      <>
        <span className="row-label__main">{t("orders.compare.leadTime")}</span>
        <span className="row-label__sub">{t("orders.compare.leadTimeHint")}</span>
      </>
    ),
    cell: (c, i) => (
      <div>
        <p className="plain-value" data-testid="offer-lead-time" data-offer-id={c.offer_id}>
          {t("orders.compare.days", { count: c.lead_time_days })}
        </p>
        <p className="cell-markers">
          <BestMarker best={lead.best[i] ?? false} tie={lead.tie} word={t("orders.compare.shortestLeadTime")} testId="offer-best" />
        </p>
      </div>
    ),
  });

  rows.push({
    key: "notes",
    kind: "notes",
    label: <span className="row-label__main">{t("orders.compare.notes")}</span>,
    cell: (c) =>
      c.notes.trim() ? (
        <p className="offer-notes" data-testid="offer-notes" data-offer-id={c.offer_id}>
          {c.notes}
        </p>
      ) : (
        <p className="muted">{t("orders.compare.noNotes")}</p>
      ),
  });

  // Issue 16 §1: each solution's interoperability, as the centrale recorded it with the pinned
  // version — information for the collège, not a score.
  const sheets = new Map(detail.interoperability.map((s) => [s.provider_id, s]));
  if (detail.interoperability.some((s) => s.sheet !== null)) {
    rows.push({
      key: INTEROPERABILITY_ROW,
      kind: "plain",
      label: (
        <>
          <span className="row-label__main">{t("orders.compare.interoperability")}</span>
          <span className="row-label__sub">{t("orders.compare.interoperabilityHint")}</span>
        </>
      ),
      cell: (c) => {
        const view = sheets.get(c.provider_id);
        const sheet = view?.sheet ?? null;
        if (!view || !sheet) return <p className="muted">{t("orders.compare.noSheet")}</p>;
        const checked = sheet.checks.length;
        return (
          <div data-testid="offer-interoperability" data-offer-id={c.offer_id}>
            <p className="plain-value">{sheet.solution_name}</p>
            <p className="row-label__sub">
              {t("orders.compare.sheetSummary", {
                hosting: INTEROPERABILITY_LABELS.hosting[sheet.hosting],
                count: checked,
              })}
            </p>
            {view.fits_running.length > 0 ? (
              <p className="cell-markers">
                <Marker tone="best" icon="check" testId="offer-fits">
                  {t("orders.compare.fitsRunning", { names: view.fits_running.map((l) => solutionLabel(t, l)).join(" ; ") })}
                </Marker>
              </p>
            ) : (
              <p className="muted">{t("orders.compare.fitsNothing")}</p>
            )}
          </div>
        );
      },
    });
  }

  for (const criterion of criteria) {
    const points = columns.map((c) => {
      const score = ranking.get(c.offer_id)?.scores.find((s) => s.criterion_code === criterion.code);
      if (score) return score.points;
      if (criterion.kind === "price")
        return formula === "against_ceiling"
          ? priceScoreAgainstCeiling(criterion.weight, detail.needs.total_at_ceilings.excl_vat, c.total.excl_vat)
          : priceScore(criterion.weight, lowest, c.total.excl_vat);
      return null;
    });
    const marks = bestOf(points, compareDecimal);
    const isPrice = criterion.kind === "price";
    rows.push({
      key: criterionRowKey(criterion.code),
      kind: "score",
      label: (
        <>
          <span className="row-label__main">{t("orders.compare.criterion", { label: criterion.label, weight: String(criterion.weight) })}</span>
          <span className="row-label__sub">
            {isPrice
              ? t(formula === "against_ceiling" ? "orders.compare.priceFormulaCeiling" : "orders.compare.priceFormula", { weight: String(criterion.weight) })
              : t("orders.compare.qualityHint")}
          </span>
          {isPrice && (
            <span className="row-label__sub muted" data-testid="price-formula-statement" data-formula={formula}>
              {PRICE_FORMULAS[formula]}
            </span>
          )}
        </>
      ),
      cell: (c, i) => {
        const value = points[i] ?? null;
        const justification = ranking.get(c.offer_id)?.scores.find((s) => s.criterion_code === criterion.code)?.justification;
        return (
          <div>
            <p className="plain-value" data-testid="offer-score" data-offer-id={c.offer_id} data-criterion={criterion.code}>
              {value === null ? (
                <span className="muted">{t("orders.compare.toEvaluate")}</span>
              ) : (
                t("orders.compare.points", { points: formatDecimal(value), weight: String(criterion.weight) })
              )}
            </p>
            {isPrice && !evaluated && <p className="row-label__sub">{t("orders.compare.computed")}</p>}
            {justification && <p className="justification">{justification}</p>}
            <p className="cell-markers">
              <BestMarker best={marks.best[i] ?? false} tie={marks.tie} word={t("orders.compare.bestScore")} testId="offer-best" />
            </p>
          </div>
        );
      },
    });
  }

  const totals = bestOf(
    columns.map((c) => ranking.get(c.offer_id)?.total ?? null),
    compareDecimal,
  );
  rows.push({
    key: "weighted-total",
    kind: "total",
    label: (
      <>
        <span className="row-label__main">{t("orders.compare.weightedTotal")}</span>
        <span className="row-label__sub">{t("orders.compare.weightedTotalHint")}</span>
      </>
    ),
    cell: (c, i) => {
      const r = ranking.get(c.offer_id);
      return (
        <div>
          <p className="total-value" data-testid="offer-weighted-total" data-offer-id={c.offer_id}>
            {r ? t("orders.compare.points", { points: formatDecimal(r.total), weight: "100" }) : <span className="muted">{t("orders.compare.afterEvaluation")}</span>}
          </p>
          <p className="cell-markers">
            <BestMarker best={totals.best[i] ?? false} tie={totals.tie} word={t("orders.compare.bestTotal")} testId="offer-best" />
          </p>
        </div>
      );
    },
  });

  rows.push({
    key: "rank",
    kind: "rank",
    label: <span className="row-label__main">{t("orders.compare.rank")}</span>,
    cell: (c) => {
      const rank = c.rank ?? ranking.get(c.offer_id)?.rank ?? null;
      return (
        <div>
          <p className="rank-value" data-testid="offer-rank" data-offer-id={c.offer_id} data-rank={rank ?? ""}>
            {rank === null ? <span className="muted">{t("orders.compare.afterEvaluation")}</span> : rankLabel(t, rank)}
          </p>
          {rank === 1 && (
            <p className="cell-markers">
              <Marker tone="best" icon="check" testId="offer-best">
                {t("orders.compare.rankedFirst")}
              </Marker>
            </p>
          )}
        </div>
      );
    },
  });

  const shown = only ? rows.filter((r) => only.has(r.key)) : rows;
  // The offers' names head the table; every other row is a body row.
  const head = shown.find((r) => r.kind === "head");
  const body = shown.filter((r) => r.kind !== "head");
  const label = t("orders.compare.label", { count: columns.length });
  return (
    // Focusable so that a keyboard can scroll it sideways in a narrow window (WCAG 2.1.1).
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
    <div className={`comparison-region comparison-region--${variant}`} role="region" aria-label={label} tabIndex={0}>
      <table className={`comparison comparison--${variant}`} data-testid="offer-comparison" data-offers={columns.length}>
        <caption className="visually-hidden">{label}</caption>
        {head && (
          <thead>
            <tr className={`comparison__row comparison__row--${head.kind}`} data-row={head.key}>
              <th scope="col" className="comparison__label" data-testid="comparison-row-label" data-row={head.key}>
                {head.label}
              </th>
              {columns.map((c, i) => (
                <th
                  scope="col"
                  className={`comparison__cell comparison__offer${c.rank === 1 ? " comparison__offer--first" : ""}`}
                  key={c.offer_id}
                  data-testid="offer-column"
                  data-offer-id={c.offer_id}
                >
                  {head.cell(c, i)}
                </th>
              ))}
            </tr>
          </thead>
        )}
        <tbody>
          {body.map((r) => (
            <tr className={`comparison__row comparison__row--${r.kind}`} key={r.key} data-row={r.key}>
              <th scope="row" className="comparison__label" data-testid="comparison-row-label" data-row={r.key}>
                {r.label}
              </th>
              {columns.map((c, i) => (
                <td className="comparison__cell" key={c.offer_id} data-testid="offer-cell" data-offer-id={c.offer_id} data-row={r.key}>
                  {r.cell(c, i)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** « Prestataire B, classée 1re avec 83 points sur 100 » — for the award's summary. */
export function rankingSentence(t: Translate, r: RankedOffer): string {
  return t("orders.award.rankedSentence", {
    provider: providerLabel(t, r.provider_name),
    rank: rankLabel(t, r.rank),
    total: formatDecimal(r.total),
  });
}
