import { screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import { mockBackend } from "../test/api";
import { centraleState } from "../test/fixtures";
import { ORDER_ID } from "../test/orderFixtures";
import { POOL_ID, POOL_ID_2, poolRow } from "../test/poolFixtures";
import { renderApp } from "../test/render";

vi.mock("../api");

const POOL_ID_3 = "0190f0aa-0000-7000-8000-0000000009a3";

beforeEach(() => {
  mockBackend();
});

describe("Marchés groupés — a commune", () => {
  it("is in the commune's menu and shows each pool: service, where it stands, joining date, communes, deadline and the way in", async () => {
    vi.mocked(api.pools).mockResolvedValue({
      pools: [
        poolRow(),
        poolRow({ id: POOL_ID_2, title: "Éclairage public", joinable: false, members: 1, my_order_id: ORDER_ID, pending: true }),
        poolRow({
          id: POOL_ID_3,
          title: "Wifi des écoles",
          phase: "competition_open",
          joinable: false,
          members: 4,
          join_until: "2027-02-28",
          deadline: "2027-03-26T11:00:00Z",
        }),
      ],
    });
    renderApp("/marches-groupes");
    expect(await screen.findByTestId("page-title")).toHaveTextContent("Marchés groupés");
    expect(screen.getByTestId("nav-marchesGroupes")).toHaveAttribute("aria-current", "page");
    expect(screen.getByText(/la centrale fait une seule remise en concurrence et une seule analyse des offres pour toutes/)).toBeInTheDocument();

    const [open, mine, running] = await screen.findAllByTestId("pools-row");
    expect(open).toHaveTextContent("Caméras des parkings 2027");
    expect(within(open!).getByTestId("pools-service")).toHaveTextContent("E-guichet");
    expect(within(open!).getByTestId("pools-phase")).toHaveTextContent("Ouvert aux communes");
    expect(within(open!).getByTestId("pools-join-until")).toHaveTextContent("Les communes peuvent rejoindre jusqu'au 31/03/2027 inclus");
    expect(within(open!).getByTestId("pools-members")).toHaveTextContent("2 communes");
    expect(within(open!).queryByTestId("pools-deadline")).not.toBeInTheDocument();
    const join = within(open!).getByTestId("pools-join");
    expect(join).toHaveTextContent("Rejoindre");
    expect(join).toHaveAttribute("href", `#/marches-groupes/${POOL_ID}`);
    expect(join).toHaveAccessibleName("Rejoindre « Caméras des parkings 2027 »");
    expect(within(open!).queryByTestId("pools-my-order")).not.toBeInTheDocument();

    // Already in: the way to the commune's own order, no way to join twice.
    expect(within(mine!).queryByTestId("pools-join")).not.toBeInTheDocument();
    expect(within(mine!).getByTestId("pools-my-order")).toHaveTextContent("Votre commande");
    expect(within(mine!).getByTestId("pools-my-order")).toHaveAttribute("href", `#/commandes/${ORDER_ID}`);
    expect(within(mine!).getByTestId("pools-members")).toHaveTextContent("1 commune");
    expect(within(mine!).getByTestId("pools-pending")).toHaveTextContent("Pas encore envoyé à l'intercommunale");

    expect(within(running!).getByTestId("pools-phase")).toHaveTextContent("Remise en concurrence en cours");
    expect(within(running!).getByTestId("pools-join-until")).toHaveTextContent("Date limite pour rejoindre : 28/02/2027");
    expect(within(running!).getByTestId("pools-deadline")).toHaveTextContent("Offres attendues avant le 26/03/2027 à 12:00 (heure de Bruxelles)");
    expect(within(running!).queryByTestId("pools-join")).not.toBeInTheDocument();
    expect(within(running!).getByTestId("pools-open")).toHaveAttribute("href", `#/marches-groupes/${POOL_ID_3}`);

    // The centrale's button is not the commune's.
    expect(screen.queryByTestId("pools-new")).not.toBeInTheDocument();
  });

  it("says what to expect when there is no pool yet", async () => {
    renderApp("/marches-groupes");
    expect(await screen.findByTestId("pools-empty")).toHaveTextContent("Aucun marché groupé pour le moment.");
  });
});

describe("Marchés groupés — the centrale", () => {
  beforeEach(() => {
    vi.mocked(api.appState).mockResolvedValue(centraleState());
  });

  it("is in the centrale's menu, opens a new pool and never offers to join", async () => {
    vi.mocked(api.pools).mockResolvedValue({ pools: [poolRow({ joinable: false })] });
    renderApp("/marches-groupes");
    expect(await screen.findByTestId("page-title")).toHaveTextContent("Marchés groupés");
    expect(screen.getByTestId("nav-marchesGroupes")).toHaveAttribute("aria-current", "page");
    const row = await screen.findByTestId("pools-row");
    expect(within(row).queryByTestId("pools-join")).not.toBeInTheDocument();
    expect(within(row).getByTestId("pools-open")).toHaveTextContent("Voir le marché groupé");
    expect(screen.getByTestId("pools-new")).toHaveTextContent("Ouvrir un marché groupé");
    expect(screen.getByTestId("pools-new")).toHaveAttribute("href", "#/marches-groupes/nouveau");
  });

  it("says how to start when no pool is open", async () => {
    renderApp("/marches-groupes");
    expect(await screen.findByTestId("pools-empty")).toHaveTextContent("Aucun marché groupé. Le bouton « Ouvrir un marché groupé »");
  });
});
