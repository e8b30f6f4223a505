/**
 * New service (#/catalogue/nouveau-service), for the centrale's staff: a service of the
 * catalogue and its framework agreement in one form (a service is never bought without one) —
 * the service (name, code, category, summary, description), the framework (reference, title,
 * call-off method, period of at most four years), its providers, award criteria whose weights
 * sum to 100, the price schedule, documents and the deployment milestone plan. Every rule the
 * server checks is checked here first, with the message next to the field and in the error
 * summary; nothing typed is lost. After the confirmation, the service is sent at the next
 * synchronisation and appears for every commune after theirs.
 */
import { useState, type FormEvent } from "react";
import { api } from "../../api";
import { Button } from "../../components/Button";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorPanel } from "../../components/ErrorPanel";
import { ErrorSummary, type FieldError } from "../../components/ErrorSummary";
import { Field } from "../../components/Field";
import { Loading } from "../../components/Loading";
import { flash } from "../../components/Notice";
import { Page } from "../../components/Page";
import { StatusTag } from "../../components/StatusTag";
import { useCommand } from "../../data";
import { formatDate, formatMoney } from "../../format";
import { useT, type Translate } from "../../i18n";
import { paths } from "../../paths";
import { Link, navigate } from "../../router";
import type { AddService } from "../../bindings/AddService";
import type { AwardCriterion } from "../../bindings/AwardCriterion";
import type { CallOffMethod } from "../../bindings/CallOffMethod";
import type { CriterionKind } from "../../bindings/CriterionKind";
import type { DesignationRule } from "../../bindings/DesignationRule";
import type { MilestoneKind } from "../../bindings/MilestoneKind";
import type { PriceFormula } from "../../bindings/PriceFormula";
import type { MilestonePlan } from "../../bindings/MilestonePlan";
import type { ProviderRow } from "../../bindings/ProviderRow";
import type { ServiceRow } from "../../bindings/ServiceRow";
import type { NeedRef } from "../../bindings/NeedRef";
import type { ScreenProps } from "../ScreenProps";
import { CentraleOnly, useKeyMaker } from "./catalogueAdmin/common";
import { checkDocuments, type DocumentDraft } from "./catalogueAdmin/documents";
import { Checkbox, RequiredMark, TextInput } from "./catalogueAdmin/fields";
import { checkPriceLines, newLineDraft, ScheduleAndDocuments, type PriceLineDraft } from "./catalogueAdmin/priceLines";
import { isIsoDate } from "../../calendar";
import { CODE, formatEnterpriseNumber, latestEndDate, parseWhole, slugify } from "./catalogueAdmin/rules";
import { DESIGNATION_RULES, LIMITS, PRICE_FORMULAS } from "../../bindings/rules";
import { checkValue, valueDraft, ValueFields, type ValueDraft } from "./catalogueAdmin/value";
import { parseEuros } from "../orders/numbers";
import { findNeed, NeedOriginPanel, needFromQuery, type FoundNeed } from "./surveyAdmin/need";

type CriterionDraft = { key: string; code: string; label: string; weight: string; kind: CriterionKind };

const MILESTONES: MilestoneKind[] = ["kickoff", "configuration", "integration", "training", "go_live", "provisional_acceptance", "final_acceptance"];

/** A common plan for software services, in days after the award (the server's standard plan). */
const STANDARD_PLAN: MilestonePlan = {
  kickoff: 14,
  configuration: 45,
  integration: 75,
  training: 90,
  go_live: 105,
  provisional_acceptance: 120,
  final_acceptance: 485,
};

const METHODS: CallOffMethod[] = ["mini_competition", "direct", "both"];

/** The price formulas the centrale may choose (issue 11 rule 8), each stated by the domain. */
const FORMULAS = Object.keys(PRICE_FORMULAS) as PriceFormula[];

/** How a direct call-off's provider is designated (issue 11 rule 5), each stated by the domain. */
const RULES = Object.keys(DESIGNATION_RULES) as DesignationRule[];

type Values = {
  name: string;
  code: string;
  /** False while the code follows the name. */
  codeTouched: boolean;
  category: string;
  summary: string;
  description: string;
  reference: string;
  title: string;
  method: CallOffMethod;
  startDate: string;
  endDate: string;
  providers: string[];
  criteria: CriterionDraft[];
  /** How the price criterion is scored. */
  priceFormula: PriceFormula;
  lines: PriceLineDraft[];
  documents: DocumentDraft[];
  milestones: Record<MilestoneKind, string>;
  /** The maximum value and the contract duration, as typed. */
  value: ValueDraft;
  /** With « both »: the amount HTVA up to which an order is placed directly, as typed. */
  directUpTo: string;
  /** With « direct » or « both »: cascade or rotation down the ranking. */
  designationRule: DesignationRule;
};

/** The fields typed as text. */
type TypedKey = "name" | "code" | "category" | "summary" | "description" | "reference" | "title" | "startDate" | "endDate";

export const FIELD_IDS = {
  name: "service-name",
  code: "service-code",
  category: "service-category",
  summary: "service-summary",
  description: "service-description",
  reference: "framework-reference",
  title: "framework-title",
  method: "framework-method",
  directUpTo: "framework-direct-up-to",
  startDate: "framework-start-date",
  endDate: "framework-end-date",
  providers: "framework-providers",
  provider: (id: string) => `framework-provider-${id}`,
  criterionLabel: (i: number) => `criterion-${i}-label`,
  criterionWeight: (i: number) => `criterion-${i}-weight`,
  criterionKind: (i: number) => `criterion-${i}-kind`,
  milestone: (kind: MilestoneKind) => `milestone-${kind}`,
} as const;

/** `need`: the need of a survey the service answers — its words name it, its theme files it. */
function initialValues(t: Translate, need: FoundNeed | null = null): Values {
  return {
    name: need?.label ?? "",
    code: need ? slugify(need.label) : "",
    codeTouched: false,
    category: need?.theme ?? "",
    summary: "",
    description: "",
    reference: "",
    title: "",
    method: "mini_competition",
    startDate: "",
    endDate: "",
    providers: [],
    criteria: [
      { key: "criterion-price", code: "price", label: t("catalogueAdmin.criteria.defaultPrice"), weight: "60", kind: "price" },
      { key: "criterion-quality", code: "quality", label: t("catalogueAdmin.criteria.defaultQuality"), weight: "40", kind: "quality" },
    ],
    priceFormula: "relative",
    lines: [newLineDraft("line-first")],
    documents: [],
    milestones: Object.fromEntries(MILESTONES.map((k) => [k, String(STANDARD_PLAN[k])])) as Record<MilestoneKind, string>,
    value: valueDraft(),
    directUpTo: "",
    designationRule: "cascade",
  };
}

/** The points the weights of the award criteria sum to (the domain's rule). */
const TOTAL = LIMITS.CRITERIA_WEIGHT_TOTAL;

/** The sum of the weights typed so far (what cannot be read counts for nothing). */
export function weightSum(criteria: CriterionDraft[]): number {
  return criteria.reduce((sum, c) => {
    const w = parseWhole(c.weight, 0, TOTAL);
    return sum + (w.kind === "ok" ? w.value : 0);
  }, 0);
}

/**
 * Checks the form and builds the service to add (ids and time are set when sending); `needRef`:
 * the need of a survey the service answers, if any.
 */
export function checkService(
  t: Translate,
  values: Values,
  existing: ServiceRow[],
  needRef: NeedRef | null = null,
): { input: Omit<AddService, "service_id" | "framework_id"> } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const need = (id: string, value: string, max: number, missing: string, tooLong: string) => {
    const v = value.trim();
    if (v === "") errors.push({ fieldId: id, message: missing });
    else if ([...v].length > max) errors.push({ fieldId: id, message: tooLong });
    return v;
  };
  const m = (key: "name" | "category" | "summary" | "description" | "reference" | "title", max: number) =>
    need(FIELD_IDS[key], values[key], max, t(`catalogueAdmin.newService.missing.${key}`), t("catalogueAdmin.newService.tooLong", { max }));

  const name = m("name", LIMITS.SERVICE_NAME_MAX_CHARS);
  const code = values.code.trim();
  if (code === "") errors.push({ fieldId: FIELD_IDS.code, message: t("catalogueAdmin.newService.missing.code") });
  else if (!CODE.test(code) || code.length > LIMITS.SERVICE_CODE_MAX_CHARS) {
    errors.push({ fieldId: FIELD_IDS.code, message: t("catalogueAdmin.newService.codeInvalid", { max: LIMITS.SERVICE_CODE_MAX_CHARS }) });
  }
  else if (existing.some((s) => s.code === code)) errors.push({ fieldId: FIELD_IDS.code, message: t("catalogueAdmin.newService.codeTaken", { code }) });
  const category = m("category", LIMITS.SERVICE_CATEGORY_MAX_CHARS);
  const summary = m("summary", LIMITS.SERVICE_SUMMARY_MAX_CHARS);
  const description = m("description", LIMITS.SERVICE_DESCRIPTION_MAX_CHARS);

  const reference = m("reference", LIMITS.FRAMEWORK_REFERENCE_MAX_CHARS);
  if (reference && existing.some((s) => s.framework_reference === reference)) {
    errors.push({ fieldId: FIELD_IDS.reference, message: t("catalogueAdmin.newService.referenceTaken", { reference }) });
  }
  const title = m("title", LIMITS.FRAMEWORK_TITLE_MAX_CHARS);

  const start = values.startDate.trim();
  const end = values.endDate.trim();
  if (!isIsoDate(start)) errors.push({ fieldId: FIELD_IDS.startDate, message: t("catalogueAdmin.newService.startInvalid") });
  if (!isIsoDate(end)) errors.push({ fieldId: FIELD_IDS.endDate, message: t("catalogueAdmin.newService.endInvalid") });
  else if (isIsoDate(start)) {
    const limit = latestEndDate(start);
    if (end < start) errors.push({ fieldId: FIELD_IDS.endDate, message: t("catalogueAdmin.newService.endBeforeStart") });
    else if (limit && end > limit) errors.push({ fieldId: FIELD_IDS.endDate, message: t("catalogueAdmin.version.endTooLate", { limit: formatDate(limit) }) });
  }

  const value = checkValue(t, values.value);
  errors.push(...value.errors);

  // Direct call-offs only under the framework's objective conditions (Dir. 2014/24 art.
  // 33(4)): the ranking follows the providers in the order they were ticked, designated by
  // cascade or rotation; with « both », the amount up to which an order is placed directly.
  let directUpTo: number | null = null;
  if (values.method === "both") {
    const parsed = parseEuros(values.directUpTo);
    if (parsed.kind === "ok" && parsed.cents > 0) directUpTo = parsed.cents;
    else errors.push({ fieldId: FIELD_IDS.directUpTo, message: t("catalogueAdmin.newService.directUpToInvalid") });
  }
  const directCallOff =
    values.method === "mini_competition"
      ? null
      : { ranking: [...values.providers], rule: values.designationRule, up_to: directUpTo };

  if (values.providers.length === 0) errors.push({ fieldId: FIELD_IDS.providers, message: t("catalogueAdmin.newService.providersMissing") });

  // Award criteria: labels, whole weights, one price criterion at most, a total of 100.
  const criteria: AwardCriterion[] = [];
  const codes = new Set<string>();
  let priceSeen = false;
  values.criteria.forEach((c, i) => {
    const label = c.label.trim();
    if (label === "" || [...label].length > LIMITS.CRITERION_LABEL_MAX_CHARS) {
      errors.push({ fieldId: FIELD_IDS.criterionLabel(i), message: t("catalogueAdmin.criteria.labelMissing", { n: i + 1 }) });
    }
    const weight = parseWhole(c.weight, 1, TOTAL);
    if (weight.kind !== "ok") {
      errors.push({
        fieldId: FIELD_IDS.criterionWeight(i),
        message: t("catalogueAdmin.criteria.weightInvalid", { criterion: label || t("catalogueAdmin.criteria.label", { n: i + 1 }) }),
      });
    }
    if (c.kind === "price") {
      if (priceSeen) errors.push({ fieldId: FIELD_IDS.criterionKind(i), message: t("catalogueAdmin.criteria.onePrice") });
      priceSeen = true;
    }
    // The code is not shown: the two starting criteria keep `price` and `quality`, others
    // take one from their label, made unique.
    const stem = c.code || slugify(label, 40) || "critere";
    let code = stem;
    for (let n = 2; codes.has(code); n++) code = `${stem}-${n}`;
    codes.add(code);
    if (weight.kind === "ok") criteria.push({ code, label_fr: label, weight: weight.value, kind: c.kind });
  });
  const sum = weightSum(values.criteria);
  if (sum !== TOTAL && values.criteria.every((c) => parseWhole(c.weight, 1, TOTAL).kind === "ok")) {
    errors.push({ fieldId: FIELD_IDS.criterionWeight(0), message: t("catalogueAdmin.criteria.sumWrong", { sum: String(sum), total: TOTAL }) });
  }

  const lines = checkPriceLines(t, values.lines);
  errors.push(...lines.errors);
  const documents = checkDocuments(t, values.documents);
  errors.push(...documents.errors);

  // The milestone plan: whole days after the award, in order.
  const plan: Partial<MilestonePlan> = {};
  let previous: { kind: MilestoneKind; days: number } | null = null;
  for (const kind of MILESTONES) {
    const days = parseWhole(values.milestones[kind], 0, 3650);
    if (days.kind !== "ok") {
      errors.push({ fieldId: FIELD_IDS.milestone(kind), message: t("catalogueAdmin.milestones.invalid", { milestone: t(`milestoneKind.${kind}`) }) });
      continue;
    }
    if (previous && days.value < previous.days) {
      errors.push({
        fieldId: FIELD_IDS.milestone(kind),
        message: t("catalogueAdmin.milestones.order", {
          milestone: t(`milestoneKind.${kind}`),
          previous: t(`milestoneKind.${previous.kind}`),
          days: String(previous.days),
        }),
      });
    }
    plan[kind] = days.value;
    previous = { kind, days: days.value };
  }

  if (errors.length > 0) return { errors };
  return {
    input: {
      code,
      name_fr: name,
      summary_fr: summary,
      description_fr: description,
      category_fr: category,
      reference,
      title_fr: title,
      call_off_method: values.method,
      terms: {
        // Version and publication time are set by the server.
        version: 1,
        published_at: new Date().toISOString(),
        change_note: "",
        // Version 1 needs no basis: it is the framework as concluded.
        legal_basis: null,
        start_date: start,
        end_date: end,
        providers: values.providers.map((id) => ({ provider_id: id, status: "active" })),
        award_criteria: criteria,
        price_schedule: lines.lines,
        documents: documents.documents,
        milestone_plan: plan as MilestonePlan,
        contract_months: value.contractMonths ?? 48,
        max_value: value.maxValue,
        direct_call_off: directCallOff,
        guarantee_months: value.guaranteeMonths ?? 12,
        price_formula: values.priceFormula,
      },
      need: needRef,
    },
  };
}

function Form({
  providers,
  categories,
  existing,
  need,
}: {
  providers: ProviderRow[];
  categories: string[];
  existing: ServiceRow[];
  /** The need of a survey the service answers (« Créer un service pour ce besoin »). */
  need: FoundNeed | null;
}) {
  const t = useT();
  const newKey = useKeyMaker("new");
  const [values, setValues] = useState<Values>(() => initialValues(t, need));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [confirm, setConfirm] = useState<Omit<AddService, "service_id" | "framework_id"> | null>(null);

  const set = <K extends keyof Values>(key: K, value: Values[K]) => setValues((v) => ({ ...v, [key]: value }));
  const errorFor = (id: string) => errors.find((e) => e.fieldId === id)?.message ?? null;
  /** What a typed field is tied to: its id (also its test id), its value, its error. */
  const bound = (key: TypedKey, onChange = (v: string) => set(key, v)) => ({
    id: FIELD_IDS[key],
    value: values[key],
    onChange,
    error: errorFor(FIELD_IDS[key]),
    testId: FIELD_IDS[key],
  });
  const setCriterion = (key: string, change: Partial<CriterionDraft>) =>
    set(
      "criteria",
      values.criteria.map((c) => (c.key === key ? { ...c, ...change } : c)),
    );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = checkService(t, values, existing, need?.ref ?? null);
    if ("errors" in checked) {
      setErrors(checked.errors);
      return;
    }
    setErrors([]);
    setConfirm(checked.input);
  };

  const send = async () => {
    if (!confirm) return;
    const serviceId = await api.newId();
    const frameworkId = await api.newId();
    await api.perform({ kind: "add_service", input: { service_id: serviceId, framework_id: frameworkId, ...confirm } });
    flash(t("catalogueAdmin.newService.flash", { name: confirm.name_fr }), paths.catalogue(), { untilSent: true });
    navigate(paths.catalogue());
  };

  const sum = weightSum(values.criteria);
  const limit = isIsoDate(values.startDate) ? latestEndDate(values.startDate) : null;
  const providerName = (id: string) => providers.find((p) => p.provider.id === id)?.provider.name ?? id;

  return (
    <>
      <form className="admin-form" noValidate onSubmit={submit} data-testid="new-service-form">
        <ErrorSummary errors={errors} />

        <section className="section" aria-labelledby="new-service-service">
          <h2 id="new-service-service">{t("catalogueAdmin.newService.serviceTitle")}</h2>
          <TextInput
            {...bound("name", (v) => setValues((s) => ({ ...s, name: v, code: s.codeTouched ? s.code : slugify(v) })))}
            label={t("catalogueAdmin.newService.name")}
            hint={t("catalogueAdmin.newService.nameHint")}
            required
          />
          <TextInput
            {...bound("code", (v) => setValues((s) => ({ ...s, code: v, codeTouched: true })))}
            label={t("catalogueAdmin.newService.code")}
            hint={t("catalogueAdmin.newService.codeHint")}
            required
            width="medium"
            spellCheck={false}
          />
          <TextInput
            {...bound("category")}
            label={t("catalogueAdmin.newService.category")}
            hint={t("catalogueAdmin.newService.categoryHint")}
            required
            width="medium"
            suggestions={categories}
          />
          <TextInput
            {...bound("summary")}
            label={t("catalogueAdmin.newService.summary")}
            hint={t("catalogueAdmin.newService.summaryHint")}
            required
          />
          <Field
            type="textarea"
            {...bound("description")}
            label={t("catalogueAdmin.newService.description")}
            hint={t("catalogueAdmin.newService.descriptionHint")}
            required
            rows={6}
          />
        </section>

        <section className="section" aria-labelledby="new-service-framework">
          <h2 id="new-service-framework">{t("catalogueAdmin.newService.frameworkTitle")}</h2>
          <TextInput
            {...bound("reference")}
            label={t("catalogueAdmin.newService.reference")}
            hint={t("catalogueAdmin.newService.referenceHint")}
            required
            width="short"
            spellCheck={false}
          />
          <TextInput
            {...bound("title")}
            label={t("catalogueAdmin.newService.title")}
            hint={t("catalogueAdmin.newService.titleHint")}
            required
          />
          <Field
            type="select"
            id={FIELD_IDS.method}
            label={t("catalogueAdmin.newService.method")}
            hint={t("catalogueAdmin.newService.methodHint")}
            required
            value={values.method}
            onChange={(v) => set("method", v as CallOffMethod)}
            options={METHODS.map((m) => ({ value: m, label: t(`catalogueAdmin.newService.methods.${m}`) }))}
            testId="framework-method"
          />
          {values.method !== "mini_competition" && (
            <fieldset className="admin-fieldset" data-testid="designation-rule" aria-describedby="designation-rule-hint">
              <legend className="admin-fieldset__legend">
                {t("catalogueAdmin.newService.ruleTitle")}
                <RequiredMark />
              </legend>
              <p className="field__hint" id="designation-rule-hint" data-testid="framework-direct-cascade">
                {t("catalogueAdmin.newService.directCascade")}
              </p>
              {RULES.map((rule) => (
                <label key={rule} htmlFor={`designation-rule-${rule}`} className="choice">
                  <input
                    type="radio"
                    id={`designation-rule-${rule}`}
                    name="designation-rule"
                    value={rule}
                    checked={values.designationRule === rule}
                    onChange={() => set("designationRule", rule)}
                    data-testid={`designation-rule-${rule}`}
                  />{" "}
                  <strong>{t(`catalogueAdmin.newService.rules.${rule}`)}</strong>
                  <span className="muted" data-testid={`designation-rule-${rule}-statement`}>
                    {" "}
                    {DESIGNATION_RULES[rule]}
                  </span>
                </label>
              ))}
            </fieldset>
          )}
          {values.method === "both" && (
            <TextInput
              id={FIELD_IDS.directUpTo}
              label={t("catalogueAdmin.newService.directUpTo")}
              hint={t("catalogueAdmin.newService.directUpToHint")}
              required
              numeric
              width="short"
              value={values.directUpTo}
              onChange={(v) => set("directUpTo", v)}
              error={errorFor(FIELD_IDS.directUpTo)}
              testId={FIELD_IDS.directUpTo}
            />
          )}
          <div className="admin-row">
            <TextInput
              type="date"
              {...bound("startDate")}
              label={t("catalogueAdmin.newService.startDate")}
              hint={t("catalogueAdmin.newService.startDateHint")}
              required
              width="short"
            />
            <TextInput
              type="date"
              {...bound("endDate")}
              label={t("catalogueAdmin.newService.endDate")}
              hint={limit ? t("catalogueAdmin.newService.endDateHintLimit", { limit: formatDate(limit) }) : t("catalogueAdmin.newService.endDateHint")}
              required
              width="short"
            />
          </div>
          <p className="muted">{t("catalogueAdmin.value.intro")}</p>
          <div className="admin-row">
            <ValueFields value={values.value} onChange={(v) => set("value", v)} errorFor={errorFor} withGuarantee />
          </div>
        </section>

        <fieldset className="section admin-fieldset" id={FIELD_IDS.providers} tabIndex={-1} aria-describedby="framework-providers-hint">
          <legend className="admin-fieldset__legend">
            {t("catalogueAdmin.newService.providersTitle")}
            <RequiredMark />
          </legend>
          <p className="field__hint" id="framework-providers-hint">
            {t("catalogueAdmin.newService.providersHint")}
          </p>
          {errorFor(FIELD_IDS.providers) && <p className="field__error">{errorFor(FIELD_IDS.providers)}</p>}
          {providers.length === 0 ? (
            <p className="muted" data-testid="framework-providers-none">
              {t("catalogueAdmin.newService.providersNone")}{" "}
              <Link to={paths.providers()}>{t("catalogueAdmin.version.providerAddLink")}</Link>
            </p>
          ) : (
            providers.map((r) => (
              <Checkbox
                key={r.provider.id}
                id={FIELD_IDS.provider(r.provider.id)}
                label={r.provider.name}
                hint={t("catalogueAdmin.newService.providerHint", {
                  number: formatEnterpriseNumber(r.provider.enterprise_number),
                  email: r.provider.contact_email,
                })}
                checked={values.providers.includes(r.provider.id)}
                onChange={(checked) =>
                  set(
                    "providers",
                    checked ? [...values.providers, r.provider.id] : values.providers.filter((id) => id !== r.provider.id),
                  )
                }
                testId={FIELD_IDS.provider(r.provider.id)}
              />
            ))
          )}
        </fieldset>

        <fieldset className="section admin-fieldset">
          <legend className="admin-fieldset__legend">
            {t("catalogueAdmin.criteria.title")}
            <RequiredMark />
          </legend>
          <p className="field__hint">{t("catalogueAdmin.criteria.hint", { total: TOTAL })}</p>
          <div className="line-editor">
            {values.criteria.map((c, i) => (
              <div key={c.key} className="line-card criterion-row" data-testid="criterion">
                <TextInput
                  id={FIELD_IDS.criterionLabel(i)}
                  label={t("catalogueAdmin.criteria.label", { n: i + 1 })}
                  required
                  width="medium"
                  value={c.label}
                  onChange={(v) => setCriterion(c.key, { label: v })}
                  error={errorFor(FIELD_IDS.criterionLabel(i))}
                  testId={FIELD_IDS.criterionLabel(i)}
                />
                <TextInput
                  id={FIELD_IDS.criterionWeight(i)}
                  label={t("catalogueAdmin.criteria.weight")}
                  hint={t("catalogueAdmin.criteria.weightHint")}
                  required
                  numeric
                  width="short"
                  value={c.weight}
                  onChange={(v) => setCriterion(c.key, { weight: v })}
                  error={errorFor(FIELD_IDS.criterionWeight(i))}
                  testId={FIELD_IDS.criterionWeight(i)}
                />
                <Field
                  type="select"
                  id={FIELD_IDS.criterionKind(i)}
                  label={t("catalogueAdmin.criteria.kind")}
                  width="medium"
                  value={c.kind}
                  onChange={(v) => setCriterion(c.key, { kind: v as CriterionKind })}
                  options={[
                    { value: "price", label: t("catalogueAdmin.criteria.kinds.price") },
                    { value: "quality", label: t("catalogueAdmin.criteria.kinds.quality") },
                  ]}
                  error={errorFor(FIELD_IDS.criterionKind(i))}
                  testId={FIELD_IDS.criterionKind(i)}
                />
                {values.criteria.length > 1 && (
                  <Button
                    className="button--small"
                    onClick={() => set("criteria", values.criteria.filter((x) => x.key !== c.key))}
                    data-testid={`criterion-${i}-remove`}
                  >
                    {t("catalogueAdmin.criteria.remove", { criterion: c.label.trim() || String(i + 1) })}
                  </Button>
                )}
              </div>
            ))}
          </div>
          <p className="criteria-sum" role="status" data-testid="criteria-sum" data-sum={sum}>
            {sum === TOTAL ? (
              <StatusTag tone="success" label={t("catalogueAdmin.criteria.sumOk", { total: TOTAL })} />
            ) : (
              <StatusTag
                tone="warning"
                label={
                  sum < TOTAL
                    ? t("catalogueAdmin.criteria.sumShort", { sum: String(sum), total: TOTAL, missing: String(TOTAL - sum) })
                    : t("catalogueAdmin.criteria.sumOver", { sum: String(sum), total: TOTAL, over: String(sum - TOTAL) })
                }
              />
            )}
          </p>
          <Button
            onClick={() => set("criteria", [...values.criteria, { key: newKey(), code: "", label: "", weight: "", kind: "quality" }])}
            data-testid="criterion-add"
          >
            {t("catalogueAdmin.criteria.add")}
          </Button>
        </fieldset>

        <fieldset className="section admin-fieldset" data-testid="price-formula" aria-describedby="price-formula-hint">
          <legend className="admin-fieldset__legend">
            {t("catalogueAdmin.formula.title")}
            <RequiredMark />
          </legend>
          <p className="field__hint" id="price-formula-hint">
            {t("catalogueAdmin.formula.hint")}
          </p>
          {FORMULAS.map((formula) => (
            <label key={formula} htmlFor={`price-formula-${formula}`} className="choice">
              <input
                type="radio"
                id={`price-formula-${formula}`}
                name="price-formula"
                value={formula}
                checked={values.priceFormula === formula}
                onChange={() => set("priceFormula", formula)}
                data-testid={`price-formula-${formula}`}
              />{" "}
              <strong>{t(`catalogueAdmin.formula.kinds.${formula}`)}</strong>
              <span className="muted" data-testid={`price-formula-${formula}-statement`}>
                {" "}
                {PRICE_FORMULAS[formula]}
              </span>
            </label>
          ))}
        </fieldset>

        <ScheduleAndDocuments
          headingIds={{ prices: "new-service-prices", documents: "new-service-documents" }}
          pricesIntro={t("catalogueAdmin.newService.pricesIntro")}
          documentsIntro={t("catalogueAdmin.newService.documentsIntro")}
          value={values}
          onChange={(change) => setValues((v) => ({ ...v, ...change }))}
          newKey={newKey}
          errorFor={errorFor}
        />

        <fieldset className="section admin-fieldset">
          <legend className="admin-fieldset__legend">{t("catalogueAdmin.milestones.title")}</legend>
          <p className="field__hint">{t("catalogueAdmin.milestones.hint")}</p>
          <div className="milestone-grid">
            {MILESTONES.map((kind) => (
              <TextInput
                key={kind}
                id={FIELD_IDS.milestone(kind)}
                label={t("catalogueAdmin.milestones.days", { milestone: t(`milestoneKind.${kind}`) })}
                required
                numeric
                width="short"
                value={values.milestones[kind]}
                onChange={(v) => set("milestones", { ...values.milestones, [kind]: v })}
                error={errorFor(FIELD_IDS.milestone(kind))}
                testId={FIELD_IDS.milestone(kind)}
              />
            ))}
          </div>
        </fieldset>

        <div className="button-group">
          <Button type="submit" variant="primary" data-testid="new-service-submit">
            {t("catalogueAdmin.newService.submit")}
          </Button>
          <Link to={paths.catalogue()} className="button button--secondary" data-testid="new-service-cancel">
            {t("catalogueAdmin.newService.cancel")}
          </Link>
        </div>
      </form>

      {confirm && (
        <ConfirmDialog
          title={t("catalogueAdmin.newService.confirmTitle", { name: confirm.name_fr })}
          confirmLabel={t("catalogueAdmin.newService.submit")}
          onConfirm={send}
          onCancel={() => setConfirm(null)}
        >
          <dl className="summary-list" data-testid="new-service-summary">
            <div className="summary-list__row">
              <dt>{t("catalogueAdmin.newService.summaryService")}</dt>
              <dd>
                {t("catalogueAdmin.newService.summaryServiceValue", { name: confirm.name_fr, code: confirm.code, category: confirm.category_fr })}
              </dd>
            </div>
            {confirm.need && need && (
              <div className="summary-list__row">
                <dt>{t("surveyAdmin.need.summary")}</dt>
                <dd data-testid="new-service-summary-need">{t("surveyAdmin.need.summaryValue", { need: need.label, survey: need.surveyTitle })}</dd>
              </div>
            )}
            <div className="summary-list__row">
              <dt>{t("catalogueAdmin.newService.summaryFramework")}</dt>
              <dd>
                {t("catalogueAdmin.newService.summaryFrameworkValue", {
                  reference: confirm.reference,
                  title: confirm.title_fr,
                  start: formatDate(confirm.terms.start_date),
                  end: formatDate(confirm.terms.end_date),
                })}
                <br />
                <span className="muted">{t(`catalogueAdmin.newService.methods.${confirm.call_off_method}`)}</span>
                {confirm.terms.direct_call_off && (
                  <>
                    <br />
                    <span className="muted" data-testid="new-service-summary-rule">
                      {t(`catalogueAdmin.newService.rules.${confirm.terms.direct_call_off.rule}`)} —{" "}
                      {DESIGNATION_RULES[confirm.terms.direct_call_off.rule]}
                    </span>
                  </>
                )}
                <br />
                <span data-testid="new-service-summary-value">
                  {t("catalogueAdmin.value.summary", {
                    max: confirm.terms.max_value === null ? t("catalogueAdmin.value.notStated") : formatMoney(confirm.terms.max_value, "htva"),
                    months: confirm.terms.contract_months,
                  })}
                </span>
              </dd>
            </div>
            <div className="summary-list__row">
              <dt>{t("catalogueAdmin.newService.summaryProviders")}</dt>
              <dd>{confirm.terms.providers.map((p) => providerName(p.provider_id)).join(", ")}</dd>
            </div>
            <div className="summary-list__row">
              <dt>{t("catalogueAdmin.criteria.title")}</dt>
              <dd>
                {confirm.terms.award_criteria
                  .map((c) => t("catalogueAdmin.newService.summaryCriterion", { criterion: c.label_fr, weight: String(c.weight) }))
                  .join(", ")}
                <br />
                <span className="muted" data-testid="new-service-summary-formula">
                  {t(`catalogueAdmin.formula.kinds.${confirm.terms.price_formula}`)} — {PRICE_FORMULAS[confirm.terms.price_formula]}
                </span>
              </dd>
            </div>
            <div className="summary-list__row">
              <dt>{t("catalogueAdmin.lines.title")}</dt>
              <dd>
                <ul className="plain-list">
                  {confirm.terms.price_schedule.map((l) => (
                    <li key={l.code}>
                      {t("catalogueAdmin.newService.summaryLine", { line: l.label_fr, unit: l.unit_fr, amount: formatMoney(l.ceiling_cents, "htva") })}
                    </li>
                  ))}
                </ul>
              </dd>
            </div>
            <div className="summary-list__row">
              <dt>{t("catalogueAdmin.documents.heading")}</dt>
              <dd>{t("catalogueAdmin.newService.summaryDocuments", { count: confirm.terms.documents.length })}</dd>
            </div>
          </dl>
          <p>{t("catalogueAdmin.newService.confirmEffect")}</p>
        </ConfirmDialog>
      )}
    </>
  );
}

function Screen({ needRef }: { needRef: NeedRef | null }) {
  const providers = useCommand(() => api.providers(), []);
  const categories = useCommand(() => api.serviceCategories(), []);
  const services = useCommand(() => api.services({ text: null, category: null }), []);
  // The survey of the need the service answers, when the address names one.
  const surveyId = needRef?.survey_id ?? null;
  const survey = useCommand(() => (surveyId ? api.surveyResults(surveyId) : Promise.resolve(null)), [surveyId]);
  const error = providers.error ?? services.error ?? survey.error;
  if (error) {
    return (
      <ErrorPanel
        error={error}
        onRetry={() => {
          providers.reload();
          services.reload();
          survey.reload();
        }}
      />
    );
  }
  if (providers.loading || services.loading || survey.loading) return <Loading />;
  const need = needRef ? findNeed(survey.data, needRef) : null;
  return (
    <>
      <NeedOriginPanel need={need} missing={needRef !== null && need === null} />
      <Form providers={providers.data ?? []} categories={categories.data ?? []} existing={services.data ?? []} need={need} />
    </>
  );
}

export function NewService({ query }: ScreenProps) {
  const t = useT();
  return (
    <Page title={t("catalogueAdmin.newService.pageTitle")} intro={<p className="lead">{t("catalogueAdmin.newService.intro")}</p>}>
      <CentraleOnly>
        <Screen needRef={needFromQuery(query)} />
      </CentraleOnly>
    </Page>
  );
}
