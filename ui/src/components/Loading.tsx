import { useT } from "../i18n";

/** Something is being read; says so in words (and to screen readers). */
export function Loading({ label }: { label?: string }) {
  const t = useT();
  return (
    <p className="loading" role="status" data-testid="loading">
      <span className="loading__spinner" aria-hidden="true" />
      {label ?? t("common.loading")}
    </p>
  );
}
