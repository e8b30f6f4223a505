/**
 * Months along the bottom; a column per month, a line through the months, or both, on one
 * vertical scale from 0; optionally a dashed reference line (the 20-day promise) with its
 * label. Columns above the reference are drawn in the alert colour and also carry their value,
 * so that nothing is told by colour alone.
 */
import { DrawnChart, type ChartProps, type LegendItem } from "./ChartFrame";
import { formatMonth, niceScale, yearOf } from "./scale";

/** A series over the months: a value to draw (or none) and the words to write for it. */
export type MonthSeries = {
  label: string;
  /** One per month, in the months' order; null where there is nothing to draw. */
  values: (number | null)[];
  /** What is written for each value (formatted from the exact figure). */
  labels: (string | null)[];
};

/** The drawing's geometry (SVG user units; the drawing scales to the page's width). */
export const MONTH_CHART = {
  width: 760,
  height: 320,
  top: 28,
  right: 24,
  bottom: 64,
  left: 64,
  /** Right of the plot when there is a reference line: room for its words. */
  referenceRoom: 170,
  /** Beyond this many months, column values are not written on the drawing. */
  maxValueLabels: 18,
  /** At most about this many month names under the axis. */
  maxMonthLabels: 12,
} as const;

const plotHeight = MONTH_CHART.height - MONTH_CHART.top - MONTH_CHART.bottom;
const baseline = MONTH_CHART.height - MONTH_CHART.bottom;

/** The height on the drawing of `value` on an axis going up to `max`. */
export function yOf(value: number, max: number): number {
  if (!(max > 0)) return baseline;
  return baseline - (Math.max(0, value) / max) * plotHeight;
}

/** The axis for every value drawn and the reference. */
export function monthScale(series: (MonthSeries | undefined)[], reference?: number) {
  const values = series.flatMap((s) => s?.values ?? []).filter((v): v is number => v !== null);
  return niceScale(Math.max(0, reference ?? 0, ...values));
}

export function MonthChart(
  props: ChartProps & {
    /** `YYYY-MM`, in order. */
    months: string[];
    columns?: MonthSeries;
    /** Per month: true to draw the column in the alert colour (e.g. above the promise). */
    alert?: boolean[];
    /** The legend's words for alert columns. */
    alertLabel?: string;
    line?: MonthSeries;
    /** A dashed horizontal line, e.g. the 20-day promise. */
    reference?: { value: number; label: string };
    /** The vertical axis's title. */
    yLabel: string;
    /** The horizontal axis's title. */
    xLabel: string;
  },
) {
  const { testId, months, columns, alert, alertLabel, line, reference, yLabel, xLabel } = props;
  const scale = monthScale([columns, line], reference?.value);
  // The reference's words go right of the plot, level with the line, clear of the columns.
  const plotRight = MONTH_CHART.width - (reference ? MONTH_CHART.referenceRoom : MONTH_CHART.right);
  const plotWidth = plotRight - MONTH_CHART.left;
  const slot = months.length > 0 ? plotWidth / months.length : plotWidth;
  const columnWidth = Math.min(slot * 0.6, 44);
  const centre = (i: number) => MONTH_CHART.left + slot * (i + 0.5);
  const every = Math.max(1, Math.ceil(months.length / MONTH_CHART.maxMonthLabels));
  // Column values are written when there is room, and not under a line's dots.
  const writeValues = months.length <= MONTH_CHART.maxValueLabels && !line;
  const anyAlert = alert?.some(Boolean) ?? false;

  // The line, in pieces between months without a value.
  const pieces: { x: number; y: number }[][] = [];
  if (line) {
    let current: { x: number; y: number }[] = [];
    line.values.forEach((v, i) => {
      if (v === null) {
        if (current.length > 0) pieces.push(current);
        current = [];
      } else current.push({ x: centre(i), y: yOf(v, scale.max) });
    });
    if (current.length > 0) pieces.push(current);
  }

  const legend: LegendItem[] = [];
  if (columns) legend.push({ key: "columns", label: columns.label, swatch: "bar" });
  if (columns && anyAlert && alertLabel) legend.push({ key: "alert", label: alertLabel, swatch: "alert" });
  if (line) legend.push({ key: "line", label: line.label, swatch: "line" });
  if (reference) legend.push({ key: "reference", label: reference.label, swatch: "reference" });

  return (
    <DrawnChart chart={props} nothing={months.length === 0} width={MONTH_CHART.width} height={MONTH_CHART.height} legend={legend}>
      {/* Vertical axis: grid lines and their values. */}
      {scale.ticks.map((tick) => (
        <g key={tick} className="chart__tick">
          <line className="chart__grid" x1={MONTH_CHART.left} x2={plotRight} y1={yOf(tick, scale.max)} y2={yOf(tick, scale.max)} />
          <text className="chart__tick-label" x={MONTH_CHART.left - 8} y={yOf(tick, scale.max)} textAnchor="end" dominantBaseline="middle">
            {tick}
          </text>
        </g>
      ))}
      <text
        className="chart__axis-title"
        transform={`translate(16 ${MONTH_CHART.top + plotHeight / 2}) rotate(-90)`}
        textAnchor="middle"
      >
        {yLabel}
      </text>
      <line className="chart__axis" x1={MONTH_CHART.left} x2={plotRight} y1={baseline} y2={baseline} />

      {/* Columns. */}
      {columns?.values.map((v, i) => {
        if (v === null) return null;
        const y = yOf(v, scale.max);
        const isAlert = alert?.[i] ?? false;
        const text = columns.labels[i];
        return (
          <g key={months[i] ?? i} className="chart__month-column">
            <rect
              className={`chart__column${isAlert ? " chart__column--alert" : ""}`}
              data-month={months[i]}
              data-value={v}
              x={centre(i) - columnWidth / 2}
              y={y}
              width={columnWidth}
              height={baseline - y}
            />
            {(writeValues || isAlert) && text && (
              <text className="chart__value" x={centre(i)} y={y - 6} textAnchor="middle">
                {text}
              </text>
            )}
          </g>
        );
      })}

      {/* Line with a dot per month. */}
      {pieces.map((piece, p) => (
        <polyline key={p} className="chart__line" points={piece.map((pt) => `${pt.x},${pt.y}`).join(" ")} />
      ))}
      {line?.values.map((v, i) =>
        v === null ? null : (
          <circle key={months[i] ?? i} className="chart__dot" data-month={months[i]} data-value={v} cx={centre(i)} cy={yOf(v, scale.max)} r={4} />
        ),
      )}

      {/* The reference line, dashed, with its words. */}
      {reference && (
        <g className="chart__reference-group">
          <line
            className="chart__reference"
            data-testid={`${testId}-reference`}
            x1={MONTH_CHART.left}
            x2={plotRight}
            y1={yOf(reference.value, scale.max)}
            y2={yOf(reference.value, scale.max)}
            strokeDasharray="8 5"
          />
          <text
            className="chart__reference-label"
            x={plotRight + 8}
            y={yOf(reference.value, scale.max)}
            dominantBaseline="middle"
          >
            {reference.label}
          </text>
        </g>
      )}

      {/* Months under the axis (the year under January and under the first month). */}
      {months.map((month, i) =>
        i % every === 0 ? (
          <text key={month} className="chart__tick-label" x={centre(i)} y={baseline + 18} textAnchor="middle">
            {formatMonth(month, "shortNoYear")}
            {(i === 0 || month.endsWith("-01")) && (
              <tspan x={centre(i)} dy={16}>
                {yearOf(month)}
              </tspan>
            )}
          </text>
        ) : null,
      )}
      <text className="chart__axis-title" x={MONTH_CHART.left + plotWidth / 2} y={MONTH_CHART.height - 4} textAnchor="middle">
        {xLabel}
      </text>
    </DrawnChart>
  );
}
