/**
 * « Nouvelle version de la liste de prix » (the centrale): the services of the list in force,
 * to change, remove or add to — code, name, what it includes, package or day rate, price
 * excluding VAT typed the Belgian way (« 1 250,00 »), VAT rate — and a note saying what
 * changes. Checked as the domain does (codes of lowercase letters, digits and dashes, each
 * once; a price above zero; a Belgian VAT rate; a note of the required length), confirmed with
 * the whole list, then receipted. Orders already made keep the prices of their version.
 */
import { useRef, useState, type FormEvent } from "react";
import { api } from "../../api";
import { Button } from "../../components/Button";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorSummary, type FieldError } from "../../components/ErrorSummary";
import { Field } from "../../components/Field";
import { AppError } from "../../errors";
import { formatDecimal, formatMoney } from "../../format";
import { useErrorText, useT, type Translate } from "../../i18n";
import type { AccompanimentService } from "../../bindings/AccompanimentService";
import type { AccompanimentUnit } from "../../bindings/AccompanimentUnit";
import type { PriceListVersion } from "../../bindings/PriceListVersion";
import { ACCOMPANIMENT_UNITS, LIMITS } from "../../bindings/rules";
import { normalizeVat, slugify, VAT_RATES } from "../centrale/catalogueAdmin/rules";
import { useWho, type ReceiptData } from "../orders/Actions";
import { fieldOf, indexIn } from "../orders/common";
import { centsToInput, parseEuros } from "../orders/numbers";
import { isServiceCode } from "./rules";

/** One service as the form holds it: what was typed. */
type ServiceDraft = {
  key: string;
  code: string;
  /** False while the code follows the name (a suggestion not changed by hand). */
  codeTouched: boolean;
  label: string;
  description: string;
  unit: AccompanimentUnit;
  /** Euros HTVA as typed (« 1 250,00 »). */
  price: string;
  vat: string;
};

type ServiceField = "code" | "label" | "description" | "unit" | "price" | "vat" | "remove";

/** The id (and test id) of a field of the `index`-th service (from 0). */
export const serviceFieldId = (field: ServiceField, index: number) => `accompaniment-service-${field}-${index}`;
const ADD = "accompaniment-service-add";
const NOTE = "accompaniment-price-list-note";

/** The domain's names of a service's fields, for a refusal's `services[2].price_cents`. */
const REFUSED: Record<string, ServiceField> = {
  code: "code",
  label_fr: "label",
  description_fr: "description",
  unit: "unit",
  price_cents: "price",
  vat_rate: "vat",
};

function draftOf(service: AccompanimentService, key: string): ServiceDraft {
  return {
    key,
    code: service.code,
    codeTouched: true,
    label: service.label_fr,
    description: service.description_fr,
    unit: service.unit,
    price: centsToInput(service.price_cents),
    vat: normalizeVat(service.vat_rate),
  };
}

function emptyDraft(key: string): ServiceDraft {
  return { key, code: "", codeTouched: false, label: "", description: "", unit: "package", price: "", vat: "21" };
}

/** Checks every service and the note; the list to send, or what is wrong, field by field. */
function check(t: Translate, drafts: ServiceDraft[], note: string): { services: AccompanimentService[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const services: AccompanimentService[] = [];
  const seen = new Set<string>();
  drafts.forEach((d, i) => {
    const n = i + 1;
    const name = d.label.trim() || t("accompaniment.editor.serviceN", { n });
    const push = (field: ServiceField, message: string) => errors.push({ fieldId: serviceFieldId(field, i), message });
    const code = d.code.trim();
    if (code === "") push("code", t("accompaniment.editor.codeMissing", { service: name }));
    else if (!isServiceCode(code)) push("code", t("accompaniment.editor.codeInvalid", { code, max: LIMITS.PRICE_LINE_CODE_MAX_CHARS }));
    else if (seen.has(code)) push("code", t("accompaniment.editor.codeDuplicate", { code }));
    seen.add(code);
    const label = d.label.trim();
    if (label === "" || [...label].length > LIMITS.PRICE_LINE_LABEL_MAX_CHARS) push("label", t("accompaniment.editor.labelMissing", { n, max: LIMITS.PRICE_LINE_LABEL_MAX_CHARS }));
    const description = d.description.trim();
    if ([...description].length > LIMITS.INTEROPERABILITY_TEXT_MAX_CHARS) push("description", t("accompaniment.editor.descriptionTooLong", { service: name, max: LIMITS.INTEROPERABILITY_TEXT_MAX_CHARS }));
    const price = parseEuros(d.price);
    let cents: number | null = null;
    if (price.kind === "empty") push("price", t("accompaniment.editor.priceMissing", { service: name }));
    else if (price.kind === "error") push("price", t(price.reason === "too_large" ? "accompaniment.editor.priceTooLarge" : price.reason === "negative" ? "accompaniment.editor.priceZero" : "accompaniment.editor.priceInvalid", { service: name }));
    else if (price.cents <= 0) push("price", t("accompaniment.editor.priceZero", { service: name }));
    else cents = price.cents;
    if (!(VAT_RATES as readonly string[]).includes(d.vat)) push("vat", t("accompaniment.editor.vatInvalid", { service: name }));
    if (cents !== null) services.push({ code, label_fr: label, description_fr: description, unit: d.unit, price_cents: cents, vat_rate: d.vat });
  });
  if (drafts.length === 0) errors.push({ fieldId: ADD, message: t("accompaniment.editor.none") });
  const length = [...note.trim()].length;
  if (length < LIMITS.CHANGE_NOTE_MIN_CHARS || length > LIMITS.CHANGE_NOTE_MAX_CHARS) {
    errors.push({ fieldId: NOTE, message: t("accompaniment.editor.noteInvalid", { min: LIMITS.CHANGE_NOTE_MIN_CHARS, max: LIMITS.CHANGE_NOTE_MAX_CHARS }) });
  }
  return { services, errors };
}

/** The editor, opened from the list in force. */
function Editor({ current, onClose, onDone }: { current: PriceListVersion | null; onClose: () => void; onDone: (r: ReceiptData) => void }) {
  const t = useT();
  const errorText = useErrorText();
  const who = useWho();
  const counter = useRef(0);
  const newKey = () => `s-${counter.current++}`;
  const [drafts, setDrafts] = useState<ServiceDraft[]>(() => {
    const from = current?.services ?? [];
    return from.length > 0 ? from.map((s) => draftOf(s, newKey())) : [emptyDraft(newKey())];
  });
  const [note, setNote] = useState("");
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [confirming, setConfirming] = useState<AccompanimentService[] | null>(null);
  const errorFor = (id: string) => errors.find((e) => e.fieldId === id)?.message ?? null;
  const update = (key: string, change: Partial<ServiceDraft>) => setDrafts((all) => all.map((d) => (d.key === key ? { ...d, ...change } : d)));
  const version = (current?.version ?? 0) + 1;

  const ask = (event: FormEvent) => {
    event.preventDefault();
    const checked = check(t, drafts, note);
    setErrors(checked.errors);
    if (checked.errors.length === 0) setConfirming(checked.services);
  };

  const send = async () => {
    if (!confirming) return;
    try {
      await api.perform({ kind: "publish_accompaniment_price_list", input: { services: confirming, note: note.trim() } });
    } catch (e) {
      const error = AppError.from(e);
      const field = fieldOf(error.params) ?? "";
      let control: string | null = null;
      if (field === "note") control = NOTE;
      else if (field === "services") control = ADD;
      else {
        const index = indexIn(field, "services");
        const which = REFUSED[field.replace(/^services\[\d+\]\./, "")];
        if (index !== null && index < drafts.length) control = serviceFieldId(which ?? "code", index);
      }
      if (!control) throw error;
      setConfirming(null);
      setErrors([{ fieldId: control, message: errorText(error) }]);
      return;
    }
    const count = confirming.length;
    setConfirming(null);
    onClose();
    onDone({
      title: t("accompaniment.editor.receiptTitle"),
      what: t("accompaniment.editor.receiptWhat", { version, count, note: note.trim() }),
      who,
      when: new Date().toISOString(),
      note: t("accompaniment.receiptNote"),
    });
  };

  const unitOptions = (Object.keys(ACCOMPANIMENT_UNITS) as AccompanimentUnit[]).map((u) => ({ value: u, label: t(`accompaniment.editor.unitOption.${u}`) }));
  const vatOptions = VAT_RATES.map((r) => ({ value: r, label: t("accompaniment.editor.vatOption", { rate: r }) }));

  return (
    <form noValidate onSubmit={ask} data-testid="accompaniment-price-list-editor">
      <p>{t("accompaniment.editor.intro", { version })}</p>
      <ErrorSummary errors={errors} />
      {drafts.map((d, i) => {
        const bound = (field: Exclude<ServiceField, "remove" | "unit" | "vat">, onChange = (v: string) => update(d.key, { [field]: v })) => ({
          id: serviceFieldId(field, i),
          testId: serviceFieldId(field, i),
          value: d[field],
          onChange,
          error: errorFor(serviceFieldId(field, i)),
        });
        return (
          <fieldset key={d.key} className="fieldset accompaniment-service" data-testid="accompaniment-service-edit" data-code={d.code}>
            <legend>{d.label.trim() || t("accompaniment.editor.serviceN", { n: i + 1 })}</legend>
            <Field
              {...bound("label", (v) => update(d.key, d.codeTouched ? { label: v } : { label: v, code: slugify(v, LIMITS.PRICE_LINE_CODE_MAX_CHARS) }))}
              label={t("accompaniment.editor.label")}
              hint={t("accompaniment.editor.labelHint")}
              required
              autoComplete="off"
            />
            <Field
              {...bound("code", (v) => update(d.key, { code: v, codeTouched: true }))}
              label={t("accompaniment.editor.code")}
              hint={t("accompaniment.editor.codeHint")}
              required
              width="medium"
              spellCheck={false}
              autoComplete="off"
            />
            <Field type="textarea" {...bound("description")} rows={2} label={t("accompaniment.editor.description")} hint={t("accompaniment.editor.descriptionHint")} />
            <Field
              type="select"
              id={serviceFieldId("unit", i)}
              testId={serviceFieldId("unit", i)}
              label={t("accompaniment.editor.unit")}
              required
              width="medium"
              value={d.unit}
              onChange={(v) => update(d.key, { unit: v as AccompanimentUnit })}
              options={unitOptions}
            />
            <Field type="number" {...bound("price")} label={t("accompaniment.editor.price")} hint={t("accompaniment.editor.priceHint")} required width="short" autoComplete="off" />
            <Field
              type="select"
              id={serviceFieldId("vat", i)}
              testId={serviceFieldId("vat", i)}
              label={t("accompaniment.editor.vat")}
              required
              width="short"
              value={d.vat}
              onChange={(v) => update(d.key, { vat: v })}
              options={vatOptions}
              error={errorFor(serviceFieldId("vat", i))}
            />
            <Button className="button--small" onClick={() => setDrafts((all) => all.filter((x) => x.key !== d.key))} data-testid={serviceFieldId("remove", i)}>
              {t("accompaniment.editor.remove", { service: d.label.trim() || t("accompaniment.editor.serviceN", { n: i + 1 }) })}
            </Button>
          </fieldset>
        );
      })}
      {errorFor(ADD) && <p className="field__error">{errorFor(ADD)}</p>}
      <p>
        <Button id={ADD} onClick={() => setDrafts((all) => [...all, emptyDraft(newKey())])} data-testid={ADD}>
          {t("accompaniment.editor.add")}
        </Button>
      </p>
      <Field
        type="textarea"
        id={NOTE}
        testId={NOTE}
        rows={3}
        label={t("accompaniment.editor.note")}
        hint={t("accompaniment.editor.noteHint", { min: LIMITS.CHANGE_NOTE_MIN_CHARS })}
        required
        value={note}
        onChange={setNote}
        error={errorFor(NOTE)}
      />
      <div className="button-group">
        <Button type="submit" variant="primary" data-testid="accompaniment-price-list-submit">
          {t("accompaniment.editor.submit")}
        </Button>
        <Button onClick={onClose}>{t("common.cancel")}</Button>
      </div>
      {confirming && (
        <ConfirmDialog
          title={t("accompaniment.editor.confirmTitle", { version })}
          confirmLabel={t("accompaniment.editor.submit")}
          onConfirm={send}
          onCancel={() => setConfirming(null)}
        >
          <p>{t("accompaniment.editor.confirmIntro")}</p>
          <ul className="plain-list" data-testid="accompaniment-price-list-confirm">
            {confirming.map((s) => (
              <li key={s.code}>
                {t("accompaniment.editor.confirmLine", {
                  label: s.label_fr,
                  code: s.code,
                  price: formatMoney(s.price_cents, "htva"),
                  unit: ACCOMPANIMENT_UNITS[s.unit],
                  vat: formatDecimal(s.vat_rate),
                })}
              </li>
            ))}
          </ul>
          <p>{t("accompaniment.editor.confirmNote", { note: note.trim() })}</p>
          <p className="confirm-note">{t("accompaniment.editor.confirmKept")}</p>
        </ConfirmDialog>
      )}
    </form>
  );
}

/** The section: a button opens the editor, starting from the list in force. */
export function PriceListEditor({ current, onDone }: { current: PriceListVersion | null; onDone: (r: ReceiptData) => void }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  return (
    <section className="section" aria-labelledby="accompaniment-editor-title" data-testid="accompaniment-price-list-section">
      <h2 id="accompaniment-editor-title">{t("accompaniment.editor.title")}</h2>
      {open ? (
        <Editor current={current} onClose={() => setOpen(false)} onDone={onDone} />
      ) : (
        <>
          <p className="muted">{t("accompaniment.editor.explain")}</p>
          <Button onClick={() => setOpen(true)} data-testid="accompaniment-price-list-new">
            {t("accompaniment.editor.open")}
          </Button>
        </>
      )}
    </section>
  );
}
