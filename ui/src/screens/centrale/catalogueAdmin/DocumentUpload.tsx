/**
 * Uploading the file of a framework document (issue 12 §2), inside the documents editor of a
 * new service or a new framework version: pick a file, see its name, size and type, upload it.
 * The same limits as the server's are checked first (size, accepted types, from the generated
 * `rules.ts`); the server then checks the content itself and computes the fingerprint, which
 * fills the document's file name and SHA-256.
 */
import { useId, useState } from "react";
import { api } from "../../../api";
import { Button } from "../../../components/Button";
import { ErrorPanel } from "../../../components/ErrorPanel";
import { Icon } from "../../../components/Icon";
import { AppError } from "../../../errors";
import { formatDecimal } from "../../../format";
import { useT } from "../../../i18n";
import { LIMITS } from "../../../bindings/rules";
import type { DocumentFileStored } from "../../../bindings/DocumentFileStored";
import { shortHash } from "../../screenHelpers";

const TYPES = ["pdf", "docx", "xlsx", "odt", "ods"] as const;
type FileType = (typeof TYPES)[number];

/** The accepted type a file name announces, or null. */
export function typeOfName(name: string): FileType | null {
  const ext = name.split(".").pop()?.toLowerCase() ?? "";
  return name.includes(".") && (TYPES as readonly string[]).includes(ext) ? (ext as FileType) : null;
}

/** `1 536 000` bytes → `1,5 Mo`; below a Mo, in Ko. */
export function formatSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${formatDecimal(String(Math.max(1, Math.round(bytes / 1024))))} Ko`;
  return `${formatDecimal((Math.round((bytes / (1024 * 1024)) * 10) / 10).toString())} Mo`;
}

export function DocumentUpload({ testId, onUploaded }: { testId: string; onUploaded: (fileName: string, stored: DocumentFileStored) => void }) {
  const t = useT();
  const inputId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ name: string; stored: DocumentFileStored } | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const type = file ? typeOfName(file.name) : null;

  const pick = (picked: File | null) => {
    setFile(picked);
    setDone(null);
    setError(null);
    setRefusal(null);
    if (!picked) return;
    if (picked.size > LIMITS.DOCUMENT_FILE_MAX_BYTES) {
      setRefusal(t("catalogueAdmin.documents.upload.tooLarge", { name: picked.name, size: formatSize(picked.size), max: LIMITS.DOCUMENT_FILE_MAX_MB }));
    } else if (!typeOfName(picked.name)) {
      setRefusal(t("catalogueAdmin.documents.upload.wrongType", { name: picked.name }));
    }
  };

  const send = async () => {
    if (!file || refusal) return;
    setBusy(true);
    setError(null);
    try {
      const stored = await api.uploadFrameworkDocument(file);
      setDone({ name: file.name, stored });
      onUploaded(file.name, stored);
    } catch (e) {
      setError(AppError.from(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="field" data-testid={testId}>
      <label className="field__label" htmlFor={inputId}>
        {t("catalogueAdmin.documents.upload.pick")}
      </label>
      <p className="field__hint">{t("catalogueAdmin.documents.upload.hint", { max: LIMITS.DOCUMENT_FILE_MAX_MB })}</p>
      <input
        id={inputId}
        type="file"
        accept=".pdf,.docx,.xlsx,.odt,.ods"
        onChange={(e) => pick(e.target.files?.[0] ?? null)}
        data-testid={`${testId}-input`}
      />
      {file && (
        <p data-testid={`${testId}-picked`}>
          {t("catalogueAdmin.documents.upload.picked", {
            name: file.name,
            size: formatSize(file.size),
            type: type ? t(`catalogueAdmin.documents.upload.type.${type}`) : "?",
          })}
        </p>
      )}
      {refusal && (
        <p className="field__error" role="alert" data-testid={`${testId}-refused`}>
          {refusal}
        </p>
      )}
      {file && !refusal && !done && (
        <Button variant="primary" className="button--small" busy={busy} onClick={() => void send()} data-testid={`${testId}-send`}>
          {t("catalogueAdmin.documents.upload.send")}
        </Button>
      )}
      {done && (
        <p className="notice notice--success" role="status" data-testid={`${testId}-done`}>
          <Icon name="check" />
          <span>
            {t(done.stored.newly_stored ? "catalogueAdmin.documents.upload.sent" : "catalogueAdmin.documents.upload.already", {
              name: done.name,
              hash: shortHash(done.stored.sha256),
            })}
          </span>
        </p>
      )}
      {error && <ErrorPanel error={error} />}
    </div>
  );
}
