/**
 * The conditions of a call-off without competition written in a framework (issue 11 rule 5;
 * Dir. 2014/24 art. 33(4)(a)): the designation rule — cascade or rotation, in the domain's
 * words (`DESIGNATION_RULES`) — the ranking and, with both methods, the threshold; and who the
 * commune's next direct call-off goes to, and why (`DesignationView`, decided on this PC by the
 * domain's `designation::designate`, as the intercommunale decides it).
 */
import { formatDate, formatMoney } from "../format";
import { useT } from "../i18n";
import { DESIGNATION_RULES } from "../bindings/rules";
import type { CallOffMethod } from "../bindings/CallOffMethod";
import type { DesignationView } from "../bindings/DesignationView";
import type { DirectCallOffView } from "../bindings/DirectCallOffView";

/** The rule, the ranking and the threshold, as summary-list rows. */
export function DirectCallOffRows({ method, conditions }: { method: CallOffMethod; conditions: DirectCallOffView | null }) {
  const t = useT();
  if (method === "mini_competition" || !conditions) return null;
  return (
    <>
      <div className="summary-list__row">
        <dt>{t("service.direct.rule")}</dt>
        <dd data-testid="designation-rule">
          <strong>{t(`service.direct.rules.${conditions.rule}`)}</strong>
          <br />
          <span className="muted" data-testid="designation-rule-statement">
            {DESIGNATION_RULES[conditions.rule]}
          </span>
          {method === "both" && conditions.up_to !== null && (
            <>
              <br />
              <span className="muted" data-testid="designation-threshold">
                {t("service.direct.upTo", { amount: formatMoney(conditions.up_to, "htva") })}
              </span>
            </>
          )}
        </dd>
      </div>
      <div className="summary-list__row">
        <dt>{t("service.direct.ranking")}</dt>
        <dd>
          <ul className="plain-list" data-testid="designation-ranking">
            {conditions.ranking.map((p) => (
              <li key={p.provider_id}>
                {t("service.direct.rank", { rank: p.rank, name: p.name ?? t("service.providers.unknown") })}
              </li>
            ))}
          </ul>
        </dd>
      </div>
    </>
  );
}

/** Who the commune's next direct call-off goes to, and why, in one panel. */
export function DesignationPanel({ designation, forOrder = false }: { designation: DesignationView; forOrder?: boolean }) {
  const t = useT();
  const name = designation.provider_name ?? t("service.providers.unknown");
  const previous = designation.previous;
  let why: string;
  if (designation.rule === "cascade") why = t("service.direct.whyCascade", { rank: designation.rank });
  else if (previous)
    why = t("service.direct.whyRotation", {
      title: previous.title,
      date: formatDate(previous.awarded_at),
      previous: previous.provider_name ?? t("service.providers.unknown"),
      rank: designation.rank,
    });
  else why = t("service.direct.whyFirst", { rank: designation.rank });
  return (
    <div className="panel" data-testid="designation-next">
      <h2 className="panel__title">{t("service.direct.title")}</h2>
      <p>
        <strong data-testid="designation-provider">
          {t(forOrder ? "service.direct.forOrder" : "service.direct.next", { name })}
        </strong>
        {!forOrder && designation.up_to !== null && (
          <span className="muted"> {t("service.direct.nextIfDirect", { amount: formatMoney(designation.up_to, "htva") })}</span>
        )}
      </p>
      <p data-testid="designation-why">{why}</p>
      {designation.passed_over.length > 0 && (
        <p className="muted" data-testid="designation-passed-over">
          {t("service.direct.passedOver", { names: designation.passed_over.join(", ") })}
        </p>
      )}
      <p className="muted">{t("service.direct.notChosen")}</p>
    </div>
  );
}
