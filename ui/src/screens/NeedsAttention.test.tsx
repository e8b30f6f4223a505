import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import { mockBackend } from "../test/api";
import { outboxEntry } from "../test/fixtures";
import { renderApp } from "../test/render";

vi.mock("../api");

const refused = outboxEntry();
const submitRefused = outboxEntry({
  client_seq: 2,
  mutation_id: "0190f0aa-0000-7000-8000-000000000002",
  name: "order.submit",
  payload: { order_id: "0190f0aa-0000-7000-8000-0000000000aa" },
  error_code: "adhesion_not_active",
  error_message: "Votre commune ne peut pas encore commander (message de l'intercommunale).",
  error_details: { adhesion_status: "draft" },
});
const waiting = outboxEntry({
  client_seq: 3,
  mutation_id: "0190f0aa-0000-7000-8000-000000000003",
  name: "milestone.acknowledge",
  payload: { milestone_id: "m-1" },
  state: "pending",
  error_code: null,
  error_message: null,
  error_details: null,
});

beforeEach(() => {
  mockBackend();
  vi.mocked(api.outbox).mockResolvedValue([refused, submitRefused, waiting]);
});

describe("Modifications à régler", () => {
  it("lists each refused change: what, when, who, the server's reason and what was typed", async () => {
    renderApp("/a-regler");
    const list = await screen.findByTestId("attention-list");
    const items = within(list).getAllByTestId("attention-item");
    expect(items).toHaveLength(2);
    const first = items[0]!;
    expect(first).toHaveAttribute("data-mutation-id", refused.mutation_id);
    expect(first).toHaveTextContent("Modification du brouillon de commande");
    expect(first).toHaveTextContent("Faite le 12/03/2027 à 14:05 par Marie Dupont, directeur général");
    // invalid_input (legacy) carries no message param here: the server's own French message is shown.
    expect(within(first).getByTestId("attention-reason")).toHaveTextContent(
      "Le titre de la commande est trop long (200 caractères au plus).",
    );
    // What was typed, with labels and Belgian formats, not JSON.
    const typed = within(first).getByTestId("attention-typed");
    expect(typed).toHaveTextContent("Titre de la commande");
    expect(typed).toHaveTextContent("E-guichet pour l'état civil");
    expect(typed).toHaveTextContent("Description du besoin");
    expect(typed).toHaveTextContent("Hôtel de ville");
    expect(typed).toHaveTextContent("01/04/2027");
    // (toHaveTextContent folds the no-break spaces into plain ones.)
    expect(typed).toHaveTextContent("Budget12 500,00 € TVAC");
    expect(typed).not.toHaveTextContent("{");
    // A known code is rendered from the catalogue of refusals with its raw params.
    expect(within(items[1]!).getByTestId("attention-reason")).toHaveTextContent(
      "la convention d'adhésion n'est pas active (en préparation)",
    );
  });

  it("shows the changes still waiting to be sent apart", async () => {
    renderApp("/a-regler");
    const pending = await screen.findByTestId("pending-list");
    expect(within(pending).getAllByTestId("pending-item")).toHaveLength(1);
    expect(pending).toHaveTextContent("Prise de connaissance d'un jalon du déploiement");
  });

  it("a draft is corrected in the order form", async () => {
    renderApp("/a-regler");
    const items = await screen.findAllByTestId("attention-item");
    const fix = within(items[0]!).getByTestId("attention-resend");
    expect(fix).toHaveTextContent("Corriger et renvoyer");
    expect(fix).toHaveAttribute(
      "href",
      `#/commandes/0190f0aa-0000-7000-8000-0000000000aa/modifier?correction=${refused.mutation_id}`,
    );
  });

  it("other changes are sent again unchanged, as their action", async () => {
    const { user } = renderApp("/a-regler");
    const items = await screen.findAllByTestId("attention-item");
    await user.click(within(items[1]!).getByTestId("attention-resend"));
    expect(api.resendChange).toHaveBeenCalledWith(submitRefused.mutation_id, {
      kind: "submit_order",
      input: { order_id: "0190f0aa-0000-7000-8000-0000000000aa" },
    });
    expect(await screen.findByTestId("flash")).toHaveTextContent("sera renvoyée à la prochaine synchronisation");
  });

  it("abandoning asks for confirmation first, then calls discard_change", async () => {
    const { user } = renderApp("/a-regler");
    const items = await screen.findAllByTestId("attention-item");
    await user.click(within(items[0]!).getByTestId("attention-discard"));

    const dialog = screen.getByRole("dialog", { name: "Abandonner « Modification du brouillon de commande » ?" });
    expect(dialog).toHaveTextContent("E-guichet pour l'état civil");
    expect(api.discardChange).not.toHaveBeenCalled();

    // Cancel: nothing happens.
    await user.click(within(dialog).getByTestId("confirm-cancel"));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(api.discardChange).not.toHaveBeenCalled();

    // Confirm: discarded, and the list is read again.
    vi.mocked(api.outbox).mockResolvedValue([submitRefused, waiting]);
    await user.click(within(items[0]!).getByTestId("attention-discard"));
    await user.click(within(screen.getByRole("dialog")).getByTestId("confirm-accept"));
    expect(api.discardChange).toHaveBeenCalledWith(refused.mutation_id);
    await waitFor(() => expect(screen.getAllByTestId("attention-item")).toHaveLength(1));
    expect(screen.getByTestId("flash")).toHaveTextContent("a été abandonnée");
  });

  it("Esc closes the confirmation", async () => {
    const { user } = renderApp("/a-regler");
    const items = await screen.findAllByTestId("attention-item");
    await user.click(within(items[0]!).getByTestId("attention-discard"));
    expect(screen.getByTestId("confirm-cancel")).toHaveFocus();
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(api.discardChange).not.toHaveBeenCalled();
  });

  it("says when there is nothing to settle", async () => {
    vi.mocked(api.outbox).mockResolvedValue([]);
    renderApp("/a-regler");
    expect(await screen.findByTestId("attention-empty")).toHaveTextContent("Rien à régler");
  });
});
