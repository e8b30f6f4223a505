import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import { AppError } from "../errors";
import { mockBackend } from "../test/api";
import { centraleState } from "../test/fixtures";
import { renderApp } from "../test/render";
import { communeRow } from "../test/screenFixtures";
import { ExportCsv } from "./ExportCsv";

vi.mock("../api");

beforeEach(() => {
  mockBackend();
});

describe("« Exporter (CSV) », a list as a file for the spreadsheet (issue 12 §3)", () => {
  it("asks the app for the list and says where the file is and how many lines it holds", async () => {
    vi.mocked(api.exportCsv).mockResolvedValue({
      path: "/home/marie/Documents/Centrale/2026-12-14 Centrale - Commandes.csv",
      file_name: "2026-12-14 Centrale - Commandes.csv",
      rows: 17,
    });
    render(<ExportCsv kind="orders" />);
    const button = screen.getByTestId("export-csv-orders");
    expect(button).toHaveTextContent("Exporter (CSV)");
    await userEvent.click(button);
    expect(api.exportCsv).toHaveBeenCalledWith("orders", undefined);
    expect(await screen.findByTestId("export-saved-orders")).toHaveTextContent(
      "Fichier enregistré (17 lignes), à ouvrir avec LibreOffice ou Excel : /home/marie/Documents/Centrale/2026-12-14 Centrale - Commandes.csv",
    );
  });

  it("says one line in the singular, and an empty list in words", async () => {
    vi.mocked(api.exportCsv).mockResolvedValueOnce({ path: "/tmp/a.csv", file_name: "a.csv", rows: 1 });
    render(<ExportCsv kind="consumption" />);
    await userEvent.click(screen.getByTestId("export-csv-consumption"));
    expect(await screen.findByTestId("export-saved-consumption")).toHaveTextContent("Fichier enregistré (1 ligne)");
    vi.mocked(api.exportCsv).mockResolvedValueOnce({ path: "/tmp/a.csv", file_name: "a.csv", rows: 0 });
    await userEvent.click(screen.getByTestId("export-csv-consumption"));
    expect(await screen.findByTestId("export-saved-consumption")).toHaveTextContent("Fichier enregistré, sans ligne pour l'instant");
  });

  it("says why when the file cannot be written, and lets the user try again", async () => {
    vi.mocked(api.exportCsv).mockRejectedValue(
      new AppError("export_not_saved", "Le fichier n'a pas pu être enregistré dans /lecture-seule.", { folder: "/lecture-seule" }),
    );
    render(<ExportCsv kind="communes" />);
    await userEvent.click(screen.getByTestId("export-csv-communes"));
    expect(await screen.findByTestId("error-panel")).toHaveTextContent("n'a pas pu être enregistré dans /lecture-seule");
    expect(screen.getByTestId("export-csv-communes")).toBeEnabled();
    expect(screen.queryByTestId("export-saved-communes")).toBeNull();
  });

  it("is on the centrale's communes screen and exports the communes", async () => {
    vi.mocked(api.appState).mockResolvedValue(centraleState());
    vi.mocked(api.communes).mockResolvedValue([communeRow({ nis_code: "84009", name_fr: "Bertrix", adhesion_status: "active" })]);
    renderApp("/communes");
    await userEvent.click(await screen.findByTestId("export-csv-communes"));
    expect(api.exportCsv).toHaveBeenCalledWith("communes", undefined);
  });
});
