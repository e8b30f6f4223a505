import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api";
import { addDays, brusselsDay } from "../../calendar";
import { AppError } from "../../errors";
import { mockBackend } from "../../test/api";
import { appState, centraleState, outboxEntry } from "../../test/fixtures";
import { renderApp } from "../../test/render";
import { SERVICE_ID, serviceDetail, serviceRow } from "../../test/screenFixtures";
import { dateForField } from "../../typedDates";
import type { ServiceDetail } from "../../bindings/ServiceDetail";
import {
  ACCOUNTING_SERVICE,
  CIVITAS,
  civitasSheet,
  DOC_SHA,
  FRAMEWORK_ID,
  GUICHET,
  NEW_SHA,
  NUAGIX,
  registeredProviders,
  termsInForce,
} from "./catalogueAdmin/testData";

vi.mock("../../api");

const plain = (text: string | null | undefined) => (text ?? "").replace(/[\u202f\u00a0]/g, " ");
const path = `/catalogue/${SERVICE_ID}/nouvelle-version`;

/** Another service of the catalogue, bought from Nuagix (a solution the sheets may link to). */
function accountingDetail(): ServiceDetail {
  const base = serviceDetail({ estimate: null });
  const framework = base.framework!;
  return {
    ...base,
    service: serviceRow({ id: ACCOUNTING_SERVICE, code: "comptabilite", name: "Comptabilité communale", provider_names: ["Nuagix SRL"] }),
    framework: {
      ...framework,
      id: "0190f0aa-0000-7000-8000-000000000112",
      reference: "CA-2025-02",
      terms: {
        ...framework.terms,
        providers: [{ provider_id: NUAGIX, name: "Nuagix SRL", enterprise_number: "0800.000.075", contact_email: "offres@nuagix.example", status: "active" }],
      },
    },
    interoperability: [],
  };
}

beforeEach(() => {
  mockBackend();
  vi.mocked(api.appState).mockResolvedValue(centraleState());
  vi.mocked(api.serviceDetail).mockImplementation(async (id) => (id === ACCOUNTING_SERVICE ? accountingDetail() : serviceDetail({ estimate: null })));
  vi.mocked(api.services).mockResolvedValue([serviceRow(), accountingDetail().service]);
  vi.mocked(api.frameworkTerms).mockResolvedValue(termsInForce());
  vi.mocked(api.providers).mockResolvedValue(registeredProviders());
});

type User = ReturnType<typeof renderApp>["user"];

async function replaceText(user: User, testId: string, value: string) {
  const input = screen.getByTestId(testId);
  await user.clear(input);
  if (value) await user.type(input, value);
}

async function open() {
  const rendered = renderApp(path);
  await screen.findByTestId("framework-version-form");
  return rendered;
}

describe("NewFrameworkVersion", () => {
  it("starts from the terms in force (version N)", async () => {
    await open();
    expect(api.frameworkTerms).toHaveBeenCalledWith(FRAMEWORK_ID);
    expect(screen.getByTestId("page-title")).toHaveTextContent("Nouvelle version de l'accord-cadre");
    expect(screen.getByText(/Vous partez des conditions en vigueur : la version 2, publiée le 29\/11\/2026/)).toBeInTheDocument();
    expect(screen.getByTestId("framework-end-date")).toHaveValue("29/02/2028");
    expect(screen.getByTestId("price-line-setup-ceiling")).toHaveValue("1 234,56");
    expect(screen.getByTestId("price-line-licence-ceiling")).toHaveValue("180,00");
    expect(screen.getByTestId(`provider-status-${CIVITAS}`)).toHaveValue("active");
    expect(screen.getByTestId(`provider-status-${GUICHET}`)).toHaveValue("active");
    // No provider is added as a free act: only a succession brings one in.
    expect(screen.queryByTestId("provider-add")).not.toBeInTheDocument();
    expect(screen.getByTestId("legal-basis")).toHaveTextContent("Sur quelle base l'accord-cadre est-il modifié ?");
    expect(screen.getByTestId("legal-basis-review_clause")).not.toBeChecked();
    expect(screen.getByTestId("framework-publish")).toHaveTextContent("Publier la version 3");
  });

  it("sends only the price schedule when a ceiling changes, in cents from « 1 250,50 », after showing the differences", async () => {
    const { user } = await open();
    await replaceText(user, "price-line-setup-ceiling", "1 250,50");
    await user.type(screen.getByTestId("framework-change-note"), "Indexation des prix au 1er janvier 2027.");
    await user.click(screen.getByTestId("legal-basis-review_clause"));
    await user.click(screen.getByTestId("framework-publish"));
    expect(await screen.findByTestId("error-summary")).toHaveTextContent("Indiquez la référence de la clause de révision");
    await user.type(screen.getByTestId("legal-basis-clause"), "CSC art. 12 — révision des prix");
    await user.click(screen.getByTestId("framework-publish"));

    const dialog = await screen.findByTestId("confirm-dialog");
    expect(dialog).toHaveTextContent("Publier la version 3 de l'accord-cadre CA-2025-01 ?");
    const diff = within(dialog).getByTestId("framework-diff");
    expect(plain(diff.textContent)).toBe(
      "Bordereau de prix« Mise en service et paramétrage » : prix plafond de 1 234,56 € HTVA à 1 250,50 € HTVA.",
    );
    expect(dialog).toHaveTextContent(
      "La version 3 s'appliquera aux nouvelles commandes de toutes les communes à leur prochaine synchronisation ; les commandes déjà en cours gardent la version 2.",
    );
    expect(dialog).toHaveTextContent("Raison : Indexation des prix au 1er janvier 2027.");
    expect(within(dialog).getByTestId("framework-diff-basis")).toHaveTextContent("Base : clause de révision — CSC art. 12 — révision des prix.");
    expect(api.perform).not.toHaveBeenCalled();

    await user.click(within(dialog).getByTestId("confirm-accept"));
    const [licence] = termsInForce().terms.price_schedule.slice(1);
    await waitFor(() =>
      expect(api.perform).toHaveBeenCalledWith({
        kind: "publish_framework_version",
        input: {
          framework_id: FRAMEWORK_ID,
          change_note: "Indexation des prix au 1er janvier 2027.",
          end_date: null,
          price_schedule: [
            {
              code: "setup",
              label_fr: "Mise en service et paramétrage",
              unit_fr: "forfait",
              ceiling_cents: 125050,
              vat_rate: "21",
              estimate: { basis: "fixed", quantity: "1" },
              recurrence: "one_off",
            },
            licence,
          ],
          documents: null,
          providers: null,
          legal_basis: { kind: "review_clause", clause: "CSC art. 12 — révision des prix" },
          max_value: null,
          contract_months: null,
          price_formula: null,
          designation_rule: null,
          interoperability: null,
        },
      }),
    );
    const receipt = await screen.findByTestId("framework-version-receipt");
    expect(receipt).toHaveTextContent("Version 3 de l'accord-cadre CA-2025-01 (Bordereau de prix)");
    expect(receipt).toHaveTextContent("Thomas Henrotte, chargé de compte de la centrale");
    expect(receipt).toHaveTextContent("envoyée à l'intercommunale à la prochaine synchronisation");
    expect(screen.getByTestId("framework-version-back")).toHaveAttribute("href", `#/catalogue/${SERVICE_ID}`);
  }, 20_000);

  it("requires a change note of at least 10 characters", async () => {
    const { user } = await open();
    await replaceText(user, "framework-end-date", "31/12/2028");
    await user.click(screen.getByTestId("framework-publish"));
    const summary = await screen.findByTestId("error-summary");
    expect(summary).toHaveTextContent("Expliquez pourquoi vous publiez cette nouvelle version (au moins 10 caractères).");
    expect(screen.getByTestId("framework-change-note")).toHaveAttribute("aria-invalid", "true");
    expect(screen.queryByTestId("confirm-dialog")).not.toBeInTheDocument();

    await user.type(screen.getByTestId("framework-change-note"), "Prolongé");
    await user.click(screen.getByTestId("framework-publish"));
    await waitFor(() => expect(screen.getByTestId("error-summary")).toHaveTextContent("L'explication est trop courte"));
    expect(screen.getByTestId("framework-end-date")).toHaveValue("31/12/2028");
    expect(api.perform).not.toHaveBeenCalled();
  });

  it("says when nothing changes, and refuses an end date beyond four years", async () => {
    const { user } = await open();
    await user.type(screen.getByTestId("framework-change-note"), "Aucune raison valable.");
    await user.click(screen.getByTestId("framework-publish"));
    expect(await screen.findByTestId("error-summary")).toHaveTextContent("Cette nouvelle version ne change rien par rapport à la version 2.");

    await replaceText(user, "framework-end-date", "01/03/2029");
    await user.click(screen.getByTestId("framework-publish"));
    await waitFor(() =>
      expect(screen.getByTestId("error-summary")).toHaveTextContent(
        "Un accord-cadre dure au plus quatre ans : le dernier jour pour commander doit être au plus tard le 28/02/2029.",
      ),
    );
    expect(api.perform).not.toHaveBeenCalled();
  });

  it("replaces a provider only by a succession, with its act, and a document; sends the basis and those parts", async () => {
    const { user } = await open();
    await replaceText(user, "framework-end-date", "31/12/2028");
    await user.click(screen.getByTestId("legal-basis-succession"));
    const successors = within(screen.getByTestId("legal-basis-successor")).getAllByRole("option");
    expect(successors.map((o) => o.textContent)).toEqual(["Choisir un prestataire…", "Nuagix SRL (n° d'entreprise 0800.000.075)"]);
    await user.selectOptions(screen.getByTestId("legal-basis-predecessor"), GUICHET);
    await user.selectOptions(screen.getByTestId("legal-basis-successor"), NUAGIX);

    await user.click(screen.getByTestId("document-0-replace"));
    await replaceText(user, "document-0-version", "1.2");
    await replaceText(user, "document-0-file", "csc-ca-2025-01-v12.pdf");
    await replaceText(user, "document-0-sha256", "abc123");
    await user.type(screen.getByTestId("framework-change-note"), "Guichet Wallon absorbée par Nuagix.");
    await user.click(screen.getByTestId("framework-publish"));

    const summary = await screen.findByTestId("error-summary");
    expect(summary).toHaveTextContent("L'empreinte SHA-256 de « Cahier spécial des charges » doit compter exactement 64 caractères ; vous en avez saisi 6.");
    expect(summary).toHaveTextContent("Indiquez l'acte qui établit la succession");
    expect(screen.getByTestId("document-0-sha256")).toHaveValue("abc123");
    await replaceText(user, "document-0-sha256", NEW_SHA.toUpperCase());
    await user.type(screen.getByTestId("legal-basis-act"), "Fusion par absorption, Moniteur belge du 03/02/2026");
    await user.click(screen.getByTestId("framework-publish"));
    const diff = await screen.findByTestId("framework-diff");
    expect(plain(diff.textContent)).toContain("Dernier jour pour commander : du 29/02/2028 au 31/12/2028.");
    expect(diff).toHaveTextContent("Document remplacé : « Cahier spécial des charges », version 1.1 remplacée par la version 1.2");
    expect(screen.getByTestId("framework-diff-basis")).toHaveTextContent(
      "Base : succession — Nuagix SRL remplace Guichet Wallon SRL (Fusion par absorption, Moniteur belge du 03/02/2026).",
    );

    await user.click(screen.getByTestId("confirm-accept"));
    await waitFor(() =>
      expect(api.perform).toHaveBeenCalledWith({
        kind: "publish_framework_version",
        input: {
          framework_id: FRAMEWORK_ID,
          change_note: "Guichet Wallon absorbée par Nuagix.",
          end_date: "2028-12-31",
          price_schedule: null,
          documents: [{ title_fr: "Cahier spécial des charges", version: "1.2", file_name: "csc-ca-2025-01-v12.pdf", sha256: NEW_SHA }],
          providers: null,
          legal_basis: { kind: "succession", predecessor: GUICHET, successor: NUAGIX, act: "Fusion par absorption, Moniteur belge du 03/02/2026" },
          max_value: null,
          contract_months: null,
          price_formula: null,
          designation_rule: null,
          interoperability: null,
        },
      }),
    );
  }, 20_000);

  it("uploads the new file of a document: name, size and type shown, then name and fingerprint filled in", async () => {
    const { user } = await open();
    await user.click(screen.getByTestId("document-0-replace"));
    const input = screen.getByTestId("document-0-upload-input");

    // Refused before anything is sent: a type the server does not accept, a file too large.
    // (The picker's filter can be bypassed — « Tous les fichiers » — so the screen checks too.)
    await userEvent.setup({ applyAccept: false }).upload(input, new File(["MZ"], "installateur.exe", { type: "application/octet-stream" }));
    expect(screen.getByTestId("document-0-upload-refused")).toHaveTextContent(
      "Le fichier « installateur.exe » n'est pas accepté : choisissez un PDF, un document Word (.docx), un classeur Excel (.xlsx) ou un document OpenDocument (.odt, .ods).",
    );
    expect(screen.queryByTestId("document-0-upload-send")).not.toBeInTheDocument();
    const big = new File(["%PDF-"], "plans.pdf", { type: "application/pdf" });
    Object.defineProperty(big, "size", { value: 25 * 1024 * 1024 });
    await user.upload(input, big);
    expect(plain(screen.getByTestId("document-0-upload-refused").textContent)).toBe(
      "Le fichier « plans.pdf » pèse 25 Mo : 20 Mo au plus. Réduisez-le (par exemple en l'exportant en PDF) ou partagez-le en plusieurs documents.",
    );
    expect(api.uploadFrameworkDocument).not.toHaveBeenCalled();

    // A good file: its name, size and type, then « Déposer le fichier ».
    const file = new File(["%PDF-1.7 cahier spécial des charges v1.2"], "csc-ca-2025-01-v12.pdf", { type: "application/pdf" });
    Object.defineProperty(file, "size", { value: 1_572_864 });
    await user.upload(input, file);
    expect(plain(screen.getByTestId("document-0-upload-picked").textContent)).toBe("csc-ca-2025-01-v12.pdf — 1,5 Mo, document PDF");
    vi.mocked(api.uploadFrameworkDocument).mockResolvedValueOnce({ sha256: NEW_SHA, file_type: "pdf", size_bytes: 1_572_864, newly_stored: true });
    await user.click(screen.getByTestId("document-0-upload-send"));
    expect(api.uploadFrameworkDocument).toHaveBeenCalledWith(file);
    expect(await screen.findByTestId("document-0-upload-done")).toHaveTextContent("Fichier déposé à l'intercommunale : « csc-ca-2025-01-v12.pdf »");
    expect(screen.getByTestId("document-0-file")).toHaveValue("csc-ca-2025-01-v12.pdf");
    expect(screen.getByTestId("document-0-sha256")).toHaveValue(NEW_SHA);
  });

  it("shows the server's refusal of an uploaded file in words", async () => {
    const { user } = await open();
    await user.click(screen.getByTestId("document-0-replace"));
    await user.upload(screen.getByTestId("document-0-upload-input"), new File(["%PDF-"], "csc.pdf", { type: "application/pdf" }));
    vi.mocked(api.uploadFrameworkDocument).mockRejectedValueOnce(
      new AppError("document_file_type_refused", "", { file_name: "csc.pdf", allowed: "PDF (.pdf), Word (.docx), Excel (.xlsx) et OpenDocument (.odt, .ods)" }),
    );
    await user.click(screen.getByTestId("document-0-upload-send"));
    expect(await screen.findByTestId("error-panel")).toHaveTextContent("Le fichier « csc.pdf » n'est pas accepté : seuls les documents PDF (.pdf)");
    expect(screen.getByTestId("document-0-sha256")).toHaveValue(DOC_SHA);
  });

  it("shows the rule book's refusal next to the basis, what was typed kept", async () => {
    const { user } = await open();
    vi.mocked(api.perform).mockRejectedValueOnce(
      new AppError(
        "modification_without_review_clause",
        "Relever le plafond de « Licence annuelle » (180,00 € → 195,50 €) n'est possible qu'en application d'une clause de révision prévue dans les documents de l'accord-cadre : indiquez-la comme base de la modification.",
        { field: "price_schedule", change: "ceiling_raised", line: "licence", before_cents: 18000, after_cents: 19550 },
      ),
    );
    await replaceText(user, "price-line-licence-ceiling", "195,50");
    await user.type(screen.getByTestId("framework-change-note"), "Plafond de la licence corrigé.");
    await user.click(screen.getByTestId("legal-basis-correction"));
    await user.type(screen.getByTestId("legal-basis-note"), "Erreur de frappe.");
    await user.click(screen.getByTestId("framework-publish"));
    expect(screen.getByTestId("framework-diff-basis")).toHaveTextContent("Base : correction d'une erreur matérielle — Erreur de frappe.");
    await user.click(screen.getByTestId("confirm-accept"));
    expect(await screen.findByTestId("legal-basis-error")).toHaveTextContent("n'est possible qu'en application d'une clause de révision");
    expect(screen.queryByTestId("confirm-dialog")).not.toBeInTheDocument();
    expect(screen.getByTestId("price-line-licence-ceiling")).toHaveValue("195,50");
    expect(screen.getByTestId("legal-basis-correction")).toBeChecked();
    expect(screen.queryByTestId("framework-version-receipt")).not.toBeInTheDocument();
  }, 20_000);

  it("raises the maximum value under a review clause; the rule book's refusal comes back next to the field (issue 11 rule 4)", async () => {
    const { user } = await open();
    expect(screen.getByTestId("framework-max-value")).toHaveValue("700 000,00");
    expect(screen.getByTestId("framework-contract-months")).toHaveValue("48");
    vi.mocked(api.perform).mockRejectedValueOnce(
      new AppError("modification_without_review_clause", "Relever la valeur maximale n'est possible qu'en application d'une clause de révision.", {
        field: "max_value",
        change: "maximum_raised",
        before_cents: 70_000_000,
        after_cents: 90_000_000,
      }),
    );
    await replaceText(user, "framework-max-value", "900 000,00");
    await user.type(screen.getByTestId("framework-change-note"), "Valeur maximale relevée.");
    await user.click(screen.getByTestId("legal-basis-correction"));
    await user.type(screen.getByTestId("legal-basis-note"), "Erreur de saisie.");
    await user.click(screen.getByTestId("framework-publish"));
    const dialog = await screen.findByTestId("confirm-dialog");
    expect(plain(within(dialog).getByTestId("framework-diff").textContent)).toContain("Valeur maximale : 700 000,00 € HTVA → 900 000,00 € HTVA");
    await user.click(within(dialog).getByTestId("confirm-accept"));
    const action = vi.mocked(api.perform).mock.calls[0]![0];
    expect(action.kind === "publish_framework_version" && action.input.max_value).toBe(90_000_000);
    expect(await screen.findByTestId("error-summary")).toHaveTextContent("clause de révision");
    expect(screen.getByTestId("framework-max-value")).toHaveAttribute("aria-invalid", "true");
  }, 20_000);

  it("suspends a provider without a basis", async () => {
    const { user } = await open();
    await user.selectOptions(screen.getByTestId(`provider-status-${GUICHET}`), "suspended");
    await user.type(screen.getByTestId("framework-change-note"), "Suspension de Guichet Wallon.");
    await user.click(screen.getByTestId("framework-publish"));
    const dialog = await screen.findByTestId("confirm-dialog");
    expect(within(dialog).getByTestId("framework-diff")).toHaveTextContent("Prestataire suspendu (ne reçoit plus de nouvelle commande) : Guichet Wallon SRL.");
    expect(within(dialog).getByTestId("framework-diff-basis")).toHaveTextContent("Base : aucune (suspension ou reprise d'un prestataire seulement).");
    await user.click(within(dialog).getByTestId("confirm-accept"));
    await waitFor(() => expect(api.perform).toHaveBeenCalledTimes(1));
    const action = vi.mocked(api.perform).mock.calls[0]![0];
    if (action.kind !== "publish_framework_version") throw new Error(action.kind);
    expect(action.input.legal_basis).toBeNull();
    expect(action.input.providers).toEqual([
      { provider_id: CIVITAS, status: "active" },
      { provider_id: GUICHET, status: "suspended" },
    ]);
  }, 20_000);

  it("adds a price line and removes another; keeps at least one active provider", async () => {
    const { user } = await open();
    await user.click(screen.getByTestId("price-line-licence-remove"));
    expect(screen.getByTestId("price-line-removed")).toHaveTextContent("Licence annuelle sera retirée du bordereau");
    await user.click(screen.getByTestId("price-line-add"));
    await user.type(screen.getByTestId("price-line-new-0-label"), "Envoi de SMS");
    expect(screen.getByTestId("price-line-new-0-code")).toHaveValue("envoi-de-sms");
    await user.type(screen.getByTestId("price-line-new-0-unit"), "par SMS");
    await user.type(screen.getByTestId("price-line-new-0-ceiling"), "0,12");
    await user.selectOptions(screen.getByTestId("price-line-new-0-basis"), "per_month");
    await replaceText(user, "price-line-new-0-amount", "12");
    await user.selectOptions(screen.getByTestId(`provider-status-${CIVITAS}`), "suspended");
    await user.selectOptions(screen.getByTestId(`provider-status-${GUICHET}`), "suspended");
    await user.type(screen.getByTestId("framework-change-note"), "Ajout de l'envoi de SMS.");
    await user.click(screen.getByTestId("legal-basis-review_clause"));
    await user.type(screen.getByTestId("legal-basis-clause"), "CSC art. 14 — services complémentaires");
    await user.click(screen.getByTestId("framework-publish"));

    expect(await screen.findByTestId("error-summary")).toHaveTextContent("Au moins un prestataire doit rester actif");
    await user.selectOptions(screen.getByTestId(`provider-status-${CIVITAS}`), "active");
    await user.click(screen.getByTestId("framework-publish"));
    const diff = await screen.findByTestId("framework-diff");
    expect(diff).toHaveTextContent("Ligne retirée : « Licence annuelle ».");
    expect(plain(diff.textContent)).toContain("Ligne ajoutée : « Envoi de SMS » (par SMS), prix plafond 0,12 € HTVA, TVA 21 %.");
    expect(diff).toHaveTextContent("Prestataire suspendu (ne reçoit plus de nouvelle commande) : Guichet Wallon SRL.");

    await user.click(screen.getByTestId("confirm-accept"));
    await waitFor(() => expect(api.perform).toHaveBeenCalledTimes(1));
    const action = vi.mocked(api.perform).mock.calls[0]![0];
    expect(action.kind).toBe("publish_framework_version");
    if (action.kind !== "publish_framework_version") return;
    expect(action.input.price_schedule).toEqual([
      termsInForce().terms.price_schedule[0],
      { code: "envoi-de-sms", label_fr: "Envoi de SMS", unit_fr: "par SMS", ceiling_cents: 12, vat_rate: "21", estimate: { basis: "per_month", months: 12 }, recurrence: "one_off" },
    ]);
    expect(action.input.documents).toBeNull();
    expect(action.input.end_date).toBeNull();
  }, 20_000);

  it("checks the new line's fields and a removed document is restored with « Garder ce document »", async () => {
    const { user } = await open();
    await user.click(screen.getByTestId("price-line-add"));
    await user.type(screen.getByTestId("price-line-new-0-ceiling"), "douze");
    await user.click(screen.getByTestId("document-0-remove"));
    await user.click(screen.getByTestId("document-0-restore"));
    await user.type(screen.getByTestId("framework-change-note"), "Nouvelle ligne de prix.");
    await user.click(screen.getByTestId("framework-publish"));
    const summary = await screen.findByTestId("error-summary");
    expect(summary).toHaveTextContent("Indiquez l'intitulé de la nouvelle ligne 1");
    expect(summary).toHaveTextContent("Indiquez le code de « Nouvelle ligne 1 »");
    expect(summary).toHaveTextContent("Le prix plafond de « Nouvelle ligne 1 » n'est pas un montant lisible.");
    expect(screen.getByTestId("document-in-force")).toHaveTextContent(DOC_SHA.slice(0, 8));
  });

  it("says so when an earlier version still waits to be sent, and numbers this one after it", async () => {
    vi.mocked(api.outbox).mockResolvedValue([
      outboxEntry({ name: "framework.publish_version", state: "pending", payload: { framework_id: FRAMEWORK_ID, change_note: "x" } }),
    ]);
    await open();
    expect(await screen.findByTestId("framework-version-waiting")).toHaveTextContent(
      "Une version précédente de cet accord-cadre attend encore d'être envoyée à l'intercommunale. Celle-ci partira après elle et deviendra la version 4.",
    );
    expect(screen.getByTestId("framework-publish")).toHaveTextContent("Publier la version 4");
  });

  it("says when the framework's terms are not on this PC", async () => {
    vi.mocked(api.frameworkTerms).mockResolvedValue(null);
    renderApp(path);
    expect(await screen.findByTestId("framework-version-missing")).toHaveTextContent("ne sont pas encore sur ce PC");
    expect(screen.queryByTestId("framework-version-form")).not.toBeInTheDocument();
  });

  it("is for the centrale's staff only", async () => {
    vi.mocked(api.appState).mockResolvedValue(appState());
    renderApp(path);
    expect(await screen.findByTestId("catalogue-admin-forbidden")).toHaveTextContent("réservée au personnel de la centrale");
    expect(screen.queryByTestId("framework-version-form")).not.toBeInTheDocument();
  });

  describe("interoperability sheets (issue 16 §1)", () => {
    const civitas = (field: string) => `interop-${CIVITAS}-${field}`;
    const guichet = (field: string) => `interop-${GUICHET}-${field}`;

    async function publishWithNote(user: User, note = "Fiches d'interopérabilité mises à jour.") {
      await user.type(screen.getByTestId("framework-change-note"), note);
      await user.click(screen.getByTestId("framework-publish"));
    }

    it("shows the sheets in force filled, and offers to establish the sheet of a party without one", async () => {
      await open();
      expect(api.services).toHaveBeenCalled();
      const section = screen.getByTestId("interoperability");
      expect(section).toHaveTextContent("Fiches d'interopérabilité");
      expect(screen.getByTestId(`interop-${CIVITAS}`)).toHaveTextContent("Fiche de Civitas Digital SA");
      expect(screen.getByTestId(civitas("name"))).toHaveValue("Guichet Civitas 4");
      expect(screen.getByTestId(civitas("open-data-0-format"))).toHaveValue("CSV");
      expect(screen.getByTestId(civitas("open-data-0-licence"))).toHaveValue("Licence ouverte CC BY 4.0");
      expect(screen.getByTestId(civitas("api-0-name"))).toHaveValue("Demandes des citoyens");
      expect(screen.getByTestId(civitas("api-0-specification"))).toHaveValue("REST, OpenAPI 3.1");
      expect(screen.getByTestId(civitas("api-0-documentation"))).toHaveValue("https://civitas.example/api");
      expect(screen.getByTestId(civitas("identity-csam"))).toBeChecked();
      expect(screen.getByTestId(civitas("identity-itsme"))).toBeChecked();
      expect(screen.getByTestId(civitas("identity-mon_espace"))).not.toBeChecked();
      expect(screen.getByLabelText("Mon Espace (Wallonie)", { selector: `#${civitas("identity-mon_espace")}` })).toBeInTheDocument();
      expect(screen.getByTestId(civitas("export-0-format"))).toHaveValue("CSV");
      expect(screen.getByTestId(civitas("export-1-format"))).toHaveValue("XML");
      expect(screen.getByTestId(civitas("hosting-belgium"))).toBeChecked();
      expect(screen.getByTestId(civitas("hosting-detail"))).toHaveValue("centre de données à Namur");
      expect(screen.getByTestId(civitas("reversibility"))).toHaveValue("Toutes les données en CSV et les pièces jointes en PDF, dans les 30 jours.");
      // « Fonctionne avec »: every solution of the catalogue but this one.
      const link = screen.getByTestId(civitas("link-0-solution"));
      expect(link).toHaveValue(`${ACCOUNTING_SERVICE}/${NUAGIX}`);
      expect(within(link).getAllByRole("option").map((o) => o.textContent)).toEqual([
        "Choisir une solution…",
        "E-guichet (commande de documents d'état civil et de population) — Guichet Wallon SRL",
        "Comptabilité communale — Nuagix SRL",
      ]);
      expect(screen.getByTestId(civitas("link-0-how"))).toHaveValue("Les demandes payées sont versées dans la comptabilité.");
      expect(screen.getByTestId(civitas("link-0-date"))).toHaveValue("15/10/2025");
      // One row per aspect: checked or « non vérifié ».
      expect(screen.getByTestId(civitas("check-open_data-confirmed"))).toBeChecked();
      expect(screen.getByTestId(civitas("check-open_data-date"))).toHaveValue("01/10/2025");
      expect(screen.getByTestId(civitas("check-api-none"))).toBeChecked();
      expect(screen.queryByTestId(civitas("check-api-date"))).not.toBeInTheDocument();
      expect(screen.getByTestId(civitas("check-reversibility-partial"))).toBeChecked();
      expect(screen.getByTestId(civitas("check-reversibility-note"))).toHaveValue("Export testé ; le délai n'est pas confirmé.");
      expect(screen.getByTestId(`interop-${GUICHET}-missing`)).toHaveTextContent("Guichet Wallon SRL n'a pas encore de fiche d'interopérabilité.");
      expect(screen.getByTestId(guichet("establish"))).toHaveTextContent("Établir la fiche de Guichet Wallon SRL");
    });

    it("sends the changed sheets alone, without a legal basis, after saying so", async () => {
      const { user } = await open();
      await replaceText(user, civitas("name"), "Guichet Civitas 5");
      await publishWithNote(user);
      const dialog = await screen.findByTestId("confirm-dialog");
      expect(within(dialog).getByTestId("framework-diff").textContent).toBe(
        "Fiches d'interopérabilitéFiche d'interopérabilité de Civitas Digital SA : modifiée (nom de la solution).",
      );
      expect(within(dialog).getByTestId("framework-diff-basis")).toHaveTextContent(
        "Base : aucune (fiches d'interopérabilité seulement : elles ne changent pas les conditions de l'accord-cadre).",
      );
      await user.click(within(dialog).getByTestId("confirm-accept"));
      await waitFor(() =>
        expect(api.perform).toHaveBeenCalledWith({
          kind: "publish_framework_version",
          input: {
            framework_id: FRAMEWORK_ID,
            change_note: "Fiches d'interopérabilité mises à jour.",
            end_date: null,
            price_schedule: null,
            documents: null,
            providers: null,
            legal_basis: null,
            max_value: null,
            contract_months: null,
            price_formula: null,
            designation_rule: null,
            interoperability: [civitasSheet({ solution_name: "Guichet Civitas 5" })],
          },
        }),
      );
      expect(await screen.findByTestId("framework-version-receipt")).toHaveTextContent("Version 3 de l'accord-cadre CA-2025-01 (Fiches d'interopérabilité)");
    }, 20_000);

    it("refuses an empty reversibility next to its field, without sending", async () => {
      const { user } = await open();
      await user.clear(screen.getByTestId(civitas("reversibility")));
      await publishWithNote(user);
      const summary = await screen.findByTestId("error-summary");
      expect(summary).toHaveTextContent(
        "Fiche de Civitas Digital SA : indiquez ce que la commune récupère en fin de contrat (données, format, délai) ; une solution sans réversibilité n'est pas retenue.",
      );
      expect(screen.getByTestId(civitas("reversibility"))).toHaveAttribute("aria-invalid", "true");
      expect(within(summary).getAllByRole("link").map((a) => a.getAttribute("href"))).toEqual([`#${civitas("reversibility")}`]);
      expect(screen.queryByTestId("confirm-dialog")).not.toBeInTheDocument();
      expect(api.perform).not.toHaveBeenCalled();
    }, 20_000);

    it("refuses a check found partial without a note", async () => {
      const { user } = await open();
      await user.click(screen.getByTestId(civitas("check-api-partial")));
      await user.type(screen.getByTestId(civitas("check-api-date")), "10/11/2025");
      await publishWithNote(user);
      expect(await screen.findByTestId("error-summary")).toHaveTextContent(
        "Fiche de Civitas Digital SA, « Interfaces (API) » : expliquez ce qui manque ou comment l'aspect a été vérifié (la vérification n'est pas complète).",
      );
      expect(screen.getByTestId(civitas("check-api-note"))).toHaveAttribute("aria-invalid", "true");
      expect(api.perform).not.toHaveBeenCalled();

      // With its note, the check is sent dated from the typed day (day first).
      await user.type(screen.getByTestId(civitas("check-api-note")), "La documentation de l'API n'est pas publique.");
      await user.click(screen.getByTestId("framework-publish"));
      await user.click(await screen.findByTestId("confirm-accept"));
      await waitFor(() => expect(api.perform).toHaveBeenCalledTimes(1));
      const action = vi.mocked(api.perform).mock.calls[0]![0];
      if (action.kind !== "publish_framework_version") throw new Error(action.kind);
      expect(action.input.interoperability?.[0]?.checks).toEqual([
        { aspect: "open_data", checked_on: "2025-10-01", outcome: "confirmed", note: "" },
        { aspect: "api", checked_on: "2025-11-10", outcome: "partial", note: "La documentation de l'API n'est pas publique." },
        { aspect: "reversibility", checked_on: "2025-10-02", outcome: "partial", note: "Export testé ; le délai n'est pas confirmé." },
      ]);
    }, 20_000);

    it("refuses a check dated after today", async () => {
      const { user } = await open();
      const tomorrow = addDays(brusselsDay(Date.now()), 1);
      await user.click(screen.getByTestId(civitas("check-hosting-confirmed")));
      await user.type(screen.getByTestId(civitas("check-hosting-date")), dateForField(tomorrow));
      await publishWithNote(user);
      expect(await screen.findByTestId("error-summary")).toHaveTextContent(
        `Fiche de Civitas Digital SA, « Hébergement » : la vérification est datée du ${dateForField(tomorrow)}, après aujourd'hui`,
      );
      expect(screen.getByTestId(civitas("check-hosting-date"))).toHaveAttribute("aria-invalid", "true");
      expect(api.perform).not.toHaveBeenCalled();
    }, 20_000);

    it("shows the domain's refusal of a sheet next to its field", async () => {
      vi.mocked(api.perform).mockRejectedValueOnce(
        new AppError("interoperability_check_ahead", "", { field: "interoperability[0].checks[0].checked_on", date: "2026-12-24", today: "2026-12-05" }),
      );
      const { user } = await open();
      await replaceText(user, civitas("name"), "Guichet Civitas 5");
      await publishWithNote(user);
      await user.click(await screen.findByTestId("confirm-accept"));
      await waitFor(() => expect(screen.getByTestId(civitas("check-open_data-date"))).toHaveAttribute("aria-invalid", "true"));
      const summary = screen.getByTestId("error-summary");
      expect(summary).toHaveTextContent("après aujourd'hui");
      expect(within(summary).getAllByRole("link").map((a) => a.getAttribute("href"))).toEqual([`#${civitas("check-open_data-date")}`]);
      expect(screen.queryByTestId("confirm-dialog")).not.toBeInTheDocument();
      expect(screen.getByTestId(civitas("name"))).toHaveValue("Guichet Civitas 5");
    }, 20_000);

    it("establishes the sheet of a party without one", async () => {
      const { user } = await open();
      await user.click(screen.getByTestId(guichet("establish")));
      expect(screen.getByTestId(`interop-${GUICHET}`)).toHaveTextContent("Fiche de Guichet Wallon SRL");
      expect(screen.getByTestId(guichet("name"))).toHaveValue("");
      await publishWithNote(user);
      const summary = await screen.findByTestId("error-summary");
      expect(summary).toHaveTextContent("Indiquez le nom de la solution de Guichet Wallon SRL (120 caractères au plus).");
      expect(summary).toHaveTextContent("Fiche de Guichet Wallon SRL : indiquez où les données de la commune sont hébergées.");
      expect(summary).toHaveTextContent("Fiche de Guichet Wallon SRL : indiquez ce que la commune récupère en fin de contrat");

      await user.type(screen.getByTestId(guichet("name")), "Guichet Wallon 2");
      await user.click(screen.getByTestId(guichet("hosting-european_union")));
      await user.type(screen.getByTestId(guichet("reversibility")), "Export complet en XML sous 60 jours.");
      await user.click(screen.getByTestId(guichet("open-data-add")));
      await user.type(screen.getByTestId(guichet("open-data-0-format")), "GeoJSON");
      await user.click(screen.getByTestId(guichet("identity-mon_espace")));
      await user.click(screen.getByTestId(guichet("link-add")));
      const options = within(screen.getByTestId(guichet("link-0-solution"))).getAllByRole("option").map((o) => o.textContent);
      expect(options).toEqual([
        "Choisir une solution…",
        "E-guichet (commande de documents d'état civil et de population) — Civitas Digital SA (Guichet Civitas 4)",
        "Comptabilité communale — Nuagix SRL",
      ]);
      await user.selectOptions(screen.getByTestId(guichet("link-0-solution")), `${SERVICE_ID}/${CIVITAS}`);
      await user.type(screen.getByTestId(guichet("link-0-how")), "Les deux guichets partagent le catalogue des démarches.");
      await user.click(screen.getByTestId("framework-publish"));
      await waitFor(() =>
        expect(screen.getByTestId("error-summary")).toHaveTextContent(
          "Fiche de Guichet Wallon SRL, données ouvertes ligne 1 : indiquez la licence, ou retirez la ligne.",
        ),
      );
      expect(screen.getByTestId("error-summary").querySelectorAll("li")).toHaveLength(1);
      await user.type(screen.getByTestId(guichet("open-data-0-licence")), "CC0");
      await user.click(screen.getByTestId("framework-publish"));

      const dialog = await screen.findByTestId("confirm-dialog");
      expect(within(dialog).getByTestId("framework-diff")).toHaveTextContent(
        "Fiche d'interopérabilité de Guichet Wallon SRL : établie (solution « Guichet Wallon 2 »).",
      );
      await user.click(within(dialog).getByTestId("confirm-accept"));
      await waitFor(() => expect(api.perform).toHaveBeenCalledTimes(1));
      const action = vi.mocked(api.perform).mock.calls[0]![0];
      if (action.kind !== "publish_framework_version") throw new Error(action.kind);
      expect(action.input.legal_basis).toBeNull();
      expect(action.input.interoperability).toEqual([
        civitasSheet(),
        {
          provider_id: GUICHET,
          solution_name: "Guichet Wallon 2",
          open_data: [{ format: "GeoJSON", licence: "CC0" }],
          apis: [],
          citizen_identity: ["mon_espace"],
          data_exports: [],
          hosting: "european_union",
          hosting_detail: "",
          reversibility: "Export complet en XML sous 60 jours.",
          works_with: [{ with: { service_id: SERVICE_ID, provider_id: CIVITAS }, how: "Les deux guichets partagent le catalogue des démarches.", checked_on: null }],
          checks: [],
        },
      ]);
    }, 30_000);

    it("removes a sheet (kept again with « Garder la fiche »), said in the differences", async () => {
      const { user } = await open();
      await user.click(screen.getByTestId(civitas("remove")));
      expect(screen.getByTestId(`interop-${CIVITAS}-missing`)).toHaveTextContent(
        "La fiche de Civitas Digital SA (solution « Guichet Civitas 4 ») sera retirée de cette nouvelle version.",
      );
      await user.click(screen.getByTestId(civitas("restore")));
      expect(screen.getByTestId(civitas("name"))).toHaveValue("Guichet Civitas 4");
      await user.click(screen.getByTestId(civitas("remove")));
      await user.selectOptions(screen.getByTestId(`provider-status-${GUICHET}`), "suspended");
      await publishWithNote(user, "Guichet Wallon suspendu, fiche de Civitas retirée.");
      const dialog = await screen.findByTestId("confirm-dialog");
      expect(within(dialog).getByTestId("framework-diff")).toHaveTextContent("Fiche d'interopérabilité de Civitas Digital SA : retirée de cette version.");
      expect(within(dialog).getByTestId("framework-diff-basis")).toHaveTextContent(
        "Base : aucune (suspension ou reprise d'un prestataire et fiches d'interopérabilité seulement).",
      );
      await user.click(within(dialog).getByTestId("confirm-accept"));
      await waitFor(() => expect(api.perform).toHaveBeenCalledTimes(1));
      const action = vi.mocked(api.perform).mock.calls[0]![0];
      if (action.kind !== "publish_framework_version") throw new Error(action.kind);
      expect(action.input.interoperability).toEqual([]);
      expect(action.input.legal_basis).toBeNull();
    }, 20_000);
  });
});
