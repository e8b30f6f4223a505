import { screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api";
import type { CommuneRow } from "../../bindings/CommuneRow";
import { mockBackend } from "../../test/api";
import { centraleState } from "../../test/fixtures";
import { orderRow } from "../../test/orderFixtures";
import { poolRow } from "../../test/poolFixtures";
import { renderApp } from "../../test/render";
import { communeRow, deploymentPage, deploymentRow, milestone } from "../../test/screenFixtures";

vi.mock("../../api");

const commune = (nis: string, name: string, over: Partial<CommuneRow> = {}): CommuneRow =>
  communeRow({ nis_code: nis, name_fr: name, name_nl: name, adhesion_status: null, ...over });

const communes = (): CommuneRow[] => [
  commune("84009", "Bertrix", { adhesion_status: "signed_by_commune" }),
  commune("85007", "Habay", { adhesion_status: "countersigned", pending: true }),
  commune("84077", "Libramont-Chevigny", { adhesion_status: "signed_by_commune" }),
  commune("92094", "Namur", { adhesion_status: "active" }),
  commune("83031", "Saint-Hubert", { adhesion_status: null }),
];

const orders = () => [
  orderRow({
    id: "o-new",
    title: "E-guichet Libramont",
    commune_nis: "84077",
    status: "submitted",
    submitted_at: "2027-03-10T09:00:00Z",
    next_action: { code: "launch_competition", by: "centrale", due_at: null, due_on: null },
  }),
  orderRow({
    id: "o-old",
    title: "E-guichet Namur",
    commune_nis: "92094",
    status: "submitted",
    submitted_at: "2027-03-01T09:00:00Z",
    next_action: { code: "launch_competition", by: "centrale", due_at: null, due_on: null },
  }),
  orderRow({
    id: "o-awarded",
    title: "Wi-Fi public Bertrix",
    commune_nis: "84009",
    service_name: "Wi-Fi public",
    status: "awarded",
    next_action: { code: "issue_purchase_order", by: "centrale", due_at: null, due_on: null },
  }),
  orderRow({
    id: "o-competition",
    title: "Parking intelligent Namur",
    commune_nis: "92094",
    status: "competition_open",
    next_action: { code: "wait_offers", by: "provider", due_at: "2027-03-20T11:00:00Z", due_on: null },
  }),
  orderRow({ id: "o-draft", title: "Brouillon Habay", commune_nis: "85007", status: "draft" }),
  orderRow({
    id: "o-evaluate",
    title: "Offres à évaluer",
    commune_nis: "84009",
    status: "offers_opened",
    next_action: { code: "evaluate", by: "commune", due_at: null, due_on: null },
  }),
];

beforeEach(() => {
  mockBackend();
  vi.mocked(api.appState).mockResolvedValue(centraleState());
});

describe("CentraleHome", () => {
  it("is the home of the centrale's staff, with links to its screens", async () => {
    renderApp("/");
    const home = await screen.findByTestId("centrale-home");
    expect(screen.getByTestId("page-title")).toHaveTextContent("À traiter");
    expect(screen.getByText("Bonjour Thomas Henrotte. Voici ce qui attend la centrale d'achat le 12/03/2027.")).toBeInTheDocument();
    expect(within(home).getByRole("link", { name: "Communes et adhésions" })).toHaveAttribute("href", "#/communes");
    expect(within(home).getByRole("link", { name: "Toutes les commandes" })).toHaveAttribute("href", "#/commandes");
    expect(within(home).getByRole("link", { name: "Vue d'ensemble" })).toHaveAttribute("href", "#/vue-d-ensemble");
    expect(within(home).getByRole("link", { name: "Suivi des accords-cadres" })).toHaveAttribute("href", "#/suivi-des-accords-cadres");
    expect(api.home).not.toHaveBeenCalled();
  });

  it("lists the frameworks whose successor is to be prepared (issue 16.5), counted in the menu", async () => {
    vi.mocked(api.waiting).mockResolvedValue({
      items: [
        {
          key: "framework:f-1:successor:2029-02-28",
          kind: "prepare_successor",
          record_id: "f-1",
          title: "CA-2025-01 — E-guichet",
          commune_nis: "",
          commune_name: "",
          milestone: null,
          planned_date: null,
          end_date: "2029-02-28",
        },
      ],
      notifications_enabled: true,
    });
    renderApp("/");
    const group = await screen.findByTestId("todo-successors");
    expect(within(group).getByRole("heading", { name: /Accords-cadres à renouveler/ })).toBeInTheDocument();
    expect(group).toHaveTextContent("Ils se terminent dans les 6 mois et aucun accord-cadre ne leur succède");
    expect(await within(group).findByTestId("todo-successors-count")).toHaveTextContent("1");
    const item = within(group).getByTestId("todo-item");
    expect(within(item).getByRole("link", { name: "CA-2025-01 — E-guichet" })).toHaveAttribute("href", "#/suivi-des-accords-cadres");
    expect(item).toHaveTextContent("Se termine le 28/02/2029 : aucun accord-cadre ne lui succède.");
    expect(await screen.findByTestId("nav-waiting-count")).toHaveTextContent("1 action vous attend");
  });

  it("lists the pooled call-offs to launch and to analyse (issue 16 §4), not the others", async () => {
    vi.mocked(api.pools).mockResolvedValue({
      pools: [
        poolRow({ id: "p-launch", title: "E-guichet groupé", phase: "joining_closed", members: 3, join_until: "2027-03-01" }),
        poolRow({ id: "p-empty", title: "Personne", phase: "joining_closed", members: 0 }),
        poolRow({ id: "p-analyse", title: "Capteurs groupés", phase: "offers_opened", members: 2 }),
        poolRow({ id: "p-open", title: "Encore ouvert", phase: "joining", members: 1 }),
        poolRow({ id: "p-done", title: "Déjà analysé", phase: "evaluated", members: 3 }),
      ],
    });
    renderApp("/");
    const group = await screen.findByTestId("todo-pools");
    expect(await within(group).findByTestId("todo-pools-count")).toHaveTextContent("2");
    const items = within(group).getAllByTestId("todo-item");
    expect(items.map((i) => i.getAttribute("data-pool-id"))).toEqual(["p-launch", "p-analyse"]);
    expect(within(items[0]!).getByRole("link", { name: "E-guichet groupé" })).toHaveAttribute("href", "#/marches-groupes/p-launch");
    expect(items[0]).toHaveTextContent("3 communes · adhésions closes le 01/03/2027 : remise en concurrence à lancer");
    expect(items[1]).toHaveTextContent("2 communes · offres ouvertes : analyse commune à faire");
  });

  it("groups what waits for the centrale, each with its count, the commune beside each order", async () => {
    vi.mocked(api.communes).mockResolvedValue(communes());
    vi.mocked(api.orders).mockResolvedValue(orders());
    const deployments = [
      deploymentRow({ order_id: "d-late", title: "E-guichet Bertrix", commune_nis: "84009" }),
      deploymentRow({
        order_id: "d-fine",
        title: "Déploiement à l'heure",
        commune_nis: "92094",
        milestones: [milestone()],
        progress: { done: 1, total: 1, late: 0 },
      }),
    ];
    vi.mocked(api.deployments).mockImplementation(async (query) => deploymentPage(deployments, query));
    renderApp("/");

    const countersign = await screen.findByTestId("todo-countersign");
    expect(await within(countersign).findByTestId("todo-countersign-count")).toHaveTextContent("2");
    const toCountersign = within(countersign).getAllByTestId("todo-item");
    expect(toCountersign.map((i) => i.getAttribute("data-nis"))).toEqual(["84009", "84077"]);
    expect(within(toCountersign[0]!).getByRole("link", { name: "Bertrix" })).toHaveAttribute("href", "#/communes/84009");
    expect(toCountersign[0]).toHaveTextContent("Signée par la commune — à contresigner");

    const activate = screen.getByTestId("todo-activate");
    expect(within(activate).getByTestId("todo-activate-count")).toHaveTextContent("1");
    const habay = within(activate).getByTestId("todo-item");
    expect(within(habay).getByRole("link", { name: "Habay" })).toHaveAttribute("href", "#/communes/85007");
    expect(habay).toHaveTextContent("Pas encore envoyé à l'intercommunale");

    const launch = await screen.findByTestId("todo-launch");
    expect(await within(launch).findByTestId("todo-launch-count")).toHaveTextContent("2");
    const toLaunch = within(launch).getAllByTestId("todo-item");
    // The oldest request first.
    expect(toLaunch.map((i) => i.getAttribute("data-order-id"))).toEqual(["o-old", "o-new"]);
    expect(within(toLaunch[0]!).getByRole("link", { name: "E-guichet Namur" })).toHaveAttribute("href", "#/commandes/o-old");
    expect(within(toLaunch[0]!).getByTestId("todo-item-commune")).toHaveTextContent("Commune : Namur");
    expect(within(toLaunch[0]!).getByTestId("todo-item-received")).toHaveTextContent("Demande reçue le 01/03/2027, il y a 11 jours");
    expect(within(toLaunch[1]!).getByTestId("todo-item-commune")).toHaveTextContent("Commune : Libramont-Chevigny");

    const purchase = screen.getByTestId("todo-purchase-order");
    expect(within(purchase).getByTestId("todo-purchase-order-count")).toHaveTextContent("1");
    const awarded = within(purchase).getByTestId("todo-item");
    expect(awarded).toHaveAttribute("data-order-id", "o-awarded");
    expect(awarded).toHaveTextContent("Commune : Bertrix");
    expect(awarded).toHaveTextContent("Service : Wi-Fi public");
    expect(awarded).toHaveTextContent("La centrale émet le bon de commande");

    const offers = screen.getByTestId("todo-offers");
    const running = within(offers).getByTestId("todo-item");
    expect(running).toHaveAttribute("data-order-id", "o-competition");
    expect(within(running).getByTestId("todo-item-deadline")).toHaveTextContent(
      "Offres scellées jusqu'au 20/03/2027 à 12:00 (heure de Bruxelles)",
    );

    const late = await screen.findByTestId("todo-late-deployments");
    expect(await within(late).findByTestId("todo-late-deployments-count")).toHaveTextContent("1");
    const lateItem = within(late).getByTestId("todo-item");
    expect(lateItem).toHaveAttribute("data-order-id", "d-late");
    expect(lateItem).toHaveTextContent("Commune : Bertrix");
    expect(lateItem).toHaveTextContent("1 étape en retard");
    expect(lateItem).toHaveTextContent("Paramétrage — date prévue : 01/03/2027");
    expect(lateItem).toHaveTextContent("Prestataire : Civitas Digital SA");
    expect(within(lateItem).getByRole("link", { name: "E-guichet Bertrix" })).toHaveAttribute("href", "#/commandes/d-late");

    // Orders that wait for the commune or a provider are not the centrale's to do.
    expect(screen.queryByText("Brouillon Habay")).toBeNull();
    expect(screen.queryByText("Offres à évaluer")).toBeNull();
  });

  it("counts every late deployment, lists the first ten, and leads to them all", async () => {
    const late = Array.from({ length: 12 }, (_, i) => deploymentRow({ order_id: `d-${i}`, title: `Déploiement ${i + 1}`, commune_nis: "84009" }));
    vi.mocked(api.deployments).mockImplementation(async (query) => deploymentPage(late, query));
    renderApp("/");

    const group = await screen.findByTestId("todo-late-deployments");
    expect(await within(group).findByTestId("todo-late-deployments-count")).toHaveTextContent("12");
    expect(within(group).getAllByTestId("todo-item").map((i) => i.getAttribute("data-order-id"))).toEqual(
      late.slice(0, 10).map((d) => d.order_id),
    );
    expect(api.deployments).toHaveBeenCalledWith({ late_only: true, shown: 10 });
    expect(within(group).getByTestId("todo-late-deployments-all")).toHaveTextContent("Voir les 12 déploiements en retard");
    expect(within(group).getByTestId("todo-late-deployments-all")).toHaveAttribute("href", "#/deploiement");
  });

  it("says « Rien à traiter » in each group when nothing waits", async () => {
    vi.mocked(api.communes).mockResolvedValue([commune("92094", "Namur", { adhesion_status: "active" })]);
    renderApp("/");
    for (const id of ["todo-countersign", "todo-activate", "todo-launch", "todo-purchase-order", "todo-late-deployments"]) {
      const group = await screen.findByTestId(id);
      expect(await within(group).findByTestId(`${id}-empty`)).toHaveTextContent("Rien à traiter");
      expect(within(group).getByTestId(`${id}-count`)).toHaveTextContent("0");
      expect(within(group).queryByTestId("todo-item")).toBeNull();
    }
    expect(within(screen.getByTestId("todo-offers")).getByTestId("todo-offers-empty")).toHaveTextContent(
      "Aucune remise en concurrence en cours.",
    );
  });

  it("names a commune that is not on this PC by its NIS code", async () => {
    vi.mocked(api.orders).mockResolvedValue([
      orderRow({
        id: "o-x",
        commune_nis: "57081",
        status: "awarded",
        next_action: { code: "issue_purchase_order", by: "centrale", due_at: null, due_on: null },
      }),
    ]);
    renderApp("/");
    const group = await screen.findByTestId("todo-purchase-order");
    expect(await within(group).findByTestId("todo-item-commune")).toHaveTextContent("Commune : commune 57081");
  });

  it("shows a failed read in its group, and the other groups still work", async () => {
    vi.mocked(api.orders).mockRejectedValue({ code: "store", message: "Lecture impossible des commandes." });
    vi.mocked(api.communes).mockResolvedValue(communes());
    renderApp("/");
    const launch = await screen.findByTestId("todo-launch");
    expect(await within(launch).findByTestId("error-panel")).toHaveTextContent("Lecture impossible des commandes.");
    expect(await within(screen.getByTestId("todo-countersign")).findByTestId("todo-countersign-count")).toHaveTextContent("2");
  });
});
