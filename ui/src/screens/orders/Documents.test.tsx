import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api";
import { AppError } from "../../errors";
import { mockBackend } from "../../test/api";
import { AnalysisReportButton } from "./Documents";

vi.mock("../../api");

beforeEach(() => {
  mockBackend();
});

describe("the analysis report, as a PDF on this PC (issue 12)", () => {
  it("saves it and says where, in words", async () => {
    vi.mocked(api.analysisReport).mockResolvedValue({
      path: "/home/marie/Documents/Centrale/2026-12-14 Bertrix - Rapport d'analyse des offres - E-guichet.pdf",
      file_name: "2026-12-14 Bertrix - Rapport d'analyse des offres - E-guichet.pdf",
      pages: 3,
    });
    render(<AnalysisReportButton orderId="o-1" />);
    await userEvent.click(screen.getByTestId("analysis-report-save"));
    expect(api.analysisReport).toHaveBeenCalledWith("o-1");
    expect(await screen.findByTestId("analysis-report-saved")).toHaveTextContent(
      "Rapport enregistré (3 pages) : /home/marie/Documents/Centrale/2026-12-14 Bertrix - Rapport d'analyse des offres - E-guichet.pdf",
    );
  });

  it("says why when it cannot, and offers to try again", async () => {
    vi.mocked(api.analysisReport).mockRejectedValue(
      new AppError("document_not_yet", "Le document n'est pas encore disponible : les offres ne sont pas encore ouvertes."),
    );
    render(<AnalysisReportButton orderId="o-1" />);
    await userEvent.click(screen.getByTestId("analysis-report-save"));
    expect(await screen.findByTestId("error-panel")).toHaveTextContent("les offres ne sont pas encore ouvertes");
    expect(screen.getByTestId("analysis-report-save")).toBeEnabled();
  });
});
