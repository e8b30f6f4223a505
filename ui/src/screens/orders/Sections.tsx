/**
 * The read-only parts of the order page: the needs, the invitations, the award, the
 * deployment, the closure and the history of the order.
 */
import { decisionSentence } from "../DecisionFields";
import type { ReactNode } from "react";
import { DateText } from "../../components/DateText";
import { Money } from "../../components/Money";
import { ProgressBar } from "../../components/ProgressBar";
import { StatusTag } from "../../components/StatusTag";
import { formatDate, formatDateTime, formatDeadline, formatDecimal, formatMoney } from "../../format";
import { useT, type Translate } from "../../i18n";
import { paths } from "../../paths";
import { Link } from "../../router";
import type { InvitationRow } from "../../bindings/InvitationRow";
import type { OrderDetail } from "../../bindings/OrderDetail";
import { providerLabel } from "./common";

/** Label / value rows. */
export function SummaryRow({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="summary-list__row" data-testid={testId}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** What the commune needs: exactly what is (or will be) sent to the centrale. */
export function NeedsSummary({ detail }: { detail: OrderDetail }) {
  const t = useT();
  const { needs, order } = detail;
  return (
    <dl className="summary-list" data-testid="order-needs">
      <SummaryRow label={t("orders.needs.title")}>{order.title}</SummaryRow>
      <SummaryRow label={t("orders.needs.service")}>{order.service_name ?? t("orders.serviceUnknown")}</SummaryRow>
      {order.framework_reference && (
        <SummaryRow label={t("orders.needs.framework")}>
          <span data-testid="order-framework">
            {t("orders.needs.frameworkShort", { reference: order.framework_reference, version: String(order.framework_version) })}
          </span>
        </SummaryRow>
      )}
      <SummaryRow label={t("orders.needs.description")}>
        <span className="pre-line">{needs.description}</span>
      </SummaryRow>
      <SummaryRow label={t("orders.needs.lines")}>
        {needs.lines.length === 0 ? (
          <span className="muted">{t("common.notGiven")}</span>
        ) : (
          <ul className="plain-list" data-testid="order-needs-lines">
            {needs.lines.map((l) => (
              <li key={l.price_line_code} data-line-code={l.price_line_code}>
                <strong>
                  {t("orders.needs.lineQuantity", {
                    quantity: formatDecimal(l.quantity),
                    label: l.label ?? l.price_line_code,
                    unit: l.unit ?? "",
                  })}
                </strong>
                {l.ceiling_excl_vat !== null && (
                  <span className="muted">
                    {" "}
                    {t("orders.needs.lineCeiling", { ceiling: formatMoney(l.ceiling_excl_vat, "htva") })}
                  </span>
                )}
                {l.note && <span className="block">{t("orders.needs.lineNote", { note: l.note })}</span>}
              </li>
            ))}
          </ul>
        )}
      </SummaryRow>
      <SummaryRow label={t("orders.needs.totalAtCeilings")} testId="order-needs-total">
        <Money cents={needs.total_at_ceilings.excl_vat} basis="htva" /> {"·"} <Money cents={needs.total_at_ceilings.incl_vat} basis="tvac" />
      </SummaryRow>
      <SummaryRow label={t("orders.needs.sites")}>
        {needs.sites.length === 0 ? (
          <span className="muted">{t("common.notGiven")}</span>
        ) : (
          <ul className="plain-list">
            {needs.sites.map((s, i) => (
              <li key={`${i}-${s}`}>{s}</li>
            ))}
          </ul>
        )}
      </SummaryRow>
      <SummaryRow label={t("orders.needs.desiredStart")}>
        {needs.desired_start ? <DateText value={needs.desired_start} /> : <span className="muted">{t("common.notGiven")}</span>}
      </SummaryRow>
      <SummaryRow label={t("orders.needs.desiredGoLive")}>
        {needs.desired_go_live ? <DateText value={needs.desired_go_live} /> : <span className="muted">{t("common.notGiven")}</span>}
      </SummaryRow>
      <SummaryRow label={t("orders.needs.budget")} testId="order-needs-budget">
        {needs.budget !== null ? <Money cents={needs.budget} basis="tvac" /> : <span className="muted">{t("common.notGiven")}</span>}
      </SummaryRow>
    </dl>
  );
}

function invitationState(t: Translate, i: InvitationRow, opened: boolean): { tone: "info" | "success" | "neutral" | "danger"; label: string } {
  if (i.status === "withdrawn") return { tone: "danger", label: t("orders.invitations.withdrawn") };
  // Whether (and when) a provider answered is sealed like the offers themselves: the server
  // tells it only at the opening, and nothing is shown of it before, whatever a record says.
  if (opened && i.offer_submitted) {
    const when = i.offer_submitted_at ? formatDateTime(i.offer_submitted_at) : "";
    return { tone: "success", label: t("orders.invitations.offerOpened", { when }) };
  }
  if (i.status === "closed") return { tone: "neutral", label: t("orders.invitations.noOffer") };
  return { tone: "info", label: t("orders.invitations.waiting") };
}

/** The providers invited, each with where its offer stands, and the common deadline. */
export function Invitations({ detail }: { detail: OrderDetail }) {
  const t = useT();
  const { invitations, order } = detail;
  const deadline = order.competition?.deadline ?? invitations[0]?.deadline ?? null;
  const opened = order.opened_at !== null;
  return (
    <section className="section" aria-labelledby="order-invitations-title" data-testid="order-invitations">
      <h2 id="order-invitations-title">{t("orders.invitations.title")}</h2>
      {deadline && (
        <p className="lead deadline-line" data-testid="order-deadline">
          {opened ? t("orders.invitations.openedOn", { deadline: formatDeadline(deadline), opened: formatDateTime(order.opened_at ?? "") }) : t("orders.invitations.sealedUntil", { deadline: formatDeadline(deadline) })}
        </p>
      )}
      {order.competition && (
        <p className="muted">
          {t("orders.invitations.launched", { when: formatDateTime(order.competition.launched_at), who: order.competition.launched_by })}
        </p>
      )}
      <p>{t("orders.invitations.sameForAll")}</p>
      {invitations.length === 0 ? (
        <p className="muted">{t("orders.invitations.none")}</p>
      ) : (
        <ul className="invitation-list">
          {invitations.map((i) => {
            const s = invitationState(t, i, opened);
            return (
              <li className="invitation-item" key={i.id} data-testid="invitation-row" data-provider-id={i.provider_id} data-status={i.status}>
                <p className="invitation-item__name">{providerLabel(t, i.provider_name)}</p>
                <p className="invitation-item__meta">
                  <span>{t("orders.invitations.sentAt", { when: formatDateTime(i.sent_at) })}</span>
                  <StatusTag tone={s.tone} label={s.label} />
                  {i.pending && <StatusTag tone="pending" label={t("common.notSynced")} />}
                </p>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** The award as recorded (who, when, what, why). */
export function AwardResult({ detail }: { detail: OrderDetail }) {
  const t = useT();
  const award = detail.award;
  if (!award) return null;
  const provider = providerLabel(t, award.provider_name);
  return (
    <section className="section" aria-labelledby="order-award-title" data-testid="order-award">
      <h2 id="order-award-title">{t("orders.award.resultTitle", { provider })}</h2>
      <dl className="summary-list">
        <SummaryRow label={t("orders.award.provider")}>{provider}</SummaryRow>
        <SummaryRow label={t("orders.award.amount")}>
          <Money cents={award.amount.excl_vat} basis="htva" /> {"·"} <Money cents={award.amount.incl_vat} basis="tvac" />
        </SummaryRow>
        <SummaryRow label={t("orders.award.college")}>
          {decisionSentence(t, award.college_decision)}
        </SummaryRow>
        <SummaryRow label={t("orders.award.justification")}>
          <span className="pre-line">{award.justification}</span>
        </SummaryRow>
        <SummaryRow label={t("orders.award.recorded")}>
          {t("orders.award.recordedValue", { who: award.awarded_by, when: formatDateTime(award.awarded_at) })}
        </SummaryRow>
        {award.direct && <SummaryRow label={t("orders.award.kind")}>{t("orders.award.direct")}</SummaryRow>}
      </dl>
    </section>
  );
}

/** After the award: the purchase order, the deployment and the acceptances. */
export function DeploymentInfo({ detail }: { detail: OrderDetail }) {
  const t = useT();
  const { purchase_order: po, progress, provisional_acceptance: pa, final_acceptance: fa } = detail;
  if (!po && progress.total === 0 && !pa && !fa) return null;
  return (
    <section className="section" aria-labelledby="order-deployment-title" data-testid="order-deployment">
      <h2 id="order-deployment-title">{t("orders.deployment.title")}</h2>
      <dl className="summary-list">
        {po && (
          <SummaryRow label={t("orders.deployment.purchaseOrder")} testId="purchase-order-issued">
            {t("orders.deployment.purchaseOrderValue", { reference: po.reference, when: formatDateTime(po.issued_at), who: po.issued_by })}
          </SummaryRow>
        )}
        {po && (
          <SummaryRow label={t("orders.deployment.contractManager")} testId="purchase-order-manager">
            {po.contract_manager
              ? t("orders.deployment.contractManagerValue", { name: po.contract_manager.name, quality: po.contract_manager.quality })
              : t("orders.deployment.contractManagerUnknown")}
          </SummaryRow>
        )}
        {pa && (
          <SummaryRow label={t("orders.deployment.provisional")}>
            {t("orders.deployment.acceptanceValue", { date: formatDate(pa.date), who: pa.by })}
            {pa.remarks && <span className="block">{pa.remarks}</span>}
          </SummaryRow>
        )}
        {fa && (
          <SummaryRow label={t("orders.deployment.final")}>
            {t("orders.deployment.acceptanceValue", { date: formatDate(fa.date), who: fa.by })}
            {fa.remarks && <span className="block">{fa.remarks}</span>}
          </SummaryRow>
        )}
      </dl>
      {progress.total > 0 && (
        <>
          <ProgressBar value={progress.done} max={progress.total} label={progress.total === 0 ? t("progress.noSteps") : t("progress.steps", { count: progress.done, total: progress.total })} />
          {progress.late > 0 && <StatusTag tone="danger" icon="clock" label={t("progress.late", { count: progress.late })} />}
        </>
      )}
      <p>
        <Link to={paths.deployments()}>{t("orders.deployment.follow")}</Link>
      </p>
    </section>
  );
}

/** One event of the order's history. */
type Event = { at: string; text: string; key: string };

/** The order's history, oldest first, from the times the order records. */
export function History({ detail }: { detail: OrderDetail }) {
  const t = useT();
  const { order, evaluation, award, purchase_order: po, provisional_acceptance: pa, final_acceptance: fa } = detail;
  const events: Event[] = [{ key: "created", at: order.created_at, text: t("orders.history.created", { who: order.created_by }) }];
  if (order.submitted_at) events.push({ key: "submitted", at: order.submitted_at, text: t("orders.history.submitted") });
  // Each empty round before a relaunch, then the running competition with the deadline it was
  // launched with and each extension told to every invited provider (issue 11 rule 15).
  order.earlier_competitions.forEach((c, i) =>
    events.push({
      key: `earlier-${i}`,
      at: c.launched_at,
      text: t("orders.history.emptyRound", {
        count: c.invited_provider_ids.length,
        deadline: formatDeadline(c.extensions[0]?.previous ?? c.deadline),
      }),
    }),
  );
  if (order.competition) {
    const c = order.competition;
    events.push({
      key: "competition",
      at: c.launched_at,
      text: t("orders.history.competition", {
        count: c.invited_provider_ids.length,
        deadline: formatDeadline(c.extensions[0]?.previous ?? c.deadline),
      }),
    });
    c.extensions.forEach((e, i) =>
      events.push({
        key: `extension-${i}`,
        at: e.at,
        text: t("orders.history.extended", { deadline: formatDeadline(e.deadline), reason: e.reason }),
      }),
    );
  }
  if (order.opened_at) events.push({ key: "opened", at: order.opened_at, text: t("orders.history.opened", { count: order.offers_received ?? 0 }) });
  if (evaluation) events.push({ key: "evaluated", at: evaluation.evaluated_at, text: t("orders.history.evaluated", { who: evaluation.evaluated_by }) });
  if (award)
    events.push({
      key: "awarded",
      at: award.awarded_at,
      text: t("orders.history.awarded", { provider: providerLabel(t, award.provider_name), who: award.awarded_by }),
    });
  if (po) events.push({ key: "po", at: po.issued_at, text: t("orders.history.purchaseOrder", { reference: po.reference }) });
  if (pa) events.push({ key: "pa", at: pa.recorded_at, text: t("orders.history.provisional", { who: pa.by }) });
  if (fa) events.push({ key: "fa", at: fa.recorded_at, text: t("orders.history.final", { who: fa.by }) });
  if (order.closure)
    events.push({
      key: "closed",
      at: order.closure.at,
      text: t(order.status === "withdrawn" ? "orders.history.withdrawn" : "orders.history.cancelled", { who: order.closure.by }),
    });
  events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return (
    <section className="section" aria-labelledby="order-history-title" data-testid="order-history">
      <h2 id="order-history-title">{t("orders.history.title")}</h2>
      <ol className="timeline">
        {events.map((e) => (
          <li className="timeline__item" key={e.key} data-testid="order-history-event" data-event={e.key}>
            <p className="timeline__when">
              <DateText value={e.at} kind="datetime" />
            </p>
            <p className="timeline__what">{e.text}</p>
          </li>
        ))}
      </ol>
      {order.pending && <p className="muted">{t("orders.history.pending")}</p>}
    </section>
  );
}
