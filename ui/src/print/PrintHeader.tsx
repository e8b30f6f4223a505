import { useEffect, useState } from "react";
import { flushSync } from "react-dom";
import { formatDateTime } from "../format";
import { useT } from "../i18n";
import { afterNextPaint } from "../paint";

/**
 * The line at the top of a printout: the commune, who printed and when (Brussels time),
 * so that a sheet found in the collège's file says where it comes from. Shown only on paper;
 * set at the moment of printing, whether from a button or the browser's own « Imprimer ».
 *
 * First stamped once the window has painted, not while it draws its first screen: the first
 * time formatted costs about 10 ms on a PC of 2 cores (ICU loads the time zone), for a line
 * only paper shows (issue 19 §5). Nothing can be printed before that paint.
 */
export function PrintHeader({ commune, person }: { commune: string | null; person: string | null }) {
  const t = useT();
  const [at, setAt] = useState<string | null>(null);
  useEffect(() => {
    const stamp = () => setAt(new Date().toISOString());
    // `beforeprint` runs before the page is laid out for paper: the new time must be in the
    // DOM by then, hence a synchronous render.
    const stampNow = () => flushSync(stamp);
    window.addEventListener("beforeprint", stampNow);
    const cancel = afterNextPaint(stamp);
    return () => {
      cancel();
      window.removeEventListener("beforeprint", stampNow);
    };
  }, []);
  if (at === null) return null;
  const when = formatDateTime(at);
  return (
    <p className="print-only print-header" data-testid="print-header">
      <strong>{t("app.name")}</strong>
      {commune && <> · {commune}</>}
      {" — "}
      {person ? t("print.printedBy", { when, who: person }) : t("print.printed", { when })}
    </p>
  );
}
