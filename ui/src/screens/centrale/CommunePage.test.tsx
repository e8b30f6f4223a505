import type { Decision } from "../../bindings/Decision";
import { screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api";
import type { CommuneRow } from "../../bindings/CommuneRow";
import { mockBackend } from "../../test/api";
import { centraleState, me, syncStatus } from "../../test/fixtures";
import { renderApp } from "../../test/render";
import { ADHESION_ID, adhesionScreen, adhesionView, communeRow, CONVENTION_SHA, convention, signature } from "../../test/screenFixtures";

vi.mock("../../api");

const OTHER_SHA = "ffffffff68e705f5e146877a02c85a39073575f5a3de815a0c2b86a400000000";

const bertrix = (over: Partial<CommuneRow> = {}): CommuneRow => communeRow({ adhesion_status: "signed_by_commune", ...over });

const decision: Decision = { organ: { kind: "conseil" }, reference: "COL/2027/045", date: "2027-03-03", financial_opinion: null };
const dg = signature({ user_id: "u-1", name: "Marie Dupont", role: "director_general", signed_at: "2027-03-10T09:00:00Z" });
const mayor = signature({ user_id: "u-2", name: "Jean Martin", role: "mayor", signed_at: "2027-03-11T15:30:00Z" });
const countersig = signature({ user_id: "u-centrale", name: "Thomas Henrotte", role: "centrale_staff", signed_at: "2027-03-12T10:00:00Z" });

/** Bertrix's adhesion signed by both signatories: waits for the centrale's countersignature. */
const signedByCommune = (over: Parameters<typeof adhesionView>[0] = {}) =>
  adhesionScreen({
    commune_nis: "84009",
    adhesion: adhesionView({
      commune_nis: "84009",
      status: "signed_by_commune",
      college_decision: decision,
      director_general_signature: dg,
      mayor_signature: mayor,
      missing_signatures: [],
      next_step: "countersign",
      ...over,
    }),
  });

const countersigned = (over: Parameters<typeof adhesionView>[0] = {}) =>
  signedByCommune({ status: "countersigned", countersignature: countersig, next_step: "activate", ...over });

beforeEach(() => {
  mockBackend();
  vi.mocked(api.appState).mockResolvedValue(centraleState());
  vi.mocked(api.communes).mockResolvedValue([bertrix(), bertrix({ nis_code: "85007", name_fr: "Habay", adhesion_status: null })]);
  vi.mocked(api.adhesionOf).mockResolvedValue(signedByCommune());
});

describe("CommunePage", () => {
  it("shows the commune and the checks before countersigning", async () => {
    renderApp("/communes/84009");
    expect(await screen.findByTestId("commune-name")).toHaveTextContent("Bertrix");
    expect(screen.getByTestId("page-title")).toHaveTextContent("Bertrix");
    expect(api.adhesionOf).toHaveBeenCalledWith("84009");
    expect(screen.getByTestId("commune-nis")).toHaveTextContent("84009");
    expect(screen.getByText("Neufchâteau")).toBeInTheDocument();
    expect(screen.getByText(/8\s962 habitants au 01\/01\/2026/)).toBeInTheDocument();

    expect(await screen.findByTestId("commune-adhesion-status")).toHaveTextContent("Signée par la commune — à contresigner");
    expect(screen.getByTestId("commune-next")).toHaveTextContent("À vous : vérifiez la décision d'adhérer");
    expect(screen.getByTestId("commune-convention")).toHaveTextContent("Convention d'adhésion à la centrale d'achat — version 1");
    expect(screen.getByTestId("commune-convention-version")).toHaveTextContent("Version 1");
    expect(screen.getByTestId("commune-convention")).toHaveAttribute("data-state", "ok");
    expect(screen.getByTestId("commune-convention-sha256")).toHaveTextContent(CONVENTION_SHA);
    expect(screen.queryByTestId("commune-convention-problem")).toBeNull();
    expect(screen.getByTestId("commune-college-decision")).toHaveTextContent("Conseil communal : décision COL/2027/045 du 03/03/2027.");

    const dgCheck = screen.getByTestId("commune-signature-director_general");
    expect(dgCheck).toHaveAttribute("data-state", "ok");
    expect(dgCheck).toHaveTextContent("Signée par Marie Dupont, directeur général le 10/03/2027 à 10:00");
    expect(dgCheck).toHaveTextContent("Texte signé identique au texte de la convention version 1.");
    expect(dgCheck).toHaveTextContent(CONVENTION_SHA);
    const mayorCheck = screen.getByTestId("commune-signature-mayor");
    expect(mayorCheck).toHaveTextContent("Signée par Jean Martin, bourgmestre le 11/03/2027 à 16:30");
    expect(mayorCheck).toHaveTextContent("Texte signé identique au texte de la convention version 1.");

    expect(screen.getByTestId("countersign-adhesion")).toHaveTextContent("Contresigner l'adhésion");
    expect(screen.queryByTestId("activate-adhesion")).toBeNull();
    expect(screen.queryByTestId("commune-countersignature")).toBeNull();
    expect(screen.queryByTestId("commune-activated")).toBeNull();
  });

  it("countersigns after a confirmation that says exactly what is signed, then shows the receipt", async () => {
    const { user } = renderApp("/communes/84009");
    await user.click(await screen.findByTestId("countersign-adhesion"));

    const dialog = screen.getByRole("dialog", { name: "Contresigner l'adhésion de Bertrix ?" });
    expect(within(dialog).getByTestId("countersign-commune")).toHaveTextContent("Bertrix (code INS 84009)");
    expect(within(dialog).getByTestId("countersign-version")).toHaveTextContent("Version 1");
    expect(dialog).toHaveTextContent("Convention d'adhésion à la centrale d'achat — version 1");
    expect(dialog).toHaveTextContent("1a488bbc…4023239e");
    expect(dialog).toHaveTextContent("Conseil communal : décision COL/2027/045 du 03/03/2027.");
    const signatories = within(dialog).getByTestId("countersign-signatories");
    expect(signatories).toHaveTextContent("Marie Dupont, directeur général, le 10/03/2027 à 10:00");
    expect(signatories).toHaveTextContent("Jean Martin, bourgmestre, le 11/03/2027 à 16:30");
    expect(within(dialog).getByTestId("countersign-signatory")).toHaveTextContent("Thomas Henrotte, chargé de compte de la centrale");
    expect(dialog).toHaveTextContent("12/03/2027");
    expect(within(dialog).queryByTestId("countersign-warning")).toBeNull();
    expect(api.perform).not.toHaveBeenCalled();

    // The centrale's staff sign with the code of their application (issue 17 point 9).
    await user.type(within(dialog).getByRole("textbox", { name: "Code de double authentification" }), "123456");
    await user.click(within(dialog).getByTestId("confirm-accept"));
    expect(api.perform).toHaveBeenCalledTimes(1);
    expect(api.perform).toHaveBeenCalledWith(
      {
        kind: "countersign_adhesion",
        input: { adhesion_id: ADHESION_ID, text_sha256: CONVENTION_SHA },
      },
      "123456",
    );

    const receipt = await screen.findByTestId("commune-receipt");
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(receipt).toHaveTextContent("Adhésion contresignée");
    expect(receipt).toHaveTextContent("Convention d'adhésion de Bertrix, version 1");
    expect(receipt).toHaveTextContent("Thomas Henrotte, chargé de compte de la centrale");
    expect(screen.getByTestId("commune-receipt-sync")).toHaveTextContent("En attente d'envoi");
  });

  it("after the countersignature, says it waits to be sent, then that the server received it", async () => {
    const backend = mockBackend();
    vi.mocked(api.appState).mockResolvedValue(centraleState());
    vi.mocked(api.communes).mockResolvedValue([bertrix()]);
    vi.mocked(api.adhesionOf).mockResolvedValue(signedByCommune());
    const { user } = renderApp("/communes/84009");
    await user.click(await screen.findByTestId("countersign-adhesion"));
    await user.click(screen.getByTestId("confirm-accept"));
    expect(await screen.findByTestId("commune-receipt-sync")).toHaveTextContent("En attente d'envoi");

    // The local effect: countersigned, pending until the sync.
    vi.mocked(api.adhesionOf).mockResolvedValue(countersigned({ pending: true }));
    backend.emitDataChanged();
    expect(await screen.findByTestId("commune-countersignature")).toHaveTextContent(
      "Contresignée par Thomas Henrotte, chargé de compte de la centrale le 12/03/2027 à 11:00",
    );
    expect(screen.getByTestId("commune-adhesion-pending")).toHaveTextContent("En attente d'envoi à l'intercommunale");
    expect(screen.queryByTestId("countersign-adhesion")).toBeNull();
    expect(screen.getByTestId("activate-adhesion")).toBeInTheDocument();

    // The sync brings the server's answer.
    vi.mocked(api.adhesionOf).mockResolvedValue(countersigned());
    backend.emitDataChanged();
    expect(await screen.findByText("Reçu par l'intercommunale.")).toBeInTheDocument();
    expect(screen.queryByTestId("commune-adhesion-pending")).toBeNull();
  });

  it("warns when a signature is not on the convention's text, in the checks and in the confirmation", async () => {
    vi.mocked(api.adhesionOf).mockResolvedValue(signedByCommune({ mayor_signature: { ...mayor, text_sha256: OTHER_SHA } }));
    const { user } = renderApp("/communes/84009");
    const mayorCheck = await screen.findByTestId("commune-signature-mayor");
    expect(mayorCheck).toHaveAttribute("data-state", "problem");
    expect(within(mayorCheck).getByTestId("commune-signature-mayor-text")).toHaveTextContent(
      "Attention : le texte signé n'est pas celui de la convention version 1.",
    );
    expect(mayorCheck).toHaveTextContent(OTHER_SHA);
    expect(mayorCheck).toHaveTextContent(CONVENTION_SHA);
    expect(screen.getByTestId("commune-signature-director_general")).toHaveAttribute("data-state", "ok");

    // The server decides: the button stays, the confirmation warns.
    await user.click(screen.getByTestId("countersign-adhesion"));
    expect(screen.getByTestId("countersign-warning")).toHaveTextContent("une vérification n'est pas concluante");
  });

  it("warns when the convention text on this PC is altered or missing", async () => {
    vi.mocked(api.adhesionOf).mockResolvedValue({ ...signedByCommune(), convention: convention({ intact: false }) });
    renderApp("/communes/84009");
    expect(await screen.findByTestId("commune-convention-problem")).toHaveTextContent("il a pu être modifié");
    expect(screen.getByTestId("commune-convention")).toHaveAttribute("data-state", "problem");
  });

  it("keeps the adhesion as it was when the confirmation is cancelled, and shows a refusal in the dialog", async () => {
    const { user } = renderApp("/communes/84009");
    await user.click(await screen.findByTestId("countersign-adhesion"));
    await user.click(screen.getByTestId("confirm-cancel"));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(api.perform).not.toHaveBeenCalled();

    vi.mocked(api.perform).mockRejectedValueOnce({
      code: "invalid_state",
      message: "La centrale contresigne une convention signée par le bourgmestre et le directeur général.",
    });
    await user.click(screen.getByTestId("countersign-adhesion"));
    await user.click(screen.getByTestId("confirm-accept"));
    const dialog = screen.getByRole("dialog");
    expect(await within(dialog).findByTestId("error-panel")).toHaveTextContent(
      "La centrale contresigne une convention signée par le bourgmestre et le directeur général.",
    );
    expect(screen.queryByTestId("commune-receipt")).toBeNull();
  });

  it("activates a countersigned adhesion after a confirmation", async () => {
    vi.mocked(api.adhesionOf).mockResolvedValue(countersigned());
    const { user } = renderApp("/communes/84009");
    expect(await screen.findByTestId("commune-adhesion-status")).toHaveTextContent("Contresignée — à activer");
    expect(screen.getByTestId("commune-countersignature")).toHaveTextContent("Contresignée par Thomas Henrotte");
    expect(screen.queryByTestId("countersign-adhesion")).toBeNull();

    await user.click(screen.getByTestId("activate-adhesion"));
    const dialog = screen.getByRole("dialog", { name: "Activer l'adhésion de Bertrix ?" });
    expect(dialog).toHaveTextContent("la commune pourra commander par la centrale d'achat");
    expect(within(dialog).getByTestId("activate-version")).toHaveTextContent("Version 1");
    await user.click(within(dialog).getByTestId("confirm-accept"));
    expect(api.perform).toHaveBeenCalledWith({ kind: "activate_adhesion", input: { adhesion_id: ADHESION_ID } });
    const receipt = await screen.findByTestId("commune-receipt");
    expect(receipt).toHaveTextContent("Adhésion activée");
    expect(receipt).toHaveTextContent("Adhésion de Bertrix à la centrale d'achat (convention version 1)");
  });

  it("says so when the adhesion is active, with no button", async () => {
    vi.mocked(api.adhesionOf).mockResolvedValue(
      countersigned({ status: "active", activated_at: "2027-03-13T08:00:00Z", next_step: null, allows_orders: true }),
    );
    renderApp("/communes/84009");
    expect(await screen.findByTestId("commune-activated")).toHaveTextContent("Adhésion active depuis le 13/03/2027.");
    expect(screen.getByTestId("commune-adhesion-status")).toHaveTextContent("Adhésion active");
    expect(screen.getByTestId("commune-countersignature")).toBeInTheDocument();
    expect(screen.queryByTestId("countersign-adhesion")).toBeNull();
    expect(screen.queryByTestId("activate-adhesion")).toBeNull();
  });

  it("while the commune signs, says whose signature is missing and shows no button", async () => {
    vi.mocked(api.adhesionOf).mockResolvedValue(
      signedByCommune({ status: "draft", mayor_signature: null, missing_signatures: ["mayor"], next_step: "commune_signatures" }),
    );
    renderApp("/communes/84009");
    expect(await screen.findByTestId("commune-next")).toHaveTextContent("En attente de la signature du bourgmestre de la commune.");
    expect(screen.getByTestId("commune-signature-mayor")).toHaveTextContent("Pas encore signée.");
    expect(screen.getByTestId("commune-signature-mayor")).toHaveAttribute("data-state", "missing");
    expect(screen.queryByTestId("countersign-adhesion")).toBeNull();
    expect(screen.queryByTestId("activate-adhesion")).toBeNull();
  });

  it("shows no act to an account that is not the centrale's", async () => {
    vi.mocked(api.appState).mockResolvedValue(centraleState({ session: me({ role: "commune_staff" }) }));
    renderApp("/communes/84009");
    expect(await screen.findByTestId("commune-college-decision")).toBeInTheDocument();
    expect(screen.queryByTestId("countersign-adhesion")).toBeNull();
  });

  it("says the commune has not started an adhesion", async () => {
    vi.mocked(api.adhesionOf).mockResolvedValue(adhesionScreen({ commune_nis: "85007", adhesion: null }));
    renderApp("/communes/85007");
    expect(await screen.findByTestId("commune-no-adhesion")).toHaveTextContent("n'a pas encore commencé son adhésion");
    expect(screen.getByTestId("commune-adhesion-status")).toHaveTextContent("Pas d'adhésion");
    expect(screen.queryByTestId("commune-college-decision")).toBeNull();
    expect(screen.queryByTestId("countersign-adhesion")).toBeNull();
  });

  it("says when the commune is not on this PC, with a link back to the list", async () => {
    renderApp("/communes/99999");
    expect(await screen.findByTestId("commune-not-found")).toHaveTextContent("La commune au code INS 99999 n'est pas sur ce PC.");
    expect(screen.getByTestId("page-title")).toHaveTextContent("Commune introuvable");
    expect(screen.getByTestId("commune-back")).toHaveAttribute("href", "#/communes");
    expect(screen.queryByTestId("commune-name")).toBeNull();
  });

  it("says in the confirmation when the PC is offline", async () => {
    vi.mocked(api.syncStatus).mockResolvedValue(syncStatus({ phase: "offline", online: false }));
    const { user } = renderApp("/communes/84009");
    await user.click(await screen.findByTestId("countersign-adhesion"));
    expect(screen.getByRole("dialog")).toHaveTextContent("Vous êtes hors ligne");
  });
});
