import { useErrorText, useT, type ErrorLike } from "../i18n";
import { Button } from "./Button";
import { Icon } from "./Icon";

/** An error in words the user can act on (translated from its code), with « Réessayer ». */
export function ErrorPanel({
  error,
  onRetry,
  title,
  message,
}: {
  error: ErrorLike;
  onRetry?: () => void;
  title?: string;
  /** Words that fit this screen better than the generic translation of the code. */
  message?: string;
}) {
  const t = useT();
  const text = useErrorText();
  return (
    <div className="panel panel--danger" role="alert" data-testid="error-panel" data-error-code={error.code}>
      <h2 className="panel__title">
        <Icon name="error" />
        {title ?? t("common.errorTitle")}
      </h2>
      <p>{message ?? text(error)}</p>
      {onRetry && (
        <Button variant="secondary" onClick={onRetry}>
          {t("common.retry")}
        </Button>
      )}
    </div>
  );
}
