/**
 * The second factor in the desktop app (issue 17 point 9): the code's field in the signing
 * dialogs (only when the act asks for one), its refusals under it, the offline sentence, the
 * set-up in « Mon compte », the centrale's banner and the resend with a new code from
 * « À corriger ».
 */
import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import type { Decision } from "../bindings/Decision";
import { mockBackend } from "../test/api";
import { appState, centraleState, me, outboxEntry, syncStatus } from "../test/fixtures";
import { renderApp } from "../test/render";
import { adhesionScreen, adhesionView, ADHESION_ID, CONVENTION_SHA } from "../test/screenFixtures";

vi.mock("../api");

const decided: Decision = { organ: { kind: "conseil" }, reference: "COL/2027/045", date: "2027-03-03", financial_opinion: null };
const dgWith = (second_factor: boolean) => appState({ session: me({ second_factor }) });
const signAction = { kind: "sign_adhesion", input: { adhesion_id: ADHESION_ID, text_sha256: CONVENTION_SHA } };
const SETUP = {
  secret: "JBSW Y3DP EHPK 3PXP",
  otpauth_uri: "otpauth://totp/Centrale:dg.92094?secret=JBSWY3DPEHPK3PXP",
  qr_svg: '<svg xmlns="http://www.w3.org/2000/svg" width="220" height="220"><rect width="10" height="10"/></svg>',
};
const CODES = ["K7MZ-Q2XH", "A2B3-C4D5", "E6F7-G8H9", "J2K3-M4N5", "P6Q7-R8S9", "T2U3-V4W5", "X6Y7-Z8A2", "B3C4-D5E6", "F7G8-H9J2", "K3M4-N5P6"];

beforeEach(() => {
  mockBackend();
  vi.mocked(api.adhesion).mockResolvedValue(adhesionScreen({ adhesion: adhesionView({ college_decision: decided }) }));
});

async function openSignDialog() {
  const rendered = renderApp("/adhesion");
  await rendered.user.click(await screen.findByTestId("sign-convention"));
  return { ...rendered, dialog: await screen.findByRole("dialog", { name: "Signer la convention d'adhésion ?" }) };
}

describe("signing with a code", () => {
  it("asks for no code when the account has no second factor", async () => {
    vi.mocked(api.appState).mockResolvedValue(dgWith(false));
    const { user, dialog } = await openSignDialog();
    expect(within(dialog).queryByTestId("second-factor")).not.toBeInTheDocument();
    await user.click(within(dialog).getByTestId("confirm-accept"));
    expect(api.perform).toHaveBeenCalledWith(signAction);
  });

  it("asks for the code once it is on; a refusal of the code shows under the field, in the catalogue's words", async () => {
    vi.mocked(api.appState).mockResolvedValue(dgWith(true));
    const { user, dialog } = await openSignDialog();
    const field = within(dialog).getByRole("textbox", { name: "Code de double authentification" });
    expect(field).toHaveAttribute("inputmode", "numeric");
    expect(field).toHaveAttribute("autocomplete", "one-time-code");
    expect(within(dialog).getByTestId("second-factor")).toHaveTextContent(
      "Le code à six chiffres affiché par votre application d'authentification, ou un code de secours",
    );
    expect(within(dialog).queryByTestId("second-factor-offline")).not.toBeInTheDocument();

    // The store refuses a missing code under the field; the dialog stays open.
    vi.mocked(api.perform).mockRejectedValueOnce({ code: "second_factor_required", message: "Code", params: { field: "second_factor" } });
    await user.click(within(dialog).getByTestId("confirm-accept"));
    expect(await within(dialog).findByTestId("second-factor-error")).toHaveTextContent(
      "Cet acte se signe avec le code à six chiffres de votre application d'authentification : saisissez-le et recommencez.",
    );
    expect(field).toHaveAttribute("aria-invalid", "true");
    expect(within(dialog).queryByTestId("error-panel")).not.toBeInTheDocument();
    expect(api.perform).toHaveBeenLastCalledWith(signAction, "");

    vi.mocked(api.perform).mockRejectedValueOnce({
      code: "second_factor_code_malformed",
      message: "Format",
      params: { field: "second_factor", digits: 6 },
    });
    await user.type(field, "12");
    expect(within(dialog).queryByTestId("second-factor-error")).not.toBeInTheDocument();
    await user.click(within(dialog).getByTestId("confirm-accept"));
    expect(await within(dialog).findByTestId("second-factor-error")).toHaveTextContent(
      "Saisissez les 6 chiffres affichés par votre application d'authentification",
    );

    await user.clear(field);
    await user.type(field, "123456");
    await user.click(within(dialog).getByTestId("confirm-accept"));
    expect(api.perform).toHaveBeenLastCalledWith(signAction, "123456");
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
  });

  it("offline, says the intercommunale checks the code when the act arrives, within 7 days, and where a refusal goes", async () => {
    vi.mocked(api.appState).mockResolvedValue(dgWith(true));
    vi.mocked(api.syncStatus).mockResolvedValue(syncStatus({ phase: "offline", online: false }));
    const { dialog } = await openSignDialog();
    expect(await within(dialog).findByTestId("second-factor-offline")).toHaveTextContent(
      "l'intercommunale vérifie alors le code. Il doit lui parvenir dans les 7 jours. Si le code est refusé, l'acte vous attend dans « À corriger »",
    );
  });
});

describe("« Mon compte › Double authentification »", () => {
  it("is reached from the header, explains what it is, shows the QR code as an image, then the recovery codes once", async () => {
    vi.mocked(api.appState).mockResolvedValue(dgWith(false));
    vi.mocked(api.secondFactorStart).mockResolvedValue(SETUP);
    const { user, container } = renderApp("/");
    await user.click(await screen.findByTestId("my-account"));
    // « Mon compte » loads its code when first shown (routes.tsx): wait for its title.
    await waitFor(() => expect(screen.getByTestId("page-title")).toHaveTextContent("Mon compte"));
    const section = await screen.findByTestId("second-factor-section");
    expect(within(section).getByTestId("second-factor-status")).toHaveTextContent("Désactivée");
    expect(section).toHaveTextContent("FreeOTP, Google Authenticator ou Microsoft Authenticator");
    expect(section).toHaveTextContent("quand vous signez, attribuez, contresignez ou remettez une offre");

    await user.click(within(section).getByTestId("second-factor-start"));
    const qr = await within(section).findByRole("img", { name: "Code QR à scanner avec l'application d'authentification" });
    expect(qr.getAttribute("src")).toMatch(/^data:image\/svg\+xml;charset=utf-8,%3Csvg/);
    // The server's SVG is an image, never markup put in the page.
    expect(container.querySelector("svg rect")).toBeNull();
    expect(within(section).getByTestId("second-factor-secret")).toHaveTextContent("JBSW Y3DP EHPK 3PXP");

    // Nothing typed: said under the field, nothing sent.
    await user.click(within(section).getByTestId("second-factor-confirm"));
    expect(within(section).getByTestId("second-factor-error")).toHaveTextContent("Saisissez le code affiché par votre application");
    expect(api.secondFactorConfirm).not.toHaveBeenCalled();

    // A wrong code: the catalogue's sentence under the field.
    vi.mocked(api.secondFactorConfirm).mockRejectedValueOnce({ code: "second_factor_wrong", message: "Faux", params: {} });
    await user.type(within(section).getByTestId("second-factor-confirm-code"), "000000");
    await user.click(within(section).getByTestId("second-factor-confirm"));
    expect(await within(section).findByTestId("second-factor-error")).toHaveTextContent("Ce code n'est pas le bon.");

    vi.mocked(api.secondFactorConfirm).mockResolvedValueOnce({ recovery_codes: CODES });
    vi.mocked(api.appState).mockResolvedValue(dgWith(true));
    await user.clear(within(section).getByTestId("second-factor-confirm-code"));
    await user.type(within(section).getByTestId("second-factor-confirm-code"), "123456");
    await user.click(within(section).getByTestId("second-factor-confirm"));
    expect(api.secondFactorConfirm).toHaveBeenLastCalledWith("123456");
    const codes = await within(section).findByTestId("recovery-codes");
    expect(within(codes).getAllByRole("listitem")).toHaveLength(10);
    expect(codes).toHaveTextContent("K7MZ-Q2XH");
    expect(within(section).getByTestId("recovery-print")).toHaveTextContent("Imprimer");
    expect(within(section).getByTestId("second-factor-status")).toHaveTextContent("Activée");

    // « Terminer » only once the codes are noted.
    await user.click(within(section).getByTestId("recovery-finish"));
    expect(within(section).getByRole("alert")).toHaveTextContent("Cochez la case");
    expect(within(section).getByTestId("recovery-codes")).toBeInTheDocument();
    await user.click(within(section).getByRole("checkbox", { name: "J'ai noté mes codes de secours en lieu sûr" }));
    await user.click(within(section).getByTestId("recovery-finish"));
    expect(within(section).queryByTestId("recovery-codes")).not.toBeInTheDocument();
    expect(within(section).getByTestId("second-factor-off")).toBeInTheDocument();
  });

  it("offline, says the PC must reach the intercommunale, and nothing breaks", async () => {
    vi.mocked(api.appState).mockResolvedValue(dgWith(false));
    vi.mocked(api.syncStatus).mockResolvedValue(syncStatus({ phase: "offline", online: false }));
    vi.mocked(api.secondFactorStart).mockRejectedValue({ code: "offline", message: "Injoignable", params: {} });
    const { user } = renderApp("/mon-compte");
    const section = await screen.findByTestId("second-factor-section");
    expect(await within(section).findByTestId("second-factor-needs-network")).toHaveTextContent(
      "ce PC doit être relié à l'intercommunale",
    );
    await user.click(within(section).getByTestId("second-factor-start"));
    expect(await within(section).findByTestId("error-panel")).toHaveTextContent("ce PC doit être relié à l'intercommunale");
    expect(within(section).getByTestId("second-factor-start")).toBeEnabled();
  });

  it("a signatory turns it off with a code", async () => {
    vi.mocked(api.appState).mockResolvedValue(dgWith(true));
    vi.mocked(api.secondFactorOff).mockResolvedValue(null);
    const { user } = renderApp("/mon-compte");
    const section = await screen.findByTestId("second-factor-section");
    expect(within(section).getByTestId("second-factor-status")).toHaveTextContent("Activée");
    vi.mocked(api.appState).mockResolvedValue(dgWith(false));
    await user.type(within(section).getByTestId("second-factor-off-code"), "K7MZ-Q2XH");
    await user.click(within(section).getByTestId("second-factor-turn-off"));
    expect(api.secondFactorOff).toHaveBeenCalledWith("K7MZ-Q2XH");
    expect(await within(section).findByTestId("second-factor-turned-off")).toHaveTextContent("désactivée");
  });

  it("the centrale's staff keep it: no « Désactiver »", async () => {
    vi.mocked(api.appState).mockResolvedValue(centraleState({ session: me({ role: "centrale_staff", commune_nis: null, second_factor: true }) }));
    renderApp("/mon-compte");
    const section = await screen.findByTestId("second-factor-section");
    expect(within(section).getByTestId("second-factor-required")).toHaveTextContent("Obligatoire pour les comptes de la centrale.");
    expect(within(section).queryByTestId("second-factor-off")).not.toBeInTheDocument();
  });
});

describe("the centrale's home", () => {
  it("tells a staff account without a second factor to turn it on", async () => {
    vi.mocked(api.appState).mockResolvedValue(centraleState({ session: me({ role: "centrale_staff", commune_nis: null, second_factor: false }) }));
    renderApp("/");
    const banner = await screen.findByTestId("second-factor-banner");
    expect(banner).toHaveTextContent("Activez la double authentification");
    expect(within(banner).getByRole("link")).toHaveAttribute("href", "#/mon-compte");
  });

  it("says nothing once it is on", async () => {
    vi.mocked(api.appState).mockResolvedValue(centraleState({ session: me({ role: "centrale_staff", commune_nis: null, second_factor: true }) }));
    renderApp("/");
    await screen.findByTestId("centrale-home");
    expect(screen.queryByTestId("second-factor-banner")).not.toBeInTheDocument();
  });
});

describe("« À corriger »", () => {
  it("a signing act whose code was refused goes again with a new code", async () => {
    vi.mocked(api.appState).mockResolvedValue(dgWith(true));
    const refused = outboxEntry({
      mutation_id: "0190f0aa-0000-7000-8000-000000000009",
      name: "adhesion.sign",
      payload: { adhesion_id: ADHESION_ID, text_sha256: CONVENTION_SHA },
      state: "needs_attention",
      error_code: "second_factor_wrong",
      error_message: "Faux",
      error_details: {},
    });
    vi.mocked(api.outbox).mockResolvedValue([refused]);
    vi.mocked(api.resendChange).mockResolvedValue({ mutation_id: "new" });
    const { user } = renderApp("/a-regler");
    const item = await screen.findByTestId("attention-item");
    expect(within(item).getByTestId("attention-reason")).toHaveTextContent("Ce code n'est pas le bon.");
    const block = within(item).getByTestId("attention-second-factor");
    expect(block).toHaveTextContent("Renvoyer avec un nouveau code");
    await user.type(within(block).getByRole("textbox", { name: "Code de double authentification" }), "246810");
    await user.click(within(item).getByTestId("attention-resend"));
    expect(api.resendChange).toHaveBeenCalledWith(refused.mutation_id, signAction, "246810");
  });
});
