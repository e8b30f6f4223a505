import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { formatInteger } from "../../../format";
import { BAR_CHART, HorizontalBarChart, panelWidth, type BarRow } from "./HorizontalBarChart";
import { formatEuros } from "./scale";

const rows: BarRow[] = [
  { key: "84009", label: "Bertrix", values: [10, 2_000_000] },
  { key: "81001", label: "Arlon", values: [5, 500_000] },
  { key: "84010", label: "Saint-Léger-en-Gaume-sur-Semois", values: [0, 0] },
];

function draw(over: Partial<Parameters<typeof HorizontalBarChart>[0]> = {}) {
  return render(
    <HorizontalBarChart
      title="Commandes par commune"
      testId="chart"
      summary="Bertrix en tête avec 10 commandes."
      measures={[
        { key: "orders", label: "Commandes envoyées", format: formatInteger },
        { key: "amount", label: "Montant attribué (€ HTVA)", format: formatEuros },
      ]}
      rows={rows}
      table={{
        caption: "Commandes par commune",
        columns: [{ label: "Commune" }, { label: "Commandes", numeric: true }],
        rows: rows.map((r) => ({ key: r.key, cells: [r.label, String(r.values[0])] })),
        total: ["Total", "15"],
      }}
      empty="Aucune commande."
      {...over}
    />,
  );
}

function bar(container: HTMLElement, row: string, measure: string): SVGRectElement {
  const el = container.querySelector<SVGRectElement>(`[data-row="${row}"] rect[data-measure="${measure}"]`);
  if (!el) throw new Error(`no bar ${row}/${measure}`);
  return el;
}

const width = (el: Element) => Number(el.getAttribute("width"));

describe("HorizontalBarChart", () => {
  it("draws bars in proportion to their values, each measure on its own scale", () => {
    const { container } = draw();
    const full = panelWidth(2) - BAR_CHART.valueRoom;
    // The largest value of each measure takes the whole length.
    expect(width(bar(container, "84009", "orders"))).toBeCloseTo(full);
    expect(width(bar(container, "84009", "amount"))).toBeCloseTo(full);
    // 5 orders out of 10: half; 5 000 € out of 20 000 €: a quarter.
    expect(width(bar(container, "81001", "orders"))).toBeCloseTo(full / 2);
    expect(width(bar(container, "81001", "amount"))).toBeCloseTo(full / 4);
    // Zero: no bar, but the value is still written.
    expect(width(bar(container, "84010", "orders"))).toBe(0);
    // The second panel starts after the first one.
    expect(Number(bar(container, "84009", "amount").getAttribute("x"))).toBeCloseTo(
      BAR_CHART.labelWidth + panelWidth(2) + BAR_CHART.gap,
    );
  });

  it("writes each value at the end of its bar, the Belgian way, and the panels' headings", () => {
    const { container } = draw();
    const bertrix = container.querySelector('[data-row="84009"]');
    expect(bertrix).toHaveTextContent("Bertrix");
    expect(bertrix).toHaveTextContent("10");
    expect(bertrix).toHaveTextContent("20 000 €");
    expect(screen.getByTestId("chart-svg")).toHaveTextContent("Montant attribué (€ HTVA)");
    // A long name is cut on the drawing; its full text is in a tooltip and in the table.
    const cut = container.querySelector('[data-row="84010"] text.chart__label');
    expect(cut?.lastChild?.textContent).toBe("Saint-Léger-en-Gaume-sur-…");
    expect(cut?.querySelector("title")?.textContent).toBe("Saint-Léger-en-Gaume-sur-Semois");
  });

  it("is an image with a summary in words, and its data as a table under « Voir les données »", async () => {
    const user = userEvent.setup();
    draw();
    const section = screen.getByTestId("chart");
    expect(within(section).getByRole("heading", { name: "Commandes par commune" })).toBeInTheDocument();
    expect(within(section).getByRole("img", { name: "Bertrix en tête avec 10 commandes." })).toBeInTheDocument();
    const details = screen.getByTestId("chart-data");
    expect(details).not.toHaveAttribute("open");
    await user.click(within(details).getByText("Voir les données"));
    expect(details).toHaveAttribute("open");
    const table = within(details).getByRole("table");
    const lines = within(table).getAllByRole("row");
    expect(lines).toHaveLength(5); // header, three rows, total
    expect(within(lines[1]!).getByRole("rowheader")).toHaveTextContent("Bertrix");
    expect(lines[4]).toHaveTextContent("Total15");
    // The legend says which colour is which measure.
    expect(section).toHaveTextContent("Commandes envoyées");
  });

  it("says so when there is nothing to draw", () => {
    draw({ rows: [] });
    expect(screen.getByTestId("chart-empty")).toHaveTextContent("Aucune commande.");
    expect(screen.queryByRole("img")).not.toBeInTheDocument();
    expect(screen.queryByTestId("chart-data")).not.toBeInTheDocument();
  });
});
