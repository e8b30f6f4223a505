/**
 * A form field: label above, a hint with an example, « obligatoire » when required, and the
 * field's own error message, all tied to the control (`aria-describedby`, `aria-invalid`).
 * Controlled: the value stays what the user typed, even after a failed submit.
 */
import type { ReactNode } from "react";
import { useT } from "../i18n";

type Common = {
  /** The control's id (ErrorSummary links focus it). */
  id: string;
  label: string;
  hint?: string;
  required?: boolean;
  /** The field's error, shown above the control. */
  error?: string | null;
  value: string;
  onChange: (value: string) => void;
  testId?: string;
  /** Width hint for short values (a date, a number). */
  width?: "short" | "medium" | "full";
  disabled?: boolean;
  /** Visually hide the label (a heading next to it says it); still read aloud. */
  hideLabel?: boolean;
  autoComplete?: string;
};

export type FieldProps =
  | (Common & {
      type?: "text" | "password" | "url" | "email" | "search";
      /** Suggestions offered under the field (`<datalist>`); the text stays free. */
      suggestions?: string[];
      spellCheck?: boolean;
    })
  /** A number typed as text (decimal comma allowed); the caller parses it. */
  | (Common & { type: "number" })
  | (Common & { type: "date"; min?: string; max?: string })
  | (Common & { type: "textarea"; rows?: number })
  | (Common & { type: "select"; options: { value: string; label: string }[]; placeholderOption?: string });

export function Field(props: FieldProps) {
  const { id, label, hint, required, error, value, onChange, testId, width = "full", disabled, hideLabel, autoComplete } = props;
  const describedBy = describedByOf(id, hint, error);
  const common = {
    id,
    name: id,
    value,
    disabled,
    required,
    "aria-required": required || undefined,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": describedBy,
    "data-testid": testId,
    className: `control control--${width}`,
  } as const;
  const input = { ...common, autoComplete } as const;

  let control: ReactNode;
  switch (props.type) {
    case "textarea":
      control = <textarea {...common} rows={props.rows ?? 5} onChange={(e) => onChange(e.target.value)} />;
      break;
    case "select":
      control = (
        <select {...common} onChange={(e) => onChange(e.target.value)}>
          {props.placeholderOption !== undefined && <option value="">{props.placeholderOption}</option>}
          {props.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      );
      break;
    case "number":
      control = (
        <input
          {...input}
          type="text"
          inputMode="decimal"
          onChange={(e) => onChange(e.target.value)}
        />
      );
      break;
    case "date":
      control = <input {...input} type="date" min={props.min} max={props.max} onChange={(e) => onChange(e.target.value)} />;
      break;
    default: {
      const listId = props.suggestions && props.suggestions.length > 0 ? `${id}-suggestions` : undefined;
      control = (
        <>
          <input
            {...input}
            type={props.type ?? "text"}
            spellCheck={props.spellCheck ?? (props.type === "url" ? false : undefined)}
            list={listId}
            onChange={(e) => onChange(e.target.value)}
          />
          {listId && (
            <datalist id={listId}>
              {(props.suggestions ?? []).map((suggestion) => (
                <option key={suggestion} value={suggestion} />
              ))}
            </datalist>
          )}
        </>
      );
    }
  }

  return (
    <FieldFrame id={id} label={label} hint={hint} required={required} error={error} hideLabel={hideLabel}>
      {control}
    </FieldFrame>
  );
}

/** The ids of a field's hint and error, for the control's `aria-describedby`. */
export function describedByOf(id: string, hint?: ReactNode, error?: string | null): string | undefined {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
}

/**
 * What every field shares around its control: the label above (visually hidden when a heading
 * next to it already says it), « obligatoire », the hint, and the error message tied to it.
 */
export function FieldFrame({
  id,
  label,
  hint,
  required,
  error,
  hideLabel,
  children,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  required?: boolean;
  error?: string | null;
  hideLabel?: boolean;
  children: ReactNode;
}) {
  const t = useT();
  return (
    <div className={`field${error ? " field--error" : ""}`}>
      <label className={hideLabel ? "visually-hidden" : "field__label"} htmlFor={id}>
        {label}
        {required && (
          <>
            {" "}
            <span className="field__required">
              {"("}
              {t("common.required")}
              {")"}
            </span>
          </>
        )}
      </label>
      {hint && (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field__error" id={`${id}-error`}>
          <span className="visually-hidden">{t("common.errorPrefix")}</span>
          {error}
        </p>
      )}
      {children}
    </div>
  );
}
