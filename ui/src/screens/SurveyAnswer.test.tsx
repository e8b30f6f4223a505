import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import { mockBackend } from "../test/api";
import { appState, centraleState, me } from "../test/fixtures";
import { renderApp } from "../test/render";
import { draftResponse, SURVEY_ID, sentResponse, surveyPage } from "../test/surveyFixtures";

vi.mock("../api");

const PATH = `/enquetes/${SURVEY_ID}`;

beforeEach(() => {
  mockBackend();
  vi.mocked(api.survey).mockResolvedValue(surveyPage());
});

type User = ReturnType<typeof renderApp>["user"];

/** Marie Dupont, directrice générale of Namur, signed in. */
function asDirectrice() {
  vi.mocked(api.appState).mockResolvedValue(appState({ session: me({ gender: "female" }) }));
}

/** Julie Lambert, agente communale of Namur, signed in. */
function asStaff() {
  vi.mocked(api.appState).mockResolvedValue(
    appState({ session: me({ user_id: "u-2", username: "agent.92094", display_name: "Julie Lambert", role: "commune_staff", gender: "female" }) }),
  );
}

/** Every required question answered: parking and bike parking, 12 sites. */
async function answerRequired(user: User) {
  await user.click(await screen.findByTestId("survey-choice-mobilite-besoins-parking"));
  await user.click(screen.getByTestId("survey-choice-mobilite-besoins-velos"));
  await user.type(screen.getByTestId("survey-number-sites"), "12");
}

describe("Enquête — what a commune reads", () => {
  it("shows the survey's words, its closing day and each question with its own control, opened with the saved draft", async () => {
    vi.mocked(api.survey).mockResolvedValue(surveyPage({ response: draftResponse() }));
    renderApp(PATH);
    expect(await screen.findByTestId("page-title")).toHaveTextContent("Mobilité et stationnement 2027");
    expect(screen.getByTestId("nav-enquetes")).toHaveAttribute("aria-current", "page");
    expect(screen.getByText("Dites-nous ce dont votre commune a besoin.", { exact: false })).toBeInTheDocument();
    expect(screen.getByTestId("survey-closes")).toHaveTextContent("Clôture le 31/03/2027 (heure de Bruxelles)");
    expect(screen.getByTestId("survey-status")).toHaveTextContent("Brouillon enregistré");

    const themes = await screen.findAllByTestId("survey-theme");
    expect(themes.map((t) => t.querySelector("legend")?.textContent)).toEqual(["Mobilité", "Équipement"]);

    // Several choices: boxes to tick; the draft's ticked.
    const needs = screen.getByTestId("survey-question-mobilite-besoins");
    expect(needs).toHaveTextContent("De quoi votre commune a-t-elle besoin ? (obligatoire)");
    expect(needs).toHaveTextContent("Cochez tout ce qui vous servirait dans les trois ans. Plusieurs réponses possibles.");
    expect(within(needs).getByRole("checkbox", { name: "Parking intelligent" })).toBeChecked();
    expect(within(needs).getByRole("checkbox", { name: "Stationnement vélos sécurisé" })).not.toBeChecked();
    expect(within(needs).getByRole("checkbox", { name: "Bornes de recharge" })).toBeChecked();
    // One choice: radios; optional.
    const delay = screen.getByTestId("survey-question-mobilite-delai");
    expect(delay).not.toHaveTextContent("obligatoire");
    expect(within(delay).getAllByRole("radio")).toHaveLength(2);
    // A number: a numeric keypad, the unit after it.
    const sites = screen.getByTestId("survey-number-sites");
    expect(sites).toHaveValue("12");
    expect(sites).toHaveAttribute("inputmode", "numeric");
    expect(sites).toHaveAccessibleName("Combien de sites seraient équipés ? (obligatoire)");
    expect(sites).toHaveAccessibleDescription(expect.stringContaining("Un nombre entier de 0 à 500, sans virgule."));
    expect(sites).toHaveAccessibleDescription(expect.stringContaining("sites"));
    // A text, with its count of characters.
    expect(screen.getByTestId("survey-text-remarques")).toHaveValue("");
    expect(screen.getByTestId("survey-text-remarques-count")).toHaveTextContent("0 caractère sur 4 000");
  });

  it("says so when the survey is not on this PC", async () => {
    vi.mocked(api.survey).mockResolvedValue(null);
    renderApp(PATH);
    expect(await screen.findByTestId("survey-not-found")).toHaveTextContent("Cette enquête n'est pas (encore) sur ce PC.");
    expect(api.survey).toHaveBeenCalledWith(SURVEY_ID);
  });
});

describe("Enquête — a commune's staff saves a draft", () => {
  beforeEach(asStaff);

  it("saves exactly what was answered, blanks left out, and says the directeur général sends it", async () => {
    const { user } = renderApp(PATH);
    await answerRequired(user);
    await user.click(screen.getByTestId("survey-choice-mobilite-delai-annee"));
    await user.type(screen.getByTestId("survey-text-remarques"), "  Priorité au centre-ville.  ");
    expect(screen.getByTestId("survey-text-remarques-count")).toHaveTextContent("25 caractères sur 4 000");

    // Only the directeur général sends: a staff account saves.
    expect(screen.queryByTestId("survey-send")).not.toBeInTheDocument();
    expect(screen.getByTestId("survey-dg-only")).toHaveTextContent(
      "Seul le directeur général ou la directrice générale envoie les réponses de la commune. Enregistrez un brouillon : il ou elle le relira et l'enverra.",
    );
    await user.click(screen.getByTestId("survey-save"));

    await waitFor(() =>
      expect(api.perform).toHaveBeenCalledWith({
        kind: "save_survey_answers",
        input: {
          survey_id: SURVEY_ID,
          answers: [
            { question: "mobilite-besoins", value: { kind: "choices", value: ["parking", "velos"] } },
            { question: "mobilite-delai", value: { kind: "choices", value: ["annee"] } },
            { question: "sites", value: { kind: "number", value: 12 } },
            { question: "remarques", value: { kind: "text", value: "Priorité au centre-ville." } },
          ],
        },
      }),
    );
    expect(api.perform).toHaveBeenCalledTimes(1);
    expect(await screen.findByTestId("flash")).toHaveTextContent(
      "Brouillon enregistré sur ce PC. Il sera transmis à l'intercommunale à la prochaine synchronisation ; la centrale ne lit les réponses qu'une fois envoyées par le directeur général ou la directrice générale.",
    );
    expect(screen.getByTestId("survey-saved")).toHaveTextContent("Brouillon enregistré sur ce PC à");
    // The form stays as typed.
    expect(screen.getByTestId("survey-number-sites")).toHaveValue("12");
  });

  it("an optional single choice, once ticked, can be left blank again", async () => {
    const { user } = renderApp(PATH);
    await answerRequired(user);
    const delay = await screen.findByTestId("survey-question-mobilite-delai");
    expect(within(delay).queryByTestId("survey-question-mobilite-delai-clear")).not.toBeInTheDocument();
    await user.click(screen.getByTestId("survey-choice-mobilite-delai-annee"));
    expect(screen.getByTestId("survey-choice-mobilite-delai-annee")).toBeChecked();
    await user.click(within(delay).getByTestId("survey-question-mobilite-delai-clear"));
    expect(within(delay).getAllByRole("radio").every((r) => !(r as HTMLInputElement).checked)).toBe(true);
    expect(within(delay).queryByTestId("survey-question-mobilite-delai-clear")).not.toBeInTheDocument();
    await user.click(screen.getByTestId("survey-save"));
    await waitFor(() => expect(api.perform).toHaveBeenCalledTimes(1));
    const sent = vi.mocked(api.perform).mock.calls[0]![0] as { input: { answers: { question: string }[] } };
    expect(sent.input.answers.map((a) => a.question)).not.toContain("mobilite-delai");
  });

  it("saves a draft with required questions still blank, and leaves blanks out", async () => {
    const { user } = renderApp(PATH);
    await user.type(await screen.findByTestId("survey-number-sites"), "0");
    await user.click(screen.getByTestId("survey-save"));
    await waitFor(() =>
      expect(api.perform).toHaveBeenCalledWith({
        kind: "save_survey_answers",
        input: { survey_id: SURVEY_ID, answers: [{ question: "sites", value: { kind: "number", value: 0 } }] },
      }),
    );
    expect(screen.queryByTestId("error-summary")).not.toBeInTheDocument();
  });

  it("refuses a number that is not whole or above the largest, before saving", async () => {
    const { user } = renderApp(PATH);
    const sites = await screen.findByTestId("survey-number-sites");
    await user.type(sites, "2,5");
    await user.click(screen.getByTestId("survey-save"));
    const summary = await screen.findByTestId("error-summary");
    expect(summary).toHaveTextContent("La réponse à « Combien de sites seraient équipés ? » doit être un nombre entier de 0 à 500, sans virgule ni signe (vous avez écrit « 2,5 »).");
    expect(sites).toHaveAttribute("aria-invalid", "true");
    expect(api.perform).not.toHaveBeenCalled();

    await user.clear(sites);
    await user.type(sites, "600");
    await user.click(screen.getByTestId("survey-save"));
    expect(await screen.findByTestId("error-summary")).toHaveTextContent("doit être un nombre de 0 à 500 au plus (vous avez écrit « 600 »)");
    expect(api.perform).not.toHaveBeenCalled();
  });
});

describe("Enquête — the directrice générale signs and sends", () => {
  beforeEach(asDirectrice);

  it("checks, confirms with what is sent and who signs, sends, and shows the answers read-only", async () => {
    const { user } = renderApp(PATH);
    await answerRequired(user);
    expect(screen.queryByTestId("survey-dg-only")).not.toBeInTheDocument();
    await user.click(screen.getByTestId("survey-send"));

    const dialog = await screen.findByTestId("confirm-dialog");
    expect(dialog).toHaveTextContent("Envoyer les réponses de Namur à la centrale ?");
    expect(within(dialog).getByTestId("survey-confirm-sign")).toHaveTextContent(
      "Vous signez les réponses de Namur en tant que directrice générale ; une fois envoyées, elles ne pourront plus être modifiées.",
    );
    const what = within(dialog).getByTestId("survey-confirm-answers");
    expect(within(what).getByTestId("survey-answer-mobilite-besoins")).toHaveTextContent("Parking intelligent, Stationnement vélos sécurisé");
    expect(within(what).getByTestId("survey-answer-sites")).toHaveTextContent("12 sites");
    expect(within(what).getByTestId("survey-answer-remarques")).toHaveTextContent("Pas de réponse");
    expect(api.perform).not.toHaveBeenCalled();
    await user.click(within(dialog).getByTestId("confirm-accept"));

    await waitFor(() =>
      expect(api.perform).toHaveBeenCalledWith({
        kind: "send_survey_answers",
        input: {
          survey_id: SURVEY_ID,
          answers: [
            { question: "mobilite-besoins", value: { kind: "choices", value: ["parking", "velos"] } },
            { question: "sites", value: { kind: "number", value: 12 } },
          ],
        },
      }),
    );
    const receipt = await screen.findByTestId("survey-receipt");
    expect(receipt).toHaveTextContent("Réponses signées et envoyées");
    expect(receipt).toHaveTextContent("Réponses de Namur à l'enquête « Mobilité et stationnement 2027 » (2 réponses).");
    expect(receipt).toHaveTextContent("Marie Dupont, directrice générale");
    // Read-only from now on: no field, the signature, waiting to be sent.
    expect(screen.queryByTestId("survey-form")).not.toBeInTheDocument();
    expect(screen.getByTestId("survey-signature")).toHaveTextContent("Envoyées par Marie Dupont, directrice générale, le");
    expect(screen.getByTestId("survey-pending")).toHaveTextContent("En attente d'envoi à l'intercommunale");
    expect(within(screen.getByTestId("survey-sent-answers")).getByTestId("survey-answer-sites")).toHaveTextContent("12 sites");
  });

  it("lists each required question left blank, marks it, and sends nothing; what was typed stays", async () => {
    const { user } = renderApp(PATH);
    await user.type(await screen.findByTestId("survey-text-remarques"), "Rien d'autre.");
    await user.click(screen.getByTestId("survey-send"));

    const summary = await screen.findByTestId("error-summary");
    expect(summary).toHaveTextContent("Répondez à la question « De quoi votre commune a-t-elle besoin ? » avant d'envoyer les réponses.");
    expect(summary).toHaveTextContent("Répondez à la question « Combien de sites seraient équipés ? » avant d'envoyer les réponses.");
    expect(summary).not.toHaveTextContent("Dans quel délai ?");
    // Each link goes to its question.
    const links = within(summary).getAllByRole("link");
    expect(links.map((l) => l.getAttribute("href"))).toEqual(["#survey-choice-mobilite-besoins-parking", "#survey-number-sites"]);
    await user.click(links[1]!);
    expect(screen.getByTestId("survey-number-sites")).toHaveFocus();

    expect(screen.getByTestId("survey-choice-mobilite-besoins-parking")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("survey-number-sites")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("survey-question-mobilite-besoins")).toHaveAccessibleDescription(expect.stringContaining("Répondez à la question"));
    expect(screen.getByTestId("survey-text-remarques")).not.toHaveAttribute("aria-invalid");
    expect(screen.getByTestId("survey-text-remarques")).toHaveValue("Rien d'autre.");
    expect(screen.queryByTestId("confirm-dialog")).not.toBeInTheDocument();
    expect(api.perform).not.toHaveBeenCalled();
  });

  it("shows the domain's refusal next to the question it names, keeping what was typed", async () => {
    vi.mocked(api.perform).mockRejectedValueOnce({
      code: "survey_number_out_of_range",
      message: "Hors limites.",
      params: { field: "answers[1].value", question: "Combien de sites seraient équipés ?", max: 500 },
    });
    const { user } = renderApp(PATH);
    await answerRequired(user);
    await user.click(screen.getByTestId("survey-send"));
    await user.click(within(await screen.findByTestId("confirm-dialog")).getByTestId("confirm-accept"));

    await waitFor(() => expect(screen.queryByTestId("confirm-dialog")).not.toBeInTheDocument());
    const sites = screen.getByTestId("survey-number-sites");
    expect(sites).toHaveAttribute("aria-invalid", "true");
    expect(sites).toHaveAccessibleDescription(
      expect.stringContaining("La réponse à la question « Combien de sites seraient équipés ? » doit être un nombre entier de 0 à 500."),
    );
    expect(screen.getByTestId("error-summary")).toHaveTextContent("doit être un nombre entier de 0 à 500");
    expect(sites).toHaveValue("12");
    expect(screen.getByTestId("survey-choice-mobilite-besoins-velos")).toBeChecked();
    expect(screen.queryByTestId("survey-receipt")).not.toBeInTheDocument();
  });

  it("a refusal naming a question by its code goes next to it; one naming none goes to the summary", async () => {
    vi.mocked(api.perform)
      .mockRejectedValueOnce({
        code: "survey_answer_missing",
        message: "Réponse manquante.",
        params: { field: "question:mobilite-besoins", question: "De quoi votre commune a-t-elle besoin ?" },
      })
      .mockRejectedValueOnce({ code: "survey_closed", message: "L'enquête est clôturée.", params: { closes_on: "31/03/2027", today: "01/04/2027" } });
    const { user } = renderApp(PATH);
    await answerRequired(user);
    await user.click(screen.getByTestId("survey-send"));
    await user.click(within(await screen.findByTestId("confirm-dialog")).getByTestId("confirm-accept"));
    await waitFor(() => expect(screen.getByTestId("survey-choice-mobilite-besoins-parking")).toHaveAttribute("aria-invalid", "true"));
    expect(screen.getByTestId("survey-question-mobilite-besoins")).toHaveTextContent("Répondez à la question « De quoi votre commune a-t-elle besoin ? » avant d'envoyer les réponses.");

    await user.click(screen.getByTestId("survey-send"));
    await user.click(within(await screen.findByTestId("confirm-dialog")).getByTestId("confirm-accept"));
    const summary = await screen.findByText(/L'enquête est clôturée depuis le 31\/03\/2027/);
    expect(summary.closest("a")).toHaveAttribute("href", "#survey-form-title");
    expect(screen.getByTestId("survey-choice-mobilite-besoins-parking")).not.toHaveAttribute("aria-invalid");
    expect(screen.getByTestId("survey-number-sites")).toHaveValue("12");
  });

  it("saves a draft too", async () => {
    const { user } = renderApp(PATH);
    await user.click(await screen.findByTestId("survey-choice-mobilite-besoins-bornes"));
    await user.click(screen.getByTestId("survey-save"));
    await waitFor(() =>
      expect(api.perform).toHaveBeenCalledWith({
        kind: "save_survey_answers",
        input: { survey_id: SURVEY_ID, answers: [{ question: "mobilite-besoins", value: { kind: "choices", value: ["bornes"] } }] },
      }),
    );
  });
});

describe("Enquête — read-only", () => {
  it("once sent: the answers in words and who signed them, when", async () => {
    vi.mocked(api.survey).mockResolvedValue(surveyPage({ response: sentResponse() }));
    renderApp(PATH);
    const signature = await screen.findByTestId("survey-signature");
    expect(signature).toHaveTextContent("Envoyées par Marie Dupont, directrice générale, le 11/03/2027 à 15:30.");
    expect(screen.getByTestId("survey-final")).toHaveTextContent("Les réponses envoyées ne changent plus.");
    expect(screen.getByTestId("survey-status")).toHaveTextContent("Réponses envoyées");
    const answers = screen.getByTestId("survey-sent-answers");
    expect(within(answers).getByTestId("survey-answer-mobilite-besoins")).toHaveTextContent("Parking intelligent, Bornes de recharge");
    expect(within(answers).getByTestId("survey-answer-mobilite-delai")).toHaveTextContent("Pas de réponse");
    expect(within(answers).getByTestId("survey-answer-sites")).toHaveTextContent("12 sites");
    expect(within(answers).getByTestId("survey-answer-remarques")).toHaveTextContent("Priorité au centre-ville.");
    expect(screen.queryByTestId("survey-form")).not.toBeInTheDocument();
    expect(screen.queryByRole("checkbox")).not.toBeInTheDocument();
    expect(screen.queryByTestId("survey-save")).not.toBeInTheDocument();
  });

  it("sent offline: says it waits to be sent to the intercommunale", async () => {
    vi.mocked(api.survey).mockResolvedValue(surveyPage({ response: sentResponse(), pending: true }));
    renderApp(PATH);
    expect(await screen.findByTestId("survey-pending")).toHaveTextContent("En attente d'envoi à l'intercommunale");
    expect(screen.getByTestId("survey-status-pending")).toHaveTextContent("En attente d'envoi");
  });

  it("closed before it was sent: no more answers, the draft for memory", async () => {
    vi.mocked(api.survey).mockResolvedValue(surveyPage({ open: false, response: draftResponse() }));
    asDirectrice();
    renderApp(PATH);
    const closed = await screen.findByTestId("survey-closed");
    expect(closed).toHaveTextContent("Cette enquête est clôturée depuis le 31/03/2027 : les réponses ne sont plus acceptées.");
    expect(closed).toHaveTextContent("Le brouillon de votre commune n'a pas été envoyé.");
    expect(within(screen.getByTestId("survey-closed-answers")).getByTestId("survey-answer-sites")).toHaveTextContent("12 sites");
    expect(screen.getByTestId("survey-closes")).toHaveTextContent("Clôturée le 31/03/2027 (heure de Bruxelles).");
    expect(screen.queryByTestId("survey-form")).not.toBeInTheDocument();
    expect(screen.queryByTestId("survey-send")).not.toBeInTheDocument();
  });

  it("closed without any answer: says the commune did not answer", async () => {
    vi.mocked(api.survey).mockResolvedValue(surveyPage({ open: false }));
    renderApp(PATH);
    expect(await screen.findByTestId("survey-closed")).toHaveTextContent("Votre commune n'a pas répondu à cette enquête.");
    expect(screen.queryByTestId("survey-closed-answers")).not.toBeInTheDocument();
  });

  it("the centrale reads the questions as the communes do, with the way to the results", async () => {
    vi.mocked(api.appState).mockResolvedValue(centraleState());
    renderApp(PATH);
    expect(await screen.findByTestId("survey-preview-notice")).toHaveTextContent("Seules les communes répondent aux enquêtes.");
    expect(screen.getByTestId("survey-results-link")).toHaveAttribute("href", `#/enquetes/${SURVEY_ID}/resultats`);
    expect(screen.getByTestId("survey-preview-sites")).toHaveTextContent("Un nombre entier de 0 à 500 (sites).");
    expect(screen.getByTestId("survey-preview-mobilite-besoins")).toHaveTextContent("Parking intelligent");
    expect(screen.queryByTestId("survey-form")).not.toBeInTheDocument();
    expect(screen.queryByTestId("survey-status")).not.toBeInTheDocument();
  });
});
