/**
 * The proof after an act with legal weight: who did it, when, and what exactly
 * (e.g. « Convention d'adhésion v3 signée par Marie Dupont, bourgmestre, le 12/03/2027 à 14:05 »).
 */
import { useEffect, type ReactNode } from "react";
import { useT } from "../i18n";
import { DateText } from "./DateText";
import { Icon } from "./Icon";
import { clearFlash } from "./Notice";

type Props = {
  title?: string;
  /** Who, in words (name and capacity). */
  who: string;
  /** When (ISO date-time). */
  when: string;
  /** What, in words. */
  what: string;
  /** More lines (a reference, a hash, a note that it will be sent at the next sync). */
  children?: ReactNode;
  testId?: string;
};

export function Receipt({ title, who, when, what, children, testId }: Props) {
  const t = useT();
  // A newer act on this screen: an earlier notice above it (« sera envoyé ») would contradict it.
  useEffect(() => clearFlash(), [when]);
  return (
    <section className="receipt" role="status" aria-labelledby="receipt-title" data-testid={testId ?? "receipt"}>
      <h2 className="receipt__title" id="receipt-title">
        <Icon name="check" />
        {title ?? t("receipt.title")}
      </h2>
      <dl className="summary-list">
        <div className="summary-list__row">
          <dt>{t("receipt.what")}</dt>
          <dd>{what}</dd>
        </div>
        <div className="summary-list__row">
          <dt>{t("receipt.who")}</dt>
          <dd>{who}</dd>
        </div>
        <div className="summary-list__row">
          <dt>{t("receipt.when")}</dt>
          <dd>
            <DateText value={when} kind="datetime" />
          </dd>
        </div>
      </dl>
      {children}
    </section>
  );
}
