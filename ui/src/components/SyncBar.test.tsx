import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import { mockBackend } from "../test/api";
import { syncStatus } from "../test/fixtures";
import { SyncBar } from "./SyncBar";

vi.mock("../api");

let backend: ReturnType<typeof mockBackend>;
beforeEach(() => {
  backend = mockBackend();
});

describe("SyncBar", () => {
  it("says when it last synchronised, relative to now", async () => {
    const twoMinutesAgo = new Date(Date.now() - 2 * 60_000).toISOString();
    vi.mocked(api.syncStatus).mockResolvedValue(syncStatus({ last_success: twoMinutesAgo }));
    render(<SyncBar />);
    expect(await screen.findByText("Synchronisé il y a 2 minutes")).toBeInTheDocument();
    expect(screen.getByTestId("sync-pending-count")).toHaveTextContent("Aucune modification en attente d'envoi");
    expect(screen.queryByTestId("sync-attention-link")).not.toBeInTheDocument();
  });

  it("is not green while changes wait: says what waits and that it leaves now (issue 15.3)", async () => {
    const justNow = new Date(Date.now() - 5_000).toISOString();
    vi.mocked(api.syncStatus).mockResolvedValue(syncStatus({ last_success: justNow, pending: 2 }));
    render(<SyncBar />);
    await waitFor(() => expect(screen.getByTestId("sync-state")).toHaveTextContent("2 modifications pas encore envoyées à l'intercommunale"));
    expect(screen.getByTestId("sync-bar")).not.toHaveClass("sync-bar--success");
    expect(screen.getByTestId("sync-bar")).toHaveClass("sync-bar--info");
    expect(screen.getByTestId("sync-bar")).toHaveTextContent("Elles partent à la prochaine synchronisation");
    expect(screen.queryByText(/Synchronisé à l'instant/)).not.toBeInTheDocument();
    // Once sent, it is green again.
    backend.emitSyncStatus(syncStatus({ last_success: new Date().toISOString(), pending: 0 }));
    expect(screen.getByTestId("sync-bar")).toHaveClass("sync-bar--success");
    expect(screen.getByTestId("sync-state")).toHaveTextContent("Synchronisé à l'instant");
  });

  it("offline with 3 changes waiting: says they will be sent when the connection returns", async () => {
    vi.mocked(api.syncStatus).mockResolvedValue(syncStatus({ phase: "offline", online: false, pending: 3 }));
    render(<SyncBar />);
    await waitFor(() =>
      expect(screen.getByTestId("sync-state")).toHaveTextContent("Hors ligne — 3 modifications seront envoyées dès le retour de la connexion"),
    );
    expect(screen.getByTestId("sync-pending-count")).toHaveTextContent("3 modifications en attente d'envoi");
  });

  it("shows a link to the changes to settle when some need attention", async () => {
    vi.mocked(api.syncStatus).mockResolvedValue(syncStatus({ needs_attention: 2 }));
    render(<SyncBar />);
    const link = await screen.findByTestId("sync-attention-link");
    expect(link).toHaveTextContent("2 modifications à régler");
    expect(link).toHaveAttribute("href", "#/a-regler");
  });

  it("asks to sign in again, with a link to the log-in", async () => {
    vi.mocked(api.syncStatus).mockResolvedValue(syncStatus({ phase: "credentials_needed" }));
    render(<SyncBar />);
    await waitFor(() => expect(screen.getByTestId("sync-state")).toHaveTextContent("Reconnectez-vous pour synchroniser"));
    expect(within(screen.getByTestId("sync-bar")).getByRole("link", { name: "Se reconnecter" })).toHaveAttribute(
      "href",
      "#/connexion",
    );
  });

  it("says an update is needed", async () => {
    vi.mocked(api.syncStatus).mockResolvedValue(syncStatus({ phase: "update_needed" }));
    render(<SyncBar />);
    await waitFor(() => expect(screen.getByTestId("sync-state")).toHaveTextContent("Mise à jour nécessaire"));
  });

  it("« Synchroniser maintenant » calls sync_now, and is disabled while syncing", async () => {
    const user = userEvent.setup();
    render(<SyncBar />);
    const button = await screen.findByRole("button", { name: "Synchroniser maintenant" });
    await waitFor(() => expect(screen.getByTestId("sync-state")).toHaveAttribute("data-phase", "idle"));
    expect(button).toBeEnabled();
    await user.click(button);
    expect(api.syncNow).toHaveBeenCalledTimes(1);
    // sync_now answered « syncing »: the button waits for the end.
    await waitFor(() => expect(screen.getByTestId("sync-state")).toHaveTextContent("Synchronisation en cours…"));
    expect(screen.getByTestId("sync-now")).toBeDisabled();
  });

  it("follows the sync-status events", async () => {
    render(<SyncBar />);
    await waitFor(() => expect(screen.getByTestId("sync-state")).toHaveAttribute("data-phase", "idle"));
    backend.emitSyncStatus(syncStatus({ phase: "offline", online: false, pending: 1 }));
    expect(screen.getByTestId("sync-state")).toHaveTextContent(
      "Hors ligne — 1 modification sera envoyée dès le retour de la connexion",
    );
  });

  it("translates a failed sync_now", async () => {
    const user = userEvent.setup();
    vi.mocked(api.syncNow).mockRejectedValue({ code: "offline", message: "network down", params: {} });
    render(<SyncBar />);
    await user.click(await screen.findByRole("button", { name: "Synchroniser maintenant" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("L'intercommunale est injoignable");
  });
});
