import { screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import { mockBackend } from "../test/api";
import { appState, centraleState } from "../test/fixtures";
import { adhesionScreen, competitionDetail, evaluatedDetail, openedDetail, ORDER_ID, orderDetail, serviceDetail } from "../test/orderFixtures";
import { POOL_ID } from "../test/poolFixtures";
import { renderApp } from "../test/render";
import type { OrderDetail } from "../bindings/OrderDetail";

vi.mock("../api");

const POOL = { id: POOL_ID, title: "Caméras des parkings 2027", members: 3 };
const pooled = (d: OrderDetail): OrderDetail => ({ ...d, pool: POOL });

beforeEach(() => {
  mockBackend();
  vi.mocked(api.adhesion).mockResolvedValue(adhesionScreen());
  vi.mocked(api.serviceDetail).mockResolvedValue(serviceDetail());
  vi.mocked(api.communes).mockResolvedValue([appState().commune!]);
});

const submitted = () =>
  orderDetail({ next_action: { code: "launch_competition", by: "centrale", due_at: null, due_on: null } }, { status: "submitted", submitted_at: "2027-03-01T12:00:00Z" });

describe("Order page — an order of a pooled call-off (issue 16 §4)", () => {
  it("says so in a banner leading to the pool", async () => {
    vi.mocked(api.orderDetail).mockResolvedValue(pooled(submitted()));
    renderApp(`/commandes/${ORDER_ID}`);
    const banner = await screen.findByTestId("order-pool-banner");
    expect(banner).toHaveTextContent("Cette commande fait partie du marché groupé « Caméras des parkings 2027 » (3 communes)");
    expect(within(banner).getByTestId("order-pool-banner-link")).toHaveAttribute("href", `#/marches-groupes/${POOL_ID}`);
    expect(screen.getByTestId("order-pool-launch")).toHaveTextContent("La centrale lance une seule remise en concurrence pour toutes les communes du marché groupé.");
    // The commune may still cancel before the launch.
    expect(screen.getByTestId("order-cancel")).toBeInTheDocument();
  });

  it("an order alone has no banner", async () => {
    vi.mocked(api.orderDetail).mockResolvedValue(submitted());
    renderApp(`/commandes/${ORDER_ID}`);
    expect(await screen.findByTestId("order-status")).toBeInTheDocument();
    expect(screen.queryByTestId("order-pool-banner")).not.toBeInTheDocument();
    expect(screen.queryByTestId("order-pool-launch")).not.toBeInTheDocument();
  });

  it("the centrale launches on the pool, not on the order, and does not extend the order's deadline", async () => {
    vi.mocked(api.appState).mockResolvedValue(centraleState());
    vi.mocked(api.orderDetail).mockResolvedValue(pooled(submitted()));
    const { unmount } = renderApp(`/commandes/${ORDER_ID}`);
    expect(await screen.findByTestId("order-pool-banner")).toBeInTheDocument();
    expect(screen.getByTestId("order-pool-launch")).toBeInTheDocument();
    expect(screen.queryByTestId("launch-competition")).not.toBeInTheDocument();
    unmount();

    vi.mocked(api.orderDetail).mockResolvedValue(pooled(competitionDetail()));
    renderApp(`/commandes/${ORDER_ID}`);
    expect(await screen.findByTestId("competition-follow")).toBeInTheDocument();
    expect(screen.getByTestId("order-pool-banner")).toBeInTheDocument();
    expect(screen.queryByTestId("extend-open")).not.toBeInTheDocument();
  });

  it("offers opened: the commune does not score them, set one aside or ask for a price justification — the centrale analyses on the pool", async () => {
    vi.mocked(api.orderDetail).mockResolvedValue(openedDetail());
    const { unmount } = renderApp(`/commandes/${ORDER_ID}`);
    // An order alone: the commune's own evaluation and acts.
    expect(await screen.findByTestId("order-evaluation")).toBeInTheDocument();
    expect(screen.getAllByTestId("set-aside-open").length).toBeGreaterThan(0);
    unmount();

    vi.mocked(api.orderDetail).mockResolvedValue(pooled(openedDetail()));
    renderApp(`/commandes/${ORDER_ID}`);
    expect(await screen.findByTestId("order-pool-banner")).toBeInTheDocument();
    expect(await screen.findByTestId("order-pool-analysis")).toHaveTextContent("La centrale analyse les offres une seule fois pour toutes les communes du marché groupé.");
    expect(screen.getByTestId("order-offers")).toBeInTheDocument();
    expect(screen.queryByTestId("order-evaluation")).not.toBeInTheDocument();
    expect(screen.queryByTestId("set-aside-open")).not.toBeInTheDocument();
    expect(screen.queryByTestId("price-justification-open")).not.toBeInTheDocument();
  });

  it("analysed: the commune's collège awards its own order", async () => {
    vi.mocked(api.orderDetail).mockResolvedValue(pooled(evaluatedDetail()));
    renderApp(`/commandes/${ORDER_ID}`);
    expect(await screen.findByTestId("order-award-form")).toBeInTheDocument();
    expect(screen.getByTestId("order-pool-banner")).toBeInTheDocument();
    expect(screen.queryByTestId("order-evaluation")).not.toBeInTheDocument();
  });
});
