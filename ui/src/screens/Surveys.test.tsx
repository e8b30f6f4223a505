import { screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import { mockBackend } from "../test/api";
import { centraleState } from "../test/fixtures";
import { renderApp } from "../test/render";
import { SURVEY_ID, SURVEY_ID_2, surveyRow } from "../test/surveyFixtures";

vi.mock("../api");

const SURVEY_ID_3 = "0190f0aa-0000-7000-8000-0000000005a3";

beforeEach(() => {
  mockBackend();
});

describe("Enquêtes sur les besoins — a commune", () => {
  it("is in the commune's menu and lists each survey, the newest first, with where the commune stands", async () => {
    vi.mocked(api.surveys).mockResolvedValue({
      surveys: [
        // Sent in January, closed since.
        surveyRow({ id: SURVEY_ID_2, title: "Éclairage public 2026", published_at: "2026-11-02T09:00:00Z", closes_on: "2027-01-31", open: false, questions: 1, my_status: "sent" }),
        // Saved on this PC, not yet sent.
        surveyRow({ my_status: "draft", my_pending: true }),
        surveyRow({ id: SURVEY_ID_3, title: "Écoles numériques", published_at: "2027-03-05T09:00:00Z", closes_on: "2027-04-30" }),
      ],
    });
    renderApp("/enquetes");
    expect(await screen.findByTestId("page-title")).toHaveTextContent("Enquêtes sur les besoins");
    expect(screen.getByTestId("nav-enquetes")).toHaveAttribute("aria-current", "page");
    expect(screen.getByText(/L'intercommunale demande à ses communes ce dont elles ont besoin/)).toBeInTheDocument();

    const rows = await screen.findAllByTestId("surveys-row");
    expect(rows.map((r) => r.getAttribute("data-survey-id"))).toEqual([SURVEY_ID_3, SURVEY_ID, SURVEY_ID_2]);
    const [fresh, draft, sent] = rows;

    expect(fresh).toHaveTextContent("Écoles numériques");
    expect(within(fresh!).getByTestId("surveys-closes")).toHaveTextContent("Clôture le 30/04/2027");
    expect(within(fresh!).getByTestId("surveys-questions")).toHaveTextContent("4 questions");
    expect(within(fresh!).getByTestId("surveys-status")).toHaveTextContent("Pas encore commencé");
    expect(within(fresh!).queryByTestId("surveys-pending")).not.toBeInTheDocument();
    const start = within(fresh!).getByTestId("surveys-open");
    expect(start).toHaveTextContent("Répondre");
    expect(start).toHaveAttribute("href", `#/enquetes/${SURVEY_ID_3}`);

    expect(within(draft!).getByTestId("surveys-status")).toHaveTextContent("Brouillon enregistré");
    expect(within(draft!).getByTestId("surveys-pending")).toHaveTextContent("En attente d'envoi");
    expect(within(draft!).getByTestId("surveys-open")).toHaveTextContent("Continuer");
    expect(within(draft!).getByTestId("surveys-open")).toHaveAttribute("href", `#/enquetes/${SURVEY_ID}`);

    expect(within(sent!).getByTestId("surveys-closes")).toHaveTextContent("Clôturée le 31/01/2027");
    expect(within(sent!).getByTestId("surveys-questions")).toHaveTextContent("1 question");
    expect(within(sent!).getByTestId("surveys-status")).toHaveTextContent("Réponses envoyées");
    expect(within(sent!).getByTestId("surveys-open")).toHaveTextContent("Voir les réponses envoyées");

    // The centrale's part is not the commune's.
    expect(screen.queryByTestId("surveys-new")).not.toBeInTheDocument();
    expect(screen.queryByTestId("surveys-progress")).not.toBeInTheDocument();
  });

  it("a closed survey the commune did not send opens read-only", async () => {
    vi.mocked(api.surveys).mockResolvedValue({ surveys: [surveyRow({ open: false, closes_on: "2027-03-01", my_status: "draft" })] });
    renderApp("/enquetes");
    const row = await screen.findByTestId("surveys-row");
    expect(within(row).getByTestId("surveys-open")).toHaveTextContent("Voir l'enquête");
  });

  it("says what to expect when there is no survey yet", async () => {
    renderApp("/enquetes");
    expect(await screen.findByTestId("surveys-empty")).toHaveTextContent("Aucune enquête pour le moment.");
    expect(api.surveys).toHaveBeenCalled();
  });
});

describe("Enquêtes sur les besoins — the centrale", () => {
  beforeEach(() => {
    vi.mocked(api.appState).mockResolvedValue(centraleState());
  });

  it("shows how many communes sent their answers and how many drafts are under way, with the results", async () => {
    vi.mocked(api.surveys).mockResolvedValue({
      surveys: [
        surveyRow({ sent: 12, drafts: 3 }),
        surveyRow({ id: SURVEY_ID_2, title: "Éclairage public 2026", published_at: "2026-11-02T09:00:00Z", open: false, closes_on: "2027-01-31", sent: 1, drafts: 1 }),
        surveyRow({ id: SURVEY_ID_3, title: "Écoles numériques", published_at: "2026-10-01T09:00:00Z", sent: 0, drafts: 0 }),
      ],
    });
    renderApp("/enquetes");
    expect(await screen.findByTestId("page-title")).toHaveTextContent("Enquêtes sur les besoins");
    expect(screen.getByTestId("nav-enquetes")).toHaveAttribute("aria-current", "page");
    const [open, closed, none] = await screen.findAllByTestId("surveys-row");

    expect(within(open!).getByTestId("surveys-progress")).toHaveTextContent("12 communes ont envoyé leurs réponses, 3 brouillons en cours.");
    expect(within(closed!).getByTestId("surveys-progress")).toHaveTextContent("1 commune a envoyé ses réponses, 1 brouillon en cours.");
    expect(within(none!).getByTestId("surveys-progress")).toHaveTextContent("Aucune commune n'a encore envoyé ses réponses, aucun brouillon en cours.");
    expect(within(open!).getByTestId("surveys-results")).toHaveAttribute("href", `#/enquetes/${SURVEY_ID}/resultats`);
    expect(within(open!).getByTestId("surveys-results")).toHaveAccessibleName("Voir les résultats « Mobilité et stationnement 2027 »");
    // Where a commune stands is the commune's.
    expect(within(open!).queryByTestId("surveys-status")).not.toBeInTheDocument();
    expect(within(open!).queryByTestId("surveys-open")).not.toBeInTheDocument();

    expect(screen.getByTestId("surveys-new")).toHaveTextContent("Nouvelle enquête");
    expect(screen.getByTestId("surveys-new")).toHaveAttribute("href", "#/enquetes/nouvelle");
  });

  it("says how to start when nothing is published", async () => {
    renderApp("/enquetes");
    expect(await screen.findByTestId("surveys-empty")).toHaveTextContent("Aucune enquête publiée.");
    expect(screen.getByTestId("surveys-new")).toBeInTheDocument();
  });
});
