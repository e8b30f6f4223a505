import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import { mockBackend } from "../test/api";
import { outboxEntry } from "../test/fixtures";
import { competitionDetail, ORDER_ID, orderDetail, serviceDetail, serviceRow, SERVICE_ID } from "../test/orderFixtures";
import { renderApp } from "../test/render";

vi.mock("../api");

beforeEach(() => {
  mockBackend();
  vi.mocked(api.orderDetail).mockResolvedValue(orderDetail());
  vi.mocked(api.serviceDetail).mockResolvedValue(serviceDetail());
  vi.mocked(api.services).mockResolvedValue([serviceRow()]);
});

const quantity = (code: string) =>
  screen.getAllByTestId("need-quantity").find((el) => el.getAttribute("data-line-code") === code)!;

describe("Modifier la commande", () => {
  it("fills the form with the saved draft (budget in euros, quantities with a comma) and saves it", async () => {
    const { user } = renderApp(`/commandes/${ORDER_ID}/modifier`);
    expect(await screen.findByTestId("order-title")).toHaveValue("E-guichet état civil 2027");
    await waitFor(() => expect(screen.getAllByTestId("need-quantity")).toHaveLength(3));
    expect(quantity("licence")).toHaveValue("2");
    expect(quantity("setup")).toHaveValue("1");
    expect(quantity("training")).toHaveValue("");
    expect(screen.getByTestId("order-budget")).toHaveValue("12 500,00");
    expect(screen.getByTestId("order-sites")).toHaveValue("Hôtel de ville");
    expect(screen.getByTestId("order-desired-date")).toHaveValue("01/04/2027");
    expect(screen.getByTestId("order-service-name")).toHaveTextContent("E-guichet");

    await user.clear(quantity("licence"));
    await user.type(quantity("licence"), "3");
    await user.click(screen.getByTestId("order-save"));
    await waitFor(() => expect(api.perform).toHaveBeenCalledTimes(1));
    expect(api.perform).toHaveBeenCalledWith({
      kind: "update_order_draft",
      input: {
        order_id: ORDER_ID,
        title: "E-guichet état civil 2027",
        needs: {
          description: "E-guichet pour les actes d'état civil et de population, pour 2 agents.",
          lines: [
            { price_line_code: "licence", quantity: "3", note: "" },
            { price_line_code: "setup", quantity: "1", note: "Reprise des données existantes" },
          ],
          sites: ["Hôtel de ville"],
          desired_start: "2027-04-01",
          desired_go_live: "2027-09-01",
          budget: 1250000,
        },
      },
    });
    await waitFor(() => expect(window.location.hash).toBe(`#/commandes/${ORDER_ID}`));
    expect(await screen.findByTestId("flash")).toHaveTextContent("Le brouillon « E-guichet état civil 2027 » est enregistré");
  });

  it("deletes the draft only after confirmation", async () => {
    const { user } = renderApp(`/commandes/${ORDER_ID}/modifier`);
    await user.click(await screen.findByTestId("order-delete"));
    const dialog = screen.getByRole("dialog", { name: "Supprimer le brouillon « E-guichet état civil 2027 » ?" });
    expect(api.perform).not.toHaveBeenCalled();
    await user.click(within(dialog).getByTestId("confirm-accept"));
    expect(api.perform).toHaveBeenCalledWith({ kind: "delete_order_draft", input: { order_id: ORDER_ID } });
    await waitFor(() => expect(window.location.hash).toBe("#/commandes"));
  });

  it("an order already sent cannot be edited", async () => {
    vi.mocked(api.orderDetail).mockResolvedValue(competitionDetail());
    renderApp(`/commandes/${ORDER_ID}/modifier`);
    expect(await screen.findByTestId("order-not-editable")).toHaveTextContent("ne peut plus être modifiée");
    expect(screen.queryByTestId("order-save")).not.toBeInTheDocument();
  });
});

describe("Correcting a refused change", () => {
  const refused = outboxEntry({
    mutation_id: "mut-refused",
    payload: {
      order_id: ORDER_ID,
      title: "E-guichet pour l'état civil — titre beaucoup trop long",
      needs: {
        description: "E-guichet pour 2 agents",
        lines: [
          { price_line_code: "licence", quantity: "2", note: "" },
          { price_line_code: "training", quantity: "0.5", note: "demi-journée" },
        ],
        sites: ["Hôtel de ville"],
        desired_start: "2027-04-01",
        desired_go_live: null,
        budget: 1250050,
      },
    },
    error_code: "invalid_input",
    error_message: "La quantité pour « Journée de formation » doit être supérieure à 0 (exemple : 12).",
    error_details: { field: "needs.lines[1].quantity" },
  });

  beforeEach(() => {
    vi.mocked(api.outbox).mockResolvedValue([refused]);
  });

  it("fills the form with what was typed, shows the server's reason at the top and next to its field", async () => {
    renderApp(`/commandes/${ORDER_ID}/modifier?correction=mut-refused`);
    expect(await screen.findByTestId("page-title")).toHaveTextContent("Corriger la modification refusée");
    expect(screen.getByTestId("correction-reason")).toHaveTextContent("La quantité pour « Journée de formation » doit être supérieure à 0");
    expect(screen.getByTestId("order-title")).toHaveValue("E-guichet pour l'état civil — titre beaucoup trop long");
    await waitFor(() => expect(screen.getAllByTestId("need-quantity")).toHaveLength(3));
    expect(quantity("training")).toHaveValue("0,5");
    expect(screen.getByTestId("order-budget")).toHaveValue("12 500,50");
    // needs.lines[1] is the second line sent: « training ».
    expect(quantity("training")).toHaveAttribute("aria-invalid", "true");
    expect(within(screen.getByTestId("error-summary")).getByRole("link")).toHaveAttribute("href", "#order-quantity-training");
  });

  it("sends the corrected change with resendChange, not perform", async () => {
    const { user } = renderApp(`/commandes/${ORDER_ID}/modifier?correction=mut-refused`);
    await waitFor(() => expect(screen.getAllByTestId("need-quantity")).toHaveLength(3));
    await user.clear(screen.getByTestId("order-title"));
    await user.type(screen.getByTestId("order-title"), "E-guichet 2027");
    await user.clear(quantity("training"));
    await user.type(quantity("training"), "1");
    await user.click(screen.getByTestId("order-save"));
    await waitFor(() => expect(api.resendChange).toHaveBeenCalledTimes(1));
    expect(api.perform).not.toHaveBeenCalled();
    expect(api.resendChange).toHaveBeenCalledWith("mut-refused", {
      kind: "update_order_draft",
      input: {
        order_id: ORDER_ID,
        title: "E-guichet 2027",
        needs: {
          description: "E-guichet pour 2 agents",
          lines: [
            { price_line_code: "licence", quantity: "2", note: "" },
            { price_line_code: "training", quantity: "1", note: "demi-journée" },
          ],
          sites: ["Hôtel de ville"],
          desired_start: "2027-04-01",
          desired_go_live: null,
          budget: 1250050,
        },
      },
    });
    await waitFor(() => expect(window.location.hash).toBe("#/a-regler"));
    expect(await screen.findByTestId("flash")).toHaveTextContent("sera envoyée à la prochaine synchronisation");
  });

  it("a refused creation is sent again as a creation, service included", async () => {
    vi.mocked(api.outbox).mockResolvedValue([
      { ...refused, name: "order.create_draft", payload: { ...(refused.payload as object), service_id: SERVICE_ID }, error_details: { field: "title" } },
    ]);
    vi.mocked(api.orderDetail).mockResolvedValue(null);
    const { user } = renderApp(`/commandes/${ORDER_ID}/modifier?correction=mut-refused`);
    expect(await screen.findByTestId("order-service")).toHaveValue(SERVICE_ID);
    expect(screen.getByTestId("order-title")).toHaveAttribute("aria-invalid", "true");
    await waitFor(() => expect(screen.getAllByTestId("need-quantity")).toHaveLength(3));
    await user.click(screen.getByTestId("order-save"));
    await waitFor(() => expect(api.resendChange).toHaveBeenCalledTimes(1));
    expect(vi.mocked(api.resendChange).mock.calls[0]![1]).toMatchObject({
      kind: "create_order_draft",
      input: { order_id: ORDER_ID, service_id: SERVICE_ID },
    });
  });

  it("says so when the change is no longer to settle", async () => {
    vi.mocked(api.outbox).mockResolvedValue([]);
    renderApp(`/commandes/${ORDER_ID}/modifier?correction=mut-refused`);
    expect(await screen.findByTestId("correction-gone")).toHaveTextContent("n'est plus à régler");
  });
});
