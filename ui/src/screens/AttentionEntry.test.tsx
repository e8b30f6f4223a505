import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import type { Conflict } from "../bindings/Conflict";
import { mockBackend } from "../test/api";
import { outboxEntry } from "../test/fixtures";
import { renderApp } from "../test/render";

vi.mock("../api");

const mine = outboxEntry({ state: "conflict", error_code: "version_conflict", error_message: "Conflit de version." });
const conflict: Conflict = {
  mine,
  theirs: {
    seq: 42,
    kind: "order",
    id: "0190f0aa-0000-7000-8000-0000000000aa",
    version: 4,
    deleted: false,
    record: {
      id: "0190f0aa-0000-7000-8000-0000000000aa",
      commune_nis: "92094",
      status: "draft",
      title: "E-guichet — état civil et population",
      needs: {
        description: "E-guichet pour 2 agents",
        lines: [{ price_line_code: "licence", quantity: "3", note: "" }],
        sites: ["Hôtel de ville"],
        desired_start: "2027-04-01",
        desired_go_live: null,
        budget: 1250000,
      },
    },
  },
};

beforeEach(() => {
  mockBackend();
  vi.mocked(api.outbox).mockResolvedValue([mine]);
  vi.mocked(api.conflict).mockResolvedValue(conflict);
});

describe("conflict view", () => {
  it("shows both versions side by side, the same rows, differences marked in words", async () => {
    renderApp(`/a-regler/${mine.mutation_id}`);
    const mineSide = await screen.findByTestId("conflict-mine");
    const theirsSide = screen.getByTestId("conflict-theirs");
    expect(api.conflict).toHaveBeenCalledWith(mine.mutation_id);
    expect(mineSide).toHaveTextContent("Votre version");
    expect(theirsSide).toHaveTextContent("Version enregistrée à l'intercommunale");
    expect(theirsSide).toHaveTextContent("Version n° 4");

    const rowsMine = within(mineSide).getAllByTestId("conflict-row");
    const rowsTheirs = within(theirsSide).getAllByTestId("conflict-row");
    expect(rowsMine.map((r) => r.dataset.field)).toEqual(rowsTheirs.map((r) => r.dataset.field));

    const title = (side: HTMLElement) => within(side).getAllByTestId("conflict-row").find((r) => r.dataset.field === "title")!;
    expect(title(mineSide)).toHaveTextContent("E-guichet pour l'état civil");
    expect(title(theirsSide)).toHaveTextContent("E-guichet — état civil et population");
    expect(title(mineSide)).toHaveTextContent("Diffère");

    const lines = (side: HTMLElement) =>
      within(side).getAllByTestId("conflict-row").find((r) => r.dataset.field === "needs.lines")!;
    expect(lines(mineSide)).toHaveAttribute("data-different", "true");

    const description = within(mineSide).getAllByTestId("conflict-row").find((r) => r.dataset.field === "needs.description")!;
    expect(description).toHaveAttribute("data-different", "false");
    expect(description).not.toHaveTextContent("Diffère");

    // order_id is the record's id: the same on both sides.
    const id = within(mineSide).getAllByTestId("conflict-row").find((r) => r.dataset.field === "order_id")!;
    expect(id).toHaveAttribute("data-different", "false");

    expect(screen.getByTestId("conflict-summary")).toHaveTextContent("2 informations diffèrent");
  });

  it("« Garder ma version » calls keep_mine and goes back to the list", async () => {
    vi.mocked(api.outbox).mockResolvedValueOnce([mine]).mockResolvedValue([]);
    const { user } = renderApp(`/a-regler/${mine.mutation_id}`);
    await user.click(await screen.findByTestId("conflict-keep-mine"));
    expect(api.keepMine).toHaveBeenCalledWith(mine.mutation_id);
    await waitFor(() => expect(window.location.hash).toBe("#/a-regler"));
    expect(await screen.findByTestId("flash")).toHaveTextContent("Votre version sera envoyée à l'intercommunale");
  });

  it("« Garder la version de l'intercommunale » confirms, then discards my change", async () => {
    const { user } = renderApp(`/a-regler/${mine.mutation_id}`);
    await user.click(await screen.findByTestId("conflict-keep-theirs"));
    expect(api.discardChange).not.toHaveBeenCalled();
    await user.click(within(screen.getByRole("dialog")).getByTestId("confirm-accept"));
    expect(api.discardChange).toHaveBeenCalledWith(mine.mutation_id);
    expect(api.keepMine).not.toHaveBeenCalled();
    await waitFor(() => expect(window.location.hash).toBe("#/a-regler"));
  });
});
