import { fireEvent, screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api";
import { mockBackend } from "../../test/api";
import { appState, centraleState, me } from "../../test/fixtures";
import { adhesionScreen, decisionsView, OFFER_A, openedDetail, ORDER_ID, PROVIDER_A, serviceDetail } from "../../test/orderFixtures";
import { renderApp } from "../../test/render";
import type { OrderDetail } from "../../bindings/OrderDetail";
import type { PriceJustificationRequest } from "../../bindings/PriceJustificationRequest";
import { LIMITS } from "../../bindings/rules";
import { requestState } from "./PriceJustification";

vi.mock("../../api");

const request = (over: Partial<PriceJustificationRequest> = {}): PriceJustificationRequest => ({
  id: "0190f0aa-0000-7000-8000-0000000000c1",
  offer_id: OFFER_A,
  provider_id: PROVIDER_A,
  prices: "Mise en service à 1 000 € : pourquoi si bas ?",
  deadline: "2027-03-30T11:00:00Z",
  asked_at: "2027-03-14T12:00:00Z",
  asked_by: "Marie Dupont",
  answer: null,
  answered_at: null,
  accepted_at: null,
  accepted_by: null,
  ...over,
});

const withRequest = (r: PriceJustificationRequest): OrderDetail => {
  const d = openedDetail();
  return { ...d, order: { ...d.order, price_requests: [r] } };
};

beforeEach(() => {
  mockBackend();
  vi.mocked(api.orderDetail).mockResolvedValue(openedDetail());
  vi.mocked(api.adhesion).mockResolvedValue(adhesionScreen());
  vi.mocked(api.serviceDetail).mockResolvedValue(serviceDetail());
});

describe("requestState (issue 11 rule 7)", () => {
  it("is awaited before the deadline, expired after it without answer, then answered, accepted or set aside", () => {
    const deadline = Date.parse("2027-03-30T11:00:00Z");
    expect(requestState(request(), false, deadline - 1)).toBe("awaited");
    expect(requestState(request(), false, deadline)).toBe("expired");
    expect(requestState(request({ answer: "Coûts mutualisés.", answered_at: "2027-03-20T10:00:00Z" }), false, deadline - 1)).toBe("answered");
    expect(requestState(request({ answer: "x", accepted_at: "2027-03-21T10:00:00Z" }), false, deadline)).toBe("accepted");
    expect(requestState(request(), true, deadline - 1)).toBe("set_aside");
  });
});

describe("Order page — abnormally low prices (issue 11 rule 7)", () => {
  it("asks a provider to justify its prices, with the prices in question and a deadline", async () => {
    const { user } = renderApp(`/commandes/${ORDER_ID}`);
    const buttons = await screen.findAllByTestId("price-justification-open");
    expect(buttons).toHaveLength(2);
    expect(buttons[0]).toHaveTextContent("Demander la justification des prix");
    await user.click(buttons[0]!);
    const dialog = screen.getByRole("dialog");
    expect(dialog).toHaveTextContent(`${LIMITS.PRICE_JUSTIFICATION_MIN_DAYS} jours calendrier entiers, comptés à partir du lendemain de la demande`);
    await user.type(within(dialog).getByTestId("price-justification-prices"), "Mise en service à 1 000 € : pourquoi si bas ?");
    fireEvent.change(within(dialog).getByTestId("price-justification-deadline-date"), { target: { value: "26/03/2027" } });
    await user.click(within(dialog).getByTestId("confirm-accept"));
    expect(api.perform).toHaveBeenCalledWith({
      kind: "ask_price_justification",
      input: {
        order_id: ORDER_ID,
        request_id: "0190f0aa-0000-7000-8000-0000000000ff",
        offer_id: OFFER_A,
        prices: "Mise en service à 1 000 € : pourquoi si bas ?",
        deadline: "2027-03-26T11:00:00Z",
      },
    });
    expect(await screen.findByTestId("order-receipt")).toHaveTextContent("Justification des prix demandée");
  });

  it("refuses too short a text before sending, next to the field", async () => {
    const { user } = renderApp(`/commandes/${ORDER_ID}`);
    await user.click((await screen.findAllByTestId("price-justification-open"))[0]!);
    const dialog = screen.getByRole("dialog");
    await user.type(within(dialog).getByTestId("price-justification-prices"), "Prix ?");
    await user.click(within(dialog).getByTestId("confirm-accept"));
    expect((await within(dialog).findAllByText(/Entre 10 et/)).length).toBeGreaterThan(0);
    expect(within(dialog).getByTestId("price-justification-prices")).toHaveAttribute("aria-invalid", "true");
    expect(api.perform).not.toHaveBeenCalled();
  });

  it("while the answer is awaited, shows the request and offers no decision nor a second request for that offer", async () => {
    vi.mocked(api.orderDetail).mockResolvedValue(withRequest(request()));
    renderApp(`/commandes/${ORDER_ID}`);
    const item = await screen.findByTestId("price-request");
    expect(item).toHaveAttribute("data-state", "awaited");
    expect(within(item).getByTestId("price-request-state")).toHaveTextContent("En attente de la réponse du prestataire");
    expect(screen.queryByTestId("price-request-accept")).not.toBeInTheDocument();
    expect(screen.getAllByTestId("price-justification-open")).toHaveLength(1);
    // Regularity before ranking: the evaluation form waits.
    expect(screen.getByTestId("evaluation-waits-prices")).toBeInTheDocument();
  });

  it("once the justification is accepted, the evaluation is offered again", async () => {
    vi.mocked(api.orderDetail).mockResolvedValue(withRequest(request({ answer: "Coûts mutualisés.", answered_at: "2027-03-20T10:00:00Z", accepted_at: "2027-03-21T10:00:00Z", accepted_by: "Marie Dupont" })));
    renderApp(`/commandes/${ORDER_ID}`);
    expect(await screen.findByTestId("price-request-state")).toHaveTextContent("Justification acceptée le");
    expect(screen.queryByTestId("evaluation-waits-prices")).not.toBeInTheDocument();
  });

  it("shows the answer; a signatory accepts it", async () => {
    vi.mocked(api.orderDetail).mockResolvedValue(withRequest(request({ answer: "Paramétrage déjà réalisé pour 30 communes.", answered_at: "2027-03-20T10:00:00Z" })));
    const { user } = renderApp(`/commandes/${ORDER_ID}`);
    expect(await screen.findByTestId("price-request-answer")).toHaveTextContent("Paramétrage déjà réalisé pour 30 communes.");
    await user.click(screen.getByTestId("price-request-accept"));
    await user.click(within(screen.getByRole("dialog")).getByTestId("confirm-accept"));
    expect(api.perform).toHaveBeenCalledWith({ kind: "accept_price_justification", input: { order_id: ORDER_ID, request_id: "0190f0aa-0000-7000-8000-0000000000c1" } });
    expect(await screen.findByTestId("order-receipt")).toHaveTextContent("Justification acceptée");
  });

  it("a signatory sets the offer aside as abnormally low with a motivation of the minimum length", async () => {
    vi.mocked(api.orderDetail).mockResolvedValue(withRequest(request({ answer: "Paramétrage déjà réalisé.", answered_at: "2027-03-20T10:00:00Z" })));
    const { user } = renderApp(`/commandes/${ORDER_ID}`);
    await user.click(await screen.findByTestId("price-request-reject"));
    const dialog = screen.getByRole("dialog");
    await user.type(within(dialog).getByTestId("price-justification-motivation"), "Trop court");
    await user.click(within(dialog).getByTestId("confirm-accept"));
    expect((await within(dialog).findAllByText(`Motivez en au moins ${LIMITS.MOTIVATION_MIN_CHARS} caractères.`)).length).toBeGreaterThan(0);
    expect(within(dialog).getByTestId("price-justification-motivation")).toHaveAttribute("aria-invalid", "true");
    expect(api.perform).not.toHaveBeenCalled();
    await user.type(within(dialog).getByTestId("price-justification-motivation"), " : la justification ne couvre pas la reprise.");
    await user.click(within(dialog).getByTestId("confirm-accept"));
    expect(api.perform).toHaveBeenCalledWith({
      kind: "set_offer_aside",
      input: { order_id: ORDER_ID, offer_id: OFFER_A, motivation: "Trop court : la justification ne couvre pas la reprise.", ground: "abnormally_low" },
    });
    expect(await screen.findByTestId("order-receipt")).toHaveTextContent("anormalement basse");
  });

  it("shows nothing of the offers to a commune account that has not declared the absence of conflict of interest", async () => {
    const d = withRequest(request());
    vi.mocked(api.orderDetail).mockResolvedValue({ ...d, decisions: decisionsView({ declared_by_me: false }) });
    renderApp(`/commandes/${ORDER_ID}`);
    expect(await screen.findByTestId("coi-gate")).toBeInTheDocument();
    expect(screen.queryByTestId("order-price-justification")).not.toBeInTheDocument();
  });

  it("an agent may ask but not decide; the centrale asks for the commune", async () => {
    vi.mocked(api.orderDetail).mockResolvedValue(withRequest(request({ answer: "Paramétrage déjà réalisé.", answered_at: "2027-03-20T10:00:00Z" })));
    vi.mocked(api.appState).mockResolvedValue(appState({ session: me({ role: "commune_staff" }) }));
    const { unmount } = renderApp(`/commandes/${ORDER_ID}`);
    expect(await screen.findByTestId("price-request-answer")).toBeInTheDocument();
    expect(screen.queryByTestId("price-request-accept")).not.toBeInTheDocument();
    expect(screen.getAllByTestId("price-justification-open")).toHaveLength(2);
    unmount();
    vi.mocked(api.appState).mockResolvedValue(centraleState());
    renderApp(`/commandes/${ORDER_ID}`);
    expect(await screen.findByTestId("price-request-answer")).toBeInTheDocument();
    expect(screen.queryByTestId("price-request-reject")).not.toBeInTheDocument();
  });
});
