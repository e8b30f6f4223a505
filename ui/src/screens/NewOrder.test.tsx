import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import { mockBackend } from "../test/api";
import { appState, me } from "../test/fixtures";
import { serviceDetail, serviceRow, SERVICE_ID } from "../test/orderFixtures";
import { renderApp } from "../test/render";
import { POOL_ID, poolPage } from "../test/poolFixtures";

vi.mock("../api");

const NEW_ID = "0190f0aa-0000-7000-8000-0000000000ff";

beforeEach(() => {
  mockBackend();
  vi.mocked(api.services).mockResolvedValue([
    serviceRow(),
    serviceRow({ id: "svc-old", name: "Capteurs de parking", call_off_possible: false, call_off_blocker: "ended" }),
  ]);
  vi.mocked(api.serviceDetail).mockResolvedValue(serviceDetail());
});

const quantity = (code: string) =>
  screen.getAllByTestId("need-quantity").find((el) => el.getAttribute("data-line-code") === code)!;

describe("Nouvelle commande", () => {
  it("preselects the service from ?service= and shows one quantity per price line, with its ceiling", async () => {
    renderApp(`/commandes/nouvelle?service=${SERVICE_ID}`);
    expect(await screen.findByTestId("page-title")).toHaveTextContent("Nouvelle commande");
    expect(await screen.findByTestId("order-service")).toHaveValue(SERVICE_ID);
    await waitFor(() => expect(screen.getAllByTestId("need-quantity")).toHaveLength(3));
    expect(screen.getAllByTestId("need-quantity").map((el) => el.getAttribute("data-line-code"))).toEqual(["licence", "setup", "training"]);
    expect(screen.getByLabelText("Licence e-guichet")).toBe(quantity("licence"));
    expect(screen.getByText(/Prix plafond de l'accord-cadre : 1 250,00 € HTVA par unité/)).toBeInTheDocument();
    // A service that cannot be ordered says so in its option.
    expect(within(screen.getByTestId("order-service")).getByRole("option", { name: /Capteurs de parking \(commande impossible/ })).toBeInTheDocument();
  });

  it("an empty title and a zero quantity: error summary, messages next to the fields, nothing lost, nothing sent", async () => {
    const { user } = renderApp(`/commandes/nouvelle?service=${SERVICE_ID}`);
    await waitFor(() => expect(screen.getAllByTestId("need-quantity")).toHaveLength(3));
    await user.type(screen.getByTestId("order-description"), "E-guichet pour 2 agents");
    await user.type(quantity("licence"), "0");
    await user.type(screen.getByTestId("order-budget"), "12 500,50");
    await user.click(screen.getByTestId("order-save"));

    const summary = await screen.findByTestId("error-summary");
    expect(summary).toHaveTextContent("Donnez un titre à votre demande");
    expect(summary).toHaveTextContent("La quantité pour « Licence e-guichet » doit être supérieure à 0");
    expect(within(summary).getByRole("link", { name: /Donnez un titre/ })).toHaveAttribute("href", "#order-title");
    // Each message is next to its field, tied to it.
    expect(screen.getByTestId("order-title")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("order-title")).toHaveAccessibleDescription(/Donnez un titre à votre demande/);
    expect(quantity("licence")).toHaveAccessibleDescription(/doit être supérieure à 0/);
    // What was typed is kept.
    expect(quantity("licence")).toHaveValue("0");
    expect(screen.getByTestId("order-description")).toHaveValue("E-guichet pour 2 agents");
    expect(screen.getByTestId("order-budget")).toHaveValue("12 500,50");
    expect(api.perform).not.toHaveBeenCalled();

    // Clicking a summary link moves the focus to the field.
    await user.click(within(summary).getByRole("link", { name: /Donnez un titre/ }));
    expect(screen.getByTestId("order-title")).toHaveFocus();
  });

  it("saves the draft: budget « 12 500,50 » is 1250050 cents, quantities as decimal strings, then opens the order", async () => {
    const { user } = renderApp(`/commandes/nouvelle?service=${SERVICE_ID}`);
    await waitFor(() => expect(screen.getAllByTestId("need-quantity")).toHaveLength(3));
    await user.type(screen.getByTestId("order-title"), "E-guichet état civil 2027");
    await user.type(screen.getByTestId("order-description"), "E-guichet pour les actes d'état civil, pour 2 agents.");
    await user.type(quantity("licence"), "2");
    await user.type(quantity("training"), "1,5");
    await user.type(screen.getByTestId("order-sites"), "Hôtel de ville{Enter}Maison de l'emploi");
    // Typed day first on a PC set to English: 1 April, not 4 January.
    await user.type(screen.getByTestId("order-desired-date"), "1/4/2027");
    await user.type(screen.getByTestId("order-desired-go-live"), "01.09.2027");
    await user.type(screen.getByTestId("order-budget"), "12 500,50");
    await user.click(screen.getByTestId("order-save"));

    await waitFor(() => expect(api.perform).toHaveBeenCalledTimes(1));
    expect(api.perform).toHaveBeenCalledWith({
      kind: "create_order_draft",
      input: {
        order_id: NEW_ID,
        service_id: SERVICE_ID,
        title: "E-guichet état civil 2027",
        needs: {
          description: "E-guichet pour les actes d'état civil, pour 2 agents.",
          lines: [
            { price_line_code: "licence", quantity: "2", note: "" },
            { price_line_code: "training", quantity: "1.5", note: "" },
          ],
          sites: ["Hôtel de ville", "Maison de l'emploi"],
          desired_start: "2027-04-01",
          desired_go_live: "2027-09-01",
          budget: 1250050,
        },
      },
    });
    await waitFor(() => expect(window.location.hash).toBe(`#/commandes/${NEW_ID}`));
  });

  it("choosing the service shows its lines; without a description, the title describes the need", async () => {
    const { user } = renderApp("/commandes/nouvelle");
    const select = await screen.findByTestId("order-service");
    expect(select).toHaveValue("");
    expect(screen.queryAllByTestId("need-quantity")).toHaveLength(0);
    fireEvent.change(select, { target: { value: SERVICE_ID } });
    await waitFor(() => expect(screen.getAllByTestId("need-quantity")).toHaveLength(3));
    await user.type(screen.getByTestId("order-title"), "E-guichet état civil 2027");
    await user.type(quantity("setup"), "1");
    await user.type(quantity("licence"), "9");
    await user.type(screen.getByTestId("order-budget"), "45 000,00");
    await user.click(screen.getByTestId("order-save"));
    await waitFor(() => expect(api.perform).toHaveBeenCalledTimes(1));
    expect(vi.mocked(api.perform).mock.calls[0]![0]).toMatchObject({
      kind: "create_order_draft",
      input: {
        service_id: SERVICE_ID,
        needs: {
          description: "E-guichet état civil 2027",
          lines: [
            { price_line_code: "licence", quantity: "9", note: "" },
            { price_line_code: "setup", quantity: "1", note: "" },
          ],
          budget: 4500000,
        },
      },
    });
  });

  it("asks for at least one quantity, and checks the dates and the budget", async () => {
    const { user } = renderApp(`/commandes/nouvelle?service=${SERVICE_ID}`);
    await waitFor(() => expect(screen.getAllByTestId("need-quantity")).toHaveLength(3));
    await user.type(screen.getByTestId("order-title"), "Titre");
    await user.type(screen.getByTestId("order-description"), "Besoin");
    fireEvent.change(screen.getByTestId("order-desired-date"), { target: { value: "01/09/2027" } });
    fireEvent.change(screen.getByTestId("order-desired-go-live"), { target: { value: "01/04/2027" } });
    await user.type(screen.getByTestId("order-budget"), "12,505");
    await user.click(screen.getByTestId("order-save"));
    const summary = await screen.findByTestId("error-summary");
    expect(summary).toHaveTextContent("Indiquez au moins une quantité");
    expect(summary).toHaveTextContent("La mise en production souhaitée ne peut pas précéder le début souhaité.");
    expect(summary).toHaveTextContent("Indiquez le budget en euros, avec au plus deux décimales");
    expect(api.perform).not.toHaveBeenCalled();
  });

  it("a date that is not day first, or not a real date, is refused by the field and the summary, kept as typed", async () => {
    const { user } = renderApp(`/commandes/nouvelle?service=${SERVICE_ID}`);
    await waitFor(() => expect(screen.getAllByTestId("need-quantity")).toHaveLength(3));
    await user.type(screen.getByTestId("order-title"), "Titre");
    await user.type(quantity("licence"), "2");
    const start = screen.getByTestId("order-desired-date");
    const live = screen.getByTestId("order-desired-go-live");
    expect(start).toHaveAttribute("type", "text");
    expect(start).toHaveAttribute("inputmode", "numeric");
    // US order (month 13) and 31 April: the field says so as soon as it is left.
    await user.type(start, "04/13/2027");
    await user.tab();
    expect(start).toHaveAttribute("aria-invalid", "true");
    expect(start).toHaveAccessibleDescription(/Indiquez une date réelle au format jj\/mm\/aaaa, par exemple 01\/04\/2027\./);
    await user.type(live, "31/04/2027");
    await user.click(screen.getByTestId("order-save"));
    const summary = await screen.findByTestId("error-summary");
    expect(within(summary).getAllByText("Indiquez une date réelle au format jj/mm/aaaa, par exemple 01/04/2027.")).toHaveLength(2);
    expect(start).toHaveValue("04/13/2027");
    expect(live).toHaveValue("31/04/2027");
    expect(api.perform).not.toHaveBeenCalled();

    // Corrected, the date is sent as the calendar date it is.
    await user.clear(start);
    await user.type(start, "13/04/2027");
    await user.clear(live);
    await user.click(screen.getByTestId("order-save"));
    await waitFor(() => expect(api.perform).toHaveBeenCalledTimes(1));
    expect(vi.mocked(api.perform).mock.calls[0]![0]).toMatchObject({ input: { needs: { desired_start: "2027-04-13", desired_go_live: null } } });
  });

  it("a refusal by the local rules shows next to the field it names, and keeps what was typed", async () => {
    vi.mocked(api.perform).mockRejectedValueOnce({
      code: "invalid_input",
      message: "« Licence e-guichet » figure deux fois : regroupez les quantités.",
      params: { field: "needs.lines[0].price_line_code" },
    });
    const { user } = renderApp(`/commandes/nouvelle?service=${SERVICE_ID}`);
    await waitFor(() => expect(screen.getAllByTestId("need-quantity")).toHaveLength(3));
    await user.type(screen.getByTestId("order-title"), "Titre");
    await user.type(screen.getByTestId("order-description"), "Besoin");
    await user.type(quantity("licence"), "2");
    await user.click(screen.getByTestId("order-save"));
    const summary = await screen.findByTestId("error-summary");
    expect(summary).toHaveTextContent("figure deux fois");
    expect(within(summary).getByRole("link")).toHaveAttribute("href", "#order-quantity-licence");
    expect(quantity("licence")).toHaveValue("2");
    expect(screen.getByTestId("order-title")).toHaveValue("Titre");
    expect(window.location.hash).toBe(`#/commandes/nouvelle?service=${SERVICE_ID}`);
  });

  it("is not offered to accounts outside a commune", async () => {
    vi.mocked(api.appState).mockResolvedValue(appState({ session: me({ role: "centrale_staff", commune_nis: null }) }));
    renderApp("/commandes/nouvelle");
    expect(await screen.findByTestId("order-not-commune")).toBeInTheDocument();
    expect(screen.queryByTestId("order-save")).not.toBeInTheDocument();
  });
});

describe("Nouvelle commande — joining a pooled call-off (?groupe=)", () => {
  it("fixes the pool's service, says which pool, and sends the draft bound to it", async () => {
    vi.mocked(api.pool).mockResolvedValue(poolPage());
    const { user } = renderApp(`/commandes/nouvelle?groupe=${POOL_ID}`);
    expect(await screen.findByTestId("page-title")).toHaveTextContent("Nouvelle commande");
    expect(await screen.findByTestId("order-pool")).toHaveTextContent("Pour le marché groupé « Caméras des parkings 2027 ».");
    expect(screen.getByTestId("order-pool-link")).toHaveAttribute("href", `#/marches-groupes/${POOL_ID}`);
    expect(api.pool).toHaveBeenCalledWith(POOL_ID);
    // The service is the pool's: shown, not chosen.
    expect(screen.queryByTestId("order-service")).not.toBeInTheDocument();
    expect(screen.getByTestId("order-service-name")).toHaveTextContent("E-guichet");
    expect(screen.getByTestId("order-title")).toHaveValue("Caméras des parkings 2027");
    await waitFor(() => expect(screen.getAllByTestId("need-quantity")).toHaveLength(3));
    await user.type(quantity("licence"), "3");
    await user.click(screen.getByTestId("order-save"));

    await waitFor(() => expect(api.perform).toHaveBeenCalledTimes(1));
    expect(vi.mocked(api.perform).mock.calls[0]![0]).toMatchObject({
      kind: "create_order_draft",
      input: { order_id: NEW_ID, service_id: SERVICE_ID, title: "Caméras des parkings 2027", pool_id: POOL_ID, needs: { lines: [{ price_line_code: "licence", quantity: "3", note: "" }] } },
    });
    await waitFor(() => expect(window.location.hash).toBe(`#/commandes/${NEW_ID}`));
  });

  it("a pool closed to new communes: says so, no form", async () => {
    vi.mocked(api.pool).mockResolvedValue(poolPage({ joinable: false, phase: "competition_open" }));
    renderApp(`/commandes/nouvelle?groupe=${POOL_ID}`);
    expect(await screen.findByTestId("order-pool-closed")).toHaveTextContent("n'accepte plus de nouvelles communes");
    expect(screen.queryByTestId("order-save")).not.toBeInTheDocument();
  });

  it("an order alone sends no pool", async () => {
    const { user } = renderApp(`/commandes/nouvelle?service=${SERVICE_ID}`);
    await waitFor(() => expect(screen.getAllByTestId("need-quantity")).toHaveLength(3));
    await user.type(screen.getByTestId("order-title"), "E-guichet");
    await user.type(quantity("licence"), "2");
    await user.click(screen.getByTestId("order-save"));
    await waitFor(() => expect(api.perform).toHaveBeenCalledTimes(1));
    expect(vi.mocked(api.perform).mock.calls[0]![0].input).not.toHaveProperty("pool_id");
    expect(api.pool).not.toHaveBeenCalled();
  });
});
