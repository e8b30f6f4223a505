import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import { mockBackend } from "../test/api";
import { renderApp } from "../test/render";

vi.mock("../api");

beforeEach(() => {
  mockBackend();
});

describe("« Mes notifications »: how the account is told by e-mail (issue 14 §1)", () => {
  it("offers three choices per kind, with a legend, and none for a legal notification", async () => {
    vi.mocked(api.mailPreferences).mockResolvedValue({
      account: "provider:p-1",
      pending: false,
      lines: [
        { kind: "award_notification", label: "Notification de la décision d'attribution", legal: true, choice: "immediate" },
        { kind: "deadline_reminder", label: "Rappel avant la date limite de remise des offres", legal: false, choice: "digest" },
      ],
    });
    renderApp("/");
    const section = await screen.findByTestId("mail-preferences");
    expect(within(section).getByRole("heading", { name: "Mes notifications" })).toBeInTheDocument();
    const legal = await within(section).findByTestId("mail-preference-legal");
    expect(legal).toHaveTextContent("Notification de la décision d'attribution");
    expect(legal).toHaveTextContent("Toujours envoyé tout de suite — notification légale.");
    expect(within(legal).queryByRole("radio")).not.toBeInTheDocument();
    const group = within(section).getByRole("group", { name: "Rappel avant la date limite de remise des offres" });
    const radios = within(group).getAllByRole("radio");
    expect(radios.map((r) => (r as HTMLInputElement).labels?.[0]?.textContent)).toEqual(["Tout de suite", "Un résumé quotidien", "Rien"]);
    expect(within(group).getByRole("radio", { name: "Un résumé quotidien" })).toBeChecked();
  });

  it("sends the account's choices as one mutation and says they are saved (offline: at the next sync)", async () => {
    vi.mocked(api.mailPreferences)
      .mockResolvedValueOnce({
        account: "u-dg",
        pending: false,
        lines: [
          { kind: "offers_opened", label: "Ouverture des offres", legal: false, choice: "immediate" },
          { kind: "milestone_late", label: "Jalon de déploiement en retard", legal: false, choice: "immediate" },
        ],
      })
      .mockResolvedValue({
        account: "u-dg",
        pending: true,
        lines: [
          { kind: "offers_opened", label: "Ouverture des offres", legal: false, choice: "nothing" },
          { kind: "milestone_late", label: "Jalon de déploiement en retard", legal: false, choice: "digest" },
        ],
      });
    renderApp("/");
    const section = await screen.findByTestId("mail-preferences");
    fireEvent.click(await within(section).findByTestId("mail-offers_opened-nothing"));
    fireEvent.click(within(section).getByTestId("mail-milestone_late-digest"));
    fireEvent.click(within(section).getByRole("button", { name: "Enregistrer mes choix" }));
    await waitFor(() =>
      expect(api.perform).toHaveBeenCalledWith({
        kind: "set_mail_preferences",
        input: {
          account: "u-dg",
          choices: [
            { kind: "offers_opened", choice: "nothing" },
            { kind: "milestone_late", choice: "digest" },
          ],
        },
      }),
    );
    expect(await within(section).findByTestId("mail-preferences-saved")).toHaveTextContent("à la prochaine synchronisation");
    expect(within(section).getByTestId("mail-offers_opened-nothing")).toBeChecked();
  });
});
