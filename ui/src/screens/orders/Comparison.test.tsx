/**
 * The offers side by side on the order page (issue 15 point 8: a real table; issue 11 rule 8:
 * the framework's price formula), and the quality scores typed beside them.
 */
import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api";
import { mockBackend } from "../../test/api";
import { PRICE_FORMULAS } from "../../bindings/rules";
import { adhesionScreen, evaluatedDetail, OFFER_A, OFFER_B, openedDetail, ORDER_ID, orderDetail, PROVIDER_A, PROVIDER_B, serviceDetail, terms } from "../../test/orderFixtures";
import { sheetViews } from "../../test/screenFixtures";
import { renderApp } from "../../test/render";

vi.mock("../../api");

beforeEach(() => {
  mockBackend();
  vi.mocked(api.orderDetail).mockResolvedValue(orderDetail());
  vi.mocked(api.adhesion).mockResolvedValue(adhesionScreen());
  vi.mocked(api.serviceDetail).mockResolvedValue(serviceDetail());
});

/** An offer's cell on a row of the comparison table. */
const cell = (offerId: string, row: string) =>
  screen.getAllByTestId("offer-cell").find((c) => c.getAttribute("data-offer-id") === offerId && c.getAttribute("data-row") === row)!;

describe("Order page — the offers side by side", () => {
  it("issue 16 §1: a row says each solution's interoperability and what fits the commune's own solutions; the sheets follow the table", async () => {
    const [civitas, wallon] = sheetViews();
    vi.mocked(api.orderDetail).mockResolvedValue({
      ...openedDetail(),
      interoperability: [
        { ...civitas!, provider_id: PROVIDER_A, provider_name: "Atelier Numérique SA" },
        { ...wallon!, provider_id: PROVIDER_B, provider_name: "Bureau Civique SRL" },
      ],
    });
    renderApp(`/commandes/${ORDER_ID}`);
    const comparison = await screen.findByTestId("offer-comparison");
    const labels = within(comparison).getAllByTestId("comparison-row-label").map((r) => r.getAttribute("data-row"));
    expect(labels.slice(labels.indexOf("notes"), labels.indexOf("notes") + 2)).toEqual(["notes", "interoperability"]);
    const a = cell(OFFER_A, "interoperability");
    expect(a).toHaveTextContent("Civitas Guichet 4");
    expect(a).toHaveTextContent("Données hébergées en Belgique ; 2 points vérifiés par l'intercommunale");
    expect(within(a).getByTestId("offer-fits")).toHaveTextContent("Fonctionne avec ce que la commune utilise : Payvallée Écoles (Paiement scolaire, Payvallée SRL)");
    expect(cell(OFFER_B, "interoperability")).toHaveTextContent("Pas de fiche pour cette solution");
    expect(screen.getByText("Interopérabilité", { selector: ".row-label__main" })).toBeInTheDocument();
    expect(screen.getByTestId("interoperability")).toHaveTextContent("seuls les critères d'attribution notent les offres");
    expect(screen.getByTestId("interop-fits-0")).toBeInTheDocument();
  });

  it("issue 16 §1: no interoperability row when no solution has a sheet", async () => {
    vi.mocked(api.orderDetail).mockResolvedValue(openedDetail());
    renderApp(`/commandes/${ORDER_ID}`);
    const comparison = await screen.findByTestId("offer-comparison");
    expect(within(comparison).getAllByTestId("comparison-row-label").map((r) => r.getAttribute("data-row"))).not.toContain("interoperability");
    expect(screen.queryByTestId("interoperability")).not.toBeInTheDocument();
  });

  it("two columns, the same rows in the same order, ceilings beside the prices, totals HTVA and TVAC, the better value marked", async () => {
    vi.mocked(api.orderDetail).mockResolvedValue(openedDetail());
    renderApp(`/commandes/${ORDER_ID}`);
    const comparison = await screen.findByTestId("offer-comparison");
    // A real table (issue 15.8): the offers are its column headers, the rows' names its row headers.
    expect(screen.getByRole("table", { name: "Comparaison des 2 offres" })).toBe(comparison);
    const columns = within(comparison).getAllByTestId("offer-column");
    expect(columns.map((c) => c.getAttribute("data-offer-id"))).toEqual([OFFER_A, OFFER_B]);
    expect(within(comparison).getAllByRole("columnheader").map((h) => h.querySelector("h3")?.textContent ?? h.textContent)).toEqual([
      "Offre",
      "Atelier Numérique SA",
      "Bureau Civique SRL",
    ]);
    const rows = within(comparison)
      .getAllByTestId("comparison-row-label")
      .map((r) => r.getAttribute("data-row"));
    expect(rows).toEqual([
      "provider",
      "line-licence",
      "line-setup",
      "total-htva",
      "total-tvac",
      "lead-time",
      "notes",
      "criterion-price",
      "criterion-quality",
      "weighted-total",
      "rank",
    ]);
    // Each offer has one cell on each row, in the rows' order.
    for (const offer of [OFFER_A, OFFER_B])
      expect(
        within(comparison)
          .getAllByTestId("offer-cell")
          .filter((c) => c.getAttribute("data-offer-id") === offer)
          .map((c) => c.getAttribute("data-row")),
      ).toEqual(rows.slice(1));
    expect(within(comparison).getAllByRole("rowheader")).toHaveLength(rows.length - 1);

    expect(within(columns[0]!).getByRole("heading", { level: 3 })).toHaveTextContent("Atelier Numérique SA");
    const licenceA = within(cell(OFFER_A, "line-licence")).getByTestId("offer-line");
    expect(licenceA).toHaveTextContent("Prix unitaire 1 000,00 € HTVA plafond 1 250,00 € HTVA");
    expect(licenceA).toHaveTextContent("Montant 2 000,00 € HTVA plafond 2 500,00 € HTVA");
    expect(licenceA).toHaveTextContent("Montant 2 420,00 € TVAC plafond 3 025,00 € TVAC");
    expect(licenceA).toHaveTextContent("Meilleur prix");
    // A yearly line says its amounts run over the contract (issue 11 rule 9); a one-off does not.
    expect(within(comparison).getAllByTestId("compare-over-contract").map((e) => e.textContent)).toEqual([
      "Payé chaque année : montants sur les 48 mois du contrat",
    ]);
    expect(within(cell(OFFER_A, "total-htva")).getByTestId("offer-total-htva")).toHaveTextContent("6 000,00 € HTVA");
    expect(within(cell(OFFER_B, "total-htva")).getByTestId("offer-total-htva")).toHaveTextContent("6 600,00 € HTVA");
    expect(within(cell(OFFER_A, "total-tvac")).getByTestId("offer-total-tvac")).toHaveTextContent("7 260,00 € TVAC");
    expect(within(cell(OFFER_B, "total-tvac")).getByTestId("offer-total-tvac")).toHaveTextContent("7 986,00 € TVAC");

    // The better value: marked with a word, in the right column only.
    const [a, b] = [OFFER_A, OFFER_B];
    expect(cell(a, "total-htva")).toHaveTextContent("Prix le plus bas");
    expect(cell(b, "total-htva")).not.toHaveTextContent("Prix le plus bas");
    expect(cell(b, "lead-time")).toHaveTextContent("45 jours");
    expect(cell(b, "lead-time")).toHaveTextContent("Délai le plus court");
    expect(cell(a, "lead-time")).not.toHaveTextContent("Délai le plus court");
    // Before the evaluation: the price score is computed, the rest comes after.
    expect(cell(a, "criterion-price")).toHaveTextContent("60,00 / 60");
    expect(cell(b, "criterion-price")).toHaveTextContent("54,55 / 60");
    expect(cell(a, "criterion-quality")).toHaveTextContent("À évaluer");
    expect(within(cell(a, "rank")).getByTestId("offer-rank")).toHaveTextContent("Après l'évaluation");
    // Every row is named by its header.
    expect(within(comparison).getByRole("rowheader", { name: "Total HTVA" })).toBeInTheDocument();
    expect(screen.getByTestId("presentation-open")).toHaveAttribute("href", `#/commandes/${ORDER_ID}/presentation`);
  });

  it("states the framework's price formula beside the price row; against the ceilings, each offer is scored on its own price (issue 11 rule 8)", async () => {
    vi.mocked(api.orderDetail).mockResolvedValue({ ...openedDetail(), terms: terms({ price_formula: "against_ceiling" }) });
    renderApp(`/commandes/${ORDER_ID}`);
    const comparison = await screen.findByTestId("offer-comparison");
    const statements = within(comparison).getAllByTestId("price-formula-statement");
    expect(statements[0]).toHaveTextContent(PRICE_FORMULAS.against_ceiling);
    expect(comparison).toHaveTextContent("Calculé : (total aux prix plafonds − prix de l'offre) ÷ total aux prix plafonds × 60");
    // Needs at the ceilings: 7 000,00 € HTVA; 60 × 1 000 / 7 000 and 60 × 400 / 7 000.
    expect(cell(OFFER_A, "criterion-price")).toHaveTextContent("8,57 / 60");
    expect(cell(OFFER_B, "criterion-price")).toHaveTextContent("3,43 / 60");
  });

  it("the relative formula is stated with its known flaw", async () => {
    vi.mocked(api.orderDetail).mockResolvedValue(openedDetail());
    renderApp(`/commandes/${ORDER_ID}`);
    const comparison = await screen.findByTestId("offer-comparison");
    expect(within(comparison).getAllByTestId("price-formula-statement")[0]).toHaveTextContent(
      "une offre classée troisième peut modifier l'écart entre les deux premières",
    );
  });

  it("a quality score « 7,5 » is sent as \"7.5\", with the justification of each offer", async () => {
    vi.mocked(api.orderDetail).mockResolvedValue(openedDetail());
    const { user } = renderApp(`/commandes/${ORDER_ID}`);
    const score = (offer: string) =>
      screen.getAllByTestId("quality-score").find((s) => s.getAttribute("data-offer-id") === offer && s.getAttribute("data-criterion") === "quality")!;
    const justification = (offer: string) => screen.getAllByTestId("quality-justification").find((s) => s.getAttribute("data-offer-id") === offer)!;
    await screen.findByTestId("order-evaluation");

    // Missing and out-of-range scores are said before anything is sent.
    await user.type(score(OFFER_A), "41");
    await user.click(screen.getByTestId("evaluation-save"));
    const summary = await screen.findByTestId("error-summary");
    expect(summary).toHaveTextContent("La note pour « Qualité technique et accompagnement » (Atelier Numérique SA) doit être comprise entre 0 et 40.");
    expect(summary).toHaveTextContent("Indiquez la note pour « Qualité technique et accompagnement » (Bureau Civique SRL)");
    expect(summary).toHaveTextContent("Justifiez en une phrase au moins les notes de l'offre « Atelier Numérique SA »");
    expect(api.perform).not.toHaveBeenCalled();

    await user.clear(score(OFFER_A));
    await user.type(score(OFFER_A), "7,5");
    await user.type(score(OFFER_B), "32");
    await user.type(justification(OFFER_A), "Démonstration peu convaincante.");
    await user.type(justification(OFFER_B), "Formation sur place appréciée.");
    await user.click(screen.getByTestId("evaluation-save"));
    await waitFor(() => expect(api.perform).toHaveBeenCalledTimes(1));
    expect(api.perform).toHaveBeenCalledWith({
      kind: "evaluate_offers",
      input: {
        order_id: ORDER_ID,
        scores: [
          { offer_id: OFFER_A, criterion_code: "quality", points: "7.5", justification: "Démonstration peu convaincante." },
          { offer_id: OFFER_B, criterion_code: "quality", points: "32", justification: "Formation sur place appréciée." },
        ],
      },
    });
    expect(await screen.findByTestId("evaluation-saved")).toHaveTextContent("Évaluation enregistrée");
  });

  it("after the evaluation: scores, weighted totals and ranks, the first marked", async () => {
    vi.mocked(api.orderDetail).mockResolvedValue(evaluatedDetail());
    renderApp(`/commandes/${ORDER_ID}`);
    await screen.findByTestId("offer-comparison");
    expect(within(cell(OFFER_A, "rank")).getByTestId("offer-rank")).toHaveTextContent("1re");
    expect(cell(OFFER_A, "rank")).toHaveTextContent("Classée première");
    expect(within(cell(OFFER_B, "rank")).getByTestId("offer-rank")).toHaveTextContent("2e");
    expect(cell(OFFER_A, "weighted-total")).toHaveTextContent("90,00 / 100");
    expect(cell(OFFER_B, "weighted-total")).toHaveTextContent("87,05 / 100");
    // The first-ranked offer's header is marked.
    expect(screen.getAllByTestId("offer-column").find((c) => c.getAttribute("data-offer-id") === OFFER_A)).toHaveClass("comparison__offer--first");
    const quality = cell(OFFER_B, "criterion-quality");
    expect(quality).toHaveTextContent("32,50 / 40");
    expect(quality).toHaveTextContent("Meilleure note");
    expect(quality).toHaveTextContent("Formation sur place appréciée.");
    // The evaluation can be corrected: the form is filled with the saved scores.
    const score = screen.getAllByTestId("quality-score").find((s) => s.getAttribute("data-offer-id") === OFFER_B)!;
    expect(score).toHaveValue("32,50");
  });
});
