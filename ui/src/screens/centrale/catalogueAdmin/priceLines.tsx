/**
 * The price schedule editor (bordereau de prix), shared by the new service and the new framework
 * version: the lines in force (only their ceiling changes; a line can be removed and kept
 * again) and new lines (code, label, unit, ceiling in euros HTVA, VAT rate, how the quantity is
 * estimated for a commune). Ceilings are typed the Belgian way (« 1 250,50 ») and sent as
 * integer cents; the checks are the server's (codes distinct, ceiling > 0, Belgian VAT rates).
 */
import { Button } from "../../../components/Button";
import type { FieldError } from "../../../components/ErrorSummary";
import { Field } from "../../../components/Field";
import { formatDecimal, formatMoney } from "../../../format";
import { useT, type Translate } from "../../../i18n";
import type { PriceLine } from "../../../bindings/PriceLine";
import type { QuantityEstimate } from "../../../bindings/QuantityEstimate";
import type { Recurrence } from "../../../bindings/Recurrence";
import { centsToInput, decimalToInput, parseEuros, parseQuantity } from "../../orders/numbers";
import { DocumentsEditor, type DocumentDraft } from "./documents";
import { RequiredMark, TextInput } from "./fields";
import { CODE, normalizeVat, parseWhole, slugify, VAT_RATES } from "./rules";
import { LIMITS } from "../../../bindings/rules";

export type EstimateBasis = QuantityEstimate["basis"];

const BASES: EstimateBasis[] = ["fixed", "per_inhabitants", "per_site", "per_month"];

/** How often a line is paid over the call-off's contract (recurring lines are priced over it). */
const RECURRENCES: Recurrence[] = ["one_off", "yearly", "monthly"];

/** One line as the form holds it: what the user typed. */
export type PriceLineDraft = {
  /** Stable React key. */
  key: string;
  /** The line in force it comes from (only its ceiling is edited); null for a new line. */
  original: PriceLine | null;
  /** A line in force marked to be left out of the new version. */
  removed: boolean;
  code: string;
  /** False while the code follows the label (a suggestion the user has not changed). */
  codeTouched: boolean;
  label: string;
  unit: string;
  /** Euros HTVA as typed (« 1 250,00 »). */
  ceiling: string;
  vat: string;
  basis: EstimateBasis;
  /** The quantity, inhabitants per unit, sites or months, as typed. */
  amount: string;
  /** Paid once, every year or every month of the contract. */
  recurrence: Recurrence;
};

function estimateAmount(estimate: QuantityEstimate): string {
  switch (estimate.basis) {
    case "fixed":
      return decimalToInput(estimate.quantity);
    case "per_inhabitants":
      return String(estimate.per);
    case "per_site":
      return String(estimate.default_sites);
    case "per_month":
      return String(estimate.months);
  }
}

/** A line in force, ready to be edited. */
export function draftFromLine(line: PriceLine, key: string): PriceLineDraft {
  return {
    key,
    original: line,
    removed: false,
    code: line.code,
    codeTouched: true,
    label: line.label_fr,
    unit: line.unit_fr,
    ceiling: centsToInput(line.ceiling_cents),
    vat: normalizeVat(line.vat_rate),
    basis: line.estimate.basis,
    amount: estimateAmount(line.estimate),
    recurrence: line.recurrence,
  };
}

/** A new, empty line (VAT 21 %, one unit). */
export function newLineDraft(key: string): PriceLineDraft {
  return {
    key,
    original: null,
    removed: false,
    code: "",
    codeTouched: false,
    label: "",
    unit: "",
    ceiling: "",
    vat: "21",
    basis: "fixed",
    amount: "1",
    recurrence: "one_off",
  };
}

/** The control ids of a line: by code for a line in force, by position for a new one. */
export function lineFieldId(prefix: string, field: "code" | "label" | "unit" | "ceiling" | "vat" | "basis" | "amount" | "recurrence" | "remove" | "restore"): string {
  return `${prefix}-${field}`;
}

/** `price-line-<code>` for a line in force, `price-line-new-<n>` for the n-th new line (from 0). */
export function linePrefixes(drafts: PriceLineDraft[]): string[] {
  let n = 0;
  return drafts.map((d) => (d.original ? `price-line-${d.original.code.replace(/[^A-Za-z0-9_-]/g, "-")}` : `price-line-new-${n++}`));
}

/** The id the error summary points to when the schedule has no line. */
export const LINES_ADD_ID = "price-line-add";

/** A name for a line in messages: its label, else its code, else « nouvelle ligne 2 ». */
function lineName(t: Translate, d: PriceLineDraft, newN: number): string {
  return d.label.trim() || d.code.trim() || t("catalogueAdmin.lines.newTitle", { n: newN });
}

function ceilingError(t: Translate, text: string, line: string): string | { cents: number } {
  const parsed = parseEuros(text);
  switch (parsed.kind) {
    case "empty":
      return t("catalogueAdmin.lines.ceilingMissing", { line });
    case "error":
      if (parsed.reason === "negative") return t("catalogueAdmin.lines.ceilingZero", { line });
      if (parsed.reason === "too_large") return t("catalogueAdmin.lines.ceilingTooLarge", { line });
      return t("catalogueAdmin.lines.ceilingInvalid", { line });
    case "ok":
      if (parsed.cents <= 0) return t("catalogueAdmin.lines.ceilingZero", { line });
      return { cents: parsed.cents };
  }
}

function estimateOf(t: Translate, d: PriceLineDraft, line: string): QuantityEstimate | string {
  switch (d.basis) {
    case "fixed": {
      const q = parseQuantity(d.amount);
      return q.kind === "ok" ? { basis: "fixed", quantity: q.value } : t("catalogueAdmin.lines.amountInvalid.fixed", { line });
    }
    case "per_inhabitants": {
      const n = parseWhole(d.amount, 1, 1_000_000);
      return n.kind === "ok" ? { basis: "per_inhabitants", per: n.value } : t("catalogueAdmin.lines.amountInvalid.per_inhabitants", { line });
    }
    case "per_site": {
      const n = parseWhole(d.amount, 1, 10_000);
      return n.kind === "ok" ? { basis: "per_site", default_sites: n.value } : t("catalogueAdmin.lines.amountInvalid.per_site", { line });
    }
    case "per_month": {
      const n = parseWhole(d.amount, 1, 600);
      return n.kind === "ok" ? { basis: "per_month", months: n.value } : t("catalogueAdmin.lines.amountInvalid.per_month", { line });
    }
  }
}

/**
 * Checks the lines and builds the schedule to send: a line in force keeps everything but its
 * ceiling; a new line is built from what was typed. Errors point to each field.
 */
export function checkPriceLines(t: Translate, drafts: PriceLineDraft[]): { lines: PriceLine[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const lines: PriceLine[] = [];
  const prefixes = linePrefixes(drafts);
  const seen = new Set<string>();
  let newN = 0;
  drafts.forEach((d, i) => {
    if (!d.original) newN++;
    if (d.removed) return;
    const prefix = prefixes[i] ?? "";
    const name = lineName(t, d, newN);
    const ceiling = ceilingError(t, d.ceiling, name);
    if (typeof ceiling === "string") errors.push({ fieldId: lineFieldId(prefix, "ceiling"), message: ceiling });

    if (d.original) {
      seen.add(d.original.code);
      if (typeof ceiling !== "string") lines.push({ ...d.original, ceiling_cents: ceiling.cents });
      return;
    }

    const code = d.code.trim();
    let ok = typeof ceiling !== "string";
    if (code === "") {
      errors.push({ fieldId: lineFieldId(prefix, "code"), message: t("catalogueAdmin.lines.codeMissing", { line: name }) });
      ok = false;
    } else if (!CODE.test(code) || code.length > LIMITS.PRICE_LINE_CODE_MAX_CHARS) {
      errors.push({ fieldId: lineFieldId(prefix, "code"), message: t("catalogueAdmin.lines.codeInvalid", { code, max: LIMITS.PRICE_LINE_CODE_MAX_CHARS }) });
      ok = false;
    } else if (seen.has(code)) {
      errors.push({ fieldId: lineFieldId(prefix, "code"), message: t("catalogueAdmin.lines.codeDuplicate", { code }) });
      ok = false;
    }
    seen.add(code);
    const label = d.label.trim();
    if (label === "" || [...label].length > LIMITS.PRICE_LINE_LABEL_MAX_CHARS) {
      errors.push({ fieldId: lineFieldId(prefix, "label"), message: t("catalogueAdmin.lines.labelMissing", { n: newN, max: LIMITS.PRICE_LINE_LABEL_MAX_CHARS }) });
      ok = false;
    }
    const unit = d.unit.trim();
    if (unit === "" || [...unit].length > LIMITS.PRICE_LINE_UNIT_MAX_CHARS) {
      errors.push({ fieldId: lineFieldId(prefix, "unit"), message: t("catalogueAdmin.lines.unitMissing", { line: name }) });
      ok = false;
    }
    if (!(VAT_RATES as readonly string[]).includes(d.vat)) {
      errors.push({ fieldId: lineFieldId(prefix, "vat"), message: t("catalogueAdmin.lines.vatInvalid", { line: name }) });
      ok = false;
    }
    const estimate = estimateOf(t, d, name);
    if (typeof estimate === "string") {
      errors.push({ fieldId: lineFieldId(prefix, "amount"), message: estimate });
      ok = false;
    }
    if (ok && typeof ceiling !== "string" && typeof estimate !== "string") {
      lines.push({ code, label_fr: label, unit_fr: unit, ceiling_cents: ceiling.cents, vat_rate: d.vat, estimate, recurrence: d.recurrence });
    }
  });
  if (!drafts.some((d) => !d.removed)) errors.push({ fieldId: LINES_ADD_ID, message: t("catalogueAdmin.lines.none") });
  return { lines, errors };
}

/** « Une unité par tranche de 1 000 habitants » — how the quantity of a line is estimated. */
export function estimateText(t: Translate, estimate: QuantityEstimate): string {
  switch (estimate.basis) {
    case "fixed":
      return t("catalogueAdmin.lines.estimateText.fixed", { value: formatDecimal(estimate.quantity) });
    case "per_inhabitants":
      return t("catalogueAdmin.lines.estimateText.per_inhabitants", { value: estimate.per });
    case "per_site":
      return t("catalogueAdmin.lines.estimateText.per_site", { value: estimate.default_sites });
    case "per_month":
      return t("catalogueAdmin.lines.estimateText.per_month", { value: estimate.months });
  }
}

/** The fields of a line typed as text (or chosen from a list of words). */
type TypedField = "label" | "code" | "unit" | "ceiling" | "vat" | "amount";

type EditorProps = {
  drafts: PriceLineDraft[];
  onChange: (drafts: PriceLineDraft[]) => void;
  /** A fresh key for a new line. */
  newKey: () => string;
  errorFor: (fieldId: string) => string | null;
};

/** The schedule's lines, each with its fields, and « Ajouter une ligne au bordereau ». */
export function PriceLinesEditor({ drafts, onChange, newKey, errorFor }: EditorProps) {
  const t = useT();
  const prefixes = linePrefixes(drafts);
  const update = (key: string, change: Partial<PriceLineDraft>) =>
    onChange(drafts.map((d) => (d.key === key ? { ...d, ...change } : d)));
  const remove = (key: string) => onChange(drafts.filter((d) => d.key !== key));
  const vatOptions = VAT_RATES.map((r) => ({ value: r, label: t("catalogueAdmin.lines.vatOption", { rate: r }) }));
  const basisOptions = BASES.map((b) => ({ value: b, label: t(`catalogueAdmin.lines.basis.${b}`) }));
  const recurrenceOptions = RECURRENCES.map((r) => ({ value: r, label: t(`catalogueAdmin.lines.recurrence.${r}`) }));
  let newCount = 0;

  return (
    <div className="line-editor">
      {drafts.map((d, i) => {
        const prefix = prefixes[i] ?? "";
        const id = (field: Parameters<typeof lineFieldId>[1]) => lineFieldId(prefix, field);
        /** What a typed field of the line is tied to: its id (also its test id), its value, its error. */
        const bound = (field: TypedField, onChange = (v: string) => update(d.key, { [field]: v })) => ({
          id: id(field),
          value: d[field],
          onChange,
          error: errorFor(id(field)),
          testId: id(field),
        });
        if (d.original) {
          const line = d.original;
          if (d.removed) {
            return (
              <div key={d.key} className="line-card line-card--removed" data-testid="price-line-removed" data-code={line.code}>
                <p>
                  <strong>{line.label_fr}</strong> {t("catalogueAdmin.lines.removedNote")}
                </p>
                <Button onClick={() => update(d.key, { removed: false })} data-testid={id("restore")} className="button--small">
                  {t("catalogueAdmin.lines.restore")}
                </Button>
              </div>
            );
          }
          return (
            <div key={d.key} className="line-card" data-testid="price-line-edit" data-code={line.code}>
              <h3 className="line-card__title">
                {line.label_fr} <span className="muted">{t("catalogueAdmin.lines.codeShown", { code: line.code })}</span>
              </h3>
              <p className="muted">
                {t("catalogueAdmin.lines.facts", {
                  unit: line.unit_fr,
                  vat: formatDecimal(normalizeVat(line.vat_rate)),
                  estimate: estimateText(t, line.estimate),
                })}{" "}
                · {t(`catalogueAdmin.lines.recurrence.${line.recurrence}`)}
              </p>
              <TextInput
                {...bound("ceiling")}
                label={t("catalogueAdmin.lines.ceilingOf", { line: line.label_fr })}
                hint={t("catalogueAdmin.lines.ceilingNow", { amount: formatMoney(line.ceiling_cents, "htva") })}
                required
                numeric
                width="short"
              />
              <Button onClick={() => update(d.key, { removed: true })} data-testid={id("remove")} className="button--small">
                {t("catalogueAdmin.lines.remove", { line: line.label_fr })}
              </Button>
            </div>
          );
        }
        const n = ++newCount;
        return (
          <fieldset key={d.key} className="line-card" data-testid="price-line-new">
            <legend className="line-card__title">{t("catalogueAdmin.lines.newTitle", { n })}</legend>
            <TextInput
              {...bound("label", (v) => update(d.key, d.codeTouched ? { label: v } : { label: v, code: slugify(v, LIMITS.PRICE_LINE_CODE_MAX_CHARS) }))}
              label={t("catalogueAdmin.lines.label")}
              hint={t("catalogueAdmin.lines.labelHint")}
              required
            />
            <TextInput
              {...bound("code", (v) => update(d.key, { code: v, codeTouched: true }))}
              label={t("catalogueAdmin.lines.code")}
              hint={t("catalogueAdmin.lines.codeHint")}
              required
              width="medium"
              spellCheck={false}
            />
            <TextInput
              {...bound("unit")}
              label={t("catalogueAdmin.lines.unit")}
              hint={t("catalogueAdmin.lines.unitHint")}
              required
              width="medium"
            />
            <TextInput
              {...bound("ceiling")}
              label={t("catalogueAdmin.lines.ceiling")}
              hint={t("catalogueAdmin.lines.ceilingHint")}
              required
              numeric
              width="short"
            />
            <Field
              type="select"
              {...bound("vat")}
              label={t("catalogueAdmin.lines.vat")}
              required
              width="short"
              options={vatOptions}
            />
            <Field
              type="select"
              id={id("basis")}
              label={t("catalogueAdmin.lines.basisLabel")}
              hint={t("catalogueAdmin.lines.basisHint")}
              required
              width="medium"
              value={d.basis}
              onChange={(v) => update(d.key, { basis: v as EstimateBasis })}
              options={basisOptions}
              testId={id("basis")}
            />
            <TextInput
              {...bound("amount")}
              label={t(`catalogueAdmin.lines.amount.${d.basis}`)}
              hint={t(`catalogueAdmin.lines.amountHint.${d.basis}`)}
              required
              numeric
              width="short"
            />
            <Field
              type="select"
              id={id("recurrence")}
              label={t("catalogueAdmin.lines.recurrenceLabel")}
              hint={t("catalogueAdmin.lines.recurrenceHint")}
              required
              width="medium"
              value={d.recurrence}
              onChange={(v) => update(d.key, { recurrence: v as Recurrence })}
              options={recurrenceOptions}
              testId={id("recurrence")}
            />
            <Button onClick={() => remove(d.key)} data-testid={id("remove")} className="button--small">
              {t("catalogueAdmin.lines.removeNew", { n })}
            </Button>
          </fieldset>
        );
      })}
      {errorFor(LINES_ADD_ID) && <p className="field__error">{errorFor(LINES_ADD_ID)}</p>}
      <Button id={LINES_ADD_ID} onClick={() => onChange([...drafts, newLineDraft(newKey())])} data-testid="price-line-add">
        {t("catalogueAdmin.lines.add")}
      </Button>
    </div>
  );
}

/** The section heading of the editor, with « (obligatoire) ». */
export function PriceLinesLegend() {
  const t = useT();
  return (
    <>
      {t("catalogueAdmin.lines.title")}
      <RequiredMark />
    </>
  );
}

/** The lines and documents as a form holds them. */
type ScheduleAndDocumentsDrafts = { lines: PriceLineDraft[]; documents: DocumentDraft[] };

/**
 * The price schedule and the documents of the terms, each in its section (heading, the
 * screen's words about it, its editor): what the new service and the new version both edit.
 */
export function ScheduleAndDocuments({
  headingIds,
  pricesIntro,
  documentsIntro,
  value,
  onChange,
  newKey,
  errorFor,
}: {
  headingIds: { prices: string; documents: string };
  pricesIntro: string;
  documentsIntro: string;
  value: ScheduleAndDocumentsDrafts;
  onChange: (change: Partial<ScheduleAndDocumentsDrafts>) => void;
  newKey: () => string;
  errorFor: (fieldId: string) => string | null;
}) {
  const t = useT();
  return (
    <>
      <section className="section" aria-labelledby={headingIds.prices}>
        <h2 id={headingIds.prices}>{t("catalogueAdmin.lines.title")}</h2>
        <p className="muted">{pricesIntro}</p>
        <PriceLinesEditor drafts={value.lines} onChange={(lines) => onChange({ lines })} newKey={newKey} errorFor={errorFor} />
      </section>

      <section className="section" aria-labelledby={headingIds.documents}>
        <h2 id={headingIds.documents}>{t("catalogueAdmin.documents.heading")}</h2>
        <p className="muted">{documentsIntro}</p>
        <DocumentsEditor drafts={value.documents} onChange={(documents) => onChange({ documents })} newKey={newKey} errorFor={errorFor} />
      </section>
    </>
  );
}
