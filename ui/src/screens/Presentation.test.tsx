import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import { mockBackend } from "../test/api";
import { competitionDetail, evaluatedDetail, OFFER_A, OFFER_B, ORDER_ID } from "../test/orderFixtures";
import { renderApp } from "../test/render";

vi.mock("../api");

beforeEach(() => {
  mockBackend();
  vi.mocked(api.orderDetail).mockResolvedValue(evaluatedDetail());
});

describe("Presentation mode", () => {
  it("shows the comparison large, without navigation chrome", async () => {
    renderApp(`/commandes/${ORDER_ID}/presentation`);
    const comparison = await screen.findByTestId("offer-comparison");
    expect(screen.getByTestId("page-title")).toHaveTextContent("E-guichet état civil 2027");
    expect(screen.queryByRole("navigation")).not.toBeInTheDocument();
    expect(screen.queryByTestId("sync-bar")).not.toBeInTheDocument();
    expect(comparison).toHaveClass("comparison--presentation");
    const columns = within(comparison).getAllByTestId("offer-column");
    expect(columns.map((c) => c.getAttribute("data-offer-id"))).toEqual([OFFER_A, OFFER_B]);
    // The totals and the ranking: a table at the foot, first-ranked first.
    const summary = screen.getByTestId("presentation-summary");
    expect(within(summary).getByRole("table", { name: "Totaux et classement" })).toBeInTheDocument();
    expect(within(summary).getAllByRole("columnheader").map((h) => h.textContent)).toEqual(["Offre", "Total HTVA", "Total TVAC", "Total pondéré", "Classement"]);
    const rows = within(summary).getAllByTestId("presentation-summary-row");
    expect(rows.map((r) => r.getAttribute("data-offer-id"))).toEqual([OFFER_A, OFFER_B]);
    expect(within(rows[0]!).getByRole("rowheader")).toHaveTextContent("Atelier Numérique SA");
    expect(rows[0]).toHaveTextContent("6 000,00 € HTVA");
    expect(rows[0]).toHaveTextContent("90,00 / 100");
    expect(rows[0]).toHaveTextContent("1re");
    expect(screen.getByTestId("presentation-winner")).toHaveTextContent("Atelier Numérique SA est classée 1re, avec 90,00 points sur 100.");
    expect(screen.getByTestId("presentation-exit")).toHaveTextContent("Quitter la présentation");
  });

  it("leaves on Esc, back to the order", async () => {
    const { user } = renderApp(`/commandes/${ORDER_ID}/presentation`);
    await screen.findByTestId("offer-comparison");
    await user.keyboard("{Escape}");
    await waitFor(() => expect(window.location.hash).toBe(`#/commandes/${ORDER_ID}`));
  });

  it("leaves with « Quitter la présentation », reachable by keyboard", async () => {
    const { user } = renderApp(`/commandes/${ORDER_ID}/presentation`);
    await screen.findByTestId("offer-comparison");
    screen.getByTestId("presentation-exit").focus();
    await user.keyboard("{Enter}");
    await waitFor(() => expect(window.location.hash).toBe(`#/commandes/${ORDER_ID}`));
  });

  it("before the opening, says the offers are sealed until the deadline", async () => {
    vi.mocked(api.orderDetail).mockResolvedValue(competitionDetail());
    renderApp(`/commandes/${ORDER_ID}/presentation`);
    expect(await screen.findByTestId("presentation-empty")).toHaveTextContent(
      "Les offres sont scellées jusqu'au 14/03/2027 à 12:00 (heure de Bruxelles).",
    );
  });

  it("goes full screen while presenting, and back to a window when leaving", async () => {
    const { user } = renderApp(`/commandes/${ORDER_ID}/presentation`);
    await screen.findByTestId("offer-comparison");
    expect(api.setFullscreen).toHaveBeenCalledWith(true);
    await user.keyboard("{Escape}");
    await waitFor(() => expect(api.setFullscreen).toHaveBeenLastCalledWith(false));
  });

  it("pages through the comparison with a clicker's keys, the totals and the ranking in the band on every page (issue 15.6)", async () => {
    const { user } = renderApp(`/commandes/${ORDER_ID}/presentation`);
    const comparison = await screen.findByTestId("offer-comparison");
    const rowsShown = () =>
      within(screen.getByTestId("offer-comparison"))
        .getAllByTestId("comparison-row-label")
        .map((r) => r.getAttribute("data-row"));
    const summaryRows = () => within(screen.getByTestId("presentation-summary")).getAllByTestId("presentation-summary-row").length;

    // Page 1: the first price line (one per page: a projector shows it with the totals).
    expect(screen.getByTestId("presentation-page")).toHaveTextContent("Page 1 sur 5 — Les prix (1 sur 2)");
    expect(rowsShown()).toEqual(["provider", "line-licence"]);
    expect(comparison).toHaveTextContent("Atelier Numérique SA");
    expect(summaryRows()).toBe(2);

    // A clicker's « next » (PageDown), then the arrow: the second line, lead time and remarks.
    await user.keyboard("{PageDown}");
    expect(screen.getByTestId("presentation-page")).toHaveTextContent("Page 2 sur 5 — Les prix (2 sur 2)");
    expect(rowsShown()).toEqual(["provider", "line-setup"]);
    expect(summaryRows()).toBe(2);
    await user.keyboard("{ArrowRight}");
    expect(screen.getByTestId("presentation-page")).toHaveTextContent("Page 3 sur 5 — Délai de mise en œuvre et remarques");
    expect(rowsShown()).toEqual(["provider", "lead-time", "notes"]);
    expect(summaryRows()).toBe(2);
    // Then each criterion, with the reasons of the quality scores read out to the collège.
    await user.keyboard("{ArrowRight}");
    expect(screen.getByTestId("presentation-page")).toHaveTextContent("Page 4 sur 5 — Les critères d'attribution et leurs motifs (1 sur 2)");
    expect(rowsShown()).toEqual(["provider", "criterion-price"]);
    await user.keyboard("{ArrowRight}");
    expect(rowsShown()).toEqual(["provider", "criterion-quality"]);
    expect(screen.getByTestId("offer-comparison")).toHaveTextContent("Solide, hébergement belge.");
    expect(screen.getByTestId("presentation-summary")).toHaveTextContent("90,00 / 100");

    // The last page stays the last; ← and Home go back.
    await user.keyboard("{ArrowRight}");
    expect(screen.getByTestId("presentation-page")).toHaveTextContent("Page 5 sur 5");
    expect(screen.getByTestId("presentation-next")).toBeDisabled();
    await user.keyboard("{ArrowLeft}");
    expect(screen.getByTestId("presentation-page")).toHaveTextContent("Page 4 sur 5");
    await user.keyboard("{Home}");
    expect(screen.getByTestId("presentation-page")).toHaveTextContent("Page 1 sur 5");
    expect(screen.getByTestId("presentation-previous")).toBeDisabled();
  });

  it("pages with the buttons too", async () => {
    const { user } = renderApp(`/commandes/${ORDER_ID}/presentation`);
    await screen.findByTestId("offer-comparison");
    await user.click(screen.getByTestId("presentation-next"));
    expect(screen.getByTestId("presentation-page")).toHaveTextContent("Page 2 sur 5");
    await user.click(screen.getByTestId("presentation-previous"));
    expect(screen.getByTestId("presentation-page")).toHaveTextContent("Page 1 sur 5");
  });
});
