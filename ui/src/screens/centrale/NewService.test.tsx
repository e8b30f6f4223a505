import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api";
import { mockBackend } from "../../test/api";
import { appState, centraleState } from "../../test/fixtures";
import { renderApp } from "../../test/render";
import { serviceRow } from "../../test/screenFixtures";
import { DESIGNATION_RULES, PRICE_FORMULAS } from "../../bindings/rules";
import { CIVITAS, NEW_SHA, NUAGIX, registeredProviders } from "./catalogueAdmin/testData";
import { SURVEY_ID, surveyResults } from "../../test/surveyAdminFixtures";

vi.mock("../../api");

const SERVICE = "0190f0aa-0000-7000-8000-00000000c001";
const FRAMEWORK = "0190f0aa-0000-7000-8000-00000000c002";

beforeEach(() => {
  mockBackend();
  vi.mocked(api.appState).mockResolvedValue(centraleState());
  vi.mocked(api.providers).mockResolvedValue(registeredProviders());
  vi.mocked(api.serviceCategories).mockResolvedValue(["Mobilité", "Services aux citoyens"]);
  vi.mocked(api.services).mockResolvedValue([serviceRow()]);
});

type User = ReturnType<typeof renderApp>["user"];

async function replaceText(user: User, testId: string, value: string) {
  const input = screen.getByTestId(testId);
  await user.clear(input);
  if (value) await user.type(input, value);
}

/** Pastes a whole value (one input event: faster than typing it key by key). */
async function enter(user: User, testId: string, value: string) {
  await user.click(screen.getByTestId(testId));
  await user.paste(value);
}

async function open() {
  const rendered = renderApp("/catalogue/nouveau-service");
  await screen.findByTestId("new-service-form");
  return rendered;
}

/** Everything a valid service needs, typed as the staff would. */
async function fillValid(user: User) {
  await enter(user, "service-name", "Stationnement intelligent");
  await enter(user, "service-category", "Mobilité");
  await fillAllButNameAndCategory(user);
}

/** The rest of a valid service, when its name and category are already there. */
async function fillAllButNameAndCategory(user: User) {
  await enter(user, "service-summary", "Des capteurs indiquent les places libres.");
  await enter(user, "service-description", "Des capteurs au sol détectent les véhicules.");
  await enter(user, "framework-reference", "CA-2026-11");
  await enter(user, "framework-title", "Accord-cadre relatif au stationnement intelligent");
  await user.type(screen.getByTestId("framework-start-date"), "01/09/2026");
  await user.type(screen.getByTestId("framework-end-date"), "31/08/2030");
  await enter(user, "framework-max-value", "700 000,00");
  await user.click(screen.getByTestId(`framework-provider-${CIVITAS}`));
  await user.click(screen.getByTestId(`framework-provider-${NUAGIX}`));
  await enter(user, "price-line-new-0-label", "Capteur posé");
  await enter(user, "price-line-new-0-unit", "par capteur");
  await enter(user, "price-line-new-0-ceiling", "1 250,50");
  await user.selectOptions(screen.getByTestId("price-line-new-0-basis"), "per_site");
  await replaceText(user, "price-line-new-0-amount", "40");
}

describe("NewService", () => {
  it("starts with Prix 60 + Qualité 40, shows the running sum, and suggests the code from the name", async () => {
    const { user } = await open();
    expect(screen.getByTestId("page-title")).toHaveTextContent("Ajouter un service au catalogue");
    expect(screen.getByTestId("criterion-0-label")).toHaveValue("Prix");
    expect(screen.getByTestId("criterion-0-weight")).toHaveValue("60");
    expect(screen.getByTestId("criterion-0-kind")).toHaveValue("price");
    expect(screen.getByTestId("criterion-1-label")).toHaveValue("Qualité");
    expect(screen.getByTestId("criterion-1-weight")).toHaveValue("40");
    expect(screen.getByTestId("criteria-sum")).toHaveTextContent("Total : 100 points sur 100");

    await replaceText(user, "criterion-1-weight", "30");
    expect(screen.getByTestId("criteria-sum")).toHaveTextContent("Total : 90 points sur 100 — il manque 10 points");
    await replaceText(user, "criterion-1-weight", "55");
    expect(screen.getByTestId("criteria-sum")).toHaveTextContent("Total : 115 points sur 100 — 15 points de trop");

    await user.type(screen.getByTestId("service-name"), "Éclairage public (LED)");
    expect(screen.getByTestId("service-code")).toHaveValue("eclairage-public-led");
    await replaceText(user, "service-code", "eclairage");
    await user.type(screen.getByTestId("service-name"), " intelligent");
    expect(screen.getByTestId("service-code")).toHaveValue("eclairage");

    const suggestions = document.getElementById(screen.getByTestId("service-category").getAttribute("list") ?? "");
    expect(Array.from(suggestions?.querySelectorAll("option") ?? []).map((o) => o.getAttribute("value"))).toEqual(["Mobilité", "Services aux citoyens"]);
    expect(screen.getByTestId("milestone-kickoff")).toHaveValue("14");
    expect(screen.getByTestId("milestone-final_acceptance")).toHaveValue("485");
  });

  it("refuses weights that do not sum to 100, with the sum, and keeps everything typed", async () => {
    const { user } = await open();
    await fillValid(user);
    await replaceText(user, "criterion-1-weight", "30");
    await user.click(screen.getByTestId("new-service-submit"));
    const summary = await screen.findByTestId("error-summary");
    expect(summary).toHaveTextContent("Les pondérations des critères d'attribution doivent totaliser 100 points (actuellement 90).");
    expect(within(summary).getAllByRole("link")).toHaveLength(1);
    expect(screen.getByTestId("criterion-0-weight")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("service-name")).toHaveValue("Stationnement intelligent");
    expect(screen.getByTestId("price-line-new-0-ceiling")).toHaveValue("1 250,50");
    expect(screen.queryByTestId("confirm-dialog")).not.toBeInTheDocument();

    // Two price criteria are refused too.
    await replaceText(user, "criterion-1-weight", "40");
    await user.selectOptions(screen.getByTestId("criterion-1-kind"), "price");
    await user.click(screen.getByTestId("new-service-submit"));
    await waitFor(() => expect(screen.getByTestId("error-summary")).toHaveTextContent("Un seul critère de prix est possible"));
    expect(api.perform).not.toHaveBeenCalled();
  }, 20_000);

  it("lists every missing field in the summary and next to each field", async () => {
    const { user } = await open();
    await user.click(screen.getByTestId("new-service-submit"));
    const summary = await screen.findByTestId("error-summary");
    for (const text of [
      "Indiquez le nom du service",
      "Indiquez le code du service",
      "Indiquez la catégorie du service",
      "Présentez le service en une phrase.",
      "Décrivez le service en quelques phrases.",
      "Indiquez la référence de l'accord-cadre",
      "Indiquez l'intitulé de l'accord-cadre.",
      "Indiquez le premier jour de l'accord-cadre",
      "Indiquez le dernier jour pour commander",
      "Indiquez la valeur maximale de l'accord-cadre",
      "Choisissez au moins un prestataire de l'accord-cadre.",
      "Indiquez l'intitulé de la nouvelle ligne 1",
      "Indiquez le prix plafond HTVA de « Nouvelle ligne 1 »",
    ]) {
      expect(summary).toHaveTextContent(text);
    }
    expect(screen.getByTestId("service-name")).toHaveAttribute("aria-invalid", "true");
    expect(api.perform).not.toHaveBeenCalled();
  });

  it("refuses a code or a reference already in the catalogue, a period over four years and a bad fingerprint", async () => {
    const { user } = await open();
    await fillValid(user);
    await replaceText(user, "service-code", "e-guichet");
    await replaceText(user, "framework-reference", "CA-2025-01");
    await replaceText(user, "framework-end-date", "01/09/2030");
    await user.click(screen.getByTestId("document-add"));
    await user.type(screen.getByTestId("document-0-title"), "Cahier spécial des charges");
    await user.type(screen.getByTestId("document-0-version"), "1.0");
    await user.type(screen.getByTestId("document-0-file"), "csc.pdf");
    await user.type(screen.getByTestId("document-0-sha256"), NEW_SHA.slice(1));
    await user.click(screen.getByTestId("new-service-submit"));
    const summary = await screen.findByTestId("error-summary");
    expect(summary).toHaveTextContent("Un service du catalogue porte déjà le code « e-guichet ».");
    expect(summary).toHaveTextContent("Un accord-cadre porte déjà la référence « CA-2025-01 ».");
    expect(summary).toHaveTextContent("au plus tard le 31/08/2030");
    expect(summary).toHaveTextContent("doit compter exactement 64 caractères ; vous en avez saisi 63");
    expect(api.perform).not.toHaveBeenCalled();
  }, 20_000);

  it("confirms what will be added, sends the service with its framework (cents from « 1 250,50 ») and goes to the catalogue", async () => {
    vi.mocked(api.newId).mockResolvedValueOnce(SERVICE).mockResolvedValueOnce(FRAMEWORK);
    const { user } = await open();
    await fillValid(user);
    expect(screen.getByTestId("service-code")).toHaveValue("stationnement-intelligent");
    await user.click(screen.getByTestId("criterion-add"));
    await user.type(screen.getByTestId("criterion-2-label"), "Délai de déploiement");
    await replaceText(user, "criterion-2-weight", "10");
    await replaceText(user, "criterion-1-weight", "30");
    expect(screen.getByTestId("criteria-sum")).toHaveTextContent("Total : 100 points sur 100");
    await user.click(screen.getByTestId("new-service-submit"));

    const dialog = await screen.findByTestId("confirm-dialog");
    expect(dialog).toHaveTextContent("Ajouter « Stationnement intelligent » au catalogue ?");
    const summary = within(dialog).getByTestId("new-service-summary");
    expect(summary).toHaveTextContent("Stationnement intelligent (code stationnement-intelligent), catégorie « Mobilité »");
    expect(summary).toHaveTextContent("CA-2026-11 — Accord-cadre relatif au stationnement intelligent, du 01/09/2026 au 31/08/2030");
    expect(summary).toHaveTextContent("Civitas Digital SA, Nuagix SRL");
    expect(summary).toHaveTextContent("Prix 60 points, Qualité 30 points, Délai de déploiement 10 points");
    expect(summary.textContent?.replace(/[\u202f\u00a0]/g, " ")).toContain("Capteur posé (par capteur) : au plus 1 250,50 € HTVA");
    expect(within(summary).getByTestId("new-service-summary-value").textContent?.replace(/[\u202f\u00a0]/g, " ")).toBe(
      "Valeur maximale : 700 000,00 € HTVA · contrats de 48 mois",
    );
    expect(dialog).toHaveTextContent("apparaîtront dans le catalogue de toutes les communes après leur propre synchronisation");
    expect(api.perform).not.toHaveBeenCalled();

    await user.click(within(dialog).getByTestId("confirm-accept"));
    await waitFor(() => expect(api.perform).toHaveBeenCalledTimes(1));
    expect(api.perform).toHaveBeenCalledWith({
      kind: "add_service",
      input: {
        service_id: SERVICE,
        framework_id: FRAMEWORK,
        code: "stationnement-intelligent",
        name_fr: "Stationnement intelligent",
        summary_fr: "Des capteurs indiquent les places libres.",
        description_fr: "Des capteurs au sol détectent les véhicules.",
        category_fr: "Mobilité",
        reference: "CA-2026-11",
        title_fr: "Accord-cadre relatif au stationnement intelligent",
        call_off_method: "mini_competition",
        terms: {
          version: 1,
          published_at: expect.any(String),
          change_note: "",
          legal_basis: null,
          start_date: "2026-09-01",
          end_date: "2030-08-31",
          providers: [
            { provider_id: CIVITAS, status: "active" },
            { provider_id: NUAGIX, status: "active" },
          ],
          award_criteria: [
            { code: "price", label_fr: "Prix", weight: 60, kind: "price" },
            { code: "quality", label_fr: "Qualité", weight: 30, kind: "quality" },
            { code: "delai-de-deploiement", label_fr: "Délai de déploiement", weight: 10, kind: "quality" },
          ],
          price_schedule: [
            {
              code: "capteur-pose",
              label_fr: "Capteur posé",
              unit_fr: "par capteur",
              ceiling_cents: 125050,
              vat_rate: "21",
              estimate: { basis: "per_site", default_sites: 40 },
              recurrence: "one_off",
            },
          ],
          documents: [],
          milestone_plan: {
            kickoff: 14,
            configuration: 45,
            integration: 75,
            training: 90,
            go_live: 105,
            provisional_acceptance: 120,
            final_acceptance: 485,
          },
          contract_months: 48,
          max_value: 70_000_000,
          direct_call_off: null,
          guarantee_months: 12,
          price_formula: "relative",
        },
        need: null,
      },
    });
    expect(await screen.findByTestId("flash")).toHaveTextContent(
      "« Stationnement intelligent » sera envoyé à l'intercommunale à la prochaine synchronisation, puis apparaîtra dans le catalogue de toutes les communes après leur synchronisation.",
    );
    expect(window.location.hash).toBe("#/catalogue");
  }, 20_000);

  it("offers the two price formulas, says the relative one's known flaw beside it, and sends the one chosen", async () => {
    vi.mocked(api.newId).mockResolvedValueOnce(SERVICE).mockResolvedValueOnce(FRAMEWORK);
    const { user } = await open();
    const choice = screen.getByTestId("price-formula");
    expect(screen.getByTestId("price-formula-relative")).toBeChecked();
    // The domain's sentences (rules.ts), the relative one with its flaw.
    expect(within(choice).getByTestId("price-formula-relative-statement")).toHaveTextContent(PRICE_FORMULAS.relative);
    expect(within(choice).getByTestId("price-formula-relative-statement")).toHaveTextContent(
      "une offre classée troisième peut modifier l'écart entre les deux premières",
    );
    expect(within(choice).getByTestId("price-formula-against_ceiling-statement")).toHaveTextContent(
      "une autre offre ne change jamais ses points",
    );
    await fillValid(user);
    await user.click(screen.getByTestId("price-formula-against_ceiling"));
    expect(screen.getByTestId("price-formula-against_ceiling")).toBeChecked();
    await user.click(screen.getByTestId("new-service-submit"));
    const dialog = await screen.findByTestId("confirm-dialog");
    expect(within(dialog).getByTestId("new-service-summary-formula")).toHaveTextContent("Par rapport aux prix plafonds");
    await user.click(within(dialog).getByTestId("confirm-accept"));
    await waitFor(() => expect(api.perform).toHaveBeenCalledTimes(1));
    const sent = vi.mocked(api.perform).mock.lastCall?.[0] as { input: { terms: { price_formula: string } } } | undefined;
    expect(sent?.input.terms.price_formula).toBe("against_ceiling");
  }, 20_000);

  it("lets the centrale choose cascade or rotation for direct call-offs, each stated in one sentence, and sends the rule with the ranking (issue 11 rule 5)", async () => {
    vi.mocked(api.newId).mockResolvedValueOnce(SERVICE).mockResolvedValueOnce(FRAMEWORK);
    const { user } = await open();
    // Re-competed orders: no rule to choose.
    expect(screen.queryByTestId("designation-rule")).not.toBeInTheDocument();
    await fillValid(user);
    await user.selectOptions(screen.getByTestId("framework-method"), "direct");
    const choice = screen.getByTestId("designation-rule");
    expect(screen.getByTestId("designation-rule-cascade")).toBeChecked();
    // The domain's sentences (rules.ts).
    expect(within(choice).getByTestId("designation-rule-cascade-statement")).toHaveTextContent(DESIGNATION_RULES.cascade);
    expect(within(choice).getByTestId("designation-rule-rotation-statement")).toHaveTextContent(
      "reviennent à tour de rôle aux prestataires, dans l'ordre du classement",
    );
    await user.click(screen.getByTestId("designation-rule-rotation"));
    await user.click(screen.getByTestId("new-service-submit"));
    const dialog = await screen.findByTestId("confirm-dialog");
    expect(within(dialog).getByTestId("new-service-summary-rule")).toHaveTextContent("Par rotation");
    await user.click(within(dialog).getByTestId("confirm-accept"));
    await waitFor(() => expect(api.perform).toHaveBeenCalledTimes(1));
    const sent = vi.mocked(api.perform).mock.lastCall?.[0] as
      | { input: { call_off_method: string; terms: { direct_call_off: unknown } } }
      | undefined;
    expect(sent?.input.call_off_method).toBe("direct");
    // The ranking is the order the providers were ticked in.
    expect(sent?.input.terms.direct_call_off).toEqual({ ranking: [CIVITAS, NUAGIX], rule: "rotation", up_to: null });
  }, 20_000);

  it("refuses milestones out of order", async () => {
    const { user } = await open();
    await replaceText(user, "milestone-training", "60");
    await user.click(screen.getByTestId("new-service-submit"));
    expect(await screen.findByTestId("error-summary")).toHaveTextContent(
      "« Formation » ne peut pas être prévu avant « Intégration et migration des données » (75 jours après l'attribution).",
    );
  });

  it("is for the centrale's staff only", async () => {
    vi.mocked(api.appState).mockResolvedValue(appState());
    renderApp("/catalogue/nouveau-service");
    expect(await screen.findByTestId("catalogue-admin-forbidden")).toBeInTheDocument();
    expect(screen.queryByTestId("new-service-form")).not.toBeInTheDocument();
  });
});

describe("NewService for a need of a survey", () => {
  const NEED_PATH = `/catalogue/nouveau-service?enquete=${SURVEY_ID}&question=mobilite-besoins&choix=parking`;

  beforeEach(() => {
    vi.mocked(api.surveyResults).mockResolvedValue(surveyResults());
  });

  it("names the need, prefills the name and category from it, and sends the need with the service", async () => {
    vi.mocked(api.newId).mockResolvedValueOnce(SERVICE).mockResolvedValueOnce(FRAMEWORK);
    const { user } = renderApp(NEED_PATH);
    await screen.findByTestId("new-service-form");
    expect(api.surveyResults).toHaveBeenCalledWith(SURVEY_ID);
    expect(screen.getByTestId("service-need-origin")).toHaveTextContent(
      "Ce service répond au besoin « Stationnement intelligent » exprimé par 2 communes dans l'enquête « Besoins des communes 2028 ».",
    );
    expect(screen.getByTestId("service-name")).toHaveValue("Stationnement intelligent");
    expect(screen.getByTestId("service-code")).toHaveValue("stationnement-intelligent");
    expect(screen.getByTestId("service-category")).toHaveValue("Mobilité");

    await fillAllButNameAndCategory(user);
    await user.click(screen.getByTestId("new-service-submit"));
    const dialog = await screen.findByTestId("confirm-dialog");
    expect(within(dialog).getByTestId("new-service-summary-need")).toHaveTextContent(
      "« Stationnement intelligent », exprimé dans l'enquête « Besoins des communes 2028 »",
    );
    await user.click(within(dialog).getByTestId("confirm-accept"));
    await waitFor(() => expect(api.perform).toHaveBeenCalledTimes(1));
    const sent = vi.mocked(api.perform).mock.lastCall?.[0];
    expect(sent?.kind).toBe("add_service");
    expect(sent?.input).toMatchObject({
      service_id: SERVICE,
      code: "stationnement-intelligent",
      name_fr: "Stationnement intelligent",
      category_fr: "Mobilité",
      need: { survey_id: SURVEY_ID, question: "mobilite-besoins", choice: "parking" },
    });
  }, 20_000);

  it("says so when the need is not in the survey, and adds the service without it", async () => {
    renderApp(`/catalogue/nouveau-service?enquete=${SURVEY_ID}&question=mobilite-besoins&choix=tramway`);
    await screen.findByTestId("new-service-form");
    expect(screen.getByTestId("service-need-missing")).toHaveTextContent(
      "Le besoin indiqué n'a pas été trouvé dans les enquêtes sur ce PC : le service sera ajouté sans lien avec une enquête.",
    );
    expect(screen.queryByTestId("service-need-origin")).not.toBeInTheDocument();
    expect(screen.getByTestId("service-name")).toHaveValue("");
    expect(screen.getByTestId("service-category")).toHaveValue("");
  });

  it("says so when the survey is not on this PC", async () => {
    vi.mocked(api.surveyResults).mockResolvedValue(null);
    renderApp(NEED_PATH);
    expect(await screen.findByTestId("service-need-missing")).toBeInTheDocument();
    expect(screen.getByTestId("new-service-form")).toBeInTheDocument();
  });

  it("reads no survey without a need in the address", async () => {
    renderApp("/catalogue/nouveau-service");
    await screen.findByTestId("new-service-form");
    expect(api.surveyResults).not.toHaveBeenCalled();
    expect(screen.queryByTestId("service-need-origin")).not.toBeInTheDocument();
    expect(screen.queryByTestId("service-need-missing")).not.toBeInTheDocument();
  });
});
