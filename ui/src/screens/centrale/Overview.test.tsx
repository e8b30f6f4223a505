import { screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api";
import type { CommuneOrders } from "../../bindings/CommuneOrders";
import type { Overview } from "../../bindings/Overview";
import { AppError } from "../../errors";
import { mockBackend } from "../../test/api";
import { centraleState } from "../../test/fixtures";
import { renderApp } from "../../test/render";
import { communeRow } from "../../test/screenFixtures";

/** Matches an accessible name whatever its spaces (amounts use no-break spaces). */
const named = (text: string) => (name: string) => name.replace(/\s+/g, " ") === text;

vi.mock("../../api");

beforeEach(() => {
  mockBackend();
  vi.mocked(api.appState).mockResolvedValue(centraleState());
});

const commune = (nis: string, name: string | null, orders: number, awarded: number, cents: number): CommuneOrders => ({
  commune_nis: nis,
  commune_name: name,
  orders,
  awarded,
  awarded_excl_vat: cents,
});

/** Six orders, four awarded; 10, 14, 14 and 25 days from order to award. */
const overview = (over: Partial<Overview> = {}): Overview => ({
  today: "2026-04-10",
  totals: { orders: 6, awarded: 4, awarded_excl_vat: 1_362_050, communes_active: 2, communes_total: 44 },
  communes: [commune("84009", "Bertrix", 3, 2, 712_050), commune("81001", "Arlon", 2, 2, 650_000), commune("84010", null, 1, 0, 0)],
  services: [
    { service_id: "s-1", service_name: "E-guichet", orders: 4, awarded: 3, awarded_excl_vat: 1_112_050 },
    { service_id: "s-2", service_name: null, orders: 2, awarded: 1, awarded_excl_vat: 250_000 },
  ],
  award_time: {
    promise_days: 20,
    awarded: 4,
    median_days: "14",
    within_promise: 3,
    within_promise_percent: "75",
    over_promise: 1,
    by_month: [
      { month: "2026-01", awarded: 2, median_days: "12", within_promise: 2 },
      { month: "2026-02", awarded: 0, median_days: null, within_promise: 0 },
      { month: "2026-03", awarded: 2, median_days: "19.5", within_promise: 1 },
    ],
  },
  adhesions: {
    by_month: [
      { month: "2025-11", activated: 2, terminated: 0, active_total: 2 },
      { month: "2025-12", activated: 0, terminated: 1, active_total: 1 },
      { month: "2026-01", activated: 1, terminated: 0, active_total: 2 },
    ],
    by_status: [
      { status: "draft", count: 1 },
      { status: "signed_by_commune", count: 0 },
      { status: "countersigned", count: 0 },
      { status: "active", count: 2 },
      { status: "terminated", count: 0 },
    ],
    without_adhesion: 41,
  },
  frameworks: [
    {
      framework_id: "f-1",
      reference: "CA-2025-01",
      service_name: "E-guichet",
      maximum: 70_000_000,
      consumed: { excl_vat: 1_112_050, vat: 233_531, incl_vat: 1_345_581 },
      remaining: 68_887_950,
      consumed_percent: "1.59",
      communes: [
        { commune_nis: "84009", commune_name: "Bertrix", orders: 2, consumed: { excl_vat: 712_050, vat: 149_531, incl_vat: 861_581 } },
        { commune_nis: "81001", commune_name: "Arlon", orders: 1, consumed: { excl_vat: 400_000, vat: 84_000, incl_vat: 484_000 } },
      ],
    },
    {
      framework_id: "f-2",
      reference: "CA-2024-09",
      service_name: null,
      maximum: null,
      consumed: { excl_vat: 250_000, vat: 52_500, incl_vat: 302_500 },
      remaining: null,
      consumed_percent: null,
      communes: [],
    },
  ],
  ...over,
});

describe("Overview", () => {
  it("shows each framework's maximum value, what the awards consumed and what remains, per commune (issue 11 rule 4)", async () => {
    vi.mocked(api.overview).mockResolvedValue(overview());
    renderApp("/vue-d-ensemble");
    const section = await screen.findByTestId("overview-framework-values");
    expect(within(section).getByRole("heading", { name: "Valeur maximale des accords-cadres" })).toBeInTheDocument();
    const [first, second] = within(section).getAllByTestId("overview-framework-value");
    const plain = (s: string | null) => (s ?? "").replace(/[\u202f\u00a0]/g, " ");
    expect(plain(first!.textContent)).toContain("700 000,00 € HTVA");
    expect(plain(within(first!).getByTestId("overview-framework-remaining").textContent)).toBe("688 879,50 € HTVA");
    expect(plain(first!.textContent)).toContain("1,59 %");
    expect(plain(within(first!).getByTestId("overview-framework-value-communes").textContent)).toContain(
      "Bertrix : 7 120,50 € HTVA (2 commandes)",
    );
    expect(second).toHaveTextContent("non indiquée");
  });

  it("shows the key figures the Belgian way, with the 20-day promise", async () => {
    vi.mocked(api.overview).mockResolvedValue(overview());
    renderApp("/vue-d-ensemble");
    const figures = await screen.findByTestId("overview-figures");
    expect(screen.getByTestId("page-title")).toHaveTextContent("Vue d'ensemble");
    expect(screen.getByTestId("overview")).toBeInTheDocument();
    expect(screen.getByText("Les commandes, les attributions et les adhésions de toutes les communes, au 10/04/2026.")).toBeInTheDocument();

    expect(within(figures).getByTestId("overview-figure-orders")).toHaveTextContent("Commandes envoyées : 6 dont 4 attribuées");
    expect(within(figures).getByTestId("overview-figure-amount")).toHaveTextContent("Montant attribué : 13 620,50 € HTVA");
    expect(within(figures).getByTestId("overview-promise")).toHaveTextContent(
      "Délai médian commande → attribution : 14 jours (promesse : 20 jours)",
    );
    expect(within(figures).getByTestId("overview-figure-share")).toHaveTextContent(
      "Attribuées en 20 jours ou moins : 75 % 3 des 4 commandes attribuées · 1 au-delà de 20 jours",
    );
    expect(within(figures).getByTestId("overview-figure-communes")).toHaveTextContent("Communes adhérentes : 2 / 44");
  });

  it("says « les 2 » or « la seule » when every awarded order kept the promise, never « 1 sur 1 » (issue 15.7)", async () => {
    const base = overview();
    vi.mocked(api.overview).mockResolvedValue({
      ...base,
      award_time: { ...base.award_time, awarded: 1, within_promise: 1, within_promise_percent: "100", over_promise: 0 },
    });
    renderApp("/vue-d-ensemble");
    const share = await screen.findByTestId("overview-figure-share");
    expect(share).toHaveTextContent("100 % la seule commande attribuée · aucune au-delà de 20 jours");
    expect(share).not.toHaveTextContent("1 sur 1");
  });

  it("writes a median with a half day as « 20,5 jours » and says when nothing is awarded yet", async () => {
    const base = overview();
    vi.mocked(api.overview).mockResolvedValueOnce(overview({ award_time: { ...base.award_time, median_days: "20.5" } }));
    const { unmount } = renderApp("/vue-d-ensemble");
    expect(await screen.findByTestId("overview-promise")).toHaveTextContent("20,5 jours (promesse : 20 jours)");
    unmount();

    vi.mocked(api.overview).mockResolvedValueOnce(
      overview({
        totals: { ...base.totals, awarded: 0, awarded_excl_vat: 0 },
        award_time: { ...base.award_time, awarded: 0, median_days: null, within_promise: 0, within_promise_percent: null, over_promise: 0, by_month: [] },
      }),
    );
    renderApp("/vue-d-ensemble");
    expect(await screen.findByTestId("overview-promise")).toHaveTextContent(
      "Délai médian commande → attribution : pas encore d'attribution (promesse : 20 jours)",
    );
    expect(screen.getByTestId("overview-figure-orders")).toHaveTextContent("aucune attribuée pour l'instant");
    expect(screen.getByTestId("overview-chart-award-time-empty")).toHaveTextContent(
      "Aucune commande attribuée pour l'instant : le délai apparaîtra après la première attribution.",
    );
  });

  it("draws orders and amounts per commune and per service, with their data tables", async () => {
    vi.mocked(api.overview).mockResolvedValue(overview());
    renderApp("/vue-d-ensemble");
    const chart = await screen.findByTestId("overview-chart-communes");
    expect(within(chart).getByRole("heading", { name: "Commandes et montants attribués par commune" })).toBeInTheDocument();
    expect(
      within(chart).getByRole("img", {
        name: named(
          "3 communes ont envoyé des commandes. En tête : Bertrix (3 commandes, 7 121 € attribués) ; Arlon (2 commandes, 6 500 € attribués) ; 84010 (1 commande, pas encore d'attribution).",
        ),
      }),
    ).toBeInTheDocument();
    const bertrix = chart.querySelector('[data-row="84009"]');
    expect(bertrix).toHaveTextContent("Bertrix");
    expect(bertrix).toHaveTextContent("7 121 €");
    const table = within(within(chart).getByTestId("overview-chart-communes-data")).getByRole("table");
    const rows = within(table).getAllByRole("row");
    expect(rows[1]).toHaveTextContent("Bertrix327 120,50 € HTVA");
    expect(rows[3]).toHaveTextContent("84010100,00 € HTVA");
    expect(rows[4]).toHaveTextContent("Total6413 620,50 € HTVA");

    const services = screen.getByTestId("overview-chart-services");
    expect(services).toHaveTextContent("E-guichet");
    // A service no longer on this PC is still counted, under a plain name.
    expect(services).toHaveTextContent("Service retiré du catalogue");
  });

  it("keeps the 15 communes with the most orders and groups the others", async () => {
    const many = Array.from({ length: 17 }, (_, i) => commune(String(81000 + i), `Commune ${i + 1}`, 20 - i, 1, 100_000));
    vi.mocked(api.overview).mockResolvedValue(overview({ communes: many }));
    renderApp("/vue-d-ensemble");
    const chart = await screen.findByTestId("overview-chart-communes");
    const bars = chart.querySelectorAll("[data-row]");
    expect(bars).toHaveLength(16);
    const others = chart.querySelector('[data-row="others"]');
    expect(others).toHaveTextContent("2 autres communes");
    // Commune 16 (5 orders) and 17 (4 orders): 9 orders, 2 000 €.
    expect(others?.querySelector('rect[data-measure="orders"]')).toHaveAttribute("data-value", "9");
    expect(others).toHaveTextContent("2 000 €");
    expect(chart).toHaveTextContent("Les 15 communes qui ont envoyé le plus de commandes");
    // The table lists every commune.
    const table = within(within(chart).getByTestId("overview-chart-communes-data")).getByRole("table");
    expect(within(table).getAllByRole("row")).toHaveLength(1 + 17 + 1);
  });

  it("draws the time to award month by month against the dashed 20-day line", async () => {
    vi.mocked(api.overview).mockResolvedValue(overview());
    renderApp("/vue-d-ensemble");
    const chart = await screen.findByTestId("overview-chart-award-time");
    expect(within(chart).getByTestId("overview-chart-award-time-reference")).toBeInTheDocument();
    expect(chart).toHaveTextContent("Promesse : 20 jours");
    expect(
      within(chart).getByRole("img", {
        name: named("Délai médian entre la commande et l'attribution, de janvier 2026 à mars 2026 : 14 jours sur l'ensemble de la période, pour une promesse de 20 jours. Aucun mois au-delà de la promesse."),
      }),
    ).toBeInTheDocument();
    const rows = within(within(chart).getByTestId("overview-chart-award-time-data")).getAllByRole("row");
    expect(rows[1]).toHaveTextContent("janvier 2026212 jours2");
    expect(rows[2]).toHaveTextContent("février 20260aucune attribution0");
    expect(rows[3]).toHaveTextContent("mars 2026219,5 jours1");
  });

  it("draws adhesions over the months and where each commune stands", async () => {
    vi.mocked(api.overview).mockResolvedValue(overview());
    renderApp("/vue-d-ensemble");
    const chart = await screen.findByTestId("overview-chart-adhesions");
    expect(
      within(chart).getByRole("img", {
        name: named("De novembre 2025 à janvier 2026, le nombre de communes adhérentes passe de 2 à 2. 3 adhésions sont devenues actives sur la période."),
      }),
    ).toBeInTheDocument();
    expect(chart.querySelectorAll("circle.chart__dot")).toHaveLength(3);
    expect(chart).toHaveTextContent("Communes adhérentes (total)");
    const statuses = within(chart).getByTestId("overview-adhesion-statuses");
    expect(statuses.querySelector('[data-status="active"]')).toHaveTextContent("Active2");
    expect(statuses.querySelector('[data-status="none"]')).toHaveTextContent("Sans adhésion41");
    const rows = within(within(chart).getByTestId("overview-chart-adhesions-data")).getAllByRole("row");
    expect(rows[2]).toHaveTextContent("décembre 2025011");
  });

  it("maps the communes by adhesion, then by orders (issue 15.9)", async () => {
    vi.mocked(api.overview).mockResolvedValue(overview());
    vi.mocked(api.communes).mockResolvedValue([
      communeRow({ nis_code: "81001", name_fr: "Arlon", adhesion_status: "active" }),
      communeRow({ nis_code: "81003", name_fr: "Attert", adhesion_status: null }),
      communeRow({ nis_code: "84009", name_fr: "Bertrix", adhesion_status: "active" }),
      communeRow({ nis_code: "84010", name_fr: "Bouillon", adhesion_status: "countersigned" }),
      communeRow({ nis_code: "82003", name_fr: "Bastogne", current: false, valid_until: "2024-12-31", successor: "82039" }),
      communeRow({ nis_code: "82039", name_fr: "Bastogne", adhesion_status: "terminated" }),
    ]);
    const { user } = renderApp("/vue-d-ensemble");
    const section = await screen.findByTestId("province-map-section");
    expect(within(section).getByRole("heading", { name: "Carte de la province" })).toBeInTheDocument();
    const state = () =>
      Object.fromEntries(within(section).getAllByTestId("province-map-commune").map((p) => [p.getAttribute("data-nis"), p.getAttribute("data-state")]));
    // The communes in force: the old Bastogne is not drawn over the new one.
    expect(state()).toEqual({ "81001": "joined", "81003": "notYet", "84009": "joined", "84010": "inProgress", "82039": "notYet" });
    expect(within(section).getByRole("link", { name: "Bouillon : Adhésion en cours (Contresignée — à activer)" })).toHaveAttribute(
      "href",
      "#/communes/84010",
    );
    expect(within(section).getByRole("link", { name: "Bastogne : Pas encore adhérente (Adhésion résiliée)" })).toBeInTheDocument();
    expect(within(section).getByRole("link", { name: "Attert : Pas encore adhérente" })).toBeInTheDocument();

    await user.click(within(section).getByRole("radio", { name: "leurs commandes" }));
    expect(state()).toEqual({ "81001": "awarded", "81003": "none", "84009": "awarded", "84010": "ordered", "82039": "none" });
    expect(within(section).getByRole("link", { name: "Bertrix : Au moins une commande attribuée (3 commandes envoyées, 2 attribuées)" })).toBeInTheDocument();
    expect(within(section).getByRole("link", { name: "Bouillon : Commande envoyée, pas encore attribuée (1 commande envoyée, aucune attribuée)" })).toBeInTheDocument();
    expect(within(section).getByRole("link", { name: "Attert : Aucune commande" })).toBeInTheDocument();
    expect(within(section).getByTestId("province-map-legend")).toHaveTextContent(
      "Au moins une commande attribuée (2)Commande envoyée, pas encore attribuée (1)Aucune commande (2)",
    );
  });

  it("with no order and no adhesion, says what will appear and where to go", async () => {
    renderApp("/vue-d-ensemble");
    const empty = await screen.findByTestId("overview-empty");
    expect(empty).toHaveTextContent("Aucune commande ni adhésion pour l'instant.");
    expect(within(empty).getByRole("link", { name: "Voir les communes" })).toHaveAttribute("href", "#/communes");
    expect(screen.queryByTestId("overview-figures")).not.toBeInTheDocument();
  });

  it("shows an error it can retry", async () => {
    vi.mocked(api.overview)
      .mockRejectedValueOnce(new AppError("storage", "Le cache local est illisible."))
      .mockResolvedValueOnce(overview());
    const { user } = renderApp("/vue-d-ensemble");
    const panel = await screen.findByTestId("error-panel");
    await user.click(within(panel).getByRole("button", { name: "Réessayer" }));
    expect(await screen.findByTestId("overview-figures")).toBeInTheDocument();
    expect(api.overview).toHaveBeenCalledTimes(2);
  });
});
