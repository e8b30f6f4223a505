import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import { mockBackend } from "../test/api";
import { appState, centraleState } from "../test/fixtures";
import { renderApp } from "../test/render";
import { serviceRow } from "../test/screenFixtures";

vi.mock("../api");

const eGuichet = serviceRow();
const energy = serviceRow({
  id: "s-2",
  code: "suivi-energie",
  name: "Suivi des consommations énergétiques des bâtiments communaux",
  summary: "Télérelève des consommations.",
  category: "Énergie et bâtiments",
  provider_names: [],
  call_off_possible: false,
  call_off_blocker: "ended",
  end_date: "2026-12-31",
});

beforeEach(() => {
  mockBackend();
  vi.mocked(api.services).mockResolvedValue([eGuichet, energy]);
  vi.mocked(api.serviceCategories).mockResolvedValue(["Énergie et bâtiments", "Services aux citoyens"]);
});

describe("Catalogue", () => {
  it("lists each service with its category, summary, providers, whether it can be ordered, and a link", async () => {
    renderApp("/catalogue");
    expect(await screen.findByTestId("page-title")).toHaveTextContent("Catalogue des services");
    const cards = await screen.findAllByTestId("service-card");
    expect(cards).toHaveLength(2);
    const [first, second] = cards;
    expect(first).toHaveAttribute("data-service-id", eGuichet.id);
    expect(first).toHaveAttribute("data-service-code", "e-guichet");
    expect(first).toHaveTextContent("Services aux citoyens");
    expect(first).toHaveTextContent("Un guichet en ligne");
    expect(first).toHaveTextContent("PrestatairesCivitas Digital SA, Guichet Wallon SRL");
    expect(first).toHaveTextContent("Votre commune peut le commander aujourd'hui");
    expect(within(first!).getByTestId("service-link")).toHaveAttribute("href", `#/catalogue/${eGuichet.id}`);

    expect(second).toHaveTextContent("Accord-cadre terminé le 31/12/2026 : plus de commande possible");
    expect(second).toHaveTextContent("Pas encore connus sur ce PC");
    expect(screen.getByTestId("catalogue-count")).toHaveTextContent("2 services dans le catalogue");
    expect(api.services).toHaveBeenCalledWith({ text: null, category: null });
  });

  it("issue 16 §1: says which of the commune's solutions a service works with, only where one does", async () => {
    vi.mocked(api.services).mockResolvedValue([eGuichet, { ...energy, fits_running: ["Guichet Nuagix 4", "Payvallée Écoles"] }]);
    renderApp("/catalogue");
    const cards = await screen.findAllByTestId("service-card");
    expect(within(cards[0]!).queryByTestId("service-fits")).not.toBeInTheDocument();
    expect(within(cards[1]!).getByTestId("service-fits")).toHaveTextContent("Guichet Nuagix 4, Payvallée Écoles");
    expect(cards[1]).toHaveTextContent("Fonctionne avec ce que vous utilisez");
  });

  it("searches with the typed words and filters by category (Rust does the matching)", async () => {
    const { user } = renderApp("/catalogue");
    await screen.findAllByTestId("service-card");
    vi.mocked(api.services).mockResolvedValue([eGuichet]);

    await user.type(screen.getByTestId("catalogue-search"), "guichet");
    await waitFor(() => expect(api.services).toHaveBeenLastCalledWith({ text: "guichet", category: null }));
    await waitFor(() => expect(screen.getAllByTestId("service-card")).toHaveLength(1));
    expect(screen.getByTestId("catalogue-count")).toHaveTextContent("1 service trouvé");

    const select = screen.getByTestId("catalogue-category");
    await waitFor(() => expect(within(select).getAllByRole("option")).toHaveLength(3));
    await user.selectOptions(select, "Services aux citoyens");
    expect(api.services).toHaveBeenLastCalledWith({ text: "guichet", category: "Services aux citoyens" });
  });

  it("says so when nothing matches, and « Effacer la recherche » shows everything again", async () => {
    const { user } = renderApp("/catalogue");
    await screen.findAllByTestId("service-card");
    vi.mocked(api.services).mockImplementation(async (filter) => (filter.text ? [] : [eGuichet, energy]));

    await user.type(screen.getByLabelText(/Rechercher un service/), "piscine");
    const empty = await screen.findByTestId("catalogue-empty");
    expect(empty).toHaveTextContent("Aucun service ne correspond à « piscine ».");
    expect(screen.getByTestId("catalogue-count")).toHaveTextContent("Aucun service trouvé");

    await user.click(within(empty).getByRole("button", { name: "Effacer la recherche" }));
    expect(await screen.findAllByTestId("service-card")).toHaveLength(2);
    expect(screen.getByTestId("catalogue-search")).toHaveValue("");
    expect(screen.getByTestId("catalogue-search")).toHaveFocus();
  });

  it("a commune that has not joined is not told it can order today (issue 15.4)", async () => {
    const state = appState();
    vi.mocked(api.appState).mockResolvedValue({ ...state, commune: { ...state.commune!, adhesion_status: "draft" } });
    renderApp("/catalogue");
    const [first] = await screen.findAllByTestId("service-card");
    expect(first).toHaveTextContent("À commander une fois l'adhésion de votre commune active");
    expect(first).not.toHaveTextContent("aujourd'hui");
  });

  it("the centrale reads that the service is open to the member communes, not that it can order it", async () => {
    vi.mocked(api.appState).mockResolvedValue(centraleState());
    renderApp("/catalogue");
    const [first] = await screen.findAllByTestId("service-card");
    expect(first).toHaveTextContent("Ouvert aux commandes des communes adhérentes");
  });

  it("with no service on this PC, says to synchronise", async () => {
    vi.mocked(api.services).mockResolvedValue([]);
    renderApp("/catalogue");
    expect(await screen.findByTestId("catalogue-empty")).toHaveTextContent("Synchronisez");
  });

  it("shows the centrale's staff « Ajouter un service » and « Gérer les prestataires »", async () => {
    vi.mocked(api.appState).mockResolvedValue(centraleState());
    renderApp("/catalogue");
    const add = await screen.findByTestId("catalogue-add-service");
    expect(add).toHaveTextContent("Ajouter un service");
    expect(add).toHaveAttribute("href", "#/catalogue/nouveau-service");
    const providers = screen.getByTestId("catalogue-providers");
    expect(providers).toHaveTextContent("Gérer les prestataires");
    expect(providers).toHaveAttribute("href", "#/prestataires");
  });

  it("does not show the catalogue management buttons to a commune", async () => {
    renderApp("/catalogue");
    await screen.findAllByTestId("service-card");
    expect(screen.queryByTestId("catalogue-add-service")).not.toBeInTheDocument();
    expect(screen.queryByTestId("catalogue-providers")).not.toBeInTheDocument();
  });

  it("shows a failed read in words, with « Réessayer »", async () => {
    vi.mocked(api.services).mockRejectedValue({ code: "internal_error", message: "boom", params: {} });
    renderApp("/catalogue");
    const panel = await screen.findByTestId("error-panel");
    expect(panel).toHaveTextContent("Un problème est survenu à l'intercommunale");
    expect(within(panel).getByRole("button", { name: "Réessayer" })).toBeInTheDocument();
  });
});

describe("Catalogue — what is new (issue 16 §3)", () => {
  const parking = serviceRow({
    id: "s-3",
    code: "parking-intelligent",
    name: "Parking intelligent",
    category: "Mobilité",
    added_on: "2027-03-01",
    is_new: true,
    from_need: {
      need: { survey_id: "0190f0aa-0000-7000-8000-0000000005a1", question: "mobilite-besoins", choice: "parking" },
      survey_title: "Mobilité et stationnement 2027",
      label_fr: "Parking intelligent",
      communes: 12,
    },
  });
  const bornes = serviceRow({
    id: "s-4",
    code: "bornes",
    name: "Bornes de recharge",
    added_on: "2027-02-10",
    is_new: true,
    from_need: {
      need: { survey_id: "0190f0aa-0000-7000-8000-0000000005a1", question: "mobilite-besoins", choice: "bornes" },
      survey_title: "Mobilité et stationnement 2027",
      label_fr: "Bornes de recharge",
      communes: 1,
    },
  });
  const wifi = serviceRow({ id: "s-5", code: "wifi", name: "Wi-Fi public", added_on: "2027-01-20", is_new: true });

  it("lists the new services above the catalogue, the newest first, with the need each answers, and marks them « Nouveau »", async () => {
    vi.mocked(api.services).mockResolvedValue([eGuichet, bornes, wifi, parking]);
    renderApp("/catalogue");
    const panel = await screen.findByTestId("catalogue-new");
    expect(within(panel).getByRole("heading", { name: "Nouveau au catalogue" })).toBeInTheDocument();
    const items = within(panel).getAllByTestId("catalogue-new-item");
    expect(items.map((i) => i.getAttribute("data-service-id"))).toEqual(["s-3", "s-4", "s-5"]);
    expect(within(items[0]!).getByRole("link", { name: "Parking intelligent" })).toHaveAttribute("href", "#/catalogue/s-3");
    expect(items[0]).toHaveTextContent("Parking intelligent, ajouté le 01/03/2027");
    expect(within(items[0]!).getByTestId("catalogue-new-need")).toHaveTextContent(
      "Répond au besoin « Parking intelligent » exprimé par 12 communes dans l'enquête « Mobilité et stationnement 2027 ».",
    );
    expect(within(items[1]!).getByTestId("catalogue-new-need")).toHaveTextContent(
      "Répond au besoin « Bornes de recharge » exprimé par 1 commune dans l'enquête « Mobilité et stationnement 2027 ».",
    );
    // Added without a survey behind it: no need named.
    expect(within(items[2]!).queryByTestId("catalogue-new-need")).not.toBeInTheDocument();

    const cards = screen.getAllByTestId("service-card");
    const badges = cards.map((c) => within(c).queryByTestId("service-new-badge")?.textContent ?? null);
    expect(badges).toEqual([null, "Nouveau", "Nouveau", "Nouveau"]);
  });

  it("shows the same to the centrale's staff", async () => {
    vi.mocked(api.appState).mockResolvedValue(centraleState());
    vi.mocked(api.services).mockResolvedValue([eGuichet, parking]);
    renderApp("/catalogue");
    expect(await screen.findByTestId("catalogue-new")).toHaveTextContent("Parking intelligent, ajouté le 01/03/2027");
    expect(screen.getAllByTestId("service-new-badge")).toHaveLength(1);
  });

  it("shows no panel when nothing is new, nor above a search's results", async () => {
    const { user } = renderApp("/catalogue");
    await screen.findAllByTestId("service-card");
    expect(screen.queryByTestId("catalogue-new")).not.toBeInTheDocument();
    expect(screen.queryByTestId("service-new-badge")).not.toBeInTheDocument();

    vi.mocked(api.services).mockResolvedValue([parking]);
    await user.type(screen.getByTestId("catalogue-search"), "parking");
    expect(await screen.findByTestId("service-new-badge")).toBeInTheDocument();
    expect(screen.queryByTestId("catalogue-new")).not.toBeInTheDocument();
  });
});
