/**
 * The list of problems at the top of a form after a failed submit (GOV.UK pattern). It takes
 * focus so screen readers announce it; each link moves focus to its field.
 */
import { useEffect, useRef } from "react";
import { useT } from "../i18n";
import { Icon } from "./Icon";

export type FieldError = {
  /** The id of the field's control. */
  fieldId: string;
  message: string;
};

export function ErrorSummary({ errors, title }: { errors: FieldError[]; title?: string }) {
  const t = useT();
  const ref = useRef<HTMLDivElement>(null);
  const key = errors.map((e) => `${e.fieldId}:${e.message}`).join("|");

  useEffect(() => {
    if (key) ref.current?.focus();
  }, [key]);

  if (errors.length === 0) return null;
  return (
    <div className="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} ref={ref} data-testid="error-summary">
      <h2 className="error-summary__title" id="error-summary-title">
        <Icon name="error" />
        {title ?? t("errorSummary.title")}
      </h2>
      <ul className="error-summary__list">
        {errors.map((e) => (
          <li key={`${e.fieldId}:${e.message}`}>
            <a
              href={`#${e.fieldId}`}
              onClick={(event) => {
                // The hash holds the route: focus the field without touching it.
                event.preventDefault();
                const field = document.getElementById(e.fieldId);
                field?.focus();
                field?.scrollIntoView?.({ block: "center" });
              }}
            >
              {e.message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
