import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { MONTH_CHART, MonthChart, yOf } from "./MonthChart";

const months = ["2026-01", "2026-02", "2026-03", "2026-04"];
// The geometry the drawing is made on.
const baseline = MONTH_CHART.height - MONTH_CHART.bottom;
const plotHeight = MONTH_CHART.height - MONTH_CHART.top - MONTH_CHART.bottom;

function draw(over: Partial<Parameters<typeof MonthChart>[0]> = {}) {
  return render(
    <MonthChart
      title="Délai par mois"
      testId="chart"
      summary="Délai médian de 15 jours, promesse de 20 jours."
      months={months}
      columns={{
        label: "Délai médian du mois",
        values: [15, 30, null, 10],
        labels: ["15", "30", null, "10"],
      }}
      alert={[false, true, false, false]}
      alertLabel="Au-delà de la promesse"
      reference={{ value: 20, label: "Promesse : 20 jours" }}
      yLabel="Jours (médiane)"
      xLabel="Mois de l'attribution"
      table={{
        caption: "Délai par mois",
        columns: [{ label: "Mois" }, { label: "Délai médian", numeric: true }],
        rows: months.map((m) => ({ key: m, cells: [m, "…"] })),
      }}
      empty="Aucune attribution."
      {...over}
    />,
  );
}

function column(container: HTMLElement, month: string) {
  return container.querySelector<SVGRectElement>(`rect.chart__column[data-month="${month}"]`);
}

describe("MonthChart", () => {
  it("draws the dashed reference line at its height on the axis (0 to 30 here)", () => {
    draw();
    const line = screen.getByTestId("chart-reference");
    // 20 on an axis up to 30: two thirds of the plot's height above the baseline.
    const expected = baseline - (20 / 30) * plotHeight;
    expect(Number(line.getAttribute("y1"))).toBeCloseTo(expected);
    expect(Number(line.getAttribute("y2"))).toBeCloseTo(expected);
    expect(line).toHaveAttribute("stroke-dasharray");
    expect(screen.getByTestId("chart-svg")).toHaveTextContent("Promesse : 20 jours");
  });

  it("raises the axis to include the reference when every value is below it", () => {
    draw({ columns: { label: "Délai", values: [5, 8, 6, 7], labels: ["5", "8", "6", "7"] }, alert: undefined });
    // Axis up to 20 (the reference): the line sits on the top of the plot.
    expect(Number(screen.getByTestId("chart-reference").getAttribute("y1"))).toBeCloseTo(baseline - plotHeight);
  });

  it("draws columns in proportion, none for a month without value, alert ones marked", () => {
    const { container } = draw();
    const jan = column(container, "2026-01");
    const feb = column(container, "2026-02");
    const apr = column(container, "2026-04");
    expect(Number(feb?.getAttribute("height"))).toBeCloseTo(plotHeight);
    expect(Number(jan?.getAttribute("height"))).toBeCloseTo(plotHeight / 2);
    expect(Number(apr?.getAttribute("height"))).toBeCloseTo(plotHeight / 3);
    expect(Number(jan?.getAttribute("y"))).toBeCloseTo(yOf(15, 30));
    expect(column(container, "2026-03")).toBeNull();
    expect(feb).toHaveClass("chart__column--alert");
    expect(jan).not.toHaveClass("chart__column--alert");
    // The alert is in the legend, in words.
    expect(screen.getByTestId("chart")).toHaveTextContent("Au-delà de la promesse");
  });

  it("draws a line broken where a month has no value", () => {
    const { container } = draw({
      columns: undefined,
      reference: undefined,
      line: { label: "Communes adhérentes", values: [2, 3, null, 5], labels: ["2", "3", null, "5"] },
    });
    const pieces = container.querySelectorAll("polyline.chart__line");
    expect(pieces).toHaveLength(2);
    expect(pieces[0]?.getAttribute("points")?.split(" ")).toHaveLength(2);
    expect(container.querySelectorAll("circle.chart__dot")).toHaveLength(3);
    const dot = container.querySelector('circle[data-month="2026-04"]');
    // Axis 0–6 (steps of 2): 5 is five sixths of the way up.
    expect(Number(dot?.getAttribute("cy"))).toBeCloseTo(baseline - (5 / 6) * plotHeight);
  });

  it("names the months in French, the axes, and sums itself up for screen readers", () => {
    draw();
    const svg = screen.getByRole("img", { name: "Délai médian de 15 jours, promesse de 20 jours." });
    expect(svg).toHaveTextContent("janv.");
    expect(svg).toHaveTextContent("2026");
    expect(svg).toHaveTextContent("avr.");
    expect(svg).toHaveTextContent("Jours (médiane)");
    expect(svg).toHaveTextContent("Mois de l'attribution");
    const data = screen.getByTestId("chart-data");
    expect(within(data).getByText("Voir les données")).toBeInTheDocument();
    expect(within(data).getAllByRole("row")).toHaveLength(5);
  });

  it("says so when there are no months", () => {
    draw({ months: [] });
    expect(screen.getByTestId("chart-empty")).toHaveTextContent("Aucune attribution.");
    expect(screen.queryByRole("img")).not.toBeInTheDocument();
  });
});
