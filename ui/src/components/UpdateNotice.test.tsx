import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import { AppError } from "../errors";
import { mockBackend } from "../test/api";
import { syncStatus } from "../test/fixtures";
import type { UpdateOffer } from "../bindings/UpdateOffer";
import { UpdateNotice } from "./UpdateNotice";

vi.mock("../api");

const OFFER: UpdateOffer = {
  version: "0.2.0",
  current_version: "0.1.0",
  notes: "Corrections de la comparaison des offres.",
  published_at: "2026-12-04T10:00:00Z",
  downloaded: false,
};

let backend: ReturnType<typeof mockBackend>;
beforeEach(() => {
  backend = mockBackend();
});

describe("UpdateNotice (issue 13 §2)", () => {
  it("shows nothing when this version is the latest, or when the intercommunale cannot be asked", async () => {
    render(<UpdateNotice />);
    await waitFor(() => expect(api.checkUpdate).toHaveBeenCalled());
    expect(screen.queryByTestId("update-notice")).not.toBeInTheDocument();

    vi.mocked(api.checkUpdate).mockRejectedValue(new AppError("update_check_failed", "injoignable", {}));
    render(<UpdateNotice />);
    await waitFor(() => expect(api.checkUpdate).toHaveBeenCalledTimes(2));
    expect(screen.queryByTestId("update-notice")).not.toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("offers the new version with what changes, downloads it with its progress, then installs when nothing waits", async () => {
    vi.mocked(api.checkUpdate).mockResolvedValue(OFFER);
    let finish: (o: UpdateOffer) => void = () => {};
    vi.mocked(api.downloadUpdate).mockReturnValue(new Promise((resolve) => (finish = resolve)));
    vi.mocked(api.installUpdate).mockResolvedValue(null);
    const user = userEvent.setup();
    render(<UpdateNotice />);
    const notice = await screen.findByTestId("update-notice");
    expect(notice).toHaveTextContent("Une nouvelle version de Centrale est disponible : 0.2.0");
    expect(notice).toHaveTextContent("Vous utilisez la version 0.1.0.");
    expect(screen.getByTestId("update-notes")).toHaveTextContent("Ce qui change : Corrections de la comparaison des offres.");

    await user.click(screen.getByTestId("update-download"));
    backend.emitUpdateProgress({ downloaded: 450, total: 1000 });
    expect(screen.getByTestId("update-progress")).toHaveTextContent("Téléchargement : 45 %");
    finish({ ...OFFER, downloaded: true });
    expect(await screen.findByTestId("update-ready")).toHaveTextContent("signature vérifiée");
    await user.click(screen.getByTestId("update-install"));
    expect(api.installUpdate).toHaveBeenCalledTimes(1);
  });

  it("does not install while changes of this PC wait to be sent, and says why", async () => {
    vi.mocked(api.syncStatus).mockResolvedValue(syncStatus({ pending: 2 }));
    vi.mocked(api.checkUpdate).mockResolvedValue({ ...OFFER, downloaded: true });
    render(<UpdateNotice />);
    expect(await screen.findByTestId("update-waits")).toHaveTextContent(
      "2 modifications de ce PC doivent d'abord être envoyées à l'intercommunale : synchronisez, puis installez.",
    );
    expect(screen.getByTestId("update-install")).toBeDisabled();
    expect(api.installUpdate).not.toHaveBeenCalled();
  });

  it("a file not signed by the intercommunale is refused, said in French, and nothing is left to install", async () => {
    vi.mocked(api.checkUpdate).mockResolvedValue(OFFER);
    vi.mocked(api.downloadUpdate).mockRejectedValue(new AppError("update_signature_refused", "signature", {}));
    const user = userEvent.setup();
    render(<UpdateNotice />);
    await user.click(await screen.findByTestId("update-download"));
    expect(await screen.findByText(/n'est pas signée par l'intercommunale : elle a été refusée et rien n'a été installé/)).toBeInTheDocument();
    expect(screen.queryByTestId("update-notice")).not.toBeInTheDocument();
    expect(api.installUpdate).not.toHaveBeenCalled();
  });

  it("when the intercommunale says this version is too old, says the update is needed to sync", async () => {
    vi.mocked(api.syncStatus).mockResolvedValue(syncStatus({ phase: "update_needed" }));
    vi.mocked(api.checkUpdate).mockResolvedValue(OFFER);
    render(<UpdateNotice />);
    await waitFor(() =>
      expect(screen.getByTestId("update-notice")).toHaveTextContent(
        "Cette version de Centrale (0.1.0) ne peut plus échanger avec l'intercommunale : installez la version 0.2.0 pour continuer à synchroniser.",
      ),
    );
  });
});
