/**
 * Form pieces of the catalogue screens: a one-line `<Field>` with the forms' defaults, and a
 * checkbox with its label after it (which `<Field>` does not offer), its hint and error tied
 * to it like `<Field>` does.
 */
import { describedByOf, Field } from "../../../components/Field";
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

/**
 * A one-line field of the catalogue forms, in their words: `<Field>` with `numeric` for a
 * number typed as text, suggestions, and the browser's autocompletion off by default.
 */
export function TextInput({ numeric, type = "text", suggestions, spellCheck, autoComplete = "off", ...common }: TextInputProps) {
  if (numeric) return <Field {...common} autoComplete={autoComplete} type="number" />;
  if (type === "date") return <Field {...common} autoComplete={autoComplete} type="date" />;
  return <Field {...common} autoComplete={autoComplete} type={type} suggestions={suggestions} spellCheck={spellCheck} />;
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
