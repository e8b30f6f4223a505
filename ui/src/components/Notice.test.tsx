import { act, render, screen } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { mockBackend } from "../test/api";
import { syncStatus } from "../test/fixtures";
import { clearFlash, flash, FlashNotice } from "./Notice";
import { Receipt } from "./Receipt";

vi.mock("../api");

let backend: ReturnType<typeof mockBackend>;
beforeEach(() => {
  backend = mockBackend();
  clearFlash();
  window.location.hash = "#/commandes/1";
});

describe("FlashNotice: a notice leaves when it stops being true (issue 15.3)", () => {
  it("a « sera envoyé » notice leaves once the sync has sent everything", async () => {
    render(<FlashNotice />);
    act(() => flash("Le brouillon « Wifi » est enregistré. Il sera envoyé à la prochaine synchronisation.", "/commandes/1", { untilSent: true }));
    expect(await screen.findByTestId("flash")).toHaveTextContent("sera envoyé");
    // A sync that still leaves something waiting does not make it false.
    act(() => backend.emitSyncStatus(syncStatus({ last_success: new Date(Date.now() + 1000).toISOString(), pending: 1 })));
    expect(screen.getByTestId("flash")).toBeInTheDocument();
    act(() => backend.emitSyncStatus(syncStatus({ last_success: new Date(Date.now() + 2000).toISOString(), pending: 0 })));
    expect(screen.queryByTestId("flash")).not.toBeInTheDocument();
  });

  it("a notice that promises nothing stays until the user moves on, even after a sync", async () => {
    render(<FlashNotice />);
    act(() => flash("La modification a été abandonnée.", "/commandes/1"));
    act(() => backend.emitSyncStatus(syncStatus({ last_success: new Date(Date.now() + 1000).toISOString(), pending: 0 })));
    expect(await screen.findByTestId("flash")).toHaveTextContent("abandonnée");
  });

  it("a newer act's receipt on the same screen replaces the notice", async () => {
    const { rerender } = render(<FlashNotice />);
    act(() => flash("Le brouillon est enregistré. Il sera envoyé à la prochaine synchronisation.", "/commandes/1", { untilSent: true }));
    expect(await screen.findByTestId("flash")).toBeInTheDocument();
    rerender(
      <>
        <FlashNotice />
        <Receipt title="Demande envoyée" who="Marie Lambert" when={new Date().toISOString()} what="Demande « Wifi » envoyée" />
      </>,
    );
    expect(screen.queryByTestId("flash")).not.toBeInTheDocument();
    expect(screen.getByText("Demande envoyée")).toBeInTheDocument();
  });
});
