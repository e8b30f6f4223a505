/**
 * What every chart of the overview shares: a titled section, the drawing (an SVG with
 * `role="img"` and a summary in words), a legend in words, and « Voir les données »: the same
 * figures as a table, for screen readers and for whoever prefers to read numbers. A chart
 * draws its own shapes inside `DrawnChart`, which puts all of this around them.
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

/** One row of a data table: the first cell heads the row, the others align as their column. */
function DataRow({ cells, columns }: { cells: string[]; columns: DataColumn[] }) {
  return (
    <tr>
      {cells.map((cell, i) =>
        i === 0 ? (
          <th key={i} scope="row">
            {cell}
          </th>
        ) : (
          <td key={i} className={columns[i]?.numeric ? "num" : undefined}>
            {cell}
          </td>
        ),
      )}
    </tr>
  );
}

/** The figures as a table, folded under « Voir les données ». */
export function ChartData({ table, testId }: { table: DataTable; testId?: string }) {
  const t = useT();
  return (
    <details className="chart__data" data-testid={testId}>
      <summary>{t("common.showChartData")}</summary>
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
              <DataRow key={row.key} cells={row.cells} columns={table.columns} />
            ))}
          </tbody>
          {table.total && (
            <tfoot>
              <DataRow cells={table.total} columns={table.columns} />
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

/** What every chart is given, whatever it draws. */
export type ChartProps = {
  title: string;
  testId: string;
  /** The drawing in one or two sentences, read by screen readers. */
  summary: string;
  table: DataTable;
  /** Shown instead of the drawing when there is nothing to draw. */
  empty: string;
  intro?: ReactNode;
  footer?: ReactNode;
};

/**
 * A chart's section around its drawing: the SVG (`width` × `height` user units, scaled to the
 * page's width) holding `children`, then the legend and the data; or the `empty` sentence
 * when `nothing` is to be drawn.
 */
export function DrawnChart({
  chart,
  nothing,
  width,
  height,
  legend,
  children,
}: {
  chart: ChartProps;
  nothing: boolean;
  width: number;
  height: number;
  legend: LegendItem[];
  children: ReactNode;
}) {
  const { title, testId, summary, table, empty, intro, footer } = chart;
  return (
    <ChartSection title={title} testId={testId} intro={intro} empty={nothing ? empty : null} footer={footer}>
      <svg
        className="chart__svg"
        role="img"
        aria-label={summary}
        viewBox={`0 0 ${width} ${height}`}
        preserveAspectRatio="xMinYMin meet"
        data-testid={`${testId}-svg`}
      >
        {children}
      </svg>
      <Legend items={legend} />
      <ChartData table={table} testId={`${testId}-data`} />
    </ChartSection>
  );
}
