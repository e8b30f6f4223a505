import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import type { Decision } from "../bindings/Decision";
import { mockBackend } from "../test/api";
import { appState, me } from "../test/fixtures";
import { renderApp } from "../test/render";
import {
  ADHESION_ID,
  adhesionScreen,
  adhesionView,
  CONVENTION_SHA,
  convention,
  signature,
  TEMPLATE_ID,
} from "../test/screenFixtures";

vi.mock("../api");

const decided: Decision = { organ: { kind: "conseil" }, reference: "COL/2027/045", date: "2027-03-03", financial_opinion: null };
let backend: ReturnType<typeof mockBackend>;
const mayor = me({ user_id: "u-2", username: "bg.92094", display_name: "Jean Martin", role: "mayor" });

beforeEach(() => {
  backend = mockBackend();
});

describe("Adhesion", () => {
  it("with no adhesion yet, shows the text in force and starts one on it", async () => {
    vi.mocked(api.adhesion).mockResolvedValue(adhesionScreen({ adhesion: null }));
    vi.mocked(api.newId).mockResolvedValue("new-adhesion");
    const { user } = renderApp("/adhesion");
    expect(await screen.findByTestId("adhesion-status")).toHaveTextContent("Pas encore commencée");
    const text = screen.getByTestId("convention-text");
    expect(within(text).getByRole("heading", { name: "Article 1 — Définitions" })).toBeInTheDocument();
    expect(within(text).getByText("centrale d'achat").tagName).toBe("STRONG");
    expect(screen.getByTestId("convention-version")).toHaveTextContent("Version 1, en vigueur");
    expect(screen.getByTestId("convention-sha256")).toHaveTextContent(CONVENTION_SHA);

    await user.click(screen.getByTestId("adhesion-start"));
    expect(api.perform).toHaveBeenCalledWith({
      kind: "start_adhesion",
      input: { adhesion_id: "new-adhesion", template_id: TEMPLATE_ID },
    });
  });

  it("the collège decision form shows the French error summary and keeps what was typed", async () => {
    vi.mocked(api.adhesion).mockResolvedValue(adhesionScreen());
    const { user } = renderApp("/adhesion");
    expect(await screen.findByTestId("adhesion-status")).toHaveTextContent("En préparation — décision du conseil à enregistrer");

    await user.type(screen.getByTestId("college-date"), "03/03/2027");
    await user.click(screen.getByTestId("college-submit"));

    const summary = await screen.findByTestId("error-summary");
    expect(summary).toHaveTextContent("Il y a un problème");
    expect(summary).toHaveTextContent("Indiquez la référence de la décision (100 caractères au plus).");
    expect(within(summary).getByRole("link")).toHaveAttribute("href", "#college-reference");
    expect(screen.getByTestId("college-reference")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("college-date")).toHaveValue("03/03/2027");
    expect(api.perform).not.toHaveBeenCalled();

    await user.type(screen.getByTestId("college-reference"), "COL/2027/045");
    await user.clear(screen.getByTestId("college-date"));
    await user.type(screen.getByTestId("college-date"), "01/04/2027");
    await user.click(screen.getByTestId("college-submit"));
    expect(await screen.findByTestId("error-summary")).toHaveTextContent("ne peut pas être dans le futur");
    expect(screen.getByTestId("college-reference")).toHaveValue("COL/2027/045");

    await user.clear(screen.getByTestId("college-date"));
    await user.type(screen.getByTestId("college-date"), "03/03/2027");
    await user.click(screen.getByTestId("college-submit"));
    expect(api.perform).toHaveBeenCalledWith({
      kind: "record_college_decision",
      input: { adhesion_id: ADHESION_ID, college_decision: decided },
    });
  });

  it("a refused decision shows the server's reason next to the field, with what was typed", async () => {
    vi.mocked(api.adhesion).mockResolvedValue(adhesionScreen());
    vi.mocked(api.perform).mockRejectedValue({
      code: "date_out_of_range",
      message: "(message de l'intercommunale)",
      params: {
        field: "college_decision.date",
        what: "college_decision_date",
        date: "2027-03-03",
        earliest: "2017-03-04",
        latest: "2027-03-02",
      },
    });
    const { user } = renderApp("/adhesion");
    await user.type(await screen.findByTestId("college-reference"), "COL/2027/045");
    await user.type(screen.getByTestId("college-date"), "03/03/2027");
    await user.click(screen.getByTestId("college-submit"));
    // The code's sentence from the catalogue of refusals, raw dates in words.
    expect(await screen.findByTestId("error-summary")).toHaveTextContent(
      "La date de la décision du collège doit tomber entre le 04/03/2017 et le 02/03/2027 : le 03/03/2027 n'est pas possible.",
    );
    expect(screen.getByTestId("college-reference")).toHaveValue("COL/2027/045");
  });

  it("the director general signs after confirming exactly what is signed, then gets a receipt", async () => {
    vi.mocked(api.adhesion).mockResolvedValue(
      adhesionScreen({ adhesion: adhesionView({ college_decision: decided, next_step: "commune_signatures" }) }),
    );
    const { user } = renderApp("/adhesion");
    expect(await screen.findByTestId("college-decision")).toHaveTextContent("Conseil communal : décision COL/2027/045 du 03/03/2027.");
    expect(screen.getByTestId("adhesion-status")).toHaveTextContent("En attente des signatures du directeur général et du bourgmestre");
    expect(within(screen.getByTestId("signature-mayor")).queryByTestId("sign-convention")).not.toBeInTheDocument();
    expect(screen.getByTestId("signature-mayor")).toHaveTextContent("En attente de la signature du bourgmestre");

    await user.click(within(screen.getByTestId("signature-dg")).getByTestId("sign-convention"));
    const dialog = await screen.findByRole("dialog", { name: "Signer la convention d'adhésion ?" });
    expect(dialog).toHaveTextContent("Convention d'adhésion à la centrale d'achat — version 1");
    expect(dialog).toHaveTextContent("Version 1");
    // The fingerprint is a technical detail, one click away (issue 15.5), not in the sentence.
    expect(within(dialog).getByTestId("sign-summary")).not.toHaveTextContent("1a488bbc");
    expect(within(dialog).getByTestId("sign-technical")).not.toHaveAttribute("open");
    expect(within(dialog).getByTestId("sign-fingerprint")).toHaveTextContent("1a488bbc…4023239e");
    expect(within(dialog).getByTestId("sign-signatory")).toHaveTextContent("Marie Dupont, directeur général");
    expect(within(dialog).getByTestId("sign-date")).toHaveTextContent("12/03/2027");
    expect(dialog).toHaveTextContent("Conseil communal : décision COL/2027/045 du 03/03/2027.");
    expect(api.perform).not.toHaveBeenCalled();

    await user.click(within(dialog).getByTestId("confirm-accept"));
    expect(api.perform).toHaveBeenCalledWith({
      kind: "sign_adhesion",
      input: { adhesion_id: ADHESION_ID, text_sha256: CONVENTION_SHA },
    });
    const receipt = await screen.findByTestId("adhesion-receipt");
    expect(receipt).toHaveTextContent("Convention signée");
    expect(receipt).toHaveTextContent("Convention d'adhésion à la centrale d'achat — version 1");
    expect(receipt).toHaveTextContent("Version 1 — empreinte du texte signé : 1a488bbc…4023239e");
    expect(receipt).toHaveTextContent("Marie Dupont, directeur général");
    expect(receipt).toHaveTextContent("1a488bbc…4023239e");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    // The screen still shows the adhesion as read before signing: not « reçue » yet.
    expect(receipt).toHaveTextContent("Votre signature part à l'intercommunale à la synchronisation");
    expect(receipt).not.toHaveTextContent("reçue par l'intercommunale");

    // The sync brings the server's copy with the signature: now it is received.
    vi.mocked(api.adhesion).mockResolvedValue(
      adhesionScreen({
        adhesion: adhesionView({ college_decision: decided, director_general_signature: signature(), missing_signatures: ["mayor"] }),
      }),
    );
    backend.emitDataChanged();
    await waitFor(() =>
      expect(screen.getByTestId("adhesion-receipt")).toHaveTextContent("Votre signature a été reçue par l'intercommunale."),
    );
  });

  it("the collège decision can be corrected before any signature; signing waits meanwhile", async () => {
    vi.mocked(api.adhesion).mockResolvedValue(adhesionScreen({ adhesion: adhesionView({ college_decision: decided }) }));
    const { user } = renderApp("/adhesion");
    await user.click(await screen.findByTestId("college-edit"));
    expect(screen.getByTestId("college-reference")).toHaveValue("COL/2027/045");
    expect(screen.getByTestId("college-date")).toHaveValue("03/03/2027");
    expect(screen.queryByTestId("sign-convention")).not.toBeInTheDocument();
    await user.clear(screen.getByTestId("college-reference"));
    await user.type(screen.getByTestId("college-reference"), "COL/2027/046");
    await user.click(screen.getByTestId("college-submit"));
    expect(api.perform).toHaveBeenCalledWith({
      kind: "record_college_decision",
      input: { adhesion_id: ADHESION_ID, college_decision: { ...decided, reference: "COL/2027/046" } },
    });
    expect(await screen.findByTestId("sign-convention")).toBeInTheDocument();
  });

  it("cancelling the confirmation signs nothing", async () => {
    vi.mocked(api.adhesion).mockResolvedValue(adhesionScreen({ adhesion: adhesionView({ college_decision: decided }) }));
    const { user } = renderApp("/adhesion");
    await user.click(await screen.findByTestId("sign-convention"));
    await user.click(screen.getByTestId("confirm-cancel"));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(api.perform).not.toHaveBeenCalled();
  });

  it("a refused signature is shown in the dialog, in words", async () => {
    vi.mocked(api.adhesion).mockResolvedValue(adhesionScreen({ adhesion: adhesionView({ college_decision: decided }) }));
    vi.mocked(api.perform).mockRejectedValue({
      code: "forbidden",
      message: "Interdit",
      params: { role: "commune_staff", act: "sign_adhesion", allowed_roles: ["director_general", "mayor"] },
    });
    const { user } = renderApp("/adhesion");
    await user.click(await screen.findByTestId("sign-convention"));
    await user.click(screen.getByTestId("confirm-accept"));
    const dialog = screen.getByRole("dialog");
    expect(await within(dialog).findByTestId("error-panel")).toHaveTextContent(
      "Votre compte (agent communal) ne permet pas de signer la convention au nom de la commune.",
    );
    expect(screen.queryByTestId("adhesion-receipt")).not.toBeInTheDocument();
  });

  it("the mayor sees « Signer » only while the mayor has not signed", async () => {
    vi.mocked(api.appState).mockResolvedValue(appState({ session: mayor }));
    vi.mocked(api.adhesion).mockResolvedValue(
      adhesionScreen({
        adhesion: adhesionView({
          college_decision: decided,
          director_general_signature: signature(),
          missing_signatures: ["mayor"],
          pending: true,
        }),
      }),
    );
    const { unmount } = renderApp("/adhesion");
    const mine = await screen.findByTestId("signature-mayor");
    expect(within(mine).getByTestId("sign-convention")).toHaveTextContent("Signer la convention");
    expect(screen.getByTestId("signature-dg")).toHaveTextContent("Signée par Marie Dupont, directeur général le 12/03/2027 à 14:05");
    expect(screen.getByTestId("adhesion-status")).toHaveTextContent("En attente de la signature du bourgmestre");
    expect(screen.getByTestId("adhesion-pending")).toHaveTextContent("En attente d'envoi à l'intercommunale");
    unmount();

    vi.mocked(api.adhesion).mockResolvedValue(
      adhesionScreen({
        adhesion: adhesionView({
          status: "signed_by_commune",
          college_decision: decided,
          director_general_signature: signature(),
          mayor_signature: signature({ user_id: "u-2", name: "Jean Martin", role: "mayor", signed_at: "2027-03-12T15:00:00Z" }),
          missing_signatures: [],
          next_step: "countersign",
        }),
      }),
    );
    renderApp("/adhesion");
    expect(await screen.findByTestId("signature-mayor")).toHaveTextContent("Signée par Jean Martin, bourgmestre le 12/03/2027 à 16:00");
    expect(screen.queryByTestId("sign-convention")).not.toBeInTheDocument();
    expect(screen.getByTestId("countersignature")).toHaveTextContent("En attente de la contresignature de l'intercommunale.");
  });

  it("a staff account sees who must sign, without a signing button", async () => {
    vi.mocked(api.appState).mockResolvedValue(appState({ session: me({ role: "commune_staff", display_name: "Luc Agent" }) }));
    vi.mocked(api.adhesion).mockResolvedValue(adhesionScreen({ adhesion: adhesionView({ college_decision: decided }) }));
    renderApp("/adhesion");
    expect(await screen.findByTestId("signature-dg")).toHaveTextContent("En attente de la signature du directeur général");
    expect(screen.getByTestId("signature-mayor")).toHaveTextContent("En attente de la signature du bourgmestre");
    expect(screen.queryByTestId("sign-convention")).not.toBeInTheDocument();
  });

  it("shows the countersignature and the activation date once synced", async () => {
    vi.mocked(api.adhesion).mockResolvedValue(
      adhesionScreen({
        adhesion: adhesionView({
          status: "active",
          college_decision: decided,
          director_general_signature: signature(),
          mayor_signature: signature({ user_id: "u-2", name: "Jean Martin", role: "mayor" }),
          countersignature: signature({
            user_id: "u-9",
            name: "Sophie Lambert",
            role: "centrale_staff",
            signed_at: "2027-03-14T09:30:00Z",
          }),
          activated_at: "2027-03-15T08:00:00Z",
          missing_signatures: [],
          next_step: null,
          allows_orders: true,
        }),
      }),
    );
    renderApp("/adhesion");
    expect(await screen.findByTestId("countersignature")).toHaveTextContent(
      "Signée par Sophie Lambert, chargé de compte de la centrale le 14/03/2027 à 10:30",
    );
    expect(screen.getByTestId("adhesion-activation")).toHaveTextContent("Adhésion active depuis le 15/03/2027");
    expect(screen.getByTestId("adhesion-status")).toHaveTextContent("Active");
    expect(screen.getByTestId("adhesion-summary")).toHaveTextContent("Votre commune peut commander par la centrale.");
    expect(screen.queryByTestId("college-form")).not.toBeInTheDocument();
  });

  it("refuses to offer a signature on a text that does not match its fingerprint", async () => {
    vi.mocked(api.adhesion).mockResolvedValue(
      adhesionScreen({ adhesion: adhesionView({ college_decision: decided }), convention: convention({ intact: false }) }),
    );
    renderApp("/adhesion");
    expect(await screen.findByTestId("convention-altered")).toHaveTextContent("Ne signez pas ce texte");
    await waitFor(() => expect(screen.getByTestId("signature-dg")).toHaveTextContent("La signature n'est pas possible"));
    expect(screen.queryByTestId("sign-convention")).not.toBeInTheDocument();
  });

  describe("termination (convention art. 12)", () => {
    const active = (over: Partial<Parameters<typeof adhesionView>[0]> = {}) =>
      adhesionView({
        status: "active",
        college_decision: decided,
        director_general_signature: signature(),
        mayor_signature: signature({ user_id: "u-2", name: "Jean Martin", role: "mayor" }),
        missing_signatures: [],
        next_step: null,
        allows_orders: true,
        ...over,
      });

    it("a signatory signs a notice with its reason; the server dates it", async () => {
      vi.mocked(api.adhesion).mockResolvedValue(adhesionScreen({ adhesion: active() }));
      const { user } = renderApp("/adhesion");
      const section = await screen.findByTestId("adhesion-terminate");
      expect(section).toHaveTextContent("le premier jour du mois qui suit");
      await user.click(within(section).getByTestId("termination-sign"));
      expect(await screen.findByText("Indiquez le motif de la résiliation.")).toBeInTheDocument();
      await user.type(screen.getByTestId("termination-reason"), "Regroupement des achats à la province.");
      await user.click(within(section).getByTestId("termination-sign"));
      await user.click(within(screen.getByRole("dialog")).getByTestId("confirm-accept"));
      expect(api.perform).toHaveBeenCalledWith({
        kind: "terminate_adhesion",
        input: { adhesion_id: ADHESION_ID, reason: "Regroupement des achats à la province." },
      });
    });

    it("the other signatory co-signs the same notice; the first sees it waiting", async () => {
      const termination = {
        notice_date: "2027-03-12",
        effective_date: "2027-07-01",
        reason: "Regroupement des achats à la province.",
        by: "Marie Dupont",
        director_general_signature: signature(),
        mayor_signature: null,
      };
      vi.mocked(api.adhesion).mockResolvedValue(
        adhesionScreen({ adhesion: active({ termination, missing_termination_signatures: ["mayor"] }) }),
      );
      renderApp("/adhesion");
      expect(await screen.findByTestId("adhesion-termination")).toHaveTextContent(
        "Préavis de résiliation signé par Marie Dupont le 12/03/2027 : il attend la signature de bourgmestre.",
      );
      expect(screen.queryByTestId("adhesion-terminate")).not.toBeInTheDocument();
    });

    it("the mayor co-signs the notice the director general signed", async () => {
      vi.mocked(api.appState).mockResolvedValue(appState({ session: mayor }));
      const termination = {
        notice_date: "2027-03-12",
        effective_date: "2027-07-01",
        reason: "Regroupement des achats à la province.",
        by: "Marie Dupont",
        director_general_signature: signature(),
        mayor_signature: null,
      };
      vi.mocked(api.adhesion).mockResolvedValue(
        adhesionScreen({ adhesion: active({ termination, missing_termination_signatures: ["mayor"] }) }),
      );
      const { user } = renderApp("/adhesion");
      const section = await screen.findByTestId("adhesion-terminate");
      expect(within(section).getByTestId("termination-reason")).toHaveTextContent("Regroupement des achats à la province.");
      await user.click(within(section).getByTestId("termination-sign"));
      await user.click(within(screen.getByRole("dialog")).getByTestId("confirm-accept"));
      expect(api.perform).toHaveBeenCalledWith({
        kind: "terminate_adhesion",
        input: { adhesion_id: ADHESION_ID, reason: "Regroupement des achats à la province." },
      });
    });

    it("a notice given shows its effective date: orders until then", async () => {
      const termination = {
        notice_date: "2027-03-12",
        effective_date: "2027-07-01",
        reason: "Regroupement des achats à la province.",
        by: "Marie Dupont",
        director_general_signature: signature(),
        mayor_signature: signature({ user_id: "u-2", name: "Jean Martin", role: "mayor" }),
      };
      vi.mocked(api.adhesion).mockResolvedValue(adhesionScreen({ adhesion: active({ termination }) }));
      renderApp("/adhesion");
      expect(await screen.findByTestId("adhesion-termination")).toHaveTextContent(
        "Préavis de résiliation donné le 12/03/2027. La résiliation prend effet le 01/07/2027 : jusqu'à cette date, votre commune peut encore envoyer des commandes.",
      );
      expect(screen.queryByTestId("adhesion-terminate")).not.toBeInTheDocument();
    });
  });
});
