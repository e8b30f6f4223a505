import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import { ACCOMPANIMENT_LEGAL_BASIS, mockBackend } from "../test/api";
import {
  ACCOMPANIMENT_ID,
  ACCOMPANIMENT_ID_2,
  accompanimentOrder,
  accompanimentRow,
  accompanimentScreen,
  deliveredOrder,
  invoicedOrder,
  plannedOrder,
} from "../test/accompanimentFixtures";
import { appState, centraleState, me } from "../test/fixtures";
import { adhesionScreen, ORDER_ID, orderDetail } from "../test/orderFixtures";
import { renderApp } from "../test/render";

vi.mock("../api");

const NEW_ID = "0190f0aa-0000-7000-8000-0000000000ff";

beforeEach(() => {
  mockBackend();
  vi.mocked(api.accompaniment).mockResolvedValue(accompanimentScreen());
  vi.mocked(api.adhesion).mockResolvedValue(adhesionScreen());
});

type User = ReturnType<typeof renderApp>["user"];

/** The collège's decision to order, typed in. */
async function fillDecision(user: User) {
  await user.selectOptions(screen.getByTestId("accompaniment-decision-organ"), "college");
  await user.type(screen.getByTestId("accompaniment-decision-reference"), "COL/2027/045");
  await user.type(screen.getByTestId("accompaniment-decision-date"), "10/03/2027");
}

/** The centrale's staff signed in. */
function asCentrale() {
  vi.mocked(api.appState).mockResolvedValue(centraleState());
}

describe("Accompagnement de l'intercommunale — what a commune reads", () => {
  it("is in the commune's menu and shows the legal basis and the price list in force, HTVA and TVAC", async () => {
    renderApp("/accompagnement");
    expect(await screen.findByTestId("page-title")).toHaveTextContent("Accompagnement de l'intercommunale");
    expect(screen.getByTestId("nav-accompagnement")).toHaveAttribute("aria-current", "page");
    // The legal basis comes with the screen's data, after the title: wait for it.
    expect(await screen.findByTestId("accompaniment-legal-basis")).toHaveTextContent(ACCOMPANIMENT_LEGAL_BASIS);

    const list = await screen.findByTestId("accompaniment-price-list");
    expect(within(list).getByTestId("accompaniment-price-list-version")).toHaveTextContent("Version 2, publiée le 15/01/2027.");
    const rows = within(list).getAllByTestId("accompaniment-service");
    expect(rows.map((r) => r.getAttribute("data-code"))).toEqual(["preparation", "formation", "migration"]);
    expect(rows[0]).toHaveTextContent("Préparation du projet");
    expect(rows[0]).toHaveTextContent("Réunion de cadrage et planning avec la commune.");
    expect(rows[0]).toHaveTextContent("Au forfait");
    expect(within(rows[0]!).getByTestId("accompaniment-service-htva")).toHaveTextContent("1 250,00 € HTVA");
    expect(within(rows[0]!).getByTestId("accompaniment-service-tvac")).toHaveTextContent("1 512,50 € TVAC");
    expect(rows[1]).toHaveTextContent("Par jour (demi-journée possible)");
    expect(within(rows[1]!).getByTestId("accompaniment-service-tvac")).toHaveTextContent("907,50 € TVAC");
  });

  it("lists the commune's orders: status, call-off, lines with their dates, totals, decision, invoice and what waits to be sent", async () => {
    vi.mocked(api.accompaniment).mockResolvedValue(
      accompanimentScreen({
        orders: [
          accompanimentRow(accompanimentOrder({ id: ACCOMPANIMENT_ID_2, title: "Paramétrage seul", call_off_id: null }), { call_off_title: null, pending: true }),
          accompanimentRow(invoicedOrder()),
        ],
      }),
    );
    renderApp("/accompagnement");
    const [requested, invoiced] = await screen.findAllByTestId("accompaniment-row");

    expect(requested).toHaveAttribute("data-accompaniment-id", ACCOMPANIMENT_ID_2);
    expect(within(requested!).getByTestId("accompaniment-status")).toHaveTextContent("Demandé, pas encore planifié");
    expect(within(requested!).getByTestId("accompaniment-pending")).toHaveTextContent("Pas encore envoyé à l'intercommunale");
    expect(within(requested!).getByTestId("accompaniment-call-off-shown")).toHaveTextContent("Aucune : accompagnement commandé seul");
    // The commune's own screen does not repeat its name.
    expect(within(requested!).queryByTestId("accompaniment-commune")).not.toBeInTheDocument();

    expect(invoiced).toHaveAttribute("data-accompaniment-id", ACCOMPANIMENT_ID);
    expect(within(invoiced!).getByTestId("accompaniment-status")).toHaveTextContent("Facturé");
    expect(within(invoiced!).getByRole("link", { name: "E-guichet état civil 2027" })).toHaveAttribute("href", `#/commandes/${ORDER_ID}`);
    const [preparation, formation] = within(invoiced!).getAllByTestId("accompaniment-line");
    expect(preparation).toHaveTextContent("Préparation du projet");
    expect(within(preparation!).getByTestId("accompaniment-line-quantity")).toHaveTextContent("1 forfait");
    expect(within(formation!).getByTestId("accompaniment-line-quantity")).toHaveTextContent("1,5 jour");
    expect(within(formation!).getByTestId("accompaniment-line-planned")).toHaveTextContent("10/03/2027");
    expect(within(formation!).getByTestId("accompaniment-line-delivered")).toHaveTextContent("10/03/2027");
    expect(within(invoiced!).getByTestId("accompaniment-total")).toHaveTextContent("2 375,00 € HTVA · 2 873,75 € TVAC");
    expect(within(invoiced!).getByTestId("accompaniment-decision-shown")).toHaveTextContent("Collège communal : décision COL/2027/045 du 01/03/2027.");
    expect(within(invoiced!).getByTestId("accompaniment-invoice-number")).toHaveTextContent(
      "Facture ACC-2027-0001 du 11/03/2027, à payer au plus tard le 10/04/2027",
    );
  });

  it("downloads the invoice of an invoiced order (a document of the order)", async () => {
    vi.mocked(api.accompaniment).mockResolvedValue(accompanimentScreen({ orders: [accompanimentRow(invoicedOrder())] }));
    vi.mocked(api.documentChoices).mockResolvedValue([{ kind: { kind: "accompaniment_invoice" }, title: "Facture ACC-2027-0001" }]);
    vi.mocked(api.document).mockResolvedValue({ path: "/home/marie/Documents/Facture ACC-2027-0001.pdf", file_name: "Facture ACC-2027-0001.pdf", pages: 1 });
    const { user } = renderApp("/accompagnement");
    const download = await screen.findByTestId("accompaniment-invoice-download");
    expect(download).toHaveTextContent("Télécharger la facture (Facture ACC-2027-0001, PDF)");
    expect(api.documentChoices).toHaveBeenCalledWith(ACCOMPANIMENT_ID);
    await user.click(download);
    expect(api.document).toHaveBeenCalledWith({ kind: "accompaniment_invoice" }, ACCOMPANIMENT_ID);
    expect(await screen.findByTestId("document-saved-accompaniment_invoice")).toHaveTextContent("Facture ACC-2027-0001.pdf");
  });

  it("says so when no list is published yet: nothing to order", async () => {
    vi.mocked(api.accompaniment).mockResolvedValue(accompanimentScreen({ price_list: null }));
    renderApp("/accompagnement");
    expect(await screen.findByTestId("accompaniment-price-list-empty")).toHaveTextContent("L'intercommunale n'a pas encore publié sa liste de prix");
    expect(screen.getByTestId("accompaniment-no-list")).toBeInTheDocument();
    expect(screen.queryByTestId("accompaniment-submit")).not.toBeInTheDocument();
    expect(screen.getByTestId("accompaniment-orders-empty")).toBeInTheDocument();
  });
});

describe("Accompagnement — a commune orders", () => {
  it("orders 1 package and 1,5 day with a call-off and the collège's decision: confirmed, sent, receipted", async () => {
    const { user } = renderApp("/accompagnement");
    const form = await screen.findByTestId("accompaniment-order-form");
    await user.type(within(form).getByTestId("accompaniment-title"), "Formation à l'e-guichet");
    await user.selectOptions(within(form).getByTestId("accompaniment-call-off"), ORDER_ID);
    await user.type(within(form).getByTestId("accompaniment-quantity-preparation"), "1");
    await user.type(within(form).getByTestId("accompaniment-quantity-formation"), "1,5");
    // The total while typing, from the list (the domain prices the order itself).
    expect(within(form).getByTestId("accompaniment-line-amount-formation")).toHaveTextContent("Soit 1 125,00 € HTVA");
    expect(within(form).getByTestId("accompaniment-form-total")).toHaveTextContent("2 375,00 € HTVA · 2 873,75 € TVAC");
    // Under 22 000 € TVAC: no opinion asked.
    expect(screen.queryByTestId("accompaniment-decision-opinion")).not.toBeInTheDocument();
    await fillDecision(user);
    await user.click(within(form).getByTestId("accompaniment-submit"));

    const dialog = await screen.findByTestId("confirm-dialog");
    expect(dialog).toHaveTextContent("Commander « Formation à l'e-guichet » à l'intercommunale ?");
    expect(within(dialog).getByTestId("accompaniment-confirm-lines")).toHaveTextContent("Préparation du projet : 1 forfait, soit 1 250,00 € HTVA");
    expect(within(dialog).getByTestId("accompaniment-confirm-lines")).toHaveTextContent("Formation des agents : 1,5 jour, soit 1 125,00 € HTVA");
    expect(within(dialog).getByTestId("accompaniment-confirm-total")).toHaveTextContent("2 873,75 € TVAC");
    expect(dialog).toHaveTextContent("Pour la commande « E-guichet état civil 2027 ».");
    expect(within(dialog).getByTestId("accompaniment-confirm-decision")).toHaveTextContent("Collège communal : décision COL/2027/045 du 10/03/2027.");
    expect(api.perform).not.toHaveBeenCalled();
    await user.click(within(dialog).getByTestId("confirm-accept"));

    await waitFor(() =>
      expect(api.perform).toHaveBeenCalledWith({
        kind: "order_accompaniment",
        input: {
          accompaniment_id: NEW_ID,
          title: "Formation à l'e-guichet",
          call_off_id: ORDER_ID,
          lines: [
            { code: "preparation", quantity: "1" },
            { code: "formation", quantity: "1.5" },
          ],
          decision: { organ: { kind: "college" }, reference: "COL/2027/045", date: "2027-03-10", financial_opinion: null },
        },
      }),
    );
    const receipt = await screen.findByTestId("accompaniment-receipt");
    expect(receipt).toHaveTextContent("Accompagnement commandé");
    expect(receipt).toHaveTextContent("« Formation à l'e-guichet » — Préparation du projet : 1 forfait ; Formation des agents : 1,5 jour — 2 873,75 € TVAC.");
    expect(receipt).toHaveTextContent("Marie Dupont, directeur général");
    expect(screen.queryByTestId("confirm-dialog")).not.toBeInTheDocument();
    // The form is ready for another order.
    expect(within(form).getByTestId("accompaniment-title")).toHaveValue("");
  });

  it("refuses « 0,3 » day and « 1,5 » package next to their fields, without sending", async () => {
    const { user } = renderApp("/accompagnement");
    const form = await screen.findByTestId("accompaniment-order-form");
    await user.type(within(form).getByTestId("accompaniment-title"), "Formation");
    await user.type(within(form).getByTestId("accompaniment-quantity-formation"), "0,3");
    await user.type(within(form).getByTestId("accompaniment-quantity-preparation"), "1,5");
    await fillDecision(user);
    await user.click(within(form).getByTestId("accompaniment-submit"));

    const summary = await screen.findByTestId("error-summary");
    expect(summary).toHaveTextContent("« Formation des agents » se commande par demi-journée (0,5 ; 1 ; 1,5…), pas « 0,3 ».");
    expect(summary).toHaveTextContent("« Préparation du projet » est un forfait : il se commande en nombre entier (1, 2, 3…), pas « 1,5 ».");
    const day = within(form).getByTestId("accompaniment-quantity-formation");
    expect(day).toHaveAttribute("aria-invalid", "true");
    expect(day).toHaveAccessibleDescription(expect.stringContaining("se commande par demi-journée"));
    expect(within(form).getByTestId("accompaniment-quantity-preparation")).toHaveAccessibleDescription(expect.stringContaining("est un forfait"));
    expect(screen.queryByTestId("confirm-dialog")).not.toBeInTheDocument();
    expect(api.perform).not.toHaveBeenCalled();
  });

  it("asks for a title and at least one service", async () => {
    const { user } = renderApp("/accompagnement");
    const form = await screen.findByTestId("accompaniment-order-form");
    await fillDecision(user);
    await user.click(within(form).getByTestId("accompaniment-submit"));
    const summary = await screen.findByTestId("error-summary");
    expect(summary).toHaveTextContent("Indiquez l'objet de la commande.");
    expect(summary).toHaveTextContent("Indiquez une quantité pour au moins un service.");
    expect(api.perform).not.toHaveBeenCalled();
  });

  it("above 22 000 € TVAC, asks for the directeur financier's opinion and sends it", async () => {
    const { user } = renderApp("/accompagnement");
    const form = await screen.findByTestId("accompaniment-order-form");
    await user.type(within(form).getByTestId("accompaniment-title"), "Reprise des données");
    await user.type(within(form).getByTestId("accompaniment-quantity-migration"), "25");
    // 25 × 900,00 = 22 500,00 HTVA, 27 225,00 TVAC.
    expect(within(form).getByTestId("accompaniment-form-total")).toHaveTextContent("27 225,00 € TVAC");
    expect(await screen.findByTestId("accompaniment-decision-opinion")).toBeInTheDocument();
    await fillDecision(user);
    await user.click(within(form).getByTestId("accompaniment-submit"));
    expect(await screen.findByTestId("error-summary")).toHaveTextContent("Indiquez la référence");
    await user.type(screen.getByTestId("accompaniment-decision-opinion-reference"), "DF/2027/031");
    await user.type(screen.getByTestId("accompaniment-decision-opinion-date"), "09/03/2027");
    await user.click(within(form).getByTestId("accompaniment-submit"));
    await user.click(within(await screen.findByTestId("confirm-dialog")).getByTestId("confirm-accept"));
    await waitFor(() => expect(api.perform).toHaveBeenCalledTimes(1));
    const action = vi.mocked(api.perform).mock.calls[0]![0];
    expect(action.kind).toBe("order_accompaniment");
    if (action.kind !== "order_accompaniment") return;
    expect(action.input.call_off_id).toBeNull();
    expect(action.input.lines).toEqual([{ code: "migration", quantity: "25" }]);
    expect(action.input.decision.financial_opinion).toEqual({ reference: "DF/2027/031", date: "2027-03-09", kind: "favourable" });
  });

  it("shows the domain's refusal of a quantity next to its field", async () => {
    vi.mocked(api.perform).mockRejectedValueOnce({
      code: "accompaniment_quantity_invalid",
      message: "Quantité invalide.",
      params: { field: "lines[0].quantity", unit: "jour", max: 1000 },
    });
    const { user } = renderApp("/accompagnement");
    const form = await screen.findByTestId("accompaniment-order-form");
    await user.type(within(form).getByTestId("accompaniment-title"), "Formation");
    await user.type(within(form).getByTestId("accompaniment-quantity-formation"), "2");
    await fillDecision(user);
    await user.click(within(form).getByTestId("accompaniment-submit"));
    await user.click(within(await screen.findByTestId("confirm-dialog")).getByTestId("confirm-accept"));
    await waitFor(() => expect(screen.queryByTestId("confirm-dialog")).not.toBeInTheDocument());
    expect(within(form).getByTestId("accompaniment-quantity-formation")).toHaveAccessibleDescription(
      expect.stringContaining("Indiquez une quantité supérieure à zéro et d'au plus 1\u202f000 (unité : jour"),
    );
  });

  it("opens with the call-off chosen on its page (#/accompagnement?commande=…)", async () => {
    renderApp(`/accompagnement?commande=${ORDER_ID}`);
    expect(await screen.findByTestId("accompaniment-call-off")).toHaveValue(ORDER_ID);
    // The form is what the user came for.
    await waitFor(() => expect(screen.getByTestId("accompaniment-title")).toHaveFocus());
  });

  it("cannot order while the adhesion is not active", async () => {
    vi.mocked(api.adhesion).mockResolvedValue(adhesionScreen(null));
    renderApp("/accompagnement");
    expect(await screen.findByTestId("accompaniment-blocked")).toHaveTextContent("La convention d'adhésion doit être active pour commander");
    expect(screen.getByTestId("accompaniment-submit")).toBeDisabled();
  });

  it("cancels a requested order with a reason", async () => {
    vi.mocked(api.accompaniment).mockResolvedValue(accompanimentScreen({ orders: [accompanimentRow()] }));
    const { user } = renderApp("/accompagnement");
    const row = await screen.findByTestId("accompaniment-row");
    await user.click(within(row).getByTestId(`accompaniment-cancel-${ACCOMPANIMENT_ID}`));
    const dialog = await screen.findByTestId("confirm-dialog");
    expect(dialog).toHaveTextContent("Annuler la commande « Formation à l'e-guichet » ?");
    // Too short a reason: said next to the field, nothing sent.
    await user.type(within(dialog).getByTestId("accompaniment-cancel-reason"), "Non");
    await user.click(within(dialog).getByTestId("confirm-accept"));
    expect(await within(dialog).findByText("Indiquez la raison de l'annulation (5 à 2 000 caractères).")).toBeInTheDocument();
    expect(api.perform).not.toHaveBeenCalled();
    await user.type(within(dialog).getByTestId("accompaniment-cancel-reason"), " : la formation sera donnée par le prestataire.");
    await user.click(within(dialog).getByTestId("confirm-accept"));
    await waitFor(() =>
      expect(api.perform).toHaveBeenCalledWith({
        kind: "cancel_accompaniment",
        input: { accompaniment_id: ACCOMPANIMENT_ID, reason: "Non : la formation sera donnée par le prestataire." },
      }),
    );
    expect(await screen.findByTestId("accompaniment-receipt")).toHaveTextContent("Commande d'accompagnement annulée");
  });

  it("offers no cancelling once planned, and none of the centrale's acts", async () => {
    vi.mocked(api.accompaniment).mockResolvedValue(accompanimentScreen({ orders: [accompanimentRow(plannedOrder())] }));
    renderApp("/accompagnement");
    const row = await screen.findByTestId("accompaniment-row");
    expect(within(row).getByTestId("accompaniment-status")).toHaveTextContent("Planifié");
    expect(within(row).queryByTestId(`accompaniment-cancel-${ACCOMPANIMENT_ID}`)).not.toBeInTheDocument();
    expect(within(row).queryByTestId(`accompaniment-plan-${ACCOMPANIMENT_ID}`)).not.toBeInTheDocument();
    expect(within(row).queryByTestId("accompaniment-deliver-formation")).not.toBeInTheDocument();
    expect(screen.queryByTestId("accompaniment-price-list-new")).not.toBeInTheDocument();
  });
});

describe("Accompagnement — the centrale", () => {
  beforeEach(asCentrale);

  it("is in the centrale's menu; sees every commune's orders, with the commune, and no order form", async () => {
    vi.mocked(api.accompaniment).mockResolvedValue(accompanimentScreen({ call_offs: [], orders: [accompanimentRow(accompanimentOrder(), { commune_name: null })] }));
    renderApp("/accompagnement");
    const row = await screen.findByTestId("accompaniment-row");
    expect(screen.getByTestId("nav-accompagnement")).toHaveAttribute("aria-current", "page");
    expect(within(row).getByTestId("accompaniment-commune")).toHaveTextContent("Commune 92094 (nom pas encore sur ce PC)");
    expect(screen.queryByTestId("accompaniment-order-form")).not.toBeInTheDocument();
    expect(within(row).queryByTestId(`accompaniment-cancel-${ACCOMPANIMENT_ID}`)).not.toBeInTheDocument();
  });

  it("plans a requested order: a date per line, not before the order, confirmed", async () => {
    vi.mocked(api.accompaniment).mockResolvedValue(accompanimentScreen({ call_offs: [], orders: [accompanimentRow()] }));
    const { user } = renderApp("/accompagnement");
    const row = await screen.findByTestId("accompaniment-row");
    expect(within(row).getByTestId("accompaniment-commune")).toHaveTextContent("Namur");
    await user.click(within(row).getByTestId(`accompaniment-plan-${ACCOMPANIMENT_ID}`));
    await user.type(within(row).getByTestId("accompaniment-plan-date-preparation"), "01/03/2027");
    await user.type(within(row).getByTestId("accompaniment-plan-date-formation"), "15/04/2027");
    await user.click(within(row).getByTestId("accompaniment-plan-submit"));
    expect(await within(row).findByTestId("error-summary")).toHaveTextContent(
      "La date prévue pour « Préparation du projet » ne peut pas précéder la commande (02/03/2027).",
    );
    expect(screen.queryByTestId("confirm-dialog")).not.toBeInTheDocument();

    await user.clear(within(row).getByTestId("accompaniment-plan-date-preparation"));
    await user.type(within(row).getByTestId("accompaniment-plan-date-preparation"), "02/04/2027");
    await user.click(within(row).getByTestId("accompaniment-plan-submit"));
    const dialog = await screen.findByTestId("confirm-dialog");
    expect(dialog).toHaveTextContent("Préparation du projet : le 02/04/2027");
    expect(dialog).toHaveTextContent("Formation des agents : le 15/04/2027");
    await user.click(within(dialog).getByTestId("confirm-accept"));
    await waitFor(() =>
      expect(api.perform).toHaveBeenCalledWith({
        kind: "plan_accompaniment",
        input: {
          accompaniment_id: ACCOMPANIMENT_ID,
          dates: [
            { code: "preparation", planned_on: "2027-04-02" },
            { code: "formation", planned_on: "2027-04-15" },
          ],
        },
      }),
    );
    expect(await screen.findByTestId("accompaniment-receipt")).toHaveTextContent("Accompagnement planifié");
    expect(screen.queryByTestId("accompaniment-plan-form")).not.toBeInTheDocument();
  });

  it("records a planned line delivered, between the order and today", async () => {
    vi.mocked(api.accompaniment).mockResolvedValue(accompanimentScreen({ call_offs: [], orders: [accompanimentRow(plannedOrder())] }));
    const { user } = renderApp("/accompagnement");
    const row = await screen.findByTestId("accompaniment-row");
    // The preparation is delivered already: only the training may be recorded.
    expect(within(row).queryByTestId("accompaniment-deliver-preparation")).not.toBeInTheDocument();
    // Planning again only moves the training's date.
    expect(within(row).getByTestId(`accompaniment-plan-${ACCOMPANIMENT_ID}`)).toHaveTextContent("Modifier les dates prévues");
    expect(within(row).getByTestId("accompaniment-deliver-formation")).toHaveAccessibleName("Réalisé le… (Formation des agents)");
    await user.click(within(row).getByTestId("accompaniment-deliver-formation"));
    const date = within(row).getByTestId("accompaniment-delivered-date-formation");
    // The planned day (10/03/2027, before today) is offered.
    expect(date).toHaveValue("10/03/2027");
    await user.clear(date);
    await user.type(date, "20/03/2027");
    await user.click(within(row).getByTestId("accompaniment-deliver-submit"));
    expect(date).toHaveAccessibleDescription(expect.stringContaining("entre la commande (02/03/2027) et aujourd'hui (12/03/2027)"));
    expect(api.perform).not.toHaveBeenCalled();

    await user.clear(date);
    await user.type(date, "11/03/2027");
    await user.click(within(row).getByTestId("accompaniment-deliver-submit"));
    const dialog = await screen.findByTestId("confirm-dialog");
    expect(dialog).toHaveTextContent("« Formation des agents » de la commande « Formation à l'e-guichet » (Namur) a été réalisé le 11/03/2027.");
    await user.click(within(dialog).getByTestId("confirm-accept"));
    await waitFor(() =>
      expect(api.perform).toHaveBeenCalledWith({
        kind: "record_accompaniment_delivery",
        input: { accompaniment_id: ACCOMPANIMENT_ID, code: "formation", delivered_on: "2027-03-11" },
      }),
    );
    expect(await screen.findByTestId("accompaniment-receipt")).toHaveTextContent("Réalisation enregistrée");
  });

  it("issues the invoice of a delivered order: total TVAC and due date confirmed, then its number waits for the sync", async () => {
    vi.mocked(api.accompaniment).mockResolvedValue(accompanimentScreen({ call_offs: [], orders: [accompanimentRow(deliveredOrder())] }));
    const { user } = renderApp("/accompagnement");
    const row = await screen.findByTestId("accompaniment-row");
    expect(within(row).getByTestId("accompaniment-status")).toHaveTextContent("Réalisé, facture à venir");
    expect(within(row).queryByTestId(`accompaniment-plan-${ACCOMPANIMENT_ID}`)).not.toBeInTheDocument();
    await user.click(within(row).getByTestId(`accompaniment-invoice-${ACCOMPANIMENT_ID}`));
    const dialog = await screen.findByTestId("confirm-dialog");
    expect(within(dialog).getByTestId("accompaniment-invoice-confirm-total")).toHaveTextContent(
      "La facture sera adressée à Namur pour 2 873,75 € TVAC (2 375,00 € HTVA).",
    );
    expect(within(dialog).getByTestId("accompaniment-invoice-confirm-due")).toHaveTextContent(
      "Elle est à payer dans les 30 jours : si elle est émise aujourd'hui, au plus tard le 11/04/2027.",
    );
    await user.click(within(dialog).getByTestId("confirm-accept"));
    await waitFor(() => expect(api.perform).toHaveBeenCalledWith({ kind: "invoice_accompaniment", input: { accompaniment_id: ACCOMPANIMENT_ID } }));
    expect(await screen.findByTestId("accompaniment-receipt")).toHaveTextContent("Facture demandée");
    expect(within(row).getByTestId("accompaniment-invoice-waits")).toBeInTheDocument();
    expect(within(row).queryByTestId(`accompaniment-invoice-${ACCOMPANIMENT_ID}`)).not.toBeInTheDocument();
  });

  it("after a reload, an invoice still in the outbox is not offered again", async () => {
    vi.mocked(api.accompaniment).mockResolvedValue(accompanimentScreen({ call_offs: [], orders: [accompanimentRow(deliveredOrder())] }));
    vi.mocked(api.outbox).mockResolvedValue([
      {
        client_seq: 4,
        mutation_id: "m-invoice",
        name: "accompaniment.invoice",
        payload: { accompaniment_id: ACCOMPANIMENT_ID },
        base_version: null,
        depends_on: null,
        created_at: "2027-03-12T09:00:00Z",
        created_by: me({ role: "centrale_staff", commune_nis: null }),
        state: "pending",
        error_code: null,
        error_message: null,
        error_details: null,
        attempts: 0,
      },
    ]);
    renderApp("/accompagnement");
    const row = await screen.findByTestId("accompaniment-row");
    expect(await within(row).findByTestId("accompaniment-invoice-queued")).toHaveTextContent("Facture demandée");
    expect(within(row).queryByTestId(`accompaniment-invoice-${ACCOMPANIMENT_ID}`)).not.toBeInTheDocument();
  });

  it("publishes a new version of the price list from the one in force", async () => {
    const { user } = renderApp("/accompagnement");
    await user.click(await screen.findByTestId("accompaniment-price-list-new"));
    const editor = screen.getByTestId("accompaniment-price-list-editor");
    expect(within(editor).getAllByTestId("accompaniment-service-edit")).toHaveLength(3);
    expect(within(editor).getByTestId("accompaniment-service-price-1")).toHaveValue("750,00");
    // The training gets dearer, the data migration goes, a communication package comes.
    await user.clear(within(editor).getByTestId("accompaniment-service-price-1"));
    await user.type(within(editor).getByTestId("accompaniment-service-price-1"), "800,00");
    await user.click(within(editor).getByTestId("accompaniment-service-remove-2"));
    await user.click(within(editor).getByTestId("accompaniment-service-add"));
    await user.type(within(editor).getByTestId("accompaniment-service-label-2"), "Communication aux citoyens");
    // The code follows the name until changed by hand.
    expect(within(editor).getByTestId("accompaniment-service-code-2")).toHaveValue("communication-aux-citoyens");
    await user.type(within(editor).getByTestId("accompaniment-service-price-2"), "1 250,50");
    await user.selectOptions(within(editor).getByTestId("accompaniment-service-vat-2"), "6");
    await user.click(within(editor).getByTestId("accompaniment-price-list-submit"));
    expect(await within(editor).findByTestId("error-summary")).toHaveTextContent("Décrivez ce qui change (10 à 1 000 caractères).");
    await user.type(within(editor).getByTestId("accompaniment-price-list-note"), "Nouveau tarif de la formation au 1er avril.");
    await user.click(within(editor).getByTestId("accompaniment-price-list-submit"));

    const dialog = await screen.findByTestId("confirm-dialog");
    expect(dialog).toHaveTextContent("Publier la version 3 de la liste de prix ?");
    expect(dialog).toHaveTextContent("Formation des agents (formation) : 800,00 € HTVA par jour, TVA 21 %");
    expect(dialog).toHaveTextContent("Communication aux citoyens (communication-aux-citoyens) : 1 250,50 € HTVA par forfait, TVA 6 %");
    await user.click(within(dialog).getByTestId("confirm-accept"));
    await waitFor(() =>
      expect(api.perform).toHaveBeenCalledWith({
        kind: "publish_accompaniment_price_list",
        input: {
          services: [
            {
              code: "preparation",
              label_fr: "Préparation du projet",
              description_fr: "Réunion de cadrage et planning avec la commune.",
              unit: "package",
              price_cents: 125000,
              vat_rate: "21",
            },
            { code: "formation", label_fr: "Formation des agents", description_fr: "Sur place, jusqu'à 12 agents.", unit: "day", price_cents: 80000, vat_rate: "21" },
            { code: "communication-aux-citoyens", label_fr: "Communication aux citoyens", description_fr: "", unit: "package", price_cents: 125050, vat_rate: "6" },
          ],
          note: "Nouveau tarif de la formation au 1er avril.",
        },
      }),
    );
    expect(await screen.findByTestId("accompaniment-receipt")).toHaveTextContent("Liste de prix publiée");
  });

  it("refuses a code with capitals or accents and a price of zero, next to their fields", async () => {
    const { user } = renderApp("/accompagnement");
    await user.click(await screen.findByTestId("accompaniment-price-list-new"));
    const editor = screen.getByTestId("accompaniment-price-list-editor");
    await user.clear(within(editor).getByTestId("accompaniment-service-code-0"));
    await user.type(within(editor).getByTestId("accompaniment-service-code-0"), "Préparation");
    await user.clear(within(editor).getByTestId("accompaniment-service-price-1"));
    await user.type(within(editor).getByTestId("accompaniment-service-price-1"), "0");
    await user.type(within(editor).getByTestId("accompaniment-price-list-note"), "Corrections des codes.");
    await user.click(within(editor).getByTestId("accompaniment-price-list-submit"));
    expect(within(editor).getByTestId("accompaniment-service-code-0")).toHaveAccessibleDescription(expect.stringContaining("Le code « Préparation » ne convient pas"));
    expect(within(editor).getByTestId("accompaniment-service-price-1")).toHaveAccessibleDescription(
      expect.stringContaining("Le prix de « Formation des agents » doit être supérieur à zéro."),
    );
    expect(api.perform).not.toHaveBeenCalled();
  });
});

describe("Accompagnement on the call-off's page", () => {
  it("shows the call-off's accompaniments with their dates, and links to order another for it", async () => {
    vi.mocked(api.orderDetail).mockResolvedValue(
      orderDetail({ accompaniments: [accompanimentRow(plannedOrder())] }, { status: "awarded", submitted_at: "2027-03-02T10:00:00Z" }),
    );
    vi.mocked(api.serviceDetail).mockResolvedValue(null);
    const { user } = renderApp(`/commandes/${ORDER_ID}`);
    const section = await screen.findByTestId("order-accompaniments");
    expect(section).toHaveTextContent("Accompagnement de l'intercommunale");
    const item = within(section).getByTestId("order-accompaniment");
    expect(item).toHaveAttribute("data-accompaniment-id", ACCOMPANIMENT_ID);
    expect(within(item).getByTestId("order-accompaniment-status")).toHaveTextContent("Planifié");
    const [preparation, formation] = within(item).getAllByTestId("accompaniment-line");
    expect(within(preparation!).getByTestId("accompaniment-line-delivered")).toHaveTextContent("05/03/2027");
    expect(within(formation!).getByTestId("accompaniment-line-planned")).toHaveTextContent("10/03/2027");
    expect(within(formation!).getByTestId("accompaniment-line-delivered")).toHaveTextContent("pas encore");

    const link = within(section).getByTestId("order-accompaniment-link");
    expect(link).toHaveTextContent("Commander un accompagnement pour cette commande");
    expect(link).toHaveAttribute("href", `#/accompagnement?commande=${ORDER_ID}`);
    vi.mocked(api.accompaniment).mockResolvedValue(accompanimentScreen());
    await user.click(link);
    expect(await screen.findByTestId("accompaniment-call-off")).toHaveValue(ORDER_ID);
  });

  it("offers no link on a draft, and none to the centrale", async () => {
    vi.mocked(api.orderDetail).mockResolvedValue(orderDetail());
    vi.mocked(api.serviceDetail).mockResolvedValue(null);
    renderApp(`/commandes/${ORDER_ID}`);
    await screen.findByTestId("order-status-panel");
    expect(screen.queryByTestId("order-accompaniments")).not.toBeInTheDocument();
  });

  it("the centrale reads them without the link", async () => {
    vi.mocked(api.appState).mockResolvedValue(centraleState());
    vi.mocked(api.communes).mockResolvedValue([]);
    vi.mocked(api.orderDetail).mockResolvedValue(
      orderDetail({ accompaniments: [accompanimentRow(plannedOrder())] }, { status: "awarded", submitted_at: "2027-03-02T10:00:00Z" }),
    );
    renderApp(`/commandes/${ORDER_ID}`);
    const section = await screen.findByTestId("order-accompaniments");
    expect(within(section).getByTestId("order-accompaniment")).toBeInTheDocument();
    expect(within(section).queryByTestId("order-accompaniment-link")).not.toBeInTheDocument();
    expect(within(section).getByTestId("order-accompaniment-screen")).toHaveAttribute("href", "#/accompagnement");
  });
});

describe("the route", () => {
  it("« Accompagnement » follows « Déploiement » in the commune's menu", async () => {
    vi.mocked(api.appState).mockResolvedValue(appState());
    renderApp("/accompagnement");
    const nav = await screen.findByRole("navigation", { name: "Menu principal" });
    const links = within(nav).getAllByRole("link").map((l) => l.textContent);
    expect(links.indexOf("Accompagnement")).toBe(links.indexOf("Déploiement") + 1);
  });
});
