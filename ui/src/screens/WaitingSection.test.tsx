import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import { mockBackend } from "../test/api";
import { appState } from "../test/fixtures";
import { renderApp } from "../test/render";
import type { Waiting } from "../bindings/Waiting";

vi.mock("../api");

let backend: ReturnType<typeof mockBackend>;
beforeEach(() => {
  backend = mockBackend();
});

function waiting(over: Partial<Waiting>): Waiting {
  return {
    key: "order:o-1:OffersOpened",
    kind: "evaluate_offers",
    record_id: "o-1",
    title: "E-guichet état civil",
    commune_nis: "92094",
    commune_name: "Namur",
    milestone: null,
    planned_date: null,
    end_date: null,
    ...over,
  };
}

describe("What waits for the signed-in person (issue 14 §2)", () => {
  it("lists each thing with where to act, counts it in the menu, and says a late step's date", async () => {
    vi.mocked(api.waiting).mockResolvedValue({
      items: [
        waiting({ key: "adhesion:a-1:sign:Mayor", kind: "sign_adhesion", record_id: "a-1", title: "Namur" }),
        waiting({}),
        waiting({ key: "order:o-2:late", kind: "late_milestone", record_id: "o-2", title: "Parking", milestone: "training", planned_date: "2027-03-04" }),
      ],
      notifications_enabled: true,
    });
    renderApp("/");
    const section = await screen.findByTestId("waiting");
    const items = await within(section).findAllByTestId("waiting-item");
    expect(within(section).getByTestId("waiting-count")).toHaveTextContent("3");
    expect(items.map((i) => i.dataset.kind)).toEqual(["sign_adhesion", "evaluate_offers", "late_milestone"]);
    const [sign, evaluate, late] = items as [HTMLElement, HTMLElement, HTMLElement];
    expect(sign).toHaveTextContent("Convention d'adhésion à signer");
    expect(within(sign).getByRole("link", { name: "Namur" })).toHaveAttribute("href", "#/adhesion");
    expect(evaluate).toHaveTextContent("Offres ouvertes, à évaluer");
    expect(within(evaluate).getByRole("link", { name: "E-guichet état civil" })).toHaveAttribute("href", "#/commandes/o-1");
    expect(late).toHaveTextContent("prévue le 04/03/2027");
    // The menu's « Accueil » carries the count, said in words to a screen reader.
    const badge = await screen.findByTestId("nav-waiting-count");
    expect(badge).toHaveTextContent("3 actions vous attendent");
  });

  it("issue 16 §3: an open survey waits for the directeur général, with its closing day and a link to answer it", async () => {
    vi.mocked(api.waiting).mockResolvedValue({
      items: [
        waiting({
          key: "survey:s-1:answer",
          kind: "answer_survey",
          record_id: "s-1",
          title: "Besoins smart city des communes pour 2027",
          end_date: "2026-12-30",
        }),
      ],
      notifications_enabled: true,
    });
    renderApp("/");
    const [item] = await within(await screen.findByTestId("waiting")).findAllByTestId("waiting-item");
    expect(item).toHaveTextContent("Enquête sur les besoins à compléter et envoyer");
    expect(item).toHaveTextContent("Les réponses sont attendues jusqu'au 30/12/2026 inclus.");
    expect(within(item!).getByRole("link", { name: "Besoins smart city des communes pour 2027" })).toHaveAttribute("href", "#/enquetes/s-1");
  });

  it("says when nothing waits, and shows no count in the menu", async () => {
    renderApp("/");
    expect(await screen.findByText("Rien ne vous attend pour le moment.")).toBeInTheDocument();
    expect(screen.queryByTestId("nav-waiting-count")).not.toBeInTheDocument();
  });

  it("turns the desktop notifications off and on, and says what that means", async () => {
    renderApp("/");
    const switchBox = await screen.findByTestId("waiting-notifications");
    expect(switchBox).toHaveTextContent("vous prévient par une notification du bureau");
    fireEvent.click(within(switchBox).getByRole("button", { name: "Désactiver les notifications" }));
    await waitFor(() => expect(api.setNotifications).toHaveBeenCalledWith(false));
    await waitFor(() => expect(screen.getByTestId("waiting-notifications")).toHaveAttribute("data-enabled", "false"));
    expect(screen.getByTestId("waiting-notifications")).toHaveTextContent("désactivées sur ce PC");
    fireEvent.click(screen.getByRole("button", { name: "Activer les notifications" }));
    await waitFor(() => expect(api.setNotifications).toHaveBeenLastCalledWith(true));
  });

  it("reads again after a sync: the count follows what the sync brought", async () => {
    renderApp("/");
    await screen.findByTestId("waiting");
    vi.mocked(api.waiting).mockResolvedValue({ items: [waiting({})], notifications_enabled: true });
    act(() => backend.emitDataChanged());
    expect(await screen.findByTestId("nav-waiting-count")).toHaveTextContent("1 action vous attend");
  });

  it("on the centrale's home, holds only the notifications' switch (its groups list what waits)", async () => {
    vi.mocked(api.appState).mockResolvedValue(
      appState({
        session: {
          user_id: "u-c",
          username: "centrale",
          display_name: "Claire Centrale",
          role: "centrale_staff",
          commune_nis: null,
          provider_id: null,
          gender: "female",
          second_factor: true,
        },
        commune: null,
      }),
    );
    vi.mocked(api.waiting).mockResolvedValue({
      items: [waiting({ kind: "issue_purchase_order" })],
      notifications_enabled: true,
    });
    renderApp("/");
    const section = await screen.findByTestId("waiting");
    expect(section).toHaveTextContent("Notifications du bureau");
    expect(within(section).queryByTestId("waiting-item")).not.toBeInTheDocument();
    expect(await screen.findByTestId("nav-waiting-count")).toHaveTextContent("1");
  });
});
