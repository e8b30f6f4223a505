/**
 * The paper of a call-off (issue 12): the analysis report typeset on this PC from what it
 * holds — offline too — and saved as a PDF in the user's Documents folder, where the
 * directrice générale takes it for the collège's file.
 */
import { useState } from "react";
import { api } from "../../api";
import { Button } from "../../components/Button";
import { ErrorPanel } from "../../components/ErrorPanel";
import { Icon } from "../../components/Icon";
import { AppError } from "../../errors";
import { useT } from "../../i18n";
import type { SavedDocument } from "../../bindings/SavedDocument";

export function AnalysisReportButton({ orderId }: { orderId: string }) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<SavedDocument | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  const save = async () => {
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      setSaved(await api.analysisReport(orderId));
    } catch (e) {
      setError(AppError.from(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="document-action" data-testid="analysis-report">
      <Button busy={busy} onClick={() => void save()} data-testid="analysis-report-save">
        <Icon name="arrow-right" />
        {t("orders.documents.analysisReport")}
      </Button>
      {saved && (
        <p className="notice notice--success" role="status" data-testid="analysis-report-saved">
          <Icon name="check" />
          <span>
            {t("orders.documents.saved", { count: saved.pages })} <code className="identifier">{saved.path}</code>
          </span>
        </p>
      )}
      {error && <ErrorPanel error={error} />}
    </div>
  );
}
