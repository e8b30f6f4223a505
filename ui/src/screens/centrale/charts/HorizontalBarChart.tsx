/**
 * Horizontal bars, one row per item (a commune, a service), one panel per measure (e.g. the
 * number of orders, then the amount awarded), each panel on its own scale: the longest bar of
 * a panel is its largest value, the others in proportion. The value is written at the end of
 * each bar, so nothing is told by length alone.
 */
import { DrawnChart, type ChartProps, type LegendItem } from "./ChartFrame";
import { shorten } from "./scale";

/** A measure drawn as a panel of bars. */
export type BarMeasure = {
  key: string;
  /** The panel's heading (its axis), e.g. « Montant attribué (€ HTVA) ». */
  label: string;
  /** How a value is written at the end of its bar. */
  format: (value: number) => string;
  /** The bars' colour: the first measure in the main colour, the second in the other one. */
  tone?: "bar" | "bar-alt";
};

/** The colour of the `m`-th measure's bars. */
function toneOf(measure: BarMeasure, m: number): "bar" | "bar-alt" {
  return measure.tone ?? (m === 0 ? "bar" : "bar-alt");
}

/** One row: its label and one value per measure, in the measures' order. */
export type BarRow = { key: string; label: string; values: number[] };

/** The drawing's geometry (SVG user units; the drawing scales to the page's width). */
export const BAR_CHART = {
  width: 760,
  /** Room for the row labels on the left. */
  labelWidth: 200,
  /** Room after the longest bar for its value. */
  valueRoom: 96,
  /** Between two panels. */
  gap: 24,
  /** Above the first row, for the panels' headings. */
  headerHeight: 34,
  rowHeight: 30,
  barHeight: 18,
  /** Row labels longer than this are cut (the data table has them in full). */
  labelChars: 26,
} as const;

/** The width of one panel when there are `panels` of them. */
export function panelWidth(panels: number): number {
  const n = Math.max(1, panels);
  return (BAR_CHART.width - BAR_CHART.labelWidth - BAR_CHART.gap * (n - 1)) / n;
}

/** The length of a bar for `value` when the panel's largest value is `max`. */
export function barLength(value: number, max: number, panels: number): number {
  const full = panelWidth(panels) - BAR_CHART.valueRoom;
  if (!(max > 0) || !(value > 0)) return 0;
  // A value too small to see still shows a sliver.
  return Math.max(2, (value / max) * full);
}

export function HorizontalBarChart(props: ChartProps & { measures: BarMeasure[]; rows: BarRow[] }) {
  const { measures, rows } = props;
  const { labelWidth, headerHeight, rowHeight, barHeight, gap, labelChars } = BAR_CHART;
  const n = measures.length;
  const width = panelWidth(n);
  const height = headerHeight + rows.length * rowHeight + 8;
  const maxima = measures.map((_, m) => Math.max(0, ...rows.map((r) => r.values[m] ?? 0)));
  const panelX = (m: number) => labelWidth + m * (width + gap);

  const legend: LegendItem[] =
    n > 1
      ? measures.map((measure, m) => ({
          key: measure.key,
          label: measure.label,
          swatch: toneOf(measure, m),
        }))
      : [];

  return (
    <DrawnChart chart={props} nothing={rows.length === 0} width={BAR_CHART.width} height={height} legend={legend}>
      {measures.map((measure, m) => (
        <g key={measure.key} className="chart__panel">
          <text className="chart__axis-title" x={panelX(m)} y={headerHeight - 12}>
            {measure.label}
          </text>
          <line
            className="chart__axis"
            x1={panelX(m)}
            x2={panelX(m)}
            y1={headerHeight - 4}
            y2={headerHeight + rows.length * rowHeight}
          />
        </g>
      ))}
      {rows.map((row, r) => {
        const y = headerHeight + r * rowHeight;
        const middle = y + rowHeight / 2;
        const label = shorten(row.label, labelChars);
        return (
          <g key={row.key} className="chart__row" data-row={row.key}>
            <text className="chart__label" x={labelWidth - 10} y={middle} textAnchor="end" dominantBaseline="middle">
              {label !== row.label && <title>{row.label}</title>}
              {label}
            </text>
            {measures.map((measure, m) => {
              const value = row.values[m] ?? 0;
              const length = barLength(value, maxima[m] ?? 0, n);
              return (
                <g key={measure.key}>
                  <rect
                    className={`chart__bar chart__bar--${toneOf(measure, m)}`}
                    data-measure={measure.key}
                    data-value={value}
                    x={panelX(m)}
                    y={middle - barHeight / 2}
                    width={length}
                    height={barHeight}
                  />
                  <text className="chart__value" x={panelX(m) + length + 6} y={middle} dominantBaseline="middle">
                    {measure.format(value)}
                  </text>
                </g>
              );
            })}
          </g>
        );
      })}
    </DrawnChart>
  );
}
