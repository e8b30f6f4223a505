import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api";
import { mockBackend } from "../../test/api";
import { appState, centraleState } from "../../test/fixtures";
import { renderApp } from "../../test/render";
import { SERVED_SERVICE_ID, SURVEY_ID, surveyResults } from "../../test/surveyAdminFixtures";

vi.mock("../../api");

beforeEach(() => {
  mockBackend();
  vi.mocked(api.appState).mockResolvedValue(centraleState());
  vi.mocked(api.surveyResults).mockResolvedValue(surveyResults());
});

/** Spaces as a reader sees them (numbers and percents use narrow and no-break spaces). */
const plain = (s: string | null | undefined) => (s ?? "").replace(/[\u202f\u00a0]/g, " ");

async function open() {
  const rendered = renderApp(`/enquetes/${SURVEY_ID}/resultats`);
  await screen.findByTestId("results-header");
  return rendered;
}

describe("SurveyResults", () => {
  it("says where the survey stands: open until its closing day, communes sent and drafts", async () => {
    await open();
    expect(api.surveyResults).toHaveBeenCalledWith(SURVEY_ID);
    expect(screen.getByTestId("page-title")).toHaveTextContent("Résultats de l'enquête");
    expect(screen.getByTestId("results-survey-title")).toHaveTextContent("Besoins des communes 2028");
    expect(screen.getByTestId("results-status")).toHaveTextContent("Ouverte — clôture le 30/04/2027");
    expect(screen.getByTestId("results-counts")).toHaveTextContent("2 communes sur 5 ont envoyé leurs réponses ; 1 brouillon en cours");
    expect(screen.getByTestId("results-published")).toHaveTextContent("Publiée le 01/03/2027 à 10:00 par Thomas Henrotte.");
  });

  it("says « Clôturée » once closed, and counts in the singular", async () => {
    const view = surveyResults();
    vi.mocked(api.surveyResults).mockResolvedValue({
      ...view,
      open: false,
      communes: view.communes.filter((c) => c.commune_nis === "92094"),
    });
    await open();
    expect(screen.getByTestId("results-status")).toHaveTextContent("Clôturée le 30/04/2027");
    expect(screen.getByTestId("results-counts")).toHaveTextContent("1 commune sur 5 a envoyé ses réponses ; aucun brouillon en cours");
  });

  it("draws each need as a bar with its count, its share of the communes that answered, and which communes", async () => {
    await open();
    const parking = await screen.findByTestId("results-need-mobilite-besoins-parking");
    expect(parking).toHaveAttribute("data-count", "2");
    expect(parking).toHaveAttribute("data-percent", "100");
    expect(within(parking).getByRole("rowheader")).toHaveTextContent("Stationnement intelligent");
    expect(plain(within(parking).getByTestId("results-need-mobilite-besoins-parking-count").textContent)).toBe(
      "2 communes — 100 % des communes ayant répondu",
    );
    expect(within(parking).getByTestId("results-need-mobilite-besoins-parking-communes")).toHaveTextContent("GemblouxNamur");
    // The bar's length is the share written next to it; the bar itself is hidden from screen readers.
    const bar = parking.querySelector(".survey-bar");
    expect(bar).toHaveAttribute("aria-hidden", "true");
    expect(parking.querySelector<HTMLElement>(".survey-bar__fill")?.style.width).toBe("100%");

    const bornes = screen.getByTestId("results-need-mobilite-besoins-bornes");
    expect(bornes).toHaveAttribute("data-count", "1");
    expect(plain(within(bornes).getByTestId("results-need-mobilite-besoins-bornes-count").textContent)).toBe(
      "1 commune — 50 % des communes ayant répondu",
    );
    expect(bornes.querySelector<HTMLElement>(".survey-bar__fill")?.style.width).toBe("50%");

    const velos = screen.getByTestId("results-need-mobilite-besoins-velos");
    expect(plain(velos.textContent)).toContain("Aucune commune — 0 % des communes ayant répondu");
    expect(within(velos).queryByTestId("results-need-mobilite-besoins-velos-communes")).not.toBeInTheDocument();

    // Most expressed first, as the results come.
    const rows = within(screen.getByTestId("results-choices-mobilite-besoins")).getAllByRole("row").slice(1);
    expect(rows.map((r) => r.dataset.testid)).toEqual([
      "results-need-mobilite-besoins-parking",
      "results-need-mobilite-besoins-bornes",
      "results-need-mobilite-besoins-velos",
    ]);
    expect(screen.getByTestId("results-question-mobilite-besoins-answered")).toHaveTextContent(
      "2 communes ont répondu à cette question. Plusieurs réponses étaient possibles",
    );
  });

  it("links each need to a new service for it, or to the service it became", async () => {
    await open();
    const create = await screen.findByTestId("results-create-service-mobilite-besoins-parking");
    expect(create).toHaveAttribute("href", `#/catalogue/nouveau-service?enquete=${SURVEY_ID}&question=mobilite-besoins&choix=parking`);
    expect(create).toHaveAccessibleName("Créer un service pour ce besoin : Stationnement intelligent");
    expect(screen.queryByTestId("results-create-service-mobilite-besoins-bornes")).not.toBeInTheDocument();
    expect(screen.getByTestId("results-served-mobilite-besoins-bornes")).toHaveTextContent("Devenu le service Bornes de recharge publiques");
    expect(screen.getByTestId("results-served-link-mobilite-besoins-bornes")).toHaveAttribute("href", `#/catalogue/${SERVED_SERVICE_ID}`);
  });

  it("gives a number question's total, average and each commune's number, and a text question's texts", async () => {
    await open();
    expect(plain((await screen.findByTestId("results-number-mobilite-sites-total")).textContent)).toBe("42 sites");
    expect(plain(screen.getByTestId("results-number-mobilite-sites-average").textContent)).toBe("21 sites par commune ayant répondu");
    const perCommune = within(screen.getByTestId("results-number-mobilite-sites-communes")).getAllByRole("row").slice(1);
    expect(perCommune.map((r) => plain(r.textContent))).toEqual(["Gembloux30 sites", "Namur12 sites"]);
    expect(screen.getByTestId("results-text-citoyens-idees")).toHaveTextContent("Namur : Un guichet en ligne pour les cartes de riverain.");
  });

  it("lists each commune with its status and signature, and unfolds the answers of those sent only", async () => {
    const { user } = await open();
    const namur = await screen.findByTestId("results-commune-92094");
    expect(within(namur).getByTestId("results-commune-92094-status")).toHaveTextContent("Envoyées");
    expect(within(namur).getByTestId("results-commune-92094-sent")).toHaveTextContent("Marie Dupont, Directrice générale, le 20/03/2027 à 14:05");
    const answers = within(namur).getByTestId("results-commune-92094-answers");
    expect(answers).not.toHaveAttribute("open");
    await user.click(within(answers).getByText("Voir les réponses"));
    expect(answers).toHaveAttribute("open");
    expect(within(answers).getByTestId("results-commune-92094-answer-mobilite-besoins")).toHaveTextContent("Stationnement intelligent, Bornes de recharge");
    expect(plain(within(answers).getByTestId("results-commune-92094-answer-mobilite-sites").textContent)).toBe("12 sites");
    expect(within(answers).getByTestId("results-commune-92094-answer-citoyens-idees")).toHaveTextContent("Un guichet en ligne pour les cartes de riverain.");

    const gembloux = screen.getByTestId("results-commune-92142");
    expect(within(gembloux).getByTestId("results-commune-92142-answer-citoyens-idees")).toHaveTextContent("Pas de réponse");

    const andenne = screen.getByTestId("results-commune-92003");
    expect(andenne).toHaveAttribute("data-status", "draft");
    expect(within(andenne).getByTestId("results-commune-92003-status")).toHaveTextContent("Brouillon en cours");
    expect(within(andenne).getByTestId("results-commune-92003-sent")).toHaveTextContent("Brouillon enregistré le 22/03/2027 à 09:00");
    expect(within(andenne).queryByTestId("results-commune-92003-answers")).not.toBeInTheDocument();
    expect(screen.queryByText("Brouillon secret")).not.toBeInTheDocument();
    expect(screen.getByTestId("results-not-started")).toHaveTextContent("2 communes n'ont pas encore commencé à répondre.");
  });

  it("exports the answers sent as CSV", async () => {
    vi.mocked(api.exportCsv).mockResolvedValue({ path: "/home/achats/Documents/reponses-enquetes.csv", file_name: "reponses-enquetes.csv", rows: 5 });
    const { user } = await open();
    const button = screen.getByTestId("export-csv-survey_answers");
    expect(button).toHaveTextContent("Exporter les réponses (CSV)");
    await user.click(button);
    // This survey's answers only.
    await waitFor(() => expect(api.exportCsv).toHaveBeenCalledWith("survey_answers", SURVEY_ID));
    expect(await screen.findByTestId("export-saved-survey_answers")).toHaveTextContent("/home/achats/Documents/reponses-enquetes.csv");
  });

  it("says when nobody answered yet", async () => {
    const view = surveyResults();
    vi.mocked(api.surveyResults).mockResolvedValue({
      ...view,
      communes: [],
      served: [],
      results: view.results.map((r) => ({ ...r, answered: 0, result: r.result.kind === "choice" ? { ...r.result, counts: [] } : r.result })),
    });
    await open();
    expect(screen.getByTestId("results-counts")).toHaveTextContent("Aucune commune sur 5 n'a encore envoyé ses réponses ; aucun brouillon en cours");
    expect(screen.getByTestId("results-question-mobilite-besoins-answered")).toHaveTextContent("Aucune commune n'a encore répondu à cette question.");
    expect(screen.queryByTestId("results-choices-mobilite-besoins")).not.toBeInTheDocument();
    expect(screen.getByTestId("results-communes-empty")).toHaveTextContent("Aucune commune n'a encore commencé à répondre.");
  });

  it("says clearly when the survey is not on this PC", async () => {
    vi.mocked(api.surveyResults).mockResolvedValue(null);
    renderApp(`/enquetes/${SURVEY_ID}/resultats`);
    expect(await screen.findByTestId("results-not-found")).toHaveTextContent("Cette enquête n'est pas sur ce PC.");
  });

  it("is for the centrale's staff only", async () => {
    vi.mocked(api.appState).mockResolvedValue(appState());
    renderApp(`/enquetes/${SURVEY_ID}/resultats`);
    expect(await screen.findByTestId("survey-admin-forbidden")).toHaveTextContent("réservée au personnel de la centrale d'achat");
    expect(api.surveyResults).not.toHaveBeenCalled();
  });
});
