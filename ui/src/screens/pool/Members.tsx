/**
 * A pool's facts as tables: the communes in it (when each joined or left, where its own order
 * stands, its quantities and, once its collège decided, the amount it awarded), the pooled
 * volume the providers price, and where the competition stands.
 */
import type { ReactNode } from "react";
import { Money } from "../../components/Money";
import { StatusTag } from "../../components/StatusTag";
import { formatDate, formatDateTime, formatDeadline } from "../../format";
import { useT } from "../../i18n";
import { paths } from "../../paths";
import { Link } from "../../router";
import type { PoolMemberView } from "../../bindings/PoolMemberView";
import type { PoolPage } from "../../bindings/PoolPage";
import { OrderStatusTag } from "../orders/common";
import { activeMembers, quantityText } from "./common";

/** Whether the commune's collège has awarded its share (its order past the award). */
function hasAwarded(m: PoolMemberView): boolean {
  return m.awarded_excl_vat !== null;
}

function MemberRow({ member, page, centrale }: { member: PoolMemberView; page: PoolPage; centrale: boolean }) {
  const t = useT();
  const left = member.left_at !== null;
  const decisionAwaited = !left && !hasAwarded(member) && page.phase === "evaluated";
  return (
    <tr data-testid="pool-member" data-nis={member.commune_nis} data-left={left ? "true" : "false"}>
      <th scope="row">
        <strong>{member.commune_name}</strong>
        {left && (
          <span className="block" data-testid="pool-member-left">
            <StatusTag tone="neutral" label={t("pools.members.left", { date: formatDate(member.left_at ?? "") })} />
          </span>
        )}
      </th>
      <td data-testid="pool-member-joined">{formatDate(member.joined_at)}</td>
      <td data-testid="pool-member-status">
        {member.status ? (
          <>
            <OrderStatusTag status={member.status} />
            {member.order_id && (centrale || member.order_id === page.my_order_id) && (
              <span className="block">
                <Link to={paths.order(member.order_id)} data-testid="pool-member-order">
                  {t("pools.members.openOrder")}
                  <span className="visually-hidden"> {t("pools.members.ofCommune", { commune: member.commune_name })}</span>
                </Link>
              </span>
            )}
          </>
        ) : (
          <span className="muted">{t("pools.members.notOnThisPc")}</span>
        )}
      </td>
      <td data-testid="pool-member-quantities">
        {member.quantities.length > 0 ? (
          <ul className="pool-quantities">
            {member.quantities.map((q) => (
              <li key={q.price_line_code}>
                {q.label} : {quantityText(q)}
              </li>
            ))}
          </ul>
        ) : (
          <span className="muted">{t("pools.members.notOnThisPc")}</span>
        )}
      </td>
      <td data-testid="pool-member-award">
        {member.awarded_excl_vat !== null ? (
          <>
            <StatusTag tone="success" label={t("pools.members.awarded")} />{" "}
            <span className="block">
              <Money cents={member.awarded_excl_vat} basis="htva" />
            </span>
          </>
        ) : decisionAwaited ? (
          <StatusTag tone="pending" label={t("pools.members.decisionAwaited")} />
        ) : (
          <span className="muted">{t("pools.members.noAward")}</span>
        )}
      </td>
    </tr>
  );
}

/** « Les communes » — who is in, who left, where each one's order stands. */
export function MembersSection({ page, centrale }: { page: PoolPage; centrale: boolean }) {
  const t = useT();
  const active = activeMembers(page.members);
  const awarded = active.filter(hasAwarded).length;
  return (
    <section className="section" aria-labelledby="pool-members-title" data-testid="pool-members">
      <h2 id="pool-members-title">{t("pools.members.title", { count: active.length })}</h2>
      {page.members.length === 0 ? (
        <p data-testid="pool-members-empty">{t("pools.members.none")}</p>
      ) : (
        <>
          {page.phase === "evaluated" && (
            <p className="lead" data-testid="pool-awarded-count">
              {t("pools.members.awardedCount", { count: awarded, total: active.length })}
            </p>
          )}
          {/* Focusable so that a keyboard can scroll it sideways in a narrow window (WCAG 2.1.1). */}
          {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
          <div className="table-wrap" role="region" aria-labelledby="pool-members-title" tabIndex={0}>
            <table className="table" data-testid="pool-members-table">
              <thead>
                <tr>
                  <th scope="col">{t("pools.members.commune")}</th>
                  <th scope="col">{t("pools.members.joined")}</th>
                  <th scope="col">{t("pools.members.status")}</th>
                  <th scope="col">{t("pools.members.quantities")}</th>
                  <th scope="col">{t("pools.members.award")}</th>
                </tr>
              </thead>
              <tbody>
                {page.members.map((m) => (
                  <MemberRow key={`${m.commune_nis}-${m.joined_at}`} member={m} page={page} centrale={centrale} />
                ))}
              </tbody>
            </table>
          </div>
          <p className="muted">{t("pools.members.leaveNote")}</p>
        </>
      )}
    </section>
  );
}

/** « Volume groupé » — the quantities summed over the communes' orders this PC has. */
export function PooledVolume({ page, centrale }: { page: PoolPage; centrale: boolean }) {
  const t = useT();
  return (
    <section className="section" aria-labelledby="pool-volume-title" data-testid="pool-volume">
      <h2 id="pool-volume-title">{t("pools.volume.title")}</h2>
      <p>{t(centrale ? "pools.volume.introCentrale" : "pools.volume.introCommune")}</p>
      {page.pooled.length === 0 ? (
        <p className="muted" data-testid="pool-volume-empty">
          {t("pools.volume.none")}
        </p>
      ) : (
        <table className="table" data-testid="pool-volume-table">
          <caption className="visually-hidden">{t("pools.volume.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("pools.volume.line")}</th>
              <th scope="col" className="num">
                {t("pools.volume.quantity")}
              </th>
            </tr>
          </thead>
          <tbody>
            {page.pooled.map((q) => (
              <tr key={q.price_line_code} data-testid="pool-volume-line" data-line-code={q.price_line_code}>
                <th scope="row">{q.label}</th>
                <td className="num">{quantityText(q)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/**
 * « La remise en concurrence » — not yet launched, sealed until its deadline, opened, analysed;
 * `children`: the centrale's act on it (extending the deadline), under the facts.
 */
export function CompetitionInfo({ page, children }: { page: PoolPage; children?: ReactNode }) {
  const t = useT();
  const { competition, evaluated } = page;
  return (
    <section className="section" aria-labelledby="pool-competition-title" data-testid="pool-competition">
      <h2 id="pool-competition-title">{t("pools.competition.title")}</h2>
      {competition ? (
        <>
          <p className="lead" data-testid="pool-deadline">
            {t("pools.competition.deadline", { deadline: formatDeadline(competition.deadline) })}
          </p>
          <p className="muted" data-testid="pool-launched">
            {t("pools.competition.launched", { when: formatDateTime(competition.launched_at), who: competition.launched_by })}
          </p>
        </>
      ) : (
        <p data-testid="pool-not-launched">
          {t(page.phase === "joining" ? "pools.competition.notYet" : "pools.competition.notYetClosed", { date: formatDate(page.join_until) })}
        </p>
      )}
      {page.phase === "competition_open" && <p>{t("pools.competition.sealed")}</p>}
      {page.phase === "offers_opened" && <p>{t("pools.competition.opened")}</p>}
      {evaluated && (
        <p data-testid="pool-evaluated">{t("pools.competition.evaluated", { when: formatDateTime(evaluated.at), who: evaluated.by })}</p>
      )}
      {children}
    </section>
  );
}
