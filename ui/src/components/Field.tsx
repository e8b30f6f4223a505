/**
 * A form field: label above, a hint with an example, « obligatoire » when required, and the
 * field's own error message, all tied to the control (`aria-describedby`, `aria-invalid`).
 * Controlled: the value stays what the user typed, even after a failed submit.
 *
 * Dates and times are text fields read day first and on 24 h (typedDates.ts), never the
 * browser's date and time inputs, whose order follows the PC's language.
 */
import { useState, type ReactNode } from "react";
import { useT } from "../i18n";
import { dateForField, readTypedDate, readTypedTime } from "../typedDates";

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
  /**
   * A date typed `jj/mm/aaaa`. `value` and `onChange` carry the calendar date (`2027-04-01`)
   * when the text is a real date, else the text as typed (the form's `isIsoDate` refuses it);
   * limits are the form's checks. The field says so itself when left with an unreadable text.
   */
  | (Common & { type: "date" })
  /** A time typed on 24 h; `value` is `HH:MM` when readable (`9:05` → `09:05`), else the text. */
  | (Common & { type: "time" })
  | (Common & { type: "textarea"; rows?: number })
  | (Common & { type: "select"; options: { value: string; label: string }[]; placeholderOption?: string });

export function Field(props: FieldProps) {
  if (props.type === "date" || props.type === "time") return <TypedField {...props} type={props.type} />;
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

const TYPED = {
  date: { parse: readTypedDate, show: dateForField, invalid: "common.dateInvalid", inputMode: "numeric" },
  // No numeric keypad: it has no « : » nor « h ».
  time: { parse: readTypedTime, show: (value: string) => value, invalid: "common.timeInvalid", inputMode: "text" },
} as const;

/**
 * A date or time field: the text stays as typed (`1/4/2027` is not rewritten), the form gets
 * the calendar value; when the form changes the value itself (a default, a reset), the text
 * follows. Left with an unreadable text, the field says what it expects before any submit.
 */
function TypedField(props: Common & { type: "date" | "time" }) {
  const { id, label, hint, required, error, value, onChange, testId, width = "short", disabled, hideLabel, autoComplete } = props;
  const t = useT();
  const typed = TYPED[props.type];
  const [text, setText] = useState(() => typed.show(value));
  // The value this field last gave its form: any other one comes from the form.
  const [given, setGiven] = useState(value);
  const [left, setLeft] = useState(false);
  if (value !== given) {
    setGiven(value);
    setText(typed.show(value));
  }
  const unreadable = left && text.trim() !== "" && typed.parse(text) === null;
  const shown = error || (unreadable ? t(typed.invalid) : null);
  return (
    <FieldFrame id={id} label={label} hint={hint} required={required} error={shown} hideLabel={hideLabel}>
      <input
        id={id}
        name={id}
        type="text"
        inputMode={typed.inputMode}
        autoComplete={autoComplete ?? "off"}
        spellCheck={false}
        value={text}
        disabled={disabled}
        required={required}
        aria-required={required || undefined}
        aria-invalid={shown ? true : undefined}
        aria-describedby={describedByOf(id, hint, shown)}
        data-testid={testId}
        className={`control control--${width}`}
        onChange={(e) => {
          // Never a calendar value unless readable: the form's own check refuses the rest.
          const next = typed.parse(e.target.value) ?? e.target.value.trim();
          setText(e.target.value);
          setGiven(next);
          setLeft(false);
          onChange(next);
        }}
        onBlur={() => setLeft(true)}
      />
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
