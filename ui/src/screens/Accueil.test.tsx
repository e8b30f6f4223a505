import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import { askEarly, firstReads } from "../early";
import { mockBackend } from "../test/api";
import { emptyHome, syncStatus } from "../test/fixtures";
import { renderApp } from "../test/render";

vi.mock("../api");

let backend: ReturnType<typeof mockBackend>;
beforeEach(() => {
  backend = mockBackend();
});

describe("Accueil", () => {
  it("with no order, says to browse the catalogue", async () => {
    renderApp("/");
    const orders = await screen.findByTestId("home-orders");
    expect(orders).toHaveTextContent("Aucune commande. Parcourez le catalogue pour commencer.");
    expect(within(orders).getByRole("link", { name: "Parcourir le catalogue" })).toHaveAttribute("href", "#/catalogue");
    expect(screen.getByTestId("home-deployments")).toHaveTextContent("Aucun déploiement en cours");
  });

  it("is the window's first frame when the state and the orders were read before it opened", async () => {
    vi.mocked(api.home).mockResolvedValue(emptyHome({ next_actions_total: 0 }));
    askEarly("#/");
    await firstReads(10_000);
    renderApp("/");
    // The first render is the Accueil with its orders, not the app's « Chargement… » first.
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("Accueil");
    expect(screen.getByTestId("home-orders")).toBeInTheDocument();
    await vi.waitFor(() => expect(api.firstScreenShown).toHaveBeenCalledTimes(1));
    expect(api.appState).toHaveBeenCalledTimes(1);
    expect(api.home).toHaveBeenCalledTimes(1);
  });

  it("tells the app once its orders are drawn, not before (the start's time, in the support log)", async () => {
    let answer: (home: ReturnType<typeof emptyHome>) => void = () => undefined;
    vi.mocked(api.home).mockReturnValue(new Promise((resolve) => (answer = resolve)));
    renderApp("/");
    await screen.findByRole("heading", { level: 1 });
    await new Promise((r) => requestAnimationFrame(r));
    expect(api.firstScreenShown).not.toHaveBeenCalled();
    answer(emptyHome());
    await screen.findByTestId("home-orders");
    await vi.waitFor(() => expect(api.firstScreenShown).toHaveBeenCalledTimes(1));
  });

  it("shows the adhesion in words with what remains to be done", async () => {
    vi.mocked(api.home).mockResolvedValue(
      emptyHome({ adhesion: { status: "draft", next_step: "commune_signatures", allows_orders: false } }),
    );
    renderApp("/");
    const adhesion = await screen.findByTestId("home-adhesion");
    expect(adhesion).toHaveTextContent("En préparation");
    expect(adhesion).toHaveTextContent("Votre commune ne peut pas encore commander.");
    expect(adhesion).toHaveTextContent("Faire signer la convention par le bourgmestre et le directeur général.");
    expect(within(adhesion).getByRole("link", { name: "Voir la convention d'adhésion" })).toHaveAttribute("href", "#/adhesion");
  });

  it("says how to start when there is no adhesion", async () => {
    vi.mocked(api.home).mockResolvedValue(emptyHome({ adhesion: null }));
    renderApp("/");
    const adhesion = await screen.findByTestId("home-adhesion");
    expect(adhesion).toHaveTextContent("n'a pas encore de convention d'adhésion");
    expect(within(adhesion).getByRole("link", { name: "Commencer l'adhésion" })).toBeInTheDocument();
  });

  it("lists an order with its status, its next action, who acts and the deadline", async () => {
    vi.mocked(api.home).mockResolvedValue(
      emptyHome({
        orders_by_status: [
          { status: "draft", count: 1 },
          { status: "competition_open", count: 1 },
        ],
        next_actions: [
          {
            order_id: "o-1",
            title: "E-guichet état civil",
            service_name: "E-guichet",
            status: "competition_open",
            action: { code: "wait_offers", by: "provider", due_at: "2027-03-14T11:00:00Z", due_on: null },
            overdue: false,
            pending: false,
          },
          {
            order_id: "o-2",
            title: "Stationnement intelligent",
            service_name: null,
            status: "draft",
            action: { code: "submit", by: "commune", due_at: null, due_on: null },
            overdue: false,
            pending: true,
          },
        ],
        next_actions_total: 2,
      }),
    );
    renderApp("/");
    const orders = await screen.findByTestId("home-orders");
    expect(within(orders).queryByTestId("home-actions-more")).not.toBeInTheDocument();
    const counts = within(orders).getAllByTestId("home-order-count");
    expect(counts[0]).toHaveTextContent("1Brouillon");
    expect(counts[1]).toHaveTextContent("1Remise en concurrence en cours");

    const [first, second] = within(orders).getAllByTestId("home-action");
    expect(within(first!).getByRole("link", { name: "E-guichet état civil" })).toHaveAttribute("href", "#/commandes/o-1");
    expect(first).toHaveTextContent("Remise en concurrence — les prestataires remettent leurs offres");
    expect(first).toHaveTextContent("Qui : Le prestataire");
    expect(within(first!).getByTestId("home-action-due")).toHaveTextContent(
      "Avant le 14/03/2027 à 12:00 (heure de Bruxelles)",
    );
    expect(second).toHaveTextContent("Envoyer la demande à la centrale");
    expect(second).toHaveTextContent("Qui : Votre commune");
    expect(second).toHaveTextContent("Pas encore envoyé à l'intercommunale");
  });

  it("lists the most urgent orders and says how many more wait (issue 19 §5)", async () => {
    vi.mocked(api.home).mockResolvedValue(
      emptyHome({
        orders_by_status: [{ status: "draft", count: 1000 }],
        next_actions: [
          {
            order_id: "o-9",
            title: "Brouillon 9",
            service_name: null,
            status: "draft",
            action: { code: "submit", by: "commune", due_at: null, due_on: null },
            overdue: false,
            pending: false,
          },
        ],
        next_actions_total: 1000,
      }),
    );
    renderApp("/");
    const orders = await screen.findByTestId("home-orders");
    expect(within(orders).getAllByTestId("home-action")).toHaveLength(1);
    expect(within(orders).getByTestId("home-actions-more")).toHaveTextContent("Et 999 autres commandes attendent une action.");
    expect(within(orders).getByRole("link", { name: "Voir toutes les commandes" })).toHaveAttribute("href", "#/commandes");
  });

  it("shows a deployment's progress in words", async () => {
    vi.mocked(api.home).mockResolvedValue(
      emptyHome({
        orders_by_status: [{ status: "deploying", count: 1 }],
        deployments: [
          {
            order_id: "o-3",
            title: "E-guichet",
            service_name: "E-guichet",
            provider_name: "Prestataire B",
            status: "deploying",
            progress: { done: 2, total: 7, late: 1 },
            next_milestone: { kind: "training", planned_date: "2027-03-01", late: true },
          },
        ],
      }),
    );
    renderApp("/");
    const deployments = await screen.findByTestId("home-deployments");
    expect(within(deployments).getByRole("progressbar")).toHaveAttribute("aria-valuenow", "2");
    expect(deployments).toHaveTextContent("2 étapes terminées sur 7");
    expect(deployments).toHaveTextContent("1 étape en retard");
    expect(deployments).toHaveTextContent("Prochaine étape : Formation, prévue le 01/03/2027");
    expect(deployments).toHaveTextContent("Prestataire : Prestataire B");
  });

  it("lists the first deployments and leads to all of them, counted", async () => {
    const summary = (i: number) => ({
      order_id: `d-${i}`,
      title: `Déploiement ${i}`,
      service_name: "E-guichet",
      provider_name: "Prestataire B",
      status: "deploying" as const,
      progress: { done: 0, total: 7, late: 0 },
      next_milestone: null,
    });
    vi.mocked(api.home).mockResolvedValue(emptyHome({ deployments: [1, 2, 3, 4, 5].map(summary), deployments_total: 12 }));
    renderApp("/");
    const deployments = await screen.findByTestId("home-deployments");
    expect(within(deployments).getAllByRole("progressbar")).toHaveLength(5);
    expect(within(deployments).getByTestId("home-deployments-all")).toHaveTextContent("Voir le suivi des 12 déploiements en cours");
    expect(within(deployments).getByTestId("home-deployments-all")).toHaveAttribute("href", "#/deploiement");
  });

  it("shows what waits to be sent and re-reads on data-changed", async () => {
    vi.mocked(api.syncStatus).mockResolvedValue(syncStatus({ pending: 2, needs_attention: 1 }));
    renderApp("/");
    const pending = await screen.findByTestId("home-pending");
    expect(await within(pending).findByTestId("home-pending-count")).toHaveTextContent("2 modifications en attente d'envoi");
    expect(within(pending).getByRole("link", { name: /1 modification à régler/ })).toHaveAttribute("href", "#/a-regler");

    expect(api.home).toHaveBeenCalledTimes(1);
    vi.mocked(api.home).mockResolvedValue(emptyHome({ orders_by_status: [{ status: "draft", count: 1 }] }));
    backend.emitDataChanged();
    expect(await screen.findByTestId("home-order-count")).toHaveTextContent("Brouillon");
  });

  it("shows where the province's communes stand, its own outlined, no link to the others", async () => {
    vi.mocked(api.standings).mockResolvedValue([
      { nis_code: "81001", name_fr: "Arlon", adhesion: "joined", joined_since: "2026-01-05", awarded_call_offs: 2, own: false },
      { nis_code: "84009", name_fr: "Bertrix", adhesion: "joined", joined_since: "2026-03-02", awarded_call_offs: 1, own: true },
      { nis_code: "84077", name_fr: "Libramont-Chevigny", adhesion: "in_progress", joined_since: null, awarded_call_offs: 0, own: false },
      { nis_code: "85046", name_fr: "Virton", adhesion: "none", joined_since: null, awarded_call_offs: 0, own: false },
    ]);
    renderApp("/");
    const section = await screen.findByTestId("standings-map-section");
    expect(within(section).getByRole("heading", { name: "Les communes de la province" })).toBeInTheDocument();
    const map = within(section).getByTestId("standings-map");
    // By adhesion first: each commune's state, its own named « votre commune » and outlined.
    expect(within(map).getByRole("img", { name: "Bertrix (votre commune) : Adhérente (depuis le 02/03/2026)" })).toBeInTheDocument();
    expect(within(map).getByRole("img", { name: "Libramont-Chevigny : Adhésion en cours" })).toBeInTheDocument();
    expect(within(map).getByRole("img", { name: "Virton : Pas encore adhérente" })).toBeInTheDocument();
    const own = within(map).getAllByTestId("standings-map-own");
    expect(own.map((p) => p.getAttribute("data-nis"))).toEqual(["84009"]);
    // No link: a commune opens no other commune's page.
    expect(within(map).queryAllByRole("link")).toHaveLength(0);
    const legend = within(section).getByTestId("standings-map-legend");
    expect(legend).toHaveTextContent("Adhérente (2)");
    expect(legend).toHaveTextContent("Adhésion en cours (1)");
    expect(legend).toHaveTextContent("Votre commune");
    // The same facts as a table.
    const table = within(section).getByTestId("standings-map-data");
    expect(table).toHaveTextContent("Bertrix (votre commune)");
    expect(table).toHaveTextContent("depuis le 05/01/2026");

    // By call-offs awarded.
    await userEvent.setup().click(within(section).getByTestId("standings-map-by-orders"));
    expect(await within(map).findByRole("img", { name: "Arlon : Au moins une commande attribuée (2 commandes attribuées)" })).toBeInTheDocument();
    expect(within(map).getByRole("img", { name: "Virton : Aucune commande attribuée" })).toBeInTheDocument();
    expect(within(section).getByTestId("standings-map-legend")).toHaveTextContent("Au moins une commande attribuée (2)");
    expect(within(section).getByTestId("standings-map-by")).toHaveTextContent("leurs commandes attribuées");
  });

  it("shows no map while no commune is on this PC", async () => {
    renderApp("/");
    await screen.findByTestId("home-orders");
    expect(screen.queryByTestId("standings-map-section")).toBeNull();
  });
});
