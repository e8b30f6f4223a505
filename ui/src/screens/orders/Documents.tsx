/**
 * « Documents à imprimer » (issue 12): the documents an order or an adhesion allows now — the
 * draft decisions, the opening record, the analysis report, the letters, the purchase order,
 * the acceptance records, the whole file and its parts as a zip; the deliberation and the signed convention — each
 * typeset on this PC from what it holds (offline too) and saved as a PDF in the user's
 * Documents folder, where the directrice générale takes it for the collège's file. Which
 * documents are offered is the app's answer (`document_choices`), never decided here.
 */
import { useEffect, useState } from "react";
import { api } from "../../api";
import { Button } from "../../components/Button";
import { ErrorPanel } from "../../components/ErrorPanel";
import { Icon } from "../../components/Icon";
import { startCommand } from "../../data";
import { AppError } from "../../errors";
import { useT } from "../../i18n";
import type { DocumentChoice } from "../../bindings/DocumentChoice";
import type { DocumentKind } from "../../bindings/DocumentKind";
import type { SavedDocument } from "../../bindings/SavedDocument";

function keyOf(kind: DocumentKind): string {
  return kind.kind === "information_letter" ? `${kind.kind}-${kind.provider_id}` : kind.kind;
}

/** « Ouvrir » a saved document with the PC's viewer, to read or print it at once. */
function OpenSaved({ fileName, testId }: { fileName: string; testId: string }) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const open = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.openSavedDocument(fileName);
    } catch (e) {
      setError(AppError.from(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button variant="link" busy={busy} onClick={() => void open()} data-testid={testId}>
        {t("orders.documents.open")}
      </Button>
      {error && <ErrorPanel error={error} />}
    </>
  );
}

/**
 * One document: a button, then where it was saved or why it could not be. Another screen may
 * word its button (`label`) and name it for the desktop journeys (`saveTestId`).
 */
export function DocumentButton({
  recordId,
  choice,
  label,
  saveTestId,
}: {
  recordId: string;
  choice: DocumentChoice;
  label?: string;
  saveTestId?: string;
}) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<SavedDocument | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const key = keyOf(choice.kind);
  // The zip of the parts, beside « Dossier complet »: each piece its own PDF.
  const parts = choice.kind.kind === "parts";

  const save = async () => {
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      setSaved(await api.document(choice.kind, recordId));
    } catch (e) {
      setError(AppError.from(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className="document-action" data-testid={`document-${key}`}>
      <Button variant="secondary" busy={busy} onClick={() => void save()} data-testid={saveTestId ?? `document-save-${key}`}>
        <Icon name="arrow-right" />
        {label ?? t(parts ? "orders.documents.zip" : "orders.documents.pdf", { title: choice.title })}
      </Button>
      {saved && (
        <div className="notice notice--success" role="status" data-testid={`document-saved-${key}`}>
          <Icon name="check" />
          <span>
            {t(parts ? "orders.documents.savedParts" : "orders.documents.saved", { count: saved.pages })}{" "}
            <code className="identifier">{saved.path}</code>
          </span>
          <OpenSaved fileName={saved.file_name} testId={`document-open-${key}`} />
        </div>
      )}
      {error && <ErrorPanel error={error} />}
    </li>
  );
}

/** The « Documents à imprimer » block of an order's or an adhesion's page. */
export function DocumentsBlock({ recordId, refreshKey }: { recordId: string; refreshKey?: string }) {
  const t = useT();
  const [choices, setChoices] = useState<DocumentChoice[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  useEffect(() => {
    let live = true;
    setError(null);
    startCommand(() => api.documentChoices(recordId))
      .then((c) => live && setChoices(c))
      .catch((e) => live && setError(AppError.from(e)));
    return () => {
      live = false;
    };
  }, [recordId, refreshKey]);

  return (
    <section className="section" aria-labelledby="documents-title" data-testid="documents">
      <h2 id="documents-title">{t("orders.documents.title")}</h2>
      {error && <ErrorPanel error={error} />}
      {choices && choices.length === 0 && (
        <p className="muted" data-testid="documents-none">
          {t("orders.documents.none")}
        </p>
      )}
      {choices && choices.length > 0 && (
        <>
          <p className="muted">{t("orders.documents.intro")}</p>
          <ul className="document-list">
            {choices.map((c) => (
              <DocumentButton key={keyOf(c.kind)} recordId={recordId} choice={c} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
