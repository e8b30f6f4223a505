import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api";
import { AppError } from "../../errors";
import { mockBackend } from "../../test/api";
import { appState, centraleState } from "../../test/fixtures";
import { renderApp } from "../../test/render";

vi.mock("../../api");

const SURVEY = "0190f0aa-0000-7000-8000-00000000e101";

beforeEach(() => {
  mockBackend();
  vi.mocked(api.appState).mockResolvedValue(centraleState());
});

type User = ReturnType<typeof renderApp>["user"];

/** Pastes a whole value (one input event: faster than typing it key by key). */
async function enter(user: User, testId: string, value: string) {
  await user.click(screen.getByTestId(testId));
  await user.paste(value);
}

async function replaceText(user: User, testId: string, value: string) {
  const input = screen.getByTestId(testId);
  await user.clear(input);
  if (value) await user.type(input, value);
}

async function open() {
  const rendered = renderApp("/enquetes/nouvelle");
  await screen.findByTestId("survey-form");
  return rendered;
}

/** A survey with one theme and its one choice question, as the staff would type it. */
async function fillOneTheme(user: User) {
  await enter(user, "survey-title", "Besoins des communes 2028");
  await user.type(screen.getByTestId("survey-closes-on"), "30/04/2027");
  await enter(user, "survey-theme-0-title", "Mobilité");
  await enter(user, "survey-question-0-0-text", "Quels services de mobilité ?");
  await enter(user, "survey-question-0-0-choice-0-label", "Stationnement intelligent");
  await enter(user, "survey-question-0-0-choice-1-label", "Vélos partagés");
}

describe("NewSurvey", () => {
  it("opens with one theme holding one choice question with two empty choices, and suggests codes from the words", async () => {
    const { user } = await open();
    expect(screen.getByTestId("page-title")).toHaveTextContent("Nouvelle enquête");
    expect(screen.getByTestId("survey-theme-0-title")).toHaveValue("");
    expect(screen.queryByTestId("survey-theme-1-title")).not.toBeInTheDocument();
    expect(screen.getByTestId("survey-question-0-0-kind")).toHaveValue("choice");
    expect(within(screen.getByTestId("survey-question-0-0-kind")).getAllByRole("option").map((o) => o.textContent)).toEqual([
      "Choix parmi une liste",
      "Nombre",
      "Texte libre",
    ]);
    expect(screen.getByTestId("survey-question-0-0-choice-0-label")).toHaveValue("");
    expect(screen.getByTestId("survey-question-0-0-choice-1-label")).toHaveValue("");
    expect(screen.queryByTestId("survey-question-0-0-choice-2-label")).not.toBeInTheDocument();
    // A single theme cannot be removed: the form is never empty.
    expect(screen.queryByTestId("survey-theme-0-remove")).not.toBeInTheDocument();

    await user.type(screen.getByTestId("survey-question-0-0-text"), "Quels services de mobilité ?");
    expect(screen.getByTestId("survey-question-0-0-code")).toHaveValue("quels-services-de-mobilite");
    await user.type(screen.getByTestId("survey-question-0-0-choice-0-label"), "Éclairage (LED)");
    expect(screen.getByTestId("survey-question-0-0-choice-0-code")).toHaveValue("eclairage-led");
    // Two choices of the same words get distinct codes.
    await user.type(screen.getByTestId("survey-question-0-0-choice-1-label"), "Éclairage LED");
    expect(screen.getByTestId("survey-question-0-0-choice-1-code")).toHaveValue("eclairage-led-2");
    // A code changed by hand no longer follows.
    await replaceText(user, "survey-question-0-0-code", "mobilite");
    await user.type(screen.getByTestId("survey-question-0-0-text"), " Précisez");
    expect(screen.getByTestId("survey-question-0-0-code")).toHaveValue("mobilite");

    // Another kind shows its own fields; what was typed for the choices stays.
    await user.selectOptions(screen.getByTestId("survey-question-0-0-kind"), "number");
    expect(screen.getByTestId("survey-question-0-0-unit")).toBeInTheDocument();
    expect(screen.getByTestId("survey-question-0-0-max")).toBeInTheDocument();
    expect(screen.queryByTestId("survey-question-0-0-choice-0-label")).not.toBeInTheDocument();
    await user.selectOptions(screen.getByTestId("survey-question-0-0-kind"), "choice");
    expect(screen.getByTestId("survey-question-0-0-choice-0-label")).toHaveValue("Éclairage (LED)");
  });

  it("sends exactly the survey typed — themes, questions of each kind, choices — after a summary, then goes to the surveys", async () => {
    vi.mocked(api.newId).mockResolvedValue(SURVEY);
    const { user } = await open();
    await fillOneTheme(user);
    await enter(user, "survey-intro", "Vos réponses orientent le catalogue.");
    await enter(user, "survey-question-0-0-help", "Cochez tout ce qui s'applique.");
    await user.click(screen.getByTestId("survey-question-0-0-required"));
    await user.click(screen.getByTestId("survey-question-0-0-multiple"));
    await user.click(screen.getByTestId("survey-add-choice-0-0"));
    expect(screen.getByTestId("survey-question-0-0-choice-2-label")).toHaveFocus();
    await user.paste("Bornes de recharge");
    await replaceText(user, "survey-question-0-0-choice-2-code", "bornes");

    // A number question in the same theme.
    await user.click(screen.getByTestId("survey-add-question-0"));
    expect(screen.getByTestId("survey-question-0-1-text")).toHaveFocus();
    await user.paste("Combien de sites seraient concernés ?");
    await user.selectOptions(screen.getByTestId("survey-question-0-1-kind"), "number");
    await enter(user, "survey-question-0-1-unit", "sites");
    await enter(user, "survey-question-0-1-max", "1 000");

    // A second theme with a free text question.
    await user.click(screen.getByTestId("survey-add-theme"));
    expect(screen.getByTestId("survey-theme-1-title")).toHaveFocus();
    await user.paste("Services aux citoyens");
    await enter(user, "survey-question-1-0-text", "Quel service en ligne manque ?");
    await user.selectOptions(screen.getByTestId("survey-question-1-0-kind"), "text");

    await user.click(screen.getByTestId("survey-publish"));
    const dialog = await screen.findByTestId("confirm-dialog");
    expect(dialog).toHaveTextContent("Publier l'enquête « Besoins des communes 2028 » ?");
    expect(within(dialog).getByTestId("survey-confirm-counts")).toHaveTextContent("2 thèmes, 3 questions");
    expect(within(dialog).getByTestId("survey-confirm-counts")).toHaveTextContent("Mobilité : 2 questions");
    expect(within(dialog).getByTestId("survey-confirm-counts")).toHaveTextContent("Services aux citoyens : 1 question");
    expect(within(dialog).getByTestId("survey-confirm-closes")).toHaveTextContent("Clôture le 30/04/2027");
    expect(dialog).toHaveTextContent("Toutes les communes verront l'enquête à leur prochaine synchronisation");
    expect(api.perform).not.toHaveBeenCalled();

    await user.click(within(dialog).getByTestId("confirm-accept"));
    await waitFor(() => expect(api.perform).toHaveBeenCalledTimes(1));
    expect(api.perform).toHaveBeenCalledWith({
      kind: "publish_survey",
      input: {
        survey_id: SURVEY,
        survey: {
          title: "Besoins des communes 2028",
          intro: "Vos réponses orientent le catalogue.",
          closes_on: "2027-04-30",
          themes: [
            {
              title_fr: "Mobilité",
              questions: [
                {
                  code: "quels-services-de-mobilite",
                  text_fr: "Quels services de mobilité ?",
                  help_fr: "Cochez tout ce qui s'applique.",
                  required: true,
                  kind: {
                    kind: "choice",
                    multiple: true,
                    choices: [
                      { code: "stationnement-intelligent", label_fr: "Stationnement intelligent" },
                      { code: "velos-partages", label_fr: "Vélos partagés" },
                      { code: "bornes", label_fr: "Bornes de recharge" },
                    ],
                  },
                },
                {
                  code: "combien-de-sites-seraient-concernes",
                  text_fr: "Combien de sites seraient concernés ?",
                  help_fr: "",
                  required: false,
                  kind: { kind: "number", unit_fr: "sites", max: 1000 },
                },
              ],
            },
            {
              title_fr: "Services aux citoyens",
              questions: [{ code: "quel-service-en-ligne-manque", text_fr: "Quel service en ligne manque ?", help_fr: "", required: false, kind: { kind: "text" } }],
            },
          ],
        },
      },
    });
    expect(await screen.findByTestId("flash")).toHaveTextContent(
      "L'enquête « Besoins des communes 2028 » sera envoyée à l'intercommunale à la prochaine synchronisation",
    );
    expect(window.location.hash).toBe("#/enquetes");
  }, 30_000);

  it("lists what is missing in the summary and next to each field, and sends nothing", async () => {
    const { user } = await open();
    await user.click(screen.getByTestId("survey-publish"));
    const summary = await screen.findByTestId("error-summary");
    for (const text of [
      "Indiquez le titre de l'enquête.",
      "Indiquez le dernier jour pour répondre, au format jj/mm/aaaa.",
      "Indiquez l'intitulé du thème 1.",
      "Écrivez la question 1 du thème « Thème 1 ».",
      "Indiquez le libellé du choix 1 de « la question 1 du thème « Thème 1 » »",
      "Indiquez le libellé du choix 2",
    ]) {
      expect(summary).toHaveTextContent(text);
    }
    expect(screen.getByTestId("survey-title")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("survey-closes-on")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("survey-question-0-0-choice-1-label")).toHaveAttribute("aria-invalid", "true");
    // Each link of the summary takes the focus to its field.
    await user.click(within(summary).getByText("Indiquez l'intitulé du thème 1."));
    expect(screen.getByTestId("survey-theme-0-title")).toHaveFocus();
    expect(api.perform).not.toHaveBeenCalled();
    expect(screen.queryByTestId("confirm-dialog")).not.toBeInTheDocument();
  });

  it("refuses a past closing day, one choice, duplicate codes, a bad code and a largest number of zero, keeping everything typed", async () => {
    const { user } = await open();
    await fillOneTheme(user);
    await replaceText(user, "survey-closes-on", "01/03/2027");
    // One choice left.
    await user.click(screen.getByTestId("survey-question-0-0-choice-1-remove"));
    expect(screen.getByTestId("survey-add-choice-0-0")).toHaveFocus();
    // A second question with the same code, and a number question whose maximum is 0.
    await user.click(screen.getByTestId("survey-add-question-0"));
    await user.paste("Quels services de mobilité ?");
    await replaceText(user, "survey-question-0-1-code", "quels-services-de-mobilite");
    await user.selectOptions(screen.getByTestId("survey-question-0-1-kind"), "number");
    await enter(user, "survey-question-0-1-max", "0");
    // A third question whose code is not a code.
    await user.click(screen.getByTestId("survey-add-question-0"));
    await user.paste("Autre chose ?");
    await replaceText(user, "survey-question-0-2-code", "Autre Chose");
    await user.selectOptions(screen.getByTestId("survey-question-0-2-kind"), "text");

    await user.click(screen.getByTestId("survey-publish"));
    const summary = await screen.findByTestId("error-summary");
    expect(summary).toHaveTextContent("Le dernier jour pour répondre (01/03/2027) est passé : choisissez aujourd'hui (12/03/2027) ou un jour suivant.");
    expect(summary).toHaveTextContent("Proposez au moins deux choix pour « Quels services de mobilité ? »");
    expect(summary).toHaveTextContent("Le code « quels-services-de-mobilite » est déjà celui d'une autre question");
    expect(summary).toHaveTextContent("Le plus grand nombre accepté pour « Quels services de mobilité ? » doit être un nombre entier supérieur à zéro");
    expect(summary).toHaveTextContent("Le code de « Autre chose ? » s'écrit en lettres minuscules sans accents, chiffres et tirets");
    expect(within(summary).getAllByRole("link")).toHaveLength(5);
    expect(screen.getByTestId("survey-closes-on")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("survey-question-0-1-code")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("survey-question-0-1-max")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("survey-add-choice-0-0")).toHaveAccessibleDescription(/Proposez au moins deux choix/);
    // Nothing typed is lost.
    expect(screen.getByTestId("survey-title")).toHaveValue("Besoins des communes 2028");
    expect(screen.getByTestId("survey-closes-on")).toHaveValue("01/03/2027");
    expect(screen.getByTestId("survey-question-0-0-choice-0-label")).toHaveValue("Stationnement intelligent");
    expect(screen.getByTestId("survey-question-0-2-code")).toHaveValue("Autre Chose");
    expect(api.perform).not.toHaveBeenCalled();

    // Two choices with one code are refused too.
    await user.click(screen.getByTestId("survey-add-choice-0-0"));
    await user.paste("Parking");
    await replaceText(user, "survey-question-0-0-choice-1-code", "stationnement-intelligent");
    await user.click(screen.getByTestId("survey-publish"));
    await waitFor(() =>
      expect(screen.getByTestId("error-summary")).toHaveTextContent(
        "Le code « stationnement-intelligent » figure deux fois parmi les choix de « Quels services de mobilité ? »",
      ),
    );
    expect(screen.getByTestId("survey-question-0-0-choice-1-code")).toHaveAttribute("aria-invalid", "true");
    expect(api.perform).not.toHaveBeenCalled();
  }, 30_000);

  it("asks for a question in a theme left without one, then lets the empty theme go", async () => {
    const { user } = await open();
    await fillOneTheme(user);
    await user.click(screen.getByTestId("survey-add-theme"));
    await user.paste("Sécurité");
    await user.click(screen.getByTestId("survey-question-1-0-remove"));
    expect(screen.getByTestId("survey-add-question-1")).toHaveFocus();
    await user.click(screen.getByTestId("survey-publish"));
    const summary = await screen.findByTestId("error-summary");
    expect(summary).toHaveTextContent("Ajoutez au moins une question au thème « Sécurité », ou retirez le thème.");
    await user.click(screen.getByTestId("survey-theme-1-remove"));
    expect(screen.getByTestId("survey-add-theme")).toHaveFocus();
    await user.click(screen.getByTestId("survey-publish"));
    expect(await screen.findByTestId("confirm-dialog")).toHaveTextContent("1 thème, 1 question");
  }, 20_000);

  it("brings a refusal of the domain back next to the field its path names, with what was typed", async () => {
    vi.mocked(api.perform).mockRejectedValueOnce(
      new AppError("survey_code_duplicate", "Le code « velos » figure deux fois.", {
        field: "themes[0].questions[0].kind.choices[1].code",
        code: "velos",
      }),
    );
    const { user } = await open();
    await fillOneTheme(user);
    await user.click(screen.getByTestId("survey-publish"));
    await user.click(within(await screen.findByTestId("confirm-dialog")).getByTestId("confirm-accept"));
    await waitFor(() => expect(screen.queryByTestId("confirm-dialog")).not.toBeInTheDocument());
    const summary = await screen.findByTestId("error-summary");
    expect(summary).toHaveTextContent(
      "Le code « velos » figure deux fois : chaque question et chaque choix d'une question a son propre code.",
    );
    expect(screen.getByTestId("survey-question-0-0-choice-1-code")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("survey-question-0-0-choice-1-label")).toHaveValue("Vélos partagés");
    expect(window.location.hash).toBe("#/enquetes/nouvelle");

    // The closing day refused by the intercommunale's clock goes under the date.
    vi.mocked(api.perform).mockRejectedValueOnce(
      new AppError("survey_closes_in_past", "", { field: "closes_on", date: "2027-04-30", today: "2027-05-01" }),
    );
    await user.click(screen.getByTestId("survey-publish"));
    await user.click(within(await screen.findByTestId("confirm-dialog")).getByTestId("confirm-accept"));
    await waitFor(() =>
      expect(screen.getByTestId("error-summary")).toHaveTextContent(
        "La date de clôture (30/04/2027) est passée : choisissez aujourd'hui (01/05/2027) ou un jour suivant.",
      ),
    );
    expect(screen.getByTestId("survey-closes-on")).toHaveAttribute("aria-invalid", "true");
  }, 20_000);

  it("shows a refusal naming no field in the dialog", async () => {
    vi.mocked(api.perform).mockRejectedValueOnce(new AppError("forbidden", "Réservé à la centrale."));
    const { user } = await open();
    await fillOneTheme(user);
    await user.click(screen.getByTestId("survey-publish"));
    const dialog = await screen.findByTestId("confirm-dialog");
    await user.click(within(dialog).getByTestId("confirm-accept"));
    expect(await within(dialog).findByRole("alert")).toBeInTheDocument();
    expect(screen.getByTestId("confirm-dialog")).toBeInTheDocument();
  }, 20_000);

  it("is for the centrale's staff only", async () => {
    vi.mocked(api.appState).mockResolvedValue(appState());
    renderApp("/enquetes/nouvelle");
    expect(await screen.findByTestId("survey-admin-forbidden")).toHaveTextContent("réservée au personnel de la centrale d'achat");
    expect(screen.queryByTestId("survey-form")).not.toBeInTheDocument();
  });
});
