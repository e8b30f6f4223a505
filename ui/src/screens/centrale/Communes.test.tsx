import { screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api";
import type { CommuneRow } from "../../bindings/CommuneRow";
import { mockBackend } from "../../test/api";
import { centraleState } from "../../test/fixtures";
import { renderApp } from "../../test/render";
import { communeRow } from "../../test/screenFixtures";

vi.mock("../../api");

/** As the backend sends them: sorted by name. */
const rows = (): CommuneRow[] => [
  communeRow({ nis_code: "84009", name_fr: "Bertrix", adhesion_status: "active" }),
  communeRow({ nis_code: "85007", name_fr: "Habay", arrondissement_fr: "Virton", population: 8700, adhesion_status: "countersigned" }),
  communeRow({ nis_code: "62063", name_fr: "Liège", name_nl: "Luik", arrondissement_fr: "Liège", population: 195278, adhesion_status: null }),
  communeRow({ nis_code: "84077", name_fr: "Libramont-Chevigny", population: 11700, adhesion_status: "signed_by_commune", pending: true }),
  communeRow({ nis_code: "92094", name_fr: "Namur", arrondissement_fr: "Namur", population: 113000, adhesion_status: "draft" }),
  communeRow({ nis_code: "83031", name_fr: "Saint-Hubert", arrondissement_fr: "Neufchâteau", population: 5800, adhesion_status: "signed_by_commune" }),
  communeRow({
    nis_code: "84059",
    name_fr: "Tintigny (ancienne)",
    population: 4300,
    valid_until: "2024-12-31",
    successor: "84009",
    current: false,
    adhesion_status: "terminated",
  }),
];

const shownNis = () => screen.getAllByTestId("commune-row").map((r) => r.getAttribute("data-nis"));

beforeEach(() => {
  mockBackend();
  vi.mocked(api.appState).mockResolvedValue(centraleState());
  vi.mocked(api.communes).mockResolvedValue(rows());
});

describe("Communes", () => {
  it("lists every commune, what waits for the centrale first, with the status in words", async () => {
    renderApp("/communes");
    expect(await screen.findByTestId("page-title")).toHaveTextContent("Communes");
    await screen.findAllByTestId("commune-row");
    // To countersign (by name), then to activate, then the others in the backend's order.
    // In force today: the merged commune's old code is not among them (issue 15.7).
    expect(shownNis()).toEqual(["84077", "83031", "85007", "84009", "62063", "92094"]);

    expect(screen.getByTestId("commune-status-84077")).toHaveTextContent("Signée par la commune — à contresigner");
    expect(screen.getByTestId("commune-status-85007")).toHaveTextContent("Contresignée — à activer");
    expect(screen.getByTestId("commune-status-84009")).toHaveTextContent("Adhésion active");
    expect(screen.getByTestId("commune-status-62063")).toHaveTextContent("Pas d'adhésion");
    expect(screen.getByTestId("commune-status-92094")).toHaveTextContent("Adhésion commencée");

    const first = screen.getAllByTestId("commune-row")[0]!;
    expect(first).toHaveClass("communes-row--todo");
    expect(first).toHaveTextContent("À traiter par la centrale");
    expect(first).toHaveTextContent("Pas encore envoyé à l'intercommunale");
    expect(screen.getByTestId("commune-link-84077")).toHaveAttribute("href", "#/communes/84077");
    expect(screen.getByTestId("commune-link-84077")).toHaveTextContent("Libramont-Chevigny");

    const liege = screen.getAllByTestId("commune-row").find((r) => r.getAttribute("data-nis") === "62063")!;
    expect(liege).not.toHaveClass("communes-row--todo");
    expect(liege).toHaveTextContent(/195\s278/);
    expect(liege).toHaveTextContent("Liège");

    expect(screen.getByTestId("communes-count")).toHaveTextContent(
      "2 adhésions à contresigner · 1 adhésion à activer · 1 adhésion en cours de signature · 1 adhésion active · 1 commune sans adhésion",
    );
  });

  it("says when nothing waits for the centrale", async () => {
    vi.mocked(api.communes).mockResolvedValue([communeRow({ adhesion_status: "active" })]);
    renderApp("/communes");
    expect(await screen.findByTestId("communes-count")).toHaveTextContent(
      "Aucune adhésion à contresigner · Aucune adhésion à activer · 1 adhésion active",
    );
  });

  it("counts the communes in force; a merged commune is listed apart, with the commune that took over", async () => {
    const { user } = renderApp("/communes");
    await screen.findAllByTestId("commune-row");
    const filter = screen.getByTestId("communes-status-filter");
    expect(within(filter).getByRole("option", { name: "Toutes les communes (6)" })).toBeInTheDocument();
    await user.selectOptions(filter, within(filter).getByRole("option", { name: "Anciennes communes fusionnées (1)" }));
    expect(shownNis()).toEqual(["84059"]);
    expect(screen.getByTestId("commune-status-84059")).toHaveTextContent("Adhésion résiliée");
    const merged = screen.getAllByTestId("commune-row").find((r) => r.getAttribute("data-nis") === "84059")!;
    expect(within(merged).getByTestId("commune-merged")).toHaveTextContent("Commune fusionnée le 31/12/2024 : devenue Bertrix");
    await user.selectOptions(filter, "");
    const bertrix = screen.getAllByTestId("commune-row").find((r) => r.getAttribute("data-nis") === "84009")!;
    expect(within(bertrix).queryByTestId("commune-merged")).toBeNull();
  });

  it("searches by name, ignoring case and accents, and by NIS code", async () => {
    const { user } = renderApp("/communes");
    await screen.findAllByTestId("commune-row");
    const search = screen.getByTestId("communes-search");

    await user.type(search, "LIEGE");
    expect(shownNis()).toEqual(["62063"]);
    expect(screen.getByTestId("communes-shown")).toHaveTextContent("1 commune affichée sur 6");

    await user.clear(search);
    await user.type(search, "saint hubert");
    expect(shownNis()).toEqual(["83031"]);

    await user.clear(search);
    await user.type(search, "840");
    expect(shownNis()).toEqual(["84077", "84009", "84059"]);

    await user.clear(search);
    await user.type(search, "Luik");
    expect(shownNis()).toEqual(["62063"]);

    await user.clear(search);
    await user.type(search, "Arlon");
    expect(screen.queryAllByTestId("commune-row")).toHaveLength(0);
    expect(screen.getByTestId("communes-no-match")).toHaveTextContent("Aucune commune ne correspond à votre recherche.");
    await user.click(screen.getByRole("button", { name: "Afficher toutes les communes" }));
    expect(search).toHaveValue("");
    expect(screen.getAllByTestId("commune-row")).toHaveLength(6);
  });

  it("filters by adhesion status, combined with the search", async () => {
    const { user } = renderApp("/communes");
    await screen.findAllByTestId("commune-row");
    const filter = screen.getByTestId("communes-status-filter");
    expect(within(filter).getByRole("option", { name: "À contresigner (2)" })).toBeInTheDocument();
    expect(within(filter).getByRole("option", { name: "Toutes les communes (6)" })).toBeInTheDocument();

    await user.selectOptions(filter, "signed_by_commune");
    expect(shownNis()).toEqual(["84077", "83031"]);
    await user.selectOptions(filter, "countersigned");
    expect(shownNis()).toEqual(["85007"]);
    await user.selectOptions(filter, "none");
    expect(shownNis()).toEqual(["62063"]);

    await user.selectOptions(filter, "signed_by_commune");
    await user.type(screen.getByTestId("communes-search"), "libra");
    expect(shownNis()).toEqual(["84077"]);

    await user.selectOptions(filter, "");
    await user.clear(screen.getByTestId("communes-search"));
    expect(shownNis()).toHaveLength(6);
  });

  it("maps the communes in force under the list, by adhesion or by orders (issue 15.9)", async () => {
    vi.mocked(api.overview).mockResolvedValue({
      ...(await api.overview()),
      communes: [{ commune_nis: "84009", commune_name: "Bertrix", orders: 1, awarded: 1, awarded_excl_vat: 250_000 }],
    });
    const { user } = renderApp("/communes");
    const section = await screen.findByTestId("province-map-section");
    const drawn = () => within(section).getAllByTestId("province-map-commune");
    // The fixture's communes of the province, in force; not the merged code; the communes of
    // other provinces in words.
    expect(drawn().map((p) => [p.getAttribute("data-nis"), p.getAttribute("data-state")])).toEqual([
      ["84009", "joined"],
      ["85007", "inProgress"],
      ["84077", "inProgress"],
      ["83031", "inProgress"],
    ]);
    expect(within(section).getByTestId("province-map-off-map")).toHaveTextContent(": Liège, Namur.");
    expect(within(section).getByRole("link", { name: "Bertrix : Adhérente" })).toHaveAttribute("href", "#/communes/84009");

    await user.click(within(section).getByRole("radio", { name: "leurs commandes" }));
    expect(drawn().map((p) => p.getAttribute("data-state"))).toEqual(["awarded", "none", "none", "none"]);
    await user.click(within(section).getByRole("link", { name: /^Bertrix/ }));
    expect(window.location.hash).toBe("#/communes/84009");
  });

  it("says what to do when no commune is on this PC", async () => {
    vi.mocked(api.communes).mockResolvedValue([]);
    renderApp("/communes");
    expect(await screen.findByTestId("communes-empty")).toHaveTextContent("Synchronisez avec l'intercommunale");
    expect(screen.queryByTestId("communes-search")).toBeNull();
  });

  it("shows a read error with a retry", async () => {
    vi.mocked(api.communes).mockRejectedValueOnce({ code: "store", message: "Lecture impossible des communes." });
    const { user } = renderApp("/communes");
    expect(await screen.findByTestId("error-panel")).toHaveTextContent("Lecture impossible des communes.");
    await user.click(screen.getByRole("button", { name: "Réessayer" }));
    expect(await screen.findAllByTestId("commune-row")).toHaveLength(6);
  });
});
