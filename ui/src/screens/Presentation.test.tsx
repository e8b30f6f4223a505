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
    expect(within(columns[0]!).getByTestId("offer-total-htva")).toHaveTextContent("6 000,00 € HTVA");
    expect(within(columns[0]!).getByTestId("offer-rank")).toHaveTextContent("1re");
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
});
