/**
 * « Marchés groupés » (#/marches-groupes; issue 16 §4): the pooled call-offs the centrale
 * opens when several communes have the same need — one competition and one analysis of the
 * offers for all, while each commune keeps its own quantities, its collège's award and its own
 * purchase order. Each pool with its service, where it stands, until when communes may join,
 * how many have joined and, once launched, the deadline for offers. A commune sees the way to
 * join a pool still open, or the way to its own order in it; the centrale opens new pools.
 */
import { api } from "../api";
import { EmptyState } from "../components/EmptyState";
import { ErrorPanel } from "../components/ErrorPanel";
import { Loading } from "../components/Loading";
import { Page } from "../components/Page";
import { useCommand } from "../data";
import { formatDate, formatDeadline } from "../format";
import { useT } from "../i18n";
import { paths } from "../paths";
import { Link } from "../router";
import { useSession } from "../session";
import type { PoolRow } from "../bindings/PoolRow";
import { PoolPendingTag, PoolPhaseTag } from "./pool/common";
import type { ScreenProps } from "./ScreenProps";

function PoolCard({ row, centrale }: { row: PoolRow; centrale: boolean }) {
  const t = useT();
  const titleId = `pool-${row.id}-title`;
  const hidden = <span className="visually-hidden"> {t("pools.list.for", { title: row.title })}</span>;
  const joiningOpen = row.phase === "joining";
  return (
    <li className="card" aria-labelledby={titleId} data-testid="pools-row" data-pool-id={row.id} data-phase={row.phase}>
      <h2 className="card__title" id={titleId}>
        {row.title}
      </h2>
      <p className="card__subtitle" data-testid="pools-service">
        {row.service_name || t("pools.serviceUnknown")}
      </p>
      <p className="pool-card__facts">
        <PoolPhaseTag phase={row.phase} testId="pools-phase" />
        {row.pending && <PoolPendingTag testId="pools-pending" />}
      </p>
      <p className="pool-card__facts">
        <span data-testid="pools-join-until">
          {t(joiningOpen ? "pools.list.joinUntil" : "pools.list.joinedUntil", { date: formatDate(row.join_until) })}
        </span>
        <span data-testid="pools-members">{t("pools.list.members", { count: row.members })}</span>
      </p>
      {row.deadline && (
        <p data-testid="pools-deadline">{t("pools.list.deadline", { deadline: formatDeadline(row.deadline) })}</p>
      )}
      <div className="button-group">
        {!centrale && row.joinable && (
          <Link to={paths.pool(row.id)} className="button button--primary" data-testid="pools-join">
            {t("pools.list.join")}
            {hidden}
          </Link>
        )}
        {!centrale && row.my_order_id && (
          <Link to={paths.order(row.my_order_id)} className="button button--secondary" data-testid="pools-my-order">
            {t("pools.list.myOrder")}
            {hidden}
          </Link>
        )}
        <Link to={paths.pool(row.id)} className="button button--link" data-testid="pools-open">
          {t("pools.list.open")}
          {hidden}
        </Link>
      </div>
    </li>
  );
}

export function Pools(_props: ScreenProps) {
  const t = useT();
  const { state } = useSession();
  const centrale = state.session?.role === "centrale_staff";
  const screen = useCommand(async () => api.pools(), []);
  const rows = screen.data?.pools ?? [];

  return (
    <Page title={t("pools.title")} intro={<p className="lead">{t(centrale ? "pools.introCentrale" : "pools.intro")}</p>}>
      {centrale && (
        <div className="button-group">
          <Link to={paths.newPool()} className="button button--primary" data-testid="pools-new">
            {t("pools.newPool")}
          </Link>
        </div>
      )}
      {screen.error && <ErrorPanel error={screen.error} onRetry={screen.reload} />}
      {screen.loading && !screen.data && <Loading />}
      {screen.data &&
        (rows.length === 0 ? (
          <EmptyState message={t(centrale ? "pools.noneCentrale" : "pools.none")} testId="pools-empty" />
        ) : (
          <ul className="pool-list" data-testid="pools-list">
            {rows.map((row) => (
              <PoolCard key={row.id} row={row} centrale={centrale} />
            ))}
          </ul>
        ))}
    </Page>
  );
}
