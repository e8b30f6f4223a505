import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import { mockBackend } from "../test/api";
import type { CommuneRow } from "../bindings/CommuneRow";
import { appState, centraleState, me } from "../test/fixtures";
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

  it("draws a hundred orders of a stage at a time, the rest on demand, and still counts them all", async () => {
    vi.mocked(api.orders).mockResolvedValue(
      Array.from({ length: 250 }, (_, i) => orderRow({ id: `o-${i}`, title: `Brouillon ${i + 1}` })),
    );
    renderApp("/commandes");
    await screen.findAllByTestId("order-row");
    expect(screen.getAllByTestId("order-row")).toHaveLength(100);
    expect(screen.getByTestId("orders-group")).toHaveTextContent("250 commandes");
    expect(screen.getByTestId("orders-filter")).toHaveTextContent("Toutes les étapes (250)");
    const more = screen.getByTestId("orders-more");
    expect(more).toHaveTextContent("Afficher 100 commandes de plus (sur 150 pas encore affichées)");
    more.click();
    await waitFor(() => expect(screen.getAllByTestId("order-row")).toHaveLength(200));
    expect(screen.getByTestId("orders-more")).toHaveTextContent("Afficher 50 commandes de plus (sur 50 pas encore affichées)");
    screen.getByTestId("orders-more").click();
    await waitFor(() => expect(screen.getAllByTestId("order-row")).toHaveLength(250));
    expect(screen.queryByTestId("orders-more")).not.toBeInTheDocument();
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
    expect(draft).toHaveTextContent("Pas encore envoyé à l'intercommunale");
    expect(within(draft).getByRole("link", { name: "Modifier le brouillon" })).toHaveAttribute("href", "#/commandes/o-1/modifier");

    expect(competition).toHaveTextContent("Service : Stationnement intelligent");
    expect(competition).toHaveTextContent("Qui : Le prestataire");
    expect(within(competition).getByTestId("order-row-next-due")).toHaveTextContent("Avant le 14/03/2027 à 12:00 (heure de Bruxelles)");
    expect(deploying).toHaveTextContent("Pour le 02/05/2027");
    expect(deploying).toHaveTextContent("Service non disponible sur ce PC");
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

const commune = (nis: string, name: string): CommuneRow => ({ ...appState().commune!, nis_code: nis, name_fr: name, name_nl: name });

describe("Commandes — the centrale's queue", () => {
  const rows = () => [
    orderRow({
      id: "o-award",
      title: "Wi-Fi public",
      commune_nis: "84009",
      status: "awarded",
      submitted_at: "2027-02-01T09:00:00Z",
      next_action: { code: "issue_purchase_order", by: "centrale", due_at: null, due_on: null },
    }),
    orderRow({
      id: "o-new",
      title: "E-guichet 2027",
      commune_nis: "92094",
      status: "submitted",
      submitted_at: "2027-03-10T09:00:00Z",
      next_action: { code: "launch_competition", by: "centrale", due_at: null, due_on: null },
    }),
    orderRow({
      id: "o-old",
      title: "Capteurs de parking",
      commune_nis: "81001",
      status: "submitted",
      submitted_at: "2027-03-01T09:00:00Z",
      next_action: { code: "launch_competition", by: "centrale", due_at: null, due_on: null },
    }),
    orderRow({
      id: "o-late-deadline",
      title: "Vidéoprotection",
      commune_nis: "92094",
      status: "competition_open",
      submitted_at: "2027-02-01T09:00:00Z",
      next_action: { code: "wait_offers", by: "provider", due_at: "2027-04-02T10:00:00Z", due_on: null },
    }),
    orderRow({
      id: "o-soon-deadline",
      title: "Éclairage intelligent",
      commune_nis: "84009",
      status: "competition_open",
      submitted_at: "2027-02-20T09:00:00Z",
      next_action: { code: "wait_offers", by: "provider", due_at: "2027-03-14T11:00:00Z", due_on: null },
    }),
    orderRow({ id: "o-eval", title: "Participation", commune_nis: "92094", status: "offers_opened", next_action: { code: "evaluate", by: "commune", due_at: null, due_on: null } }),
  ];

  beforeEach(() => {
    vi.mocked(api.appState).mockResolvedValue(centraleState());
    vi.mocked(api.communes).mockResolvedValue([commune("92094", "Namur"), commune("84009", "Bertrix")]);
    vi.mocked(api.orders).mockResolvedValue(rows());
  });

  const ids = () => screen.getAllByTestId("order-row").map((r) => r.getAttribute("data-order-id"));

  it("shows by default what waits for the centrale: competitions to launch (oldest first), then purchase orders, each with its commune", async () => {
    renderApp("/commandes");
    await screen.findAllByTestId("order-row");
    expect(screen.getByTestId("orders-queue-centrale")).toBeChecked();
    expect(screen.getByTestId("orders-queue-filter")).toHaveTextContent("À traiter par la centrale (3)");
    expect(screen.getByTestId("orders-queue-filter")).toHaveTextContent("En concurrence (2)");
    expect(screen.getByTestId("orders-queue-filter")).toHaveTextContent("Toutes (6)");
    expect(ids()).toEqual(["o-old", "o-new", "o-award"]);
    const groups = screen.getAllByTestId("orders-group");
    expect(groups.map((g) => within(g).getByRole("heading", { level: 2 }).textContent)).toEqual([
      "Remises en concurrence à lancer 2 commandes",
      "Bons de commande à émettre 1 commande",
    ]);
    await waitFor(() => expect(screen.getAllByTestId("order-commune").map((c) => c.textContent)).toEqual([
      "Commune 81001 (pas encore sur ce PC)",
      "Namur",
      "Bertrix",
    ]));
    const [old] = screen.getAllByTestId("order-row");
    expect(old).toHaveTextContent("La centrale lance la remise en concurrence");
    expect(old).toHaveTextContent("Qui : Vous (la centrale d'achat)");
    expect(within(old!).getByRole("link", { name: "Capteurs de parking" })).toHaveAttribute("href", "#/commandes/o-old");
    expect(screen.queryByTestId("new-order")).not.toBeInTheDocument();
    expect(screen.queryByTestId("orders-filter")).not.toBeInTheDocument();
  });

  it("« En concurrence »: the offers awaited, soonest deadline first, with the deadline", async () => {
    const { user } = renderApp("/commandes");
    await screen.findAllByTestId("order-row");
    await user.click(screen.getByTestId("orders-queue-competition"));
    expect(ids()).toEqual(["o-soon-deadline", "o-late-deadline"]);
    const [soon] = screen.getAllByTestId("order-row");
    expect(within(soon!).getByTestId("order-row-deadline")).toHaveTextContent("Date limite : 14/03/2027 à 12:00 (heure de Bruxelles)");
    expect(soon).toHaveTextContent("Qui : Le prestataire");
    expect(await within(soon!).findByTestId("order-commune")).toHaveTextContent("Bertrix");
  });

  it("« Toutes »: every order by stage, with the stage filter; the commune's step names the commune", async () => {
    const { user } = renderApp("/commandes");
    await screen.findAllByTestId("order-row");
    await user.click(screen.getByTestId("orders-queue-all"));
    expect(ids()).toEqual(["o-new", "o-old", "o-late-deadline", "o-soon-deadline", "o-eval", "o-award"]);
    const evaluating = screen.getAllByTestId("order-row").find((r) => r.getAttribute("data-order-id") === "o-eval")!;
    await waitFor(() => expect(evaluating).toHaveTextContent("Qui : La commune de Namur"));
    await user.selectOptions(screen.getByTestId("orders-filter"), "awarded");
    expect(ids()).toEqual(["o-award"]);
  });

  it("says when nothing waits for the centrale", async () => {
    vi.mocked(api.orders).mockResolvedValue([rows()[3]!]);
    const { user } = renderApp("/commandes");
    expect(await screen.findByTestId("orders-queue-empty")).toHaveTextContent("Rien à traiter : aucune demande n'attend la centrale.");
    expect(screen.queryByTestId("order-row")).not.toBeInTheDocument();
    await user.click(screen.getByTestId("orders-queue-competition"));
    expect(ids()).toEqual(["o-late-deadline"]);
  });

  it("a commune account keeps its list: no queue, no commune column, and the communes are not read", async () => {
    vi.mocked(api.appState).mockResolvedValue(appState());
    renderApp("/commandes");
    await screen.findAllByTestId("order-row");
    expect(screen.queryByTestId("orders-queue-filter")).not.toBeInTheDocument();
    expect(screen.queryByTestId("order-commune")).not.toBeInTheDocument();
    expect(screen.getByTestId("orders-filter")).toBeInTheDocument();
    expect(ids()).toHaveLength(6);
    expect(api.communes).not.toHaveBeenCalled();
  });
});
