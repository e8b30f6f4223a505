/**
 * New version of a framework agreement (#/catalogue/:serviceId/nouvelle-version), for the
 * centrale's staff. It starts from the terms in force (version N) and lets them change the end
 * date, the price schedule (ceilings, lines added or removed), the documents (added, replaced,
 * removed) and the parties' statuses (suspended, reactivated; at least one stays active), with
 * the reason for the change and its legal basis: a review clause of the framework, a party's
 * succession (the only way another provider enters), or the correction of a material error.
 * The domain decides what each basis allows (checked on this PC at once, then by the server);
 * its refusal comes back next to the field. Before publishing, the differences against version
 * N and the basis are shown with a confirmation; only the changed parts are sent (null keeps the
 * current value). The new version reaches every commune at its next synchronisation, and orders
 * already under way keep theirs.
 *
 * It also keeps the parties' interoperability sheets (issue 16 §1; catalogueAdmin/
 * interoperability.tsx): the centrale's record of each solution, not a term, so a version that
 * changes only sheets (and/or statuses) needs no basis — the domain decides, this screen lets
 * it go without one. The solutions a sheet may link to are read from the catalogue on this PC:
 * `api.services`, then `api.serviceDetail` of each (its framework's parties), as the providers'
 * screen does — no command lists every framework's parties at once.
 */
import { useState, type FormEvent } from "react";
import { api } from "../../api";
import { Button } from "../../components/Button";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { EmptyState } from "../../components/EmptyState";
import { ErrorPanel } from "../../components/ErrorPanel";
import { ErrorSummary, type FieldError } from "../../components/ErrorSummary";
import { Field } from "../../components/Field";
import { Icon } from "../../components/Icon";
import { Loading } from "../../components/Loading";
import { Page } from "../../components/Page";
import { Receipt } from "../../components/Receipt";
import { StatusTag } from "../../components/StatusTag";
import { useCommand } from "../../data";
import { AppError } from "../../errors";
import { formatDate, formatDateTime } from "../../format";
import { useErrorText, useT, type Translate } from "../../i18n";
import { paths } from "../../paths";
import { Link } from "../../router";
import type { FrameworkProvider } from "../../bindings/FrameworkProvider";
import type { FrameworkTermsInForce } from "../../bindings/FrameworkTermsInForce";
import type { LegalBasis } from "../../bindings/LegalBasis";
import type { ProviderRow } from "../../bindings/ProviderRow";
import type { ProviderStatus } from "../../bindings/ProviderStatus";
import type { PublishFrameworkVersion } from "../../bindings/PublishFrameworkVersion";
import type { ServiceDetail } from "../../bindings/ServiceDetail";
import type { ScreenProps } from "../ScreenProps";
import { CentraleOnly, outboxOf, payloadOf, useKeyMaker, useWho } from "./catalogueAdmin/common";
import { changedParts, describeChanges, nothingChanged, type ChangedParts, type DiffSection } from "./catalogueAdmin/diff";
import { checkDocuments, draftFromDocument, type DocumentDraft } from "./catalogueAdmin/documents";
import { TextInput } from "./catalogueAdmin/fields";
import { checkPriceLines, draftFromLine, ScheduleAndDocuments, type PriceLineDraft } from "./catalogueAdmin/priceLines";
import { brusselsDay, isIsoDate } from "../../calendar";
import { formatEnterpriseNumber, latestEndDate } from "./catalogueAdmin/rules";
import { LIMITS } from "../../bindings/rules";
import { checkValue, valueDraft, ValueFields, VALUE_REFUSAL_FIELDS, type ValueDraft } from "./catalogueAdmin/value";
import {
  catalogueSolutions,
  checkSheets,
  draftFromSheet,
  InteroperabilityEditor,
  sheetRefusalField,
  type CatalogueSolution,
  type SheetDraft,
} from "./catalogueAdmin/interoperability";
import type { InteroperabilitySheet } from "../../bindings/InteroperabilitySheet";

/** A provider's place in the new version, as the form holds it. */
type ProviderDraft = { provider_id: string; status: ProviderStatus };

type BasisKind = LegalBasis["kind"];
const BASIS_KINDS: BasisKind[] = ["review_clause", "succession", "correction"];

type Values = {
  endDate: string;
  /** The maximum value and the contract duration, as typed. */
  value: ValueDraft;
  lines: PriceLineDraft[];
  documents: DocumentDraft[];
  providers: ProviderDraft[];
  /** The parties' interoperability sheets (a party without one has none here). */
  sheets: SheetDraft[];
  changeNote: string;
  /** The legal basis chosen ("" = none: only a suspension or reactivation needs none). */
  basis: BasisKind | "";
  clause: string;
  predecessor: string;
  successor: string;
  act: string;
  correction: string;
};

export const FIELD_IDS = {
  endDate: "framework-end-date",
  changeNote: "framework-change-note",
  basis: "legal-basis-review_clause",
  clause: "legal-basis-clause",
  predecessor: "legal-basis-predecessor",
  successor: "legal-basis-successor",
  act: "legal-basis-act",
  correction: "legal-basis-note",
  providerStatus: (id: string) => `provider-status-${id}`,
} as const;

/**
 * Where the domain's refusal of a publication is shown: by its `field`, or its code. `sheets`
 * are the sheets the domain checked (those sent, else those in force) to read
 * `interoperability[i]…` against.
 */
function refusalField(error: AppError, sheets: InteroperabilitySheet[]): string | null {
  const field = typeof error.params?.field === "string" ? error.params.field : null;
  if (field?.startsWith("interoperability")) return sheetRefusalField(field, sheets);
  if (error.code === "modification_without_review_clause" && field === "end_date") return FIELD_IDS.endDate;
  if (field && VALUE_REFUSAL_FIELDS[field]) return VALUE_REFUSAL_FIELDS[field] ?? null;
  if (["modification_without_review_clause", "legal_basis_missing", "provider_not_party"].includes(error.code)) return FIELD_IDS.basis;
  const byField: Record<string, string> = {
    end_date: FIELD_IDS.endDate,
    change_note: FIELD_IDS.changeNote,
    legal_basis: FIELD_IDS.basis,
    "legal_basis.clause": FIELD_IDS.clause,
    "legal_basis.predecessor": FIELD_IDS.predecessor,
    "legal_basis.successor": FIELD_IDS.successor,
    "legal_basis.act": FIELD_IDS.act,
    "legal_basis.note": FIELD_IDS.correction,
  };
  return field ? (byField[field] ?? null) : null;
}

/** The change note's length, as the domain holds it (`centrale_domain::catalogue::check_change_note`). */
const MIN_NOTE = LIMITS.CHANGE_NOTE_MIN_CHARS;
const MAX_NOTE = LIMITS.CHANGE_NOTE_MAX_CHARS;

function initialValues(inForce: FrameworkTermsInForce): Values {
  const { terms } = inForce;
  return {
    endDate: terms.end_date,
    value: valueDraft(terms),
    lines: terms.price_schedule.map((l, i) => draftFromLine(l, `in-force-line-${i}`)),
    documents: terms.documents.map((d, i) => draftFromDocument(d, `in-force-document-${i}`)),
    providers: terms.providers.map((p) => ({ provider_id: p.provider_id, status: p.status })),
    sheets: (terms.interoperability ?? []).map(draftFromSheet),
    changeNote: "",
    basis: "",
    clause: "",
    predecessor: "",
    successor: "",
    act: "",
    correction: "",
  };
}

/**
 * Checks the form; the payload to send (only the changed parts) or the problems. `today` (in
 * Brussels) bounds the dates of the sheets' checks; `providerName` names the parties in messages.
 */
export function checkVersion(
  t: Translate,
  inForce: FrameworkTermsInForce,
  values: Values,
  providerName: (id: string) => string = (id) => id,
  today: string = brusselsDay(Date.now()),
): { input: PublishFrameworkVersion; parts: ChangedParts } | { errors: FieldError[] } {
  const { terms } = inForce;
  const errors: FieldError[] = [];

  const end = values.endDate.trim();
  const limit = latestEndDate(terms.start_date);
  if (!isIsoDate(end)) errors.push({ fieldId: FIELD_IDS.endDate, message: t("catalogueAdmin.version.endDateInvalid") });
  else if (end < terms.start_date) {
    errors.push({ fieldId: FIELD_IDS.endDate, message: t("catalogueAdmin.version.endBeforeStart", { start: formatDate(terms.start_date) }) });
  } else if (limit && end > limit) {
    errors.push({ fieldId: FIELD_IDS.endDate, message: t("catalogueAdmin.version.endTooLate", { limit: formatDate(limit) }) });
  }

  const value = checkValue(t, values.value);
  errors.push(...value.errors);
  const lines = checkPriceLines(t, values.lines);
  errors.push(...lines.errors);
  const documents = checkDocuments(t, values.documents);
  errors.push(...documents.errors);
  const sheets = checkSheets(t, values.sheets, { today, serviceId: inForce.service_id, providerName });
  errors.push(...sheets.errors);

  const providers: FrameworkProvider[] = values.providers.map((p) => ({ provider_id: p.provider_id, status: p.status }));
  // A successor enters active: the succession keeps a provider active.
  if (values.basis !== "succession" && !providers.some((p) => p.status === "active")) {
    const first = values.providers[0];
    errors.push({
      fieldId: first ? FIELD_IDS.providerStatus(first.provider_id) : FIELD_IDS.basis,
      message: t("catalogueAdmin.version.noActiveProvider"),
    });
  }

  // The parts of the basis a person must fill in; what each basis allows is the domain's.
  let legalBasis: LegalBasis | null = null;
  if (values.basis === "review_clause") {
    const clause = values.clause.trim();
    if (!clause) errors.push({ fieldId: FIELD_IDS.clause, message: t("catalogueAdmin.version.basis.clauseMissing") });
    legalBasis = { kind: "review_clause", clause };
  } else if (values.basis === "succession") {
    if (!values.predecessor) errors.push({ fieldId: FIELD_IDS.predecessor, message: t("catalogueAdmin.version.basis.predecessorMissing") });
    if (!values.successor) errors.push({ fieldId: FIELD_IDS.successor, message: t("catalogueAdmin.version.basis.successorMissing") });
    const act = values.act.trim();
    if (!act) errors.push({ fieldId: FIELD_IDS.act, message: t("catalogueAdmin.version.basis.actMissing") });
    legalBasis = { kind: "succession", predecessor: values.predecessor, successor: values.successor, act };
  } else if (values.basis === "correction") {
    const note = values.correction.trim();
    if (!note) errors.push({ fieldId: FIELD_IDS.correction, message: t("catalogueAdmin.version.basis.correctionMissing") });
    legalBasis = { kind: "correction", note };
  }

  const note = values.changeNote.trim();
  const length = [...note].length;
  if (length === 0) errors.push({ fieldId: FIELD_IDS.changeNote, message: t("catalogueAdmin.version.noteMissing", { min: MIN_NOTE }) });
  else if (length < MIN_NOTE) errors.push({ fieldId: FIELD_IDS.changeNote, message: t("catalogueAdmin.version.noteTooShort", { min: MIN_NOTE }) });
  else if (length > MAX_NOTE) errors.push({ fieldId: FIELD_IDS.changeNote, message: t("catalogueAdmin.version.noteTooLong", { max: MAX_NOTE }) });

  if (errors.length > 0) return { errors };

  const parts = changedParts(terms, {
    end_date: end,
    price_schedule: lines.lines,
    documents: documents.documents,
    providers,
    max_value: value.maxValue,
    contract_months: value.contractMonths ?? terms.contract_months,
    interoperability: sheets.sheets,
  });
  if (nothingChanged(parts) && legalBasis?.kind !== "succession") {
    return { errors: [{ fieldId: FIELD_IDS.endDate, message: t("catalogueAdmin.version.nothingChanged", { version: terms.version }) }] };
  }
  // The price formula and the designation rule of direct call-offs are not changed from this
  // screen: they are the award method announced (the API changes them under a review clause).
  return { input: { framework_id: inForce.framework_id, change_note: note, ...parts, legal_basis: legalBasis, price_formula: null, designation_rule: null }, parts };
}

/** The basis in words, for the confirmation (none: for statuses and/or sheets only). */
function basisText(t: Translate, input: PublishFrameworkVersion, providerName: (id: string) => string): string {
  const basis = input.legal_basis;
  if (!basis) {
    const terms = [input.end_date, input.price_schedule, input.documents, input.max_value, input.contract_months];
    if (input.interoperability === null || terms.some((part) => part !== null)) return t("catalogueAdmin.version.basis.none");
    return t(input.providers === null ? "catalogueAdmin.version.basis.noneSheets" : "catalogueAdmin.version.basis.noneStatusesAndSheets");
  }
  switch (basis.kind) {
    case "review_clause":
      return t("catalogueAdmin.version.basis.summary.review_clause", { clause: basis.clause });
    case "succession":
      return t("catalogueAdmin.version.basis.summary.succession", {
        successor: providerName(basis.successor),
        predecessor: providerName(basis.predecessor),
        act: basis.act,
      });
    case "correction":
      return t("catalogueAdmin.version.basis.summary.correction", { note: basis.note });
  }
}

type Done = { version: number; when: string; what: string };

function VersionForm({
  inForce,
  detail,
  registered,
  catalogue,
  waiting,
}: {
  inForce: FrameworkTermsInForce;
  detail: ServiceDetail;
  registered: ProviderRow[];
  /** The catalogue's solutions on this PC, for the sheets' « Fonctionne avec ». */
  catalogue: CatalogueSolution[];
  /** Earlier publications of this framework still waiting in the outbox. */
  waiting: number;
}) {
  const t = useT();
  const who = useWho();
  const errorText = useErrorText();
  const newKey = useKeyMaker("added");
  const [base, setBase] = useState(inForce);
  const [values, setValues] = useState<Values>(() => initialValues(inForce));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [confirm, setConfirm] = useState<{ input: PublishFrameworkVersion; diff: DiffSection[] } | null>(null);
  const [done, setDone] = useState<Done | null>(null);

  const { terms } = base;
  const reference = base.reference;
  const serviceName = detail.service.name;
  const current = terms.version;
  const next = current + 1 + waiting;
  const moved = inForce.terms.version !== base.terms.version;

  const names = new Map<string, ProviderRow["provider"]>(registered.map((r) => [r.provider.id, r.provider]));
  const views = new Map((detail.framework?.terms.providers ?? []).map((p) => [p.provider_id, p]));
  const providerName = (id: string) => names.get(id)?.name ?? views.get(id)?.name ?? t("catalogueAdmin.providers.unknown");
  const providerNumber = (id: string) => {
    const n = names.get(id)?.enterprise_number ?? views.get(id)?.enterprise_number;
    return n ? formatEnterpriseNumber(n) : null;
  };

  const errorFor = (id: string) => errors.find((e) => e.fieldId === id)?.message ?? null;
  const set = <K extends keyof Values>(key: K, value: Values[K]) => setValues((v) => ({ ...v, [key]: value }));
  const setProvider = (id: string, change: Partial<ProviderDraft>) =>
    set(
      "providers",
      values.providers.map((p) => (p.provider_id === id ? { ...p, ...change } : p)),
    );

  const startOver = () => {
    setBase(inForce);
    setValues(initialValues(inForce));
    setErrors([]);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = checkVersion(t, base, values, providerName);
    if ("errors" in checked) {
      setErrors(checked.errors);
      return;
    }
    setErrors([]);
    setConfirm({ input: checked.input, diff: describeChanges(t, base.terms, checked.parts, values.documents, providerName) });
  };

  const publish = async () => {
    if (!confirm) return;
    try {
      await api.perform({ kind: "publish_framework_version", input: confirm.input });
    } catch (e) {
      const error = AppError.from(e);
      const fieldId = refusalField(error, confirm.input.interoperability ?? terms.interoperability ?? []);
      if (!fieldId) throw error;
      // Back to the form, the rule book's reason next to its field; what was typed stays.
      setConfirm(null);
      setErrors([{ fieldId, message: errorText(error) }]);
      return;
    }
    const parts = confirm.diff.map((s) => t(`catalogueAdmin.diff.part.${s.part}`)).join(", ");
    setConfirm(null);
    setDone({ version: next, when: new Date().toISOString(), what: t("catalogueAdmin.version.receiptWhat", { version: next, reference, parts }) });
  };

  if (done) {
    return (
      <>
        <Receipt title={t("catalogueAdmin.version.receiptTitle")} who={who} when={done.when} what={done.what} testId="framework-version-receipt">
          <p className="muted">{t("catalogueAdmin.version.receiptNote", { version: done.version, current })}</p>
        </Receipt>
        <p className="section">
          <Link to={paths.service(detail.service.id)} className="button button--secondary" data-testid="framework-version-back">
            {t("catalogueAdmin.version.backToService")}
          </Link>
        </p>
      </>
    );
  }

  const inFramework = new Set(values.providers.map((p) => p.provider_id));
  const successors = registered.filter((r) => !inFramework.has(r.provider.id));
  const parties = values.providers.filter((p) => p.status !== "replaced");
  const limit = latestEndDate(terms.start_date);

  return (
    <>
      {waiting > 0 && (
        <div className="panel panel--warning" role="note" data-testid="framework-version-waiting">
          <p>{t("catalogueAdmin.version.waiting", { count: waiting, next })}</p>
        </div>
      )}
      {moved && (
        <div className="panel panel--warning" role="note" data-testid="framework-version-moved">
          <p>{t("catalogueAdmin.version.moved", { version: inForce.terms.version, base: base.terms.version })}</p>
          <Button onClick={startOver} data-testid="framework-version-start-over">
            {t("catalogueAdmin.version.startOver", { version: inForce.terms.version })}
          </Button>
        </div>
      )}

      <form className="admin-form" noValidate onSubmit={submit} data-testid="framework-version-form">
        <ErrorSummary errors={errors} />

        <section className="section" aria-labelledby="version-period-title">
          <h2 id="version-period-title">{t("catalogueAdmin.version.periodTitle")}</h2>
          <p data-testid="framework-start-date-fixed">{t("catalogueAdmin.version.startFixed", { date: formatDate(terms.start_date) })}</p>
          <TextInput
            type="date"
            id={FIELD_IDS.endDate}
            label={t("catalogueAdmin.version.endDate")}
            hint={t("catalogueAdmin.version.endDateHint", { current: formatDate(terms.end_date), limit: limit ? formatDate(limit) : "" })}
            required
            width="short"
            value={values.endDate}
            onChange={(v) => set("endDate", v)}
            error={errorFor(FIELD_IDS.endDate)}
            testId="framework-end-date"
          />
          <div className="admin-row">
            <ValueFields value={values.value} onChange={(v) => set("value", v)} errorFor={errorFor} current={terms} />
          </div>
        </section>

        <ScheduleAndDocuments
          headingIds={{ prices: "version-prices-title", documents: "version-documents-title" }}
          pricesIntro={t("catalogueAdmin.version.pricesIntro")}
          documentsIntro={t("catalogueAdmin.version.documentsIntro")}
          value={values}
          onChange={(change) => setValues((v) => ({ ...v, ...change }))}
          newKey={newKey}
          errorFor={errorFor}
        />

        <section className="section" aria-labelledby="version-providers-title">
          <h2 id="version-providers-title">{t("catalogueAdmin.version.providersTitle")}</h2>
          <p className="muted">{t("catalogueAdmin.version.providersIntro")}</p>
          <ul className="admin-list" data-testid="framework-version-providers">
            {values.providers.map((p) => {
              const number = providerNumber(p.provider_id);
              return (
                <li key={p.provider_id} className="line-card" data-provider-id={p.provider_id}>
                  <p className="line-card__title">
                    <strong>{providerName(p.provider_id)}</strong>
                    {number && <span className="muted"> {t("catalogueAdmin.providers.bce", { number })}</span>}
                    {p.status === "replaced" && (
                      <>
                        {" "}
                        <StatusTag tone="neutral" label={t("catalogueAdmin.version.status.replaced")} />
                      </>
                    )}
                  </p>
                  {p.status !== "replaced" && (
                  <Field
                    type="select"
                    id={FIELD_IDS.providerStatus(p.provider_id)}
                    label={t("catalogueAdmin.version.providerStatus", { provider: providerName(p.provider_id) })}
                    width="medium"
                    value={p.status}
                    onChange={(v) => setProvider(p.provider_id, { status: v as ProviderStatus })}
                    options={[
                      { value: "active", label: t("catalogueAdmin.version.status.active") },
                      { value: "suspended", label: t("catalogueAdmin.version.status.suspended") },
                    ]}
                    error={errorFor(FIELD_IDS.providerStatus(p.provider_id))}
                    testId={FIELD_IDS.providerStatus(p.provider_id)}
                  />
                  )}
                </li>
              );
            })}
          </ul>
        </section>

        <InteroperabilityEditor
          parties={terms.providers.map((p) => p.provider_id)}
          inForce={terms.interoperability ?? []}
          drafts={values.sheets}
          onChange={(sheets) => set("sheets", sheets)}
          newKey={newKey}
          errorFor={errorFor}
          providerName={providerName}
          serviceId={inForce.service_id}
          serviceName={serviceName}
          catalogue={catalogue}
        />

        <section className="section" aria-labelledby="version-basis-title" data-testid="legal-basis">
          <h2 id="version-basis-title">{t("catalogueAdmin.version.basis.title")}</h2>
          <fieldset className="fieldset" aria-describedby="legal-basis-hint">
            <legend className="fieldset__legend">{t("catalogueAdmin.version.basis.question")}</legend>
            <p className="muted" id="legal-basis-hint">
              {t("catalogueAdmin.version.basis.hint")}
            </p>
            {errorFor(FIELD_IDS.basis) && (
              <p className="field__error" id="legal-basis-error" data-testid="legal-basis-error">
                {errorFor(FIELD_IDS.basis)}
              </p>
            )}
            {BASIS_KINDS.map((kind) => (
              <label key={kind} htmlFor={`legal-basis-${kind}`} className="choice">
                <input
                  type="radio"
                  id={`legal-basis-${kind}`}
                  name="legal-basis"
                  value={kind}
                  checked={values.basis === kind}
                  onChange={() => set("basis", kind)}
                  aria-invalid={kind === "review_clause" && errorFor(FIELD_IDS.basis) ? true : undefined}
                  data-testid={`legal-basis-${kind}`}
                />{" "}
                {t(`catalogueAdmin.version.basis.kind.${kind}`)}
              </label>
            ))}
          </fieldset>
          {values.basis === "review_clause" && (
            <TextInput
              id={FIELD_IDS.clause}
              label={t("catalogueAdmin.version.basis.clause")}
              hint={t("catalogueAdmin.version.basis.clauseHint")}
              required
              value={values.clause}
              onChange={(v) => set("clause", v)}
              error={errorFor(FIELD_IDS.clause)}
              testId={FIELD_IDS.clause}
            />
          )}
          {values.basis === "succession" && (
            <>
              <Field
                type="select"
                id={FIELD_IDS.predecessor}
                label={t("catalogueAdmin.version.basis.predecessor")}
                required
                value={values.predecessor}
                onChange={(v) => set("predecessor", v)}
                placeholderOption={t("catalogueAdmin.version.providerAddPlaceholder")}
                options={parties.map((p) => ({ value: p.provider_id, label: providerName(p.provider_id) }))}
                error={errorFor(FIELD_IDS.predecessor)}
                testId={FIELD_IDS.predecessor}
              />
              <Field
                type="select"
                id={FIELD_IDS.successor}
                label={t("catalogueAdmin.version.basis.successor")}
                hint={successors.length > 0 ? t("catalogueAdmin.version.basis.successorHint") : t("catalogueAdmin.version.basis.successorNone")}
                required
                value={values.successor}
                onChange={(v) => set("successor", v)}
                placeholderOption={t("catalogueAdmin.version.providerAddPlaceholder")}
                options={successors.map((r) => ({
                  value: r.provider.id,
                  label: t("catalogueAdmin.version.providerOption", {
                    provider: r.provider.name,
                    number: formatEnterpriseNumber(r.provider.enterprise_number),
                  }),
                }))}
                error={errorFor(FIELD_IDS.successor)}
                testId={FIELD_IDS.successor}
              />
              <p className="muted" data-testid="provider-register-link">
                {t("catalogueAdmin.version.providerRegister")} <Link to={paths.providers()}>{t("catalogueAdmin.version.providerAddLink")}</Link>
              </p>
              <TextInput
                id={FIELD_IDS.act}
                label={t("catalogueAdmin.version.basis.act")}
                hint={t("catalogueAdmin.version.basis.actHint")}
                required
                value={values.act}
                onChange={(v) => set("act", v)}
                error={errorFor(FIELD_IDS.act)}
                testId={FIELD_IDS.act}
              />
            </>
          )}
          {values.basis === "correction" && (
            <TextInput
              id={FIELD_IDS.correction}
              label={t("catalogueAdmin.version.basis.correction")}
              hint={t("catalogueAdmin.version.basis.correctionHint")}
              required
              value={values.correction}
              onChange={(v) => set("correction", v)}
              error={errorFor(FIELD_IDS.correction)}
              testId={FIELD_IDS.correction}
            />
          )}
        </section>

        <section className="section" aria-labelledby="version-note-title">
          <h2 id="version-note-title">{t("catalogueAdmin.version.noteTitle")}</h2>
          <Field
            type="textarea"
            id={FIELD_IDS.changeNote}
            label={t("catalogueAdmin.version.note")}
            hint={t("catalogueAdmin.version.noteHint", { min: MIN_NOTE })}
            required
            rows={3}
            value={values.changeNote}
            onChange={(v) => set("changeNote", v)}
            error={errorFor(FIELD_IDS.changeNote)}
            testId="framework-change-note"
          />
        </section>

        <div className="button-group">
          <Button type="submit" variant="primary" data-testid="framework-publish">
            {t("catalogueAdmin.version.publish", { version: next })}
          </Button>
          <Link to={paths.service(detail.service.id)} className="button button--secondary" data-testid="framework-version-cancel">
            {t("catalogueAdmin.version.cancel")}
          </Link>
        </div>
      </form>

      {confirm && (
        <ConfirmDialog
          title={t("catalogueAdmin.version.confirmTitle", { version: next, reference })}
          confirmLabel={t("catalogueAdmin.version.publish", { version: next })}
          onConfirm={publish}
          onCancel={() => setConfirm(null)}
        >
          <p>{t("catalogueAdmin.version.confirmIntro", { version: current, service: serviceName })}</p>
          <div className="diff" data-testid="framework-diff">
            {confirm.diff.map((s) => (
              <div key={s.part} className="diff__part" data-part={s.part}>
                <h3 className="diff__title">{t(`catalogueAdmin.diff.part.${s.part}`)}</h3>
                <ul>
                  {s.items.map((item) => (
                    <li key={item}>{item}</li>
                  ))}
                </ul>
              </div>
            ))}
          </div>
          <p>
            <strong>{t("catalogueAdmin.version.confirmNote")}</strong> {confirm.input.change_note}
          </p>
          <p data-testid="framework-diff-basis">
            <strong>{t("catalogueAdmin.version.confirmBasis")}</strong> {basisText(t, confirm.input, providerName)}
          </p>
          <p className="notice-text">
            <Icon name="info" /> {t("catalogueAdmin.version.confirmEffect", { version: next, current })}
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

function Screen({ serviceId }: { serviceId: string }) {
  const t = useT();
  // The service, then its framework's terms in force (as the domain holds them: a new
  // version is these terms changed).
  const data = useCommand(async () => {
    const detail = await api.serviceDetail(serviceId);
    const inForce = detail ? await api.frameworkTerms(detail.service.framework_id) : null;
    return { detail, inForce };
  }, [serviceId]);
  const providers = useCommand(() => api.providers(), []);
  const catalogue = useCommand(() => catalogueSolutions(), []);
  const outbox = useCommand(() => api.outbox(), []);

  const service = data.data?.detail ?? null;
  const inForce = data.data?.inForce ?? null;
  const frameworkId = service?.service.framework_id ?? null;
  const waiting = outboxOf(outbox.data, "framework.publish_version").filter(
    (e) => e.state === "pending" && payloadOf(e).framework_id === frameworkId,
  );

  const error = data.error ?? providers.error ?? catalogue.error;
  if (error) {
    const retry = () => {
      data.reload();
      providers.reload();
      catalogue.reload();
    };
    return <ErrorPanel error={error} onRetry={retry} />;
  }
  if (data.loading || providers.loading || catalogue.loading) return <Loading />;
  if (!service) {
    return (
      <EmptyState
        testId="framework-version-not-found"
        message={t("catalogueAdmin.version.serviceMissing")}
        action={
          <Link to={paths.catalogue()} className="button button--secondary">
            {t("catalogueAdmin.backToCatalogue")}
          </Link>
        }
      />
    );
  }
  if (!inForce) {
    return (
      <EmptyState
        testId="framework-version-missing"
        message={t("catalogueAdmin.version.frameworkMissing")}
        action={
          <Link to={paths.service(service.service.id)} className="button button--secondary">
            {t("catalogueAdmin.version.backToService")}
          </Link>
        }
      />
    );
  }
  const last = waiting[waiting.length - 1];
  return (
    <>
      <p className="lead">
        {t("catalogueAdmin.version.intro", {
          service: service.service.name,
          version: inForce.terms.version,
          date: formatDate(inForce.terms.published_at),
        })}
      </p>
      {last && <p className="muted">{t("catalogueAdmin.version.waitingSince", { when: formatDateTime(last.created_at) })}</p>}
      <VersionForm
        key={inForce.framework_id}
        inForce={inForce}
        detail={service}
        registered={providers.data ?? []}
        catalogue={catalogue.data ?? []}
        waiting={waiting.length}
      />
    </>
  );
}

export function NewFrameworkVersion({ params }: ScreenProps) {
  const t = useT();
  const serviceId = params.serviceId ?? "";
  return (
    <Page title={t("catalogueAdmin.version.title")}>
      <CentraleOnly>
        <Screen serviceId={serviceId} />
      </CentraleOnly>
    </Page>
  );
}
