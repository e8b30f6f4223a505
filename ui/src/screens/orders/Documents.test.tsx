import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api";
import { AppError } from "../../errors";
import { mockBackend } from "../../test/api";
import { DocumentsBlock } from "./Documents";

vi.mock("../../api");

beforeEach(() => {
  mockBackend();
});

const awarded = [
  { kind: { kind: "launch_decision" as const }, title: "Projet de décision de lancement de la commande" },
  { kind: { kind: "analysis_report" as const }, title: "Rapport d'analyse des offres" },
  {
    kind: { kind: "information_letter" as const, provider_id: "p-2" },
    title: "Information d'un soumissionnaire — Civitech Ardenne SRL",
  },
  { kind: { kind: "whole_file" as const }, title: "Dossier complet de la commande" },
  { kind: { kind: "parts" as const }, title: "Pièces du dossier, une par fichier (zip)" },
];

describe("« Documents à imprimer », as PDFs on this PC (issue 12)", () => {
  it("offers the documents the app says the record allows, and only those", async () => {
    vi.mocked(api.documentChoices).mockResolvedValue(awarded);
    render(<DocumentsBlock recordId="o-1" />);
    expect(await screen.findByTestId("document-save-analysis_report")).toHaveTextContent("Rapport d'analyse des offres (PDF)");
    expect(api.documentChoices).toHaveBeenCalledWith("o-1");
    expect(screen.getByTestId("document-save-information_letter-p-2")).toHaveTextContent(
      "Information d'un soumissionnaire — Civitech Ardenne SRL (PDF)",
    );
    expect(screen.getAllByRole("listitem")).toHaveLength(5);
    expect(screen.queryByTestId("document-save-purchase_order")).toBeNull();
  });

  it("saves one and says where, in words", async () => {
    vi.mocked(api.documentChoices).mockResolvedValue(awarded);
    vi.mocked(api.document).mockResolvedValue({
      path: "/home/marie/Documents/Centrale/2026-12-14 Bertrix - Rapport d'analyse des offres - E-guichet.pdf",
      file_name: "2026-12-14 Bertrix - Rapport d'analyse des offres - E-guichet.pdf",
      pages: 3,
    });
    render(<DocumentsBlock recordId="o-1" />);
    await userEvent.click(await screen.findByTestId("document-save-analysis_report"));
    expect(api.document).toHaveBeenCalledWith({ kind: "analysis_report" }, "o-1");
    expect(await screen.findByTestId("document-saved-analysis_report")).toHaveTextContent(
      "Document enregistré (3 pages) : /home/marie/Documents/Centrale/2026-12-14 Bertrix - Rapport d'analyse des offres - E-guichet.pdf",
    );
  });

  it("opens the saved document with the PC's viewer, by its file name only, and says why when it cannot", async () => {
    vi.mocked(api.documentChoices).mockResolvedValue(awarded);
    vi.mocked(api.document).mockResolvedValue({ path: "/tmp/2026-12-14 Bertrix - Dossier complet.pdf", file_name: "2026-12-14 Bertrix - Dossier complet.pdf", pages: 9 });
    vi.mocked(api.openSavedDocument).mockResolvedValueOnce(null);
    render(<DocumentsBlock recordId="o-1" />);
    await userEvent.click(await screen.findByTestId("document-save-whole_file"));
    await userEvent.click(await screen.findByTestId("document-open-whole_file"));
    expect(api.openSavedDocument).toHaveBeenCalledWith("2026-12-14 Bertrix - Dossier complet.pdf");
    expect(screen.queryByTestId("error-panel")).toBeNull();
    vi.mocked(api.openSavedDocument).mockRejectedValueOnce(
      new AppError("document_not_found", "Le document « 2026-12-14 Bertrix - Dossier complet.pdf » n'est plus dans /tmp. Enregistrez-le à nouveau."),
    );
    await userEvent.click(screen.getByTestId("document-open-whole_file"));
    expect(await screen.findByTestId("error-panel")).toHaveTextContent("n'est plus dans /tmp");
  });

  it("passes the tenderer of an information letter", async () => {
    vi.mocked(api.documentChoices).mockResolvedValue(awarded);
    vi.mocked(api.document).mockResolvedValue({ path: "/tmp/x.pdf", file_name: "x.pdf", pages: 2 });
    render(<DocumentsBlock recordId="o-1" />);
    await userEvent.click(await screen.findByTestId("document-save-information_letter-p-2"));
    expect(api.document).toHaveBeenCalledWith({ kind: "information_letter", provider_id: "p-2" }, "o-1");
  });

  it("offers the parts as a zip beside the whole file, and says how many it holds", async () => {
    vi.mocked(api.documentChoices).mockResolvedValue(awarded);
    vi.mocked(api.document).mockResolvedValue({
      path: "/home/marie/Documents/Centrale/2026-12-14 Bertrix - Pièces du dossier - E-guichet.zip",
      file_name: "2026-12-14 Bertrix - Pièces du dossier - E-guichet.zip",
      pages: 4,
    });
    render(<DocumentsBlock recordId="o-1" />);
    const button = await screen.findByTestId("document-save-parts");
    expect(button).toHaveTextContent("Pièces du dossier, une par fichier (zip)");
    expect(button).not.toHaveTextContent("(PDF)");
    await userEvent.click(button);
    expect(api.document).toHaveBeenCalledWith({ kind: "parts" }, "o-1");
    expect(await screen.findByTestId("document-saved-parts")).toHaveTextContent(
      "Fichier zip enregistré (4 pièces en PDF) : /home/marie/Documents/Centrale/2026-12-14 Bertrix - Pièces du dossier - E-guichet.zip",
    );
  });

  it("says why when it cannot, and offers to try again", async () => {
    vi.mocked(api.documentChoices).mockResolvedValue(awarded);
    vi.mocked(api.document).mockRejectedValue(
      new AppError("document_not_yet", "Le document n'est pas encore disponible : les offres ne sont pas encore ouvertes."),
    );
    render(<DocumentsBlock recordId="o-1" />);
    await userEvent.click(await screen.findByTestId("document-save-analysis_report"));
    expect(await screen.findByTestId("error-panel")).toHaveTextContent("les offres ne sont pas encore ouvertes");
    expect(screen.getByTestId("document-save-analysis_report")).toBeEnabled();
  });

  it("says so when nothing can be printed yet", async () => {
    vi.mocked(api.documentChoices).mockResolvedValue([]);
    render(<DocumentsBlock recordId="o-1" />);
    expect(await screen.findByTestId("documents-none")).toHaveTextContent("Aucun document à imprimer pour l'instant");
  });
});
