/**
 * « Code de double authentification » (issue 17 point 9): the field every signing act's
 * confirmation shows when the act asks for a code (`asksSecondFactor`). Six digits from the
 * authenticator application, or a recovery code; the store refuses a missing or malformed
 * code at once, and that refusal shows under the field. Offline, the field says that the
 * server checks the code when the act arrives (within the exported validity), and that a
 * refused code is asked again from « À corriger ».
 */
import { useId, useState, type ReactNode } from "react";
import { api } from "../api";
import { AppError } from "../errors";
import { useErrorText, useT } from "../i18n";
import { useSession } from "../session";
import { useSyncStatus } from "../data";
import { LIMITS } from "../bindings/rules";
import { asksSecondFactor, isSecondFactorFieldError } from "../secondFactor";
import type { Action } from "../bindings/Action";
import { Icon } from "./Icon";

type FieldProps = {
  id: string;
  value: string;
  onChange: (value: string) => void;
  /** The refusal of the code, in words (shown under the field). */
  error?: string | null;
  /** Says what happens to an act signed without network. */
  offlineNote?: boolean;
  testId?: string;
  label?: ReactNode;
  hint?: ReactNode;
};

/** The code's field: label, hint, the control, then its error and the offline note under it. */
export function SecondFactorField({ id, value, onChange, error, offlineNote, testId, label, hint }: FieldProps) {
  const t = useT();
  const describedBy = [`${id}-hint`, error ? `${id}-error` : null, offlineNote ? `${id}-offline` : null].filter(Boolean).join(" ");
  return (
    <div className={`field second-factor${error ? " field--error" : ""}`} data-testid="second-factor">
      <label className="field__label" htmlFor={id}>
        {label ?? t("secondFactor.label")}
      </label>
      <p className="field__hint" id={`${id}-hint`}>
        {hint ?? t("secondFactor.hint")}
      </p>
      <input
        id={id}
        name={id}
        type="text"
        inputMode="numeric"
        autoComplete="one-time-code"
        spellCheck={false}
        maxLength={12}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className="control control--short"
        data-testid={testId ?? "second-factor-code"}
        onChange={(e) => onChange(e.target.value)}
      />
      {error && (
        <p className="field__error field__error--below" id={`${id}-error`} data-testid="second-factor-error">
          <span className="visually-hidden">{t("common.errorPrefix")}</span>
          {error}
        </p>
      )}
      {offlineNote && (
        <p className="field__hint" id={`${id}-offline`} data-testid="second-factor-offline">
          <Icon name="offline" />{" "}
          {t("secondFactor.offline", { days: LIMITS.SECOND_FACTOR_OFFLINE_VALIDITY_HOURS / 24 })}
        </p>
      )}
    </div>
  );
}

/**
 * The code of one signing act: whether it is asked, its field for the confirmation, and the
 * code to pass to `api.perform` (null when not asked). `claims(error)` takes a refusal of the
 * code: it shows under the field and the confirmation stays open for a new code.
 */
export function useSecondFactor(kind: Action["kind"]) {
  const { state } = useSession();
  const { status } = useSyncStatus();
  const errorText = useErrorText();
  const id = `second-factor-${useId().replace(/[^a-zA-Z0-9_-]/g, "")}`;
  const asked = asksSecondFactor(kind, state.session);
  const [code, setCode] = useState("");
  const [error, setError] = useState<AppError | null>(null);
  const offline = status?.phase === "offline";

  const claims = (e: unknown): boolean => {
    const err = AppError.from(e);
    if (!asked || !isSecondFactorFieldError(err.params)) return false;
    setError(err);
    return true;
  };

  const field = asked ? (
    <SecondFactorField
      id={id}
      value={code}
      onChange={(v) => {
        setCode(v);
        setError(null);
      }}
      error={error ? errorText(error) : null}
      offlineNote={offline}
    />
  ) : null;

  return {
    asked,
    /** What to send with the act. */
    code: asked ? code : null,
    /** Performs the act, with the code when it asks for one. */
    perform: (action: Action) => (asked ? api.perform(action, code) : api.perform(action)),
    field,
    claims,
    /** Forgets the code and its error (the dialog closed). */
    reset: () => {
      setCode("");
      setError(null);
    },
  };
}
