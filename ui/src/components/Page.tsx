/**
 * Every screen starts with a Page: its h1 (`data-testid="page-title"`) becomes the window's
 * title, and takes the focus when the screen opens so that screen readers announce it.
 */
import { useEffect, useRef, type ReactNode } from "react";
import { useT } from "../i18n";

export function Page({ title, children, intro }: { title: string; intro?: ReactNode; children?: ReactNode }) {
  const t = useT();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = t("app.documentTitle", { page: title });
  }, [t, title]);
  useEffect(() => {
    // Focus the heading of a newly opened screen (not on every re-render).
    ref.current?.focus({ preventScroll: false });
  }, []);
  return (
    <div className="page">
      <h1 className="page__title" tabIndex={-1} ref={ref} data-testid="page-title">
        {title}
      </h1>
      {intro && <div className="page__intro">{intro}</div>}
      {children}
    </div>
  );
}
