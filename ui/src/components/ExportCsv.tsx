/**
 * « Exporter (CSV) » (issue 12 §3): the list the screen shows, written on this PC from what it
 * holds (offline too) as a CSV file a Belgian spreadsheet opens as it is — `;` separators,
 * decimal comma, dates dd/mm/yyyy — in the folder the PDFs go to. The file is made in Rust
 * (`export_csv`); this only asks for it and says where it went, or why it could not.
 */
import { useState } from "react";
import { api } from "../api";
import { AppError } from "../errors";
import { useT } from "../i18n";
import type { ExportKind } from "../bindings/ExportKind";
import type { SavedExport } from "../bindings/SavedExport";
import { Button } from "./Button";
import { ErrorPanel } from "./ErrorPanel";
import { Icon } from "./Icon";

/**
 * `label`: what the button says when the screen names the list (« Exporter les réponses (CSV) »);
 * `surveyId`: the survey whose answers `survey_answers` exports (its results page).
 */
export function ExportCsv({ kind, label, surveyId }: { kind: ExportKind; label?: string; surveyId?: string }) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<SavedExport | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  const save = async () => {
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      setSaved(await api.exportCsv(kind, surveyId));
    } catch (e) {
      setError(AppError.from(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="export-csv" data-testid={`export-${kind}`}>
      <Button variant="secondary" busy={busy} onClick={() => void save()} data-testid={`export-csv-${kind}`}>
        <Icon name="arrow-right" />
        {label ?? t("exports.button")}
      </Button>
      {saved && (
        <p className="notice notice--success" role="status" data-testid={`export-saved-${kind}`}>
          <Icon name="check" />
          <span>
            {t("exports.saved", { count: saved.rows })} <code className="identifier">{saved.path}</code>
          </span>
        </p>
      )}
      {error && <ErrorPanel error={error} />}
    </div>
  );
}
