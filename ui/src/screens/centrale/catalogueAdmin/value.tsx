/**
 * The framework's value, shared by the new service and the new framework version: its maximum
 * value (euros HTVA, every commune together: once the awards reach it, no new order) and the
 * contract duration of an order in months (recurring price lines are priced over it). The
 * limits are the domain's (1 to 48 months, a positive maximum): the form only reads the
 * numbers, the server's refusal comes back next to the field.
 */
import type { FieldError } from "../../../components/ErrorSummary";
import { formatMoney } from "../../../format";
import { useT, type Translate } from "../../../i18n";
import { centsToInput, parseEuros } from "../../orders/numbers";
import { TextInput } from "./fields";
import { parseWhole } from "./rules";

/** The two fields as typed. */
export type ValueDraft = { maxValue: string; contractMonths: string; guaranteeMonths: string };

export const VALUE_FIELD_IDS = {
  maxValue: "framework-max-value",
  contractMonths: "framework-contract-months",
  guaranteeMonths: "framework-guarantee-months",
} as const;

/** The domain's `field` of a refusal → the control showing it. */
export const VALUE_REFUSAL_FIELDS: Record<string, string> = {
  max_value: VALUE_FIELD_IDS.maxValue,
  contract_months: VALUE_FIELD_IDS.contractMonths,
  guarantee_months: VALUE_FIELD_IDS.guaranteeMonths,
};

/** The draft of terms in force (or of a new framework: no maximum yet, 48 months). */
export function valueDraft(terms?: { max_value: number | null; contract_months: number; guarantee_months?: number }): ValueDraft {
  return {
    maxValue: terms?.max_value != null ? centsToInput(terms.max_value) : "",
    contractMonths: String(terms?.contract_months ?? 48),
    guaranteeMonths: String(terms?.guarantee_months ?? 12),
  };
}

/** Reads the two numbers; errors point to their field. */
export function checkValue(
  t: Translate,
  draft: ValueDraft,
): { maxValue: number | null; contractMonths: number | null; guaranteeMonths: number | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  let maxValue: number | null = null;
  const parsed = parseEuros(draft.maxValue);
  if (parsed.kind === "ok" && parsed.cents > 0) maxValue = parsed.cents;
  else {
    errors.push({
      fieldId: VALUE_FIELD_IDS.maxValue,
      message: t(parsed.kind === "empty" ? "catalogueAdmin.value.maxMissing" : "catalogueAdmin.value.maxInvalid"),
    });
  }
  let contractMonths: number | null = null;
  const months = parseWhole(draft.contractMonths, 1, 1_000_000);
  if (months.kind === "ok") contractMonths = months.value;
  else errors.push({ fieldId: VALUE_FIELD_IDS.contractMonths, message: t("catalogueAdmin.value.monthsInvalid") });
  let guaranteeMonths: number | null = null;
  const guarantee = parseWhole(draft.guaranteeMonths, 0, 1_000_000);
  if (guarantee.kind === "ok") guaranteeMonths = guarantee.value;
  else errors.push({ fieldId: VALUE_FIELD_IDS.guaranteeMonths, message: t("catalogueAdmin.value.guaranteeInvalid") });
  return { maxValue, contractMonths, guaranteeMonths, errors };
}

/** « Valeur maximale de l'accord-cadre » and « Durée du contrat d'une commande ». */
export function ValueFields({
  value,
  onChange,
  errorFor,
  current,
  withGuarantee,
}: {
  value: ValueDraft;
  /** Show the guarantee period (a new framework states it; a new version keeps it). */
  withGuarantee?: boolean;
  onChange: (value: ValueDraft) => void;
  errorFor: (fieldId: string) => string | null;
  /** The terms in force, for a new version (their values are said in the hints). */
  current?: { max_value: number | null; contract_months: number };
}) {
  const t = useT();
  return (
    <>
      <TextInput
        id={VALUE_FIELD_IDS.maxValue}
        label={t("catalogueAdmin.value.max")}
        hint={
          current
            ? t("catalogueAdmin.value.maxHintVersion", {
                current: current.max_value === null ? t("catalogueAdmin.value.notStated") : formatMoney(current.max_value, "htva"),
              })
            : t("catalogueAdmin.value.maxHint")
        }
        required
        numeric
        width="short"
        value={value.maxValue}
        onChange={(v) => onChange({ ...value, maxValue: v })}
        error={errorFor(VALUE_FIELD_IDS.maxValue)}
        testId={VALUE_FIELD_IDS.maxValue}
      />
      <TextInput
        id={VALUE_FIELD_IDS.contractMonths}
        label={t("catalogueAdmin.value.months")}
        hint={t("catalogueAdmin.value.monthsHint")}
        required
        numeric
        width="short"
        value={value.contractMonths}
        onChange={(v) => onChange({ ...value, contractMonths: v })}
        error={errorFor(VALUE_FIELD_IDS.contractMonths)}
        testId={VALUE_FIELD_IDS.contractMonths}
      />
      {withGuarantee && (
        <TextInput
          id={VALUE_FIELD_IDS.guaranteeMonths}
          label={t("catalogueAdmin.value.guarantee")}
          hint={t("catalogueAdmin.value.guaranteeHint")}
          required
          numeric
          width="short"
          value={value.guaranteeMonths}
          onChange={(v) => onChange({ ...value, guaranteeMonths: v })}
          error={errorFor(VALUE_FIELD_IDS.guaranteeMonths)}
          testId={VALUE_FIELD_IDS.guaranteeMonths}
        />
      )}
    </>
  );
}
