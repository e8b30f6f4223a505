import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api";
import type { FailedMail } from "../../bindings/FailedMail";
import { AppError } from "../../errors";
import { checkAccessibility } from "../../test/a11y";
import { mockBackend } from "../../test/api";
import { appState, centraleState } from "../../test/fixtures";
import { renderApp } from "../../test/render";

vi.mock("../../api");

const failed = (over: Partial<FailedMail> = {}): FailedMail => ({
  id: "0190f0aa-0000-7000-8000-0000000000m1",
  kind: "adhesion_signature",
  kind_label: "Adhésion à signer",
  recipient_email: "jean dupont@@exemple",
  recipient_name: "Jean-Pierre Collard",
  subject: "À signer : adhésion de Bertrix à la centrale",
  created_at: "2027-03-10T09:00:00Z",
  attempts: 1,
  failed_at: "2027-03-10T09:00:05Z",
  last_error: "adresse « jean dupont@@exemple » invalide",
  ...over,
});

beforeEach(() => {
  mockBackend();
  vi.mocked(api.appState).mockResolvedValue(centraleState());
});

describe("E-mails non remis", () => {
  it("lists each failed e-mail with its date, recipient, message, attempts and reason", async () => {
    vi.mocked(api.failedMail).mockResolvedValue([failed(), failed({ id: "m2", recipient_email: "x@y.be", attempts: 8, last_error: null })]);
    renderApp("/e-mails-non-remis");
    const table = await screen.findByRole("table");
    const rows = within(table).getAllByTestId("failed-mail-row");
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent("10/03/2027 à 10:00");
    expect(rows[0]).toHaveTextContent("Jean-Pierre Collard");
    expect(rows[0]).toHaveTextContent("jean dupont@@exemple");
    expect(rows[0]).toHaveTextContent("Adhésion à signer");
    expect(rows[0]).toHaveTextContent("« À signer : adhésion de Bertrix à la centrale »");
    expect(within(rows[0]!).getByTestId("failed-mail-error")).toHaveTextContent("invalide");
    expect(within(rows[1]!).getByTestId("failed-mail-error")).toHaveTextContent("Aucune raison");
    expect(within(table).getAllByRole("columnheader").map((h) => h.textContent)).toEqual([
      "Abandonné le",
      "Destinataire",
      "Message",
      "Essais",
      "Renvoyer",
    ]);
    await checkAccessibility();
  });

  it("sends one again to a corrected address, and says where it goes", async () => {
    vi.mocked(api.failedMail).mockResolvedValueOnce([failed()]).mockResolvedValue([]);
    const { user } = renderApp("/e-mails-non-remis");
    const row = await screen.findByTestId("failed-mail-row");
    await user.click(within(row).getByTestId("failed-mail-other-address"));
    await user.type(within(row).getByTestId("failed-mail-to"), " jean-pierre.collard@bertrix.be ");
    await user.click(within(row).getByTestId("failed-mail-retry"));
    await waitFor(() =>
      expect(api.retryFailedMail).toHaveBeenCalledWith("0190f0aa-0000-7000-8000-0000000000m1", "jean-pierre.collard@bertrix.be"),
    );
    expect(await screen.findByTestId("failed-mail-sent")).toHaveTextContent(
      "L'e-mail est remis dans la file d'envoi, à l'adresse jean-pierre.collard@bertrix.be",
    );
    expect(await screen.findByTestId("failed-mail-empty")).toHaveTextContent("Aucun e-mail non remis");
  });

  it("sends one again to the same address when no other is given", async () => {
    vi.mocked(api.failedMail).mockResolvedValue([failed({ recipient_email: "dg@bertrix.be" })]);
    const { user } = renderApp("/e-mails-non-remis");
    const row = await screen.findByTestId("failed-mail-row");
    await user.click(within(row).getByTestId("failed-mail-retry"));
    await waitFor(() => expect(api.retryFailedMail).toHaveBeenCalledWith("0190f0aa-0000-7000-8000-0000000000m1", null));
    expect(await screen.findByTestId("failed-mail-sent")).toHaveTextContent("dg@bertrix.be");
  });

  it("puts the intercommunale's refusal of an address under the field, keeping what was typed", async () => {
    vi.mocked(api.failedMail).mockResolvedValue([failed()]);
    vi.mocked(api.retryFailedMail).mockRejectedValue(
      new AppError("email_invalid", "L'adresse e-mail « jean@ » n'est pas valide", { email: "jean@", field: "to" }),
    );
    const { user } = renderApp("/e-mails-non-remis");
    const row = await screen.findByTestId("failed-mail-row");
    await user.click(within(row).getByTestId("failed-mail-other-address"));
    await user.type(within(row).getByTestId("failed-mail-to"), "jean@");
    await user.click(within(row).getByTestId("failed-mail-retry"));
    expect(await within(row).findByTestId("failed-mail-to-error")).toHaveTextContent(
      "L'adresse e-mail « jean@ » n'est pas valide (exemple : prenom.nom@commune.be).",
    );
    expect(within(row).getByTestId("failed-mail-to")).toHaveValue("jean@");
    expect(within(row).getByTestId("failed-mail-to")).toHaveAttribute("aria-invalid", "true");
    expect(screen.queryByTestId("failed-mail-sent")).toBeNull();
  });

  it("says in words that the list needs the network when the PC is not connected", async () => {
    vi.mocked(api.failedMail).mockRejectedValue(new AppError("offline", "hors ligne"));
    renderApp("/e-mails-non-remis");
    expect(await screen.findByTestId("failed-mail-offline")).toHaveTextContent(
      "La liste des e-mails non remis se lit auprès de l'intercommunale : ce PC doit y être relié.",
    );
    expect(screen.queryByTestId("error-panel")).toBeNull();
  });

  it("is the centrale's only", async () => {
    vi.mocked(api.appState).mockResolvedValue(appState());
    renderApp("/e-mails-non-remis");
    expect(await screen.findByTestId("catalogue-admin-forbidden")).toBeInTheDocument();
    expect(api.failedMail).not.toHaveBeenCalled();
  });

  it("is announced on the centrale's home with its count and the way to the list", async () => {
    vi.mocked(api.failedMail).mockResolvedValue([failed(), failed({ id: "m2" })]);
    const { user } = renderApp("/");
    const alert = await screen.findByTestId("failed-mail-alert");
    expect(alert).toHaveTextContent("2 e-mails n'ont pas pu être remis à leur destinataire.");
    await user.click(within(alert).getByTestId("failed-mail-alert-link"));
    expect(await screen.findByTestId("failed-mail-table")).toBeInTheDocument();
  });
});
