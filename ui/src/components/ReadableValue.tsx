/**
 * What the user typed (an outbox payload, a record), shown as labelled values rather than
 * JSON: dates and amounts in Belgian form, lists as lists, nested objects as nested lists.
 */
import { formatDateTime, formatDate, formatDecimal, isDateOnly, isDateTime, formatMoney } from "../format";
import { useT, type Translate } from "../i18n";
import { fieldLabel } from "../outbox";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Fields holding integer cents, and whether VAT is included. */
function moneyBasis(field: string): "htva" | "tvac" | null {
  if (field.endsWith("excl_vat") || field === "vat") return "htva";
  // The commune's budget is TVAC, as in its budget (issue 11 rule 9).
  if (field === "budget" || field.endsWith("incl_vat")) return "tvac";
  return null;
}

/** Fields holding decimals sent as strings. */
const DECIMAL_FIELDS = new Set(["quantity", "points", "total", "price_score", "vat_rate_percent"]);

/** A single value in words. */
export function formatScalar(t: Translate, field: string, value: unknown): string {
  if (value === null || value === undefined || value === "") return t("common.notGiven");
  if (typeof value === "boolean") return value ? t("common.yes") : t("common.no");
  if (typeof value === "number") {
    const basis = moneyBasis(field);
    return basis ? formatMoney(value, basis) : formatDecimal(String(value));
  }
  if (typeof value === "string") {
    if (DECIMAL_FIELDS.has(field)) return formatDecimal(value);
    if (isDateOnly(value)) return formatDate(value);
    if (isDateTime(value)) return formatDateTime(value);
    return value;
  }
  return JSON.stringify(value);
}

/** A value of any shape, under the field name `field` (used for labels and formats). */
export function ReadableValue({ value, field = "" }: { value: unknown; field?: string }) {
  const t = useT();
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="muted">{t("common.emptyList")}</span>;
    return (
      <ol className="readable-list">
        {value.map((item, i) => (
          <li key={i}>
            <ReadableValue value={item} field={field} />
          </li>
        ))}
      </ol>
    );
  }
  if (isRecord(value)) {
    return (
      <dl className="readable">
        {Object.entries(value).map(([key, v]) => (
          <div className="readable__row" key={key}>
            <dt>{fieldLabel(t, key)}</dt>
            <dd>
              <ReadableValue value={v} field={key} />
            </dd>
          </div>
        ))}
      </dl>
    );
  }
  const text = formatScalar(t, field, value);
  const isId = field === "id" || field.endsWith("_id");
  return isId ? <code className="identifier">{text}</code> : <span>{text}</span>;
}
