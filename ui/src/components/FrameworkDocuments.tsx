/**
 * The documents of a framework version (cahier spécial des charges, bordereau de prix,
 * annexes), each with « Ouvrir » (issue 12 §2): the file kept on this PC — checked against its
 * fingerprint, offline too — is saved in the Documents folder and opened with the PC's viewer.
 * Shown on a service's page (the version in force) and on an order's page (the version the
 * order is pinned to, even after a newer one is published).
 */
import { useState } from "react";
import { api } from "../api";
import { AppError } from "../errors";
import { useT } from "../i18n";
import type { DocumentView } from "../bindings/DocumentView";
import type { OpenedDocument } from "../bindings/OpenedDocument";
import { Button } from "./Button";
import { ErrorPanel } from "./ErrorPanel";
import { Icon } from "./Icon";
import { shortHash } from "../screens/screenHelpers";

function DocumentItem({ doc, index }: { doc: DocumentView; index: number }) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [opened, setOpened] = useState<OpenedDocument | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  const open = async () => {
    setBusy(true);
    setError(null);
    setOpened(null);
    try {
      setOpened(await api.openFrameworkDocument(doc.sha256, doc.file_name, doc.title));
    } catch (e) {
      setError(AppError.from(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className="document-list__item" data-testid={`framework-document-${index}`}>
      <strong>{doc.title}</strong>
      <span className="document-list__meta">{t("service.documents.reference", { file: doc.file_name, version: doc.version })}</span>
      <span className="document-list__meta muted">
        {t("service.documents.fingerprint")} <code className="identifier" title={doc.sha256}>{shortHash(doc.sha256)}</code>
      </span>
      <span>
        <Button
          variant="secondary"
          className="button--small"
          busy={busy}
          onClick={() => void open()}
          aria-label={t("service.documents.openLabel", { title: doc.title })}
          data-testid={`framework-document-open-${index}`}
        >
          {t("service.documents.open")}
        </Button>
      </span>
      {opened && (
        <p className="notice notice--success" role="status" data-testid={`framework-document-opened-${index}`}>
          <Icon name="check" />
          <span>
            {t("service.documents.opened")} <code className="identifier">{opened.path}</code>
          </span>
        </p>
      )}
      {error && <ErrorPanel error={error} />}
    </li>
  );
}

/** The list, or a line saying there is none. */
export function FrameworkDocuments({ documents, labelledBy }: { documents: DocumentView[]; labelledBy?: string }) {
  const t = useT();
  if (documents.length === 0) return <p className="muted">{t("service.documents.none")}</p>;
  return (
    <ul className="document-list" data-testid="framework-documents" aria-labelledby={labelledBy}>
      {documents.map((d, i) => (
        <DocumentItem key={`${d.sha256}-${d.file_name}`} doc={d} index={i} />
      ))}
    </ul>
  );
}
