/**
 * The framework's documents editor (cahier des charges, bordereau, annexes), shared by the new
 * service and the new framework version: documents in force can be kept, replaced (a new
 * version of the file) or removed; new ones added. Each document has a title, a version label,
 * a file name and the SHA-256 fingerprint of the file (64 hexadecimal characters), so that
 * every commune can check it reads the same document. The file itself is uploaded from here
 * (`DocumentUpload`), which fills the name and the fingerprint; a version is published only
 * when the server holds every file it names.
 */
import { Button } from "../../../components/Button";
import type { FieldError } from "../../../components/ErrorSummary";
import { useT, type Translate } from "../../../i18n";
import type { FrameworkDocument } from "../../../bindings/FrameworkDocument";
import { shortHash } from "../../screenHelpers";
import { DocumentUpload } from "./DocumentUpload";
import { TextInput } from "./fields";
import { isSha256 } from "./rules";
import { LIMITS } from "../../../bindings/rules";

/** What happens to a document in force; `new` for one being added. */
export type DocumentMode = "keep" | "replace" | "remove" | "new";

export type DocumentDraft = {
  key: string;
  original: FrameworkDocument | null;
  mode: DocumentMode;
  title: string;
  version: string;
  fileName: string;
  sha256: string;
};

export function draftFromDocument(doc: FrameworkDocument, key: string): DocumentDraft {
  return { key, original: doc, mode: "keep", title: doc.title_fr, version: doc.version, fileName: doc.file_name, sha256: doc.sha256 };
}

export function newDocumentDraft(key: string): DocumentDraft {
  return { key, original: null, mode: "new", title: "", version: "", fileName: "", sha256: "" };
}

type DocField = "title" | "version" | "file" | "sha256" | "upload" | "replace" | "remove" | "restore";

/** `document-<i>-<field>`, i being the document's place in the list (from 0). */
export function documentFieldId(index: number, field: DocField): string {
  return `document-${index}-${field}`;
}

/** Checks the documents being replaced or added and builds the list to send. */
export function checkDocuments(t: Translate, drafts: DocumentDraft[]): { documents: FrameworkDocument[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const documents: FrameworkDocument[] = [];
  drafts.forEach((d, i) => {
    if (d.mode === "remove") return;
    if (d.mode === "keep" && d.original) {
      documents.push(d.original);
      return;
    }
    const name = d.title.trim() || t("catalogueAdmin.documents.documentN", { n: i + 1 });
    const title = d.title.trim();
    const version = d.version.trim();
    const fileName = d.fileName.trim();
    const sha = d.sha256.trim().toLowerCase();
    let ok = true;
    if (title === "" || [...title].length > LIMITS.DOCUMENT_TITLE_MAX_CHARS) {
      errors.push({ fieldId: documentFieldId(i, "title"), message: t("catalogueAdmin.documents.titleMissing", { n: i + 1, max: LIMITS.DOCUMENT_TITLE_MAX_CHARS }) });
      ok = false;
    }
    if (version === "" || [...version].length > LIMITS.DOCUMENT_VERSION_MAX_CHARS) {
      errors.push({ fieldId: documentFieldId(i, "version"), message: t("catalogueAdmin.documents.versionMissing", { document: name }) });
      ok = false;
    }
    if (fileName === "" || [...fileName].length > LIMITS.DOCUMENT_FILE_NAME_MAX_CHARS) {
      errors.push({ fieldId: documentFieldId(i, "file"), message: t("catalogueAdmin.documents.fileMissing", { document: name }) });
      ok = false;
    }
    if (sha === "") {
      errors.push({ fieldId: documentFieldId(i, "sha256"), message: t("catalogueAdmin.documents.shaMissing", { document: name }) });
      ok = false;
    } else if (!isSha256(sha)) {
      const message =
        sha.length !== 64
          ? t("catalogueAdmin.documents.shaLength", { document: name, length: String(sha.length) })
          : t("catalogueAdmin.documents.shaChars", { document: name });
      errors.push({ fieldId: documentFieldId(i, "sha256"), message });
      ok = false;
    }
    if (ok) documents.push({ title_fr: title, version, file_name: fileName, sha256: sha });
  });
  return { documents, errors };
}

type EditorProps = {
  drafts: DocumentDraft[];
  onChange: (drafts: DocumentDraft[]) => void;
  newKey: () => string;
  errorFor: (fieldId: string) => string | null;
};

/** The documents, each kept, replaced, removed or new, and « Ajouter un document ». */
export function DocumentsEditor({ drafts, onChange, newKey, errorFor }: EditorProps) {
  const t = useT();
  const update = (key: string, change: Partial<DocumentDraft>) => onChange(drafts.map((d) => (d.key === key ? { ...d, ...change } : d)));
  const reset = (d: DocumentDraft): Partial<DocumentDraft> =>
    d.original ? { mode: "keep", title: d.original.title_fr, version: d.original.version, fileName: d.original.file_name, sha256: d.original.sha256 } : {};

  return (
    <div className="line-editor">
      {drafts.length === 0 && <p className="muted">{t("catalogueAdmin.documents.none")}</p>}
      {drafts.map((d, i) => {
        const id = (field: DocField) => documentFieldId(i, field);
        const original = d.original;
        if (original && (d.mode === "keep" || d.mode === "remove")) {
          const removed = d.mode === "remove";
          return (
            <div key={d.key} className={`line-card${removed ? " line-card--removed" : ""}`} data-testid="document-in-force">
              <p className="line-card__title">
                <strong>{original.title_fr}</strong>{" "}
                <span className="muted">{t("catalogueAdmin.documents.reference", { file: original.file_name, version: original.version })}</span>
              </p>
              <p className="muted">
                {t("catalogueAdmin.documents.fingerprint")} <code className="identifier" title={original.sha256}>{shortHash(original.sha256)}</code>
              </p>
              {removed ? (
                <>
                  <p>{t("catalogueAdmin.documents.removedNote")}</p>
                  <Button className="button--small" onClick={() => update(d.key, reset(d))} data-testid={id("restore")}>
                    {t("catalogueAdmin.documents.restore")}
                  </Button>
                </>
              ) : (
                <div className="button-group">
                  <Button className="button--small" onClick={() => update(d.key, { mode: "replace" })} data-testid={id("replace")}>
                    {t("catalogueAdmin.documents.replace", { document: original.title_fr })}
                  </Button>
                  <Button className="button--small" onClick={() => update(d.key, { mode: "remove" })} data-testid={id("remove")}>
                    {t("catalogueAdmin.documents.remove", { document: original.title_fr })}
                  </Button>
                </div>
              )}
            </div>
          );
        }
        const legend = original
          ? t("catalogueAdmin.documents.replaceTitle", { document: original.title_fr })
          : t("catalogueAdmin.documents.newTitle", { n: i + 1 });
        return (
          <fieldset key={d.key} className="line-card" data-testid={original ? "document-replace" : "document-new"}>
            <legend className="line-card__title">{legend}</legend>
            <TextInput
              id={id("title")}
              label={t("catalogueAdmin.documents.title")}
              hint={t("catalogueAdmin.documents.titleHint")}
              required
              value={d.title}
              onChange={(v) => update(d.key, { title: v })}
              error={errorFor(id("title"))}
              testId={id("title")}
            />
            <TextInput
              id={id("version")}
              label={t("catalogueAdmin.documents.version")}
              hint={t("catalogueAdmin.documents.versionHint")}
              required
              width="short"
              value={d.version}
              onChange={(v) => update(d.key, { version: v })}
              error={errorFor(id("version"))}
              testId={id("version")}
            />
            <DocumentUpload
              testId={id("upload")}
              onUploaded={(fileName, stored) => update(d.key, { fileName, sha256: stored.sha256 })}
            />
            <TextInput
              id={id("file")}
              label={t("catalogueAdmin.documents.file")}
              hint={t("catalogueAdmin.documents.fileHint")}
              required
              width="medium"
              value={d.fileName}
              onChange={(v) => update(d.key, { fileName: v })}
              error={errorFor(id("file"))}
              testId={id("file")}
              spellCheck={false}
            />
            <TextInput
              id={id("sha256")}
              label={t("catalogueAdmin.documents.sha256")}
              hint={t("catalogueAdmin.documents.sha256Hint")}
              required
              value={d.sha256}
              onChange={(v) => update(d.key, { sha256: v })}
              error={errorFor(id("sha256"))}
              testId={id("sha256")}
              spellCheck={false}
            />
            {original ? (
              <Button className="button--small" onClick={() => update(d.key, reset(d))} data-testid={id("restore")}>
                {t("catalogueAdmin.documents.cancelReplace")}
              </Button>
            ) : (
              <Button className="button--small" onClick={() => onChange(drafts.filter((x) => x.key !== d.key))} data-testid={id("remove")}>
                {t("catalogueAdmin.documents.removeNew")}
              </Button>
            )}
          </fieldset>
        );
      })}
      <Button onClick={() => onChange([...drafts, newDocumentDraft(newKey())])} data-testid="document-add">
        {t("catalogueAdmin.documents.add")}
      </Button>
    </div>
  );
}
