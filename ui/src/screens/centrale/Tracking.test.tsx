import { fireEvent, screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api";
import type { FrameworkTracking } from "../../bindings/FrameworkTracking";
import type { SolutionUse } from "../../bindings/SolutionUse";
import { mockBackend } from "../../test/api";
import { centraleState } from "../../test/fixtures";
import { renderApp } from "../../test/render";

vi.mock("../../api");

beforeEach(() => {
  mockBackend();
  vi.mocked(api.appState).mockResolvedValue(centraleState());
});

/** Spaces as a reader sees them (amounts use narrow and no-break spaces). */
const plain = (s: string | null) => (s ?? "").replace(/[\u202f\u00a0]/g, " ");

const amount = (excl: number) => ({ excl_vat: excl, vat: Math.round(excl * 0.21), incl_vat: excl + Math.round(excl * 0.21) });

const solution = (over: Partial<SolutionUse>): SolutionUse => ({
  order_id: "o-1",
  title: "E-guichet état civil",
  commune_nis: "84009",
  commune_name: "Bertrix",
  service_id: "s-1",
  service_name: "E-guichet",
  framework_id: "f-1",
  framework_reference: "CA-2025-01",
  provider_id: "p-1",
  provider_name: "Nuagix SA",
  amount: amount(5_600_000),
  status: "deploying",
  awarded_at: "2027-01-20T09:00:00Z",
  ...over,
});

/** CA-2025-01 ends in five months without successor, at 80 % of its maximum; CA-2024-02
 * has a successor; CA-2025-02 ends in two years. */
const tracking = (over: Partial<FrameworkTracking> = {}): FrameworkTracking => {
  const bertrix = solution({});
  const arlon = solution({
    order_id: "o-2",
    title: "Paiement scolaire Arlon",
    commune_nis: "81001",
    commune_name: "Arlon",
    service_id: "s-2",
    service_name: "Paiement scolaire",
    framework_id: "f-2",
    framework_reference: "CA-2024-02",
    provider_id: "p-2",
    provider_name: "Civitech SRL",
    amount: amount(900_000),
    status: "finally_accepted",
    awarded_at: "2026-11-02T09:00:00Z",
  });
  const habay = solution({ order_id: "o-3", commune_nis: "85007", commune_name: "Habay", amount: amount(10_400_000), provider_name: null });
  return {
    today: "2028-09-28",
    lead_months: 6,
    alert_percent: 80,
    ends: [
      {
        framework_id: "f-1",
        reference: "CA-2025-01",
        title_fr: "E-guichet",
        service_id: "s-1",
        service_name: "E-guichet",
        start_date: "2025-03-01",
        end_date: "2029-02-28",
        days_left: 153,
        status: "successor_needed",
        successor: null,
      },
      {
        framework_id: "f-2",
        reference: "CA-2024-02",
        title_fr: "Paiement scolaire",
        service_id: "s-2",
        service_name: "Paiement scolaire",
        start_date: "2024-09-01",
        end_date: "2029-03-31",
        days_left: 184,
        status: "successor_planned",
        successor: { framework_id: "f-9", reference: "CA-2029-01", start_date: "2029-04-01" },
      },
      {
        framework_id: "f-3",
        reference: "CA-2025-02",
        title_fr: "Participation citoyenne",
        service_id: "s-3",
        service_name: null,
        start_date: "2025-05-01",
        end_date: "2030-10-31",
        days_left: 763,
        status: "running",
        successor: null,
      },
    ],
    consumption: [
      {
        framework_id: "f-1",
        reference: "CA-2025-01",
        service_name: "E-guichet",
        maximum: 20_000_000,
        consumed: amount(16_000_000),
        remaining: 4_000_000,
        consumed_percent: "80",
        alert: true,
        communes: [
          { commune_nis: "85007", commune_name: "Habay", orders: 1, consumed: amount(10_400_000), percent_of_maximum: "52" },
          { commune_nis: "84009", commune_name: "Bertrix", orders: 1, consumed: amount(5_600_000), percent_of_maximum: "28" },
        ],
      },
      {
        framework_id: "f-2",
        reference: "CA-2024-02",
        service_name: "Paiement scolaire",
        maximum: 65_000_000,
        consumed: amount(900_000),
        remaining: 64_100_000,
        consumed_percent: "1.4",
        alert: false,
        communes: [{ commune_nis: "81001", commune_name: "Arlon", orders: 1, consumed: amount(900_000), percent_of_maximum: "1.4" }],
      },
    ],
    solutions: [bertrix, habay, arlon],
    communes: [
      { commune_nis: "81001", commune_name: "Arlon", solutions: [arlon] },
      { commune_nis: "84009", commune_name: "Bertrix", solutions: [bertrix] },
      { commune_nis: "85007", commune_name: "Habay", solutions: [habay] },
    ],
    ...over,
  };
};

describe("Suivi des accords-cadres (issue 16.5)", () => {
  it("lists the frameworks in force, the soonest end first, with the successor to prepare", async () => {
    vi.mocked(api.tracking).mockResolvedValue(tracking());
    renderApp("/suivi-des-accords-cadres");
    const ends = await screen.findByTestId("tracking-ends");
    expect(screen.getByTestId("page-title")).toHaveTextContent("Suivi des accords-cadres");
    expect(screen.getByText(/au 28\/09\/2028/)).toBeInTheDocument();
    expect(within(ends).getByRole("heading", { name: "Fin des accords-cadres" })).toBeInTheDocument();
    expect(ends).toHaveTextContent("dans les 6 mois sans successeur");
    const rows = within(ends).getAllByTestId("tracking-end");
    expect(rows.map((r) => r.dataset.reference)).toEqual(["CA-2025-01", "CA-2024-02", "CA-2025-02"]);
    expect(rows[0]).toHaveTextContent("28/02/2029");
    expect(within(rows[0]!).getByTestId("tracking-end-days")).toHaveTextContent("153 jours");
    expect(within(rows[0]!).getByTestId("tracking-end-status")).toHaveTextContent("Successeur à préparer");
    expect(within(rows[1]!).getByTestId("tracking-end-status")).toHaveTextContent("Successeur prévu");
    expect(rows[1]).toHaveTextContent("Succédé par CA-2029-01 à partir du 01/04/2029");
    expect(within(rows[2]!).getByTestId("tracking-end-status")).toHaveTextContent("En cours");
    // A service no longer on this PC: the framework's own title.
    expect(rows[2]).toHaveTextContent("Participation citoyenne");
  });

  it("flags a framework at 80 % of its maximum value, with each commune's share", async () => {
    vi.mocked(api.tracking).mockResolvedValue(tracking());
    renderApp("/suivi-des-accords-cadres");
    const section = await screen.findByTestId("tracking-consumption");
    expect(within(section).getByRole("heading", { name: "Consommation" })).toBeInTheDocument();
    const [first, second] = within(section).getAllByTestId("tracking-consumption-row");
    expect(first!.dataset.alert).toBe("true");
    expect(plain(first!.textContent)).toContain("200 000,00 € HTVA");
    expect(plain(within(first!).getByTestId("tracking-consumption-share").textContent)).toBe("80 %80 % atteints");
    expect(plain(within(first!).getByTestId("tracking-consumption-communes").textContent)).toContain(
      "Habay : 104 000,00 € HTVA, 52 % du maximum (1 commande)",
    );
    expect(within(second!).queryByTestId("tracking-consumption-alert")).toBeNull();
    expect(plain(within(second!).getByTestId("tracking-consumption-share").textContent)).toBe("1,4 %");
    expect(within(section).getByTestId("export-consumption")).toBeInTheDocument();
  });

  it("says which commune uses which solution, sortable, and exports it as CSV", async () => {
    vi.mocked(api.tracking).mockResolvedValue(tracking());
    vi.mocked(api.exportCsv).mockResolvedValue({ path: "/home/marie/Documents/qui.csv", file_name: "qui.csv", rows: 3 });
    renderApp("/suivi-des-accords-cadres");
    const section = await screen.findByTestId("tracking-solutions");
    expect(within(section).getByRole("heading", { name: "Qui utilise quoi" })).toBeInTheDocument();
    const ids = () => within(section).getAllByTestId("tracking-solution").map((r) => r.dataset.orderId);
    // By service, then commune.
    expect(ids()).toEqual(["o-1", "o-3", "o-2"]);
    const first = within(section).getAllByTestId("tracking-solution")[0]!;
    expect(plain(first.textContent)).toContain("Bertrix");
    expect(plain(first.textContent)).toContain("Nuagix SA");
    expect(plain(first.textContent)).toContain("CA-2025-01");
    expect(plain(first.textContent)).toContain("56 000,00 € HTVA");
    expect(first).toHaveTextContent("Déploiement en cours");
    expect(within(section).getAllByTestId("tracking-solution")[1]).toHaveTextContent("Prestataire inconnu sur ce PC");

    fireEvent.change(within(section).getByTestId("tracking-sort"), { target: { value: "amount" } });
    expect(ids()).toEqual(["o-3", "o-1", "o-2"]);
    fireEvent.change(within(section).getByTestId("tracking-sort"), { target: { value: "commune" } });
    expect(ids()).toEqual(["o-2", "o-1", "o-3"]);

    const perCommune = within(section).getByTestId("tracking-per-commune");
    expect(perCommune.querySelector('[data-nis="81001"]')).toHaveTextContent("ArlonPaiement scolaire : Civitech SRL (Réception définitive signée)");

    fireEvent.click(within(section).getByTestId("export-csv-solutions"));
    expect(await within(section).findByTestId("export-saved-solutions")).toHaveTextContent("/home/marie/Documents/qui.csv");
    expect(api.exportCsv).toHaveBeenCalledWith("solutions", undefined);
  });

  it("says so when nothing is in force or awarded yet", async () => {
    vi.mocked(api.tracking).mockResolvedValue(tracking({ ends: [], consumption: [], solutions: [], communes: [] }));
    renderApp("/suivi-des-accords-cadres");
    expect(await screen.findByTestId("tracking-ends-empty")).toHaveTextContent("Aucun accord-cadre n'est en vigueur aujourd'hui.");
    expect(screen.getByTestId("tracking-solutions-empty")).toHaveTextContent("Aucune commande attribuée pour l'instant");
  });

  it("is in the centrale's menu beside « Vue d'ensemble »", async () => {
    renderApp("/suivi-des-accords-cadres");
    const nav = await screen.findByRole("navigation", { name: "Menu principal" });
    const links = within(nav).getAllByRole("link").map((l) => l.textContent);
    expect(links.indexOf("Suivi des accords-cadres")).toBe(links.indexOf("Vue d'ensemble") + 1);
    expect(within(nav).getByRole("link", { name: "Suivi des accords-cadres" })).toHaveAttribute("aria-current", "page");
  });
});
