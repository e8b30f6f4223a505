/**
 * The order draft form, for a new order, a draft being edited and a refused change being
 * corrected: service, title, description, a quantity for each line of the framework's price
 * schedule, sites, desired dates and budget. It checks what it can before sending (clear
 * French messages next to each field, an error summary at the top), maps a refusal from the
 * local rules to its field, and never loses what was typed.
 */
import { useState, type FormEvent, type ReactNode } from "react";
import { api } from "../../api";
import { Button } from "../../components/Button";
import { ErrorPanel } from "../../components/ErrorPanel";
import { ErrorSummary, type FieldError } from "../../components/ErrorSummary";
import { Field } from "../../components/Field";
import { Loading } from "../../components/Loading";
import { useCommand } from "../../data";
import { AppError } from "../../errors";
import { formatDecimal, formatMoney } from "../../format";
import { useErrorText, useT, type Translate } from "../../i18n";
import type { NeedLine } from "../../bindings/NeedLine";
import type { OrderNeeds } from "../../bindings/OrderNeeds";
import type { PriceLineView } from "../../bindings/PriceLineView";
import type { ServiceRow } from "../../bindings/ServiceRow";
import { fieldOf, idPart, indexIn, InputField } from "./common";
import { centsToInput, decimalToInput, parseEuros, parseQuantity } from "./numbers";
import { isIsoDate } from "../../calendar";
import { LIMITS } from "../../bindings/rules";

/** What the form holds: exactly what the user typed. */
export type DraftValues = {
  serviceId: string;
  title: string;
  description: string;
  /** By price line code. */
  quantities: Record<string, string>;
  notes: Record<string, string>;
  /** One site per line. */
  sites: string;
  desiredStart: string;
  desiredGoLive: string;
  /** Euros as typed (« 12 500,00 »). */
  budget: string;
};

/** What the form sends (the draft's fields; the caller adds the ids). */
export type DraftInput = { service_id: string; title: string; needs: OrderNeeds };

export function emptyDraft(serviceId = ""): DraftValues {
  return {
    serviceId,
    title: "",
    description: "",
    quantities: {},
    notes: {},
    sites: "",
    desiredStart: "",
    desiredGoLive: "",
    budget: "",
  };
}

type NeedsLike = {
  description?: unknown;
  lines?: unknown;
  sites?: unknown;
  desired_start?: unknown;
  desired_go_live?: unknown;
  budget?: unknown;
};

const str = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");

/** The form filled with saved or typed needs (an order's needs, or an outbox payload). */
export function draftFrom(serviceId: string, title: unknown, needs: NeedsLike | null | undefined): DraftValues {
  const values = emptyDraft(serviceId);
  values.title = str(title);
  if (!needs) return values;
  values.description = str(needs.description);
  if (Array.isArray(needs.lines)) {
    for (const raw of needs.lines as unknown[]) {
      if (typeof raw !== "object" || raw === null) continue;
      const line = raw as Record<string, unknown>;
      const code = str(line.price_line_code);
      if (!code) continue;
      values.quantities[code] = decimalToInput(str(line.quantity));
      values.notes[code] = str(line.note);
    }
  }
  if (Array.isArray(needs.sites)) values.sites = (needs.sites as unknown[]).map(str).join("\n");
  values.desiredStart = str(needs.desired_start);
  values.desiredGoLive = str(needs.desired_go_live);
  values.budget = typeof needs.budget === "number" ? centsToInput(needs.budget) : str(needs.budget);
  return values;
}

/** The ids of the controls (the error summary links to them). */
export const FIELD_IDS = {
  service: "order-service",
  title: "order-title",
  description: "order-description",
  lines: "order-lines",
  sites: "order-sites",
  desiredStart: "order-desired-start",
  desiredGoLive: "order-desired-go-live",
  budget: "order-budget",
  quantity: (code: string) => `order-quantity-${idPart(code)}`,
  note: (code: string) => `order-note-${idPart(code)}`,
} as const;

/** A line shown in the form: from the price schedule, or only known from what was typed. */
type FormLine = { code: string; label: string; line: PriceLineView | null; estimate: string | null };

/** Checks the values and builds the input, or says what is wrong, field by field. */
export function validateDraft(
  t: Translate,
  values: DraftValues,
  lines: FormLine[],
  requireService: boolean,
): { input: DraftInput; sentCodes: string[] } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (requireService && !values.serviceId) errors.push({ fieldId: FIELD_IDS.service, message: t("orders.form.serviceMissing") });
  const title = values.title.trim();
  if (!title) errors.push({ fieldId: FIELD_IDS.title, message: t("orders.form.titleMissing") });
  else if ([...title].length > LIMITS.ORDER_TITLE_MAX_CHARS) errors.push({ fieldId: FIELD_IDS.title, message: t("orders.form.titleTooLong", { max: LIMITS.ORDER_TITLE_MAX_CHARS }) });
  // The need in the commune's words; when left empty, the title says it.
  const description = values.description.trim() || title;
  if ([...description].length > LIMITS.ORDER_DESCRIPTION_MAX_CHARS) {
    errors.push({ fieldId: FIELD_IDS.description, message: t("orders.form.descriptionTooLong", { max: LIMITS.ORDER_DESCRIPTION_MAX_CHARS }) });
  }

  const needLines: NeedLine[] = [];
  const sentCodes: string[] = [];
  let lineErrors = 0;
  for (const l of lines) {
    const typed = values.quantities[l.code] ?? "";
    const q = parseQuantity(typed);
    if (q.kind === "empty") continue;
    if (q.kind === "error") {
      lineErrors++;
      const key = q.reason === "zero" ? "orders.form.quantityZero" : q.reason === "too_large" ? "orders.form.quantityTooLarge" : "orders.form.quantityInvalid";
      errors.push({ fieldId: FIELD_IDS.quantity(l.code), message: t(key, { line: l.label, max: LIMITS.QUANTITY_MAX }) });
      continue;
    }
    needLines.push({ price_line_code: l.code, quantity: q.value, note: (values.notes[l.code] ?? "").trim() });
    sentCodes.push(l.code);
  }
  if (needLines.length === 0 && lineErrors === 0 && values.serviceId) {
    const first = lines[0];
    errors.push({ fieldId: first ? FIELD_IDS.quantity(first.code) : FIELD_IDS.lines, message: t("orders.form.linesMissing") });
  }

  const sites = values.sites
    .split("\n")
    .map((s) => s.trim())
    .filter(Boolean);
  if (sites.length > LIMITS.ORDER_SITES_MAX || sites.some((s) => [...s].length > LIMITS.ORDER_SITE_MAX_CHARS)) {
    errors.push({ fieldId: FIELD_IDS.sites, message: t("orders.form.sitesTooMany", { count: LIMITS.ORDER_SITES_MAX, max: LIMITS.ORDER_SITE_MAX_CHARS }) });
  }

  const start = values.desiredStart.trim();
  const live = values.desiredGoLive.trim();
  if (start && !isIsoDate(start)) errors.push({ fieldId: FIELD_IDS.desiredStart, message: t("common.dateInvalid") });
  if (live && !isIsoDate(live)) errors.push({ fieldId: FIELD_IDS.desiredGoLive, message: t("common.dateInvalid") });
  else if (start && live && isIsoDate(start) && live < start) {
    errors.push({ fieldId: FIELD_IDS.desiredGoLive, message: t("orders.form.goLiveBeforeStart") });
  }

  const budget = parseEuros(values.budget);
  if (budget.kind === "error") {
    const key = budget.reason === "negative" ? "orders.form.budgetNegative" : budget.reason === "too_large" ? "orders.form.budgetTooLarge" : "orders.form.budgetInvalid";
    errors.push({ fieldId: FIELD_IDS.budget, message: t(key, { max: LIMITS.AMOUNT_MAX_CENTS / 100 }) });
  }

  if (errors.length > 0) return { errors };
  return {
    input: {
      service_id: values.serviceId,
      title,
      needs: {
        description,
        lines: needLines,
        sites,
        desired_start: start || null,
        desired_go_live: live || null,
        budget: budget.kind === "ok" ? budget.cents : null,
      },
    },
    sentCodes,
  };
}

/** The control that shows a refused field (`needs.lines[1].quantity` → that line's quantity). */
export function controlForField(field: string, sentCodes: string[]): string | null {
  if (field === "title") return FIELD_IDS.title;
  if (field === "service_id") return FIELD_IDS.service;
  if (field === "needs.description") return FIELD_IDS.description;
  if (field === "needs.sites") return FIELD_IDS.sites;
  if (field === "needs.desired_start") return FIELD_IDS.desiredStart;
  if (field === "needs.desired_go_live") return FIELD_IDS.desiredGoLive;
  if (field === "needs.budget") return FIELD_IDS.budget;
  const i = indexIn(field, "needs.lines");
  if (i !== null) {
    const code = sentCodes[i];
    return code ? FIELD_IDS.quantity(code) : FIELD_IDS.lines;
  }
  if (field === "needs.lines") return sentCodes[0] ? FIELD_IDS.quantity(sentCodes[0]) : FIELD_IDS.lines;
  return null;
}

/** The codes an outbox payload sent, in order (to place the server's `needs.lines[i]`). */
export function sentCodesOf(values: DraftValues): string[] {
  return Object.keys(values.quantities).filter((c) => (values.quantities[c] ?? "").trim() !== "");
}

type Props = {
  initial: DraftValues;
  /** The services to choose from; none when the service is fixed (an order being edited). */
  services?: ServiceRow[];
  /** Name of the fixed service. */
  serviceName?: string | null;
  submitLabel: string;
  /** Sends the draft; rejects with an AppError when refused. */
  onSave: (input: DraftInput) => Promise<void>;
  /** Problems to show from the start (a server refusal being corrected). */
  initialErrors?: FieldError[];
  /** Secondary actions after the save button (cancel link, delete). */
  secondary?: ReactNode;
  /** A sentence under the save button. */
  saveHint?: string;
};

export function DraftForm({ initial, services, serviceName, submitLabel, onSave, initialErrors = [], secondary, saveHint }: Props) {
  const t = useT();
  const errorText = useErrorText();
  const [values, setValues] = useState<DraftValues>(initial);
  const [errors, setErrors] = useState<FieldError[]>(initialErrors);
  const [failure, setFailure] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const serviceId = values.serviceId;
  const detail = useCommand(async () => (serviceId ? api.serviceDetail(serviceId) : null), [serviceId]);
  const schedule = detail.data?.framework?.terms.price_schedule ?? [];
  const estimates = new Map((detail.data?.estimate?.lines ?? []).map((l) => [l.code, l.quantity]));

  // The schedule's lines, then any line of the saved or refused draft that the schedule no
  // longer has (shown, so that nothing typed disappears, and to be emptied by the user).
  const lines: FormLine[] = schedule.map((l) => ({ code: l.code, label: l.label, line: l, estimate: estimates.get(l.code) ?? null }));
  if (serviceId === initial.serviceId && !detail.loading) {
    for (const code of Object.keys(initial.quantities)) {
      if (!lines.some((l) => l.code === code) && (values.quantities[code] ?? "") !== "") {
        lines.push({ code, label: code, line: null, estimate: null });
      }
    }
  }

  const set = <K extends keyof DraftValues>(key: K, value: DraftValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const setIn = (key: "quantities" | "notes", code: string, value: string) =>
    setValues((v) => ({ ...v, [key]: { ...v[key], [code]: value } }));
  const errorFor = (id: string) => errors.find((e) => e.fieldId === id)?.message ?? null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setFailure(null);
    const checked = validateDraft(t, values, lines, services !== undefined);
    if ("errors" in checked) {
      setErrors(checked.errors);
      return;
    }
    setErrors([]);
    setBusy(true);
    try {
      await onSave(checked.input);
    } catch (e) {
      const error = AppError.from(e);
      const field = fieldOf(error.params);
      const control = field ? controlForField(field, checked.sentCodes) : null;
      if (control) setErrors([{ fieldId: control, message: errorText(error) }]);
      else setFailure(error);
      setBusy(false);
    }
  };

  const serviceOptions = (services ?? []).map((s) => ({
    value: s.id,
    label: s.call_off_possible ? s.name : t("orders.form.serviceUnavailable", { name: s.name }),
  }));
  if (services && serviceId && !services.some((s) => s.id === serviceId)) {
    serviceOptions.push({ value: serviceId, label: serviceName ?? serviceId });
  }
  const chosen = services?.find((s) => s.id === serviceId);

  return (
    <form className="order-form" noValidate onSubmit={(e) => void submit(e)} data-testid="order-form">
      <ErrorSummary errors={errors} />
      {failure && <ErrorPanel error={failure} />}

      {services ? (
        <>
          <Field
            type="select"
            id={FIELD_IDS.service}
            label={t("orders.form.service")}
            hint={t("orders.form.serviceHint")}
            required
            value={serviceId}
            onChange={(v) => set("serviceId", v)}
            options={serviceOptions}
            placeholderOption={t("orders.form.servicePlaceholder")}
            error={errorFor(FIELD_IDS.service)}
            testId="order-service"
          />
          {chosen && !chosen.call_off_possible && (
            <div className="panel panel--warning" role="note" data-testid="order-service-blocked">
              <p>
                {t("orders.form.serviceBlocked", {
                  reason: chosen.call_off_blocker ? t(`orders.blocker.${chosen.call_off_blocker}`) : t("orders.blocker.unknown"),
                })}
              </p>
            </div>
          )}
        </>
      ) : (
        <div className="field">
          <p className="field__label">{t("orders.form.service")}</p>
          <p data-testid="order-service-name">{serviceName ?? detail.data?.service.name ?? t("orders.serviceUnknown")}</p>
        </div>
      )}

      <Field
        id={FIELD_IDS.title}
        label={t("orders.form.title")}
        hint={t("orders.form.titleHint")}
        required
        value={values.title}
        onChange={(v) => set("title", v)}
        error={errorFor(FIELD_IDS.title)}
        testId="order-title"
      />

      <Field
        type="textarea"
        id={FIELD_IDS.description}
        label={t("orders.form.description")}
        hint={t("orders.form.descriptionHint")}
        rows={4}
        value={values.description}
        onChange={(v) => set("description", v)}
        error={errorFor(FIELD_IDS.description)}
        testId="order-description"
      />

      <fieldset className="fieldset" id={FIELD_IDS.lines} tabIndex={-1} aria-describedby="order-lines-hint">
        <legend className="fieldset__legend">
          {t("orders.form.lines")}{" "}
          <span className="field__required">
            {"("}
            {t("common.required")}
            {")"}
          </span>
        </legend>
        <p className="field__hint" id="order-lines-hint">
          {t("orders.form.linesHint")}
        </p>
        {errorFor(FIELD_IDS.lines) && <p className="field__error">{errorFor(FIELD_IDS.lines)}</p>}
        {!serviceId && <p className="muted">{t("orders.form.linesNone")}</p>}
        {serviceId && detail.loading && <Loading />}
        {serviceId && detail.error && <ErrorPanel error={detail.error} onRetry={detail.reload} />}
        {serviceId && !detail.loading && !detail.error && lines.length === 0 && <p className="muted">{t("orders.form.linesUnknown")}</p>}
        {lines.map((l) => (
          <div className="need-line" key={l.code} data-testid="order-line" data-line-code={l.code}>
            <InputField
              id={FIELD_IDS.quantity(l.code)}
              label={l.label}
              hint={lineHint(t, l)}
              value={values.quantities[l.code] ?? ""}
              onChange={(v) => setIn("quantities", l.code, v)}
              error={errorFor(FIELD_IDS.quantity(l.code))}
              testId="need-quantity"
              attrs={{ "data-line-code": l.code }}
              numeric
              width="short"
            />
            <InputField
              id={FIELD_IDS.note(l.code)}
              label={t("orders.form.note", { line: l.label })}
              value={values.notes[l.code] ?? ""}
              onChange={(v) => setIn("notes", l.code, v)}
              testId="need-note"
              attrs={{ "data-line-code": l.code }}
              width="medium"
            />
          </div>
        ))}
      </fieldset>

      <Field
        type="textarea"
        id={FIELD_IDS.sites}
        label={t("orders.form.sites")}
        hint={t("orders.form.sitesHint")}
        rows={3}
        value={values.sites}
        onChange={(v) => set("sites", v)}
        error={errorFor(FIELD_IDS.sites)}
        testId="order-sites"
      />

      <div className="field-row">
        <Field
          type="date"
          id={FIELD_IDS.desiredStart}
          label={t("orders.form.desiredStart")}
          hint={t("orders.form.desiredStartHint")}
          value={values.desiredStart}
          onChange={(v) => set("desiredStart", v)}
          error={errorFor(FIELD_IDS.desiredStart)}
          testId="order-desired-date"
          width="short"
        />
        <Field
          type="date"
          id={FIELD_IDS.desiredGoLive}
          label={t("orders.form.desiredGoLive")}
          hint={t("orders.form.desiredGoLiveHint")}
          value={values.desiredGoLive}
          onChange={(v) => set("desiredGoLive", v)}
          error={errorFor(FIELD_IDS.desiredGoLive)}
          testId="order-desired-go-live"
          width="short"
        />
      </div>

      <Field
        type="number"
        id={FIELD_IDS.budget}
        label={t("orders.form.budget")}
        hint={t("orders.form.budgetHint")}
        value={values.budget}
        onChange={(v) => set("budget", v)}
        error={errorFor(FIELD_IDS.budget)}
        testId="order-budget"
        width="medium"
      />

      <div className="button-group">
        <Button type="submit" variant="primary" busy={busy} data-testid="order-save">
          {submitLabel}
        </Button>
        {secondary}
      </div>
      {saveHint && <p className="muted">{saveHint}</p>}
    </form>
  );
}

function lineHint(t: Translate, l: FormLine): string {
  if (!l.line) return t("orders.form.lineNotInSchedule");
  const parts = [t("orders.form.lineCeiling", { unit: l.line.unit, ceiling: formatMoney(l.line.ceiling_excl_vat, "htva") })];
  if (l.estimate) parts.push(t("orders.form.lineEstimate", { quantity: formatDecimal(l.estimate) }));
  return parts.join(" ");
}
