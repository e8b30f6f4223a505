import { screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import { mockBackend } from "../test/api";
import { appState, me } from "../test/fixtures";
import { orderRow } from "../test/orderFixtures";
import { renderApp } from "../test/render";

vi.mock("../api");

beforeEach(() => {
  mockBackend();
});

describe("Commandes", () => {
  it("with no order, says to browse the catalogue, and offers « Nouvelle commande »", async () => {
    renderApp("/commandes");
    const empty = await screen.findByTestId("orders-empty");
    expect(empty).toHaveTextContent("Aucune commande. Parcourez le catalogue pour commencer.");
    expect(within(empty).getByRole("link", { name: "Parcourir le catalogue" })).toHaveAttribute("href", "#/catalogue");
    expect(screen.getByTestId("new-order")).toHaveTextContent("Nouvelle commande");
    expect(screen.getByTestId("new-order")).toHaveAttribute("href", "#/commandes/nouvelle");
    expect(api.orders).toHaveBeenCalledWith({ statuses: [] });
  });

  it("groups the orders by stage, each with its service, status, next action, who acts and the deadline", async () => {
    vi.mocked(api.orders).mockResolvedValue([
      orderRow({
        id: "o-2",
        title: "Capteurs de parking",
        service_name: "Stationnement intelligent",
        status: "competition_open",
        next_action: { code: "wait_offers", by: "provider", due_at: "2027-03-14T11:00:00Z", due_on: null },
        submitted_at: "2027-03-02T09:00:00Z",
      }),
      orderRow({ id: "o-1", pending: true }),
      orderRow({
        id: "o-3",
        title: "Wi-Fi public",
        status: "deploying",
        service_name: null,
        next_action: { code: "follow_deployment", by: "provider", due_at: null, due_on: "2027-05-02" },
      }),
    ]);
    renderApp("/commandes");
    const rows = await screen.findAllByTestId("order-row");
    // In the order of an order's life: draft, competition, deployment.
    expect(rows.map((r) => r.getAttribute("data-order-id"))).toEqual(["o-1", "o-2", "o-3"]);
    const groups = screen.getAllByTestId("orders-group");
    expect(groups.map((g) => g.getAttribute("data-status"))).toEqual(["draft", "competition_open", "deploying"]);
    expect(within(groups[1]!).getByRole("heading", { level: 2 })).toHaveTextContent("Remise en concurrence en cours");

    const [draft, competition, deploying] = rows as [HTMLElement, HTMLElement, HTMLElement];
    expect(within(draft).getByRole("link", { name: "E-guichet état civil 2027" })).toHaveAttribute("href", "#/commandes/o-1");
    expect(draft).toHaveTextContent("Brouillon");
    expect(draft).toHaveTextContent("Envoyer la demande à la centrale");
    expect(draft).toHaveTextContent("Qui : Votre commune");
    expect(draft).toHaveTextContent("Pas encore envoyé au serveur");
    expect(within(draft).getByRole("link", { name: "Modifier le brouillon" })).toHaveAttribute("href", "#/commandes/o-1/modifier");

    expect(competition).toHaveTextContent("Service : Stationnement intelligent");
    expect(competition).toHaveTextContent("Qui : Le prestataire");
    expect(within(competition).getByTestId("order-row-next-due")).toHaveTextContent("Avant le 14/03/2027 à 12:00 (heure de Bruxelles)");
    expect(deploying).toHaveTextContent("Pour le 02/05/2027");
    expect(deploying).toHaveTextContent("Service non disponible sur cet ordinateur");
  });

  it("filters on one stage", async () => {
    vi.mocked(api.orders).mockResolvedValue([orderRow({ id: "o-1" }), orderRow({ id: "o-2", status: "awarded", next_action: null })]);
    const { user } = renderApp("/commandes");
    await screen.findAllByTestId("order-row");
    const filter = screen.getByTestId("orders-filter");
    expect(within(filter).getAllByRole("option").map((o) => o.textContent)).toEqual(["Toutes les étapes (2)", "Brouillon (1)", "Attribuée (1)"]);
    await user.selectOptions(filter, "awarded");
    const rows = screen.getAllByTestId("order-row");
    expect(rows.map((r) => r.getAttribute("data-order-id"))).toEqual(["o-2"]);
    expect(rows[0]).toHaveTextContent("Plus aucune étape");
  });

  it("accounts outside a commune see the list without « Nouvelle commande »", async () => {
    vi.mocked(api.appState).mockResolvedValue(appState({ session: me({ role: "centrale_staff", commune_nis: null }) }));
    renderApp("/commandes");
    await screen.findByTestId("orders-empty");
    expect(screen.queryByTestId("new-order")).not.toBeInTheDocument();
  });
});
