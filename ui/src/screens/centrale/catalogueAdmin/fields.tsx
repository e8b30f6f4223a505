/**
 * Form pieces of the catalogue screens that `<Field>` does not offer: a text input with a list
 * of suggestions (`<datalist>`) or extra attributes, and a checkbox with its label after it.
 * Both keep the label, hint and error tied to the control like `<Field>` does.
 */
import { describedByOf, FieldFrame } from "../../../components/Field";
import { useT } from "../../../i18n";
import "./catalogueAdmin.css";

type TextInputProps = {
  id: string;
  label: string;
  hint?: string;
  required?: boolean;
  error?: string | null;
  value: string;
  onChange: (value: string) => void;
  testId?: string;
  width?: "short" | "medium" | "full";
  /** A number typed as text (decimal comma allowed). */
  numeric?: boolean;
  type?: "text" | "email" | "date";
  /** Suggestions shown under the field (still free text). */
  suggestions?: string[];
  /** Visually hide the label (a heading next to it says it); still read aloud. */
  hideLabel?: boolean;
  autoComplete?: string;
  spellCheck?: boolean;
};

/** A one-line field (label above, hint, « obligatoire », its error), with optional suggestions. */
export function TextInput(props: TextInputProps) {
  const { id, label, hint, required, error, value, onChange, testId, width = "full", numeric, type = "text", suggestions, hideLabel } = props;
  const listId = suggestions && suggestions.length > 0 ? `${id}-suggestions` : undefined;
  return (
    <FieldFrame id={id} label={label} hint={hint} required={required} error={error} hideLabel={hideLabel}>
      <input
        id={id}
        name={id}
        type={type}
        value={value}
        required={required}
        aria-required={required || undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedByOf(id, hint, error)}
        data-testid={testId}
        className={`control control--${width}`}
        inputMode={numeric ? "decimal" : undefined}
        autoComplete={props.autoComplete ?? "off"}
        spellCheck={props.spellCheck}
        list={listId}
        onChange={(e) => onChange(e.target.value)}
      />
      {listId && (
        <datalist id={listId}>
          {(suggestions ?? []).map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      )}
    </FieldFrame>
  );
}

/** A checkbox with its label after it, a hint and an error tied to it. */
export function Checkbox({
  id,
  label,
  hint,
  checked,
  onChange,
  testId,
  error,
}: {
  id: string;
  label: string;
  hint?: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  testId?: string;
  error?: string | null;
}) {
  return (
    <div className="choice">
      <input
        id={id}
        name={id}
        type="checkbox"
        className="choice__input"
        checked={checked}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedByOf(id, hint, error)}
        data-testid={testId}
        onChange={(e) => onChange(e.target.checked)}
      />
      <label className="choice__label" htmlFor={id}>
        {label}
      </label>
      {hint && (
        <p className="choice__hint field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field__error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** « (obligatoire) » after a legend, as `<FieldFrame>` puts it after a label. */
export function RequiredMark() {
  const t = useT();
  return (
    <>
      {" "}
      <span className="field__required">
        {"("}
        {t("common.required")}
        {")"}
      </span>
    </>
  );
}
