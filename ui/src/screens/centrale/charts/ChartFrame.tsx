/**
 * What every chart of the overview shares: a titled section, the drawing (an SVG with
 * `role="img"` and a summary in words), a legend in words, and « Voir les données »: the same
 * figures as a table, for screen readers and for whoever prefers to read numbers.
 */
import { useId, type ReactNode } from "react";
import { useT } from "../../../i18n";
import "./charts.css";

/** One column of a chart's data table. */
export type DataColumn = { label: string; numeric?: boolean };

/** The data table of a chart: header, rows of formatted cells, an optional total row. */
export type DataTable = {
  caption: string;
  columns: DataColumn[];
  rows: { key: string; cells: string[] }[];
  total?: string[];
};

/** One entry of a legend: a swatch (its look comes from `swatch`, a CSS modifier) and words. */
export type LegendItem = { key: string; label: string; swatch: "bar" | "bar-alt" | "alert" | "line" | "reference" };

/** The figures as a table, folded under « Voir les données ». */
export function ChartData({ table, testId }: { table: DataTable; testId?: string }) {
  const t = useT();
  return (
    <details className="chart__data" data-testid={testId}>
      <summary>{t("overview.chart.showData")}</summary>
      {/* Scrolls sideways when the text is enlarged: focusable so that the keyboard can scroll it. */}
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
      <div className="table-wrap" tabIndex={0} role="region" aria-label={table.caption}>
        <table className="table">
          <caption className="chart__caption">{table.caption}</caption>
          <thead>
            <tr>
              {table.columns.map((c) => (
                <th key={c.label} scope="col" className={c.numeric ? "num" : undefined}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row) => (
              <tr key={row.key}>
                {row.cells.map((cell, i) =>
                  i === 0 ? (
                    <th key={i} scope="row">
                      {cell}
                    </th>
                  ) : (
                    <td key={i} className={table.columns[i]?.numeric ? "num" : undefined}>
                      {cell}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
          {table.total && (
            <tfoot>
              <tr>
                {table.total.map((cell, i) =>
                  i === 0 ? (
                    <th key={i} scope="row">
                      {cell}
                    </th>
                  ) : (
                    <td key={i} className={table.columns[i]?.numeric ? "num" : undefined}>
                      {cell}
                    </td>
                  ),
                )}
              </tr>
            </tfoot>
          )}
        </table>
      </div>
    </details>
  );
}

/** What each colour and line of the drawing means, in words. */
export function Legend({ items }: { items: LegendItem[] }) {
  if (items.length === 0) return null;
  return (
    <ul className="chart__legend">
      {items.map((item) => (
        <li key={item.key} className="chart__legend-item">
          <span className={`chart__swatch chart__swatch--${item.swatch}`} aria-hidden="true" />
          {item.label}
        </li>
      ))}
    </ul>
  );
}

/**
 * A chart's section: its heading, then either the drawing with its legend and data, or the
 * `empty` sentence when there is nothing to draw.
 */
export function ChartSection({
  title,
  testId,
  intro,
  empty,
  children,
  footer,
}: {
  title: string;
  testId: string;
  intro?: ReactNode;
  /** Shown instead of the drawing when set. */
  empty?: string | null;
  children?: ReactNode;
  /** After the drawing (or the empty sentence). */
  footer?: ReactNode;
}) {
  const titleId = useId();
  return (
    <section className="chart" data-testid={testId} aria-labelledby={titleId}>
      <h2 className="chart__title" id={titleId}>
        {title}
      </h2>
      {intro}
      {empty ? (
        <p className="chart__empty" data-testid={`${testId}-empty`}>
          {empty}
        </p>
      ) : (
        children
      )}
      {footer}
    </section>
  );
}
