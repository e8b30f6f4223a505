/**
 * One pooled call-off (#/marches-groupes/:poolId; issue 16 §4): the common need, where it
 * stands, until when communes may join; for a commune, what joining means and the way to join
 * (a new order of the pool's service, bound to it, sent with its own decision and budget
 * article), or the way to its own order in it. Then the competition, the communes (each with
 * its own order, quantities and award) and the pooled volume the providers price.
 *
 * The centrale's acts on the pool: launch the one remise en concurrence for every commune
 * (pool/LaunchPool.tsx); once the offers are opened, declare the absence of conflict of
 * interest (the offers stay hidden until then), read the offers side by side and make the
 * common analysis (pool/PoolOffers.tsx, pool/PoolEvaluation.tsx), set an irregular offer aside
 * for every commune (pool/SetPooledOfferAside.tsx) — until a commune's collège has awarded on
 * it. While the competition runs, move its deadline later for every commune
 * (pool/ExtendPoolDeadline.tsx).
 */
import { useState } from "react";
import { api } from "../api";
import { ErrorPanel } from "../components/ErrorPanel";
import { Icon } from "../components/Icon";
import { Loading } from "../components/Loading";
import { Page } from "../components/Page";
import { Receipt } from "../components/Receipt";
import { useCommand } from "../data";
import { formatDate, formatDateTime } from "../format";
import { useT } from "../i18n";
import { paths } from "../paths";
import { Link } from "../router";
import { useSession } from "../session";
import type { PoolPage as PoolPageView } from "../bindings/PoolPage";
import type { ReceiptData } from "./orders/Actions";
import { activeMembers, offersInCompetition, PoolPendingTag, PoolPhaseTag } from "./pool/common";
import { ExtendPoolDeadline } from "./pool/ExtendPoolDeadline";
import { LaunchPool } from "./pool/LaunchPool";
import { CompetitionInfo, MembersSection, PooledVolume } from "./pool/Members";
import { PoolConflictGate } from "./pool/PoolConflictGate";
import { PoolEvaluationForm } from "./pool/PoolEvaluation";
import { PoolOffers } from "./pool/PoolOffers";
import { isCommuneRole } from "./screenHelpers";
import type { ScreenProps } from "./ScreenProps";

/** A commune: join the pool, or find its order in it, or read why it can no longer join. */
function JoinSection({ page }: { page: PoolPageView }) {
  const t = useT();
  if (page.my_order_id) {
    return (
      <section className="section panel" aria-labelledby="pool-mine-title" data-testid="pool-mine">
        <h2 className="panel__title" id="pool-mine-title">
          <Icon name="check" />
          {t("pools.page.mineTitle")}
        </h2>
        <p data-testid="pool-mine-next">
          {t(page.phase === "evaluated" ? "pools.page.mineDecide" : page.phase === "offers_opened" ? "pools.page.mineOpened" : "pools.page.mine")}
        </p>
        <p>
          <Link to={paths.order(page.my_order_id)} className="button button--secondary" data-testid="pool-my-order">
            {t("pools.page.myOrder")}
          </Link>
        </p>
      </section>
    );
  }
  if (page.joinable) {
    return (
      <section className="section action-panel" aria-labelledby="pool-join-title" data-testid="pool-join">
        <h2 id="pool-join-title">{t("pools.page.joinTitle")}</h2>
        <p data-testid="pool-join-explain">{t("pools.page.joinExplain")}</p>
        <p>{t("pools.page.joinHow")}</p>
        <p data-testid="pool-join-until">
          <Icon name="clock" /> {t("pools.page.joinUntil", { date: formatDate(page.join_until) })}
        </p>
        <p>
          <Link to={paths.joinPool(page.id)} className="button button--primary" data-testid="pool-join-button">
            {t("pools.page.joinButton")}
          </Link>
        </p>
      </section>
    );
  }
  return (
    <p className="panel" data-testid="pool-join-closed">
      {t("pools.page.joinClosed", { date: formatDate(page.join_until) })}
    </p>
  );
}

/** The centrale: launch, then declare, read the offers, set an irregular one aside, analyse them. */
function CentraleSteps({ page, onDone }: { page: PoolPageView; onDone: (r: ReceiptData) => void }) {
  const t = useT();
  const members = activeMembers(page.members);
  if (page.phase === "joining" || page.phase === "joining_closed") {
    if (members.length === 0) {
      return (
        <p className="panel" data-testid="pool-launch-no-member">
          {t("pools.launch.noMember")}
        </p>
      );
    }
    return <LaunchPool page={page} onDone={onDone} />;
  }
  if (page.phase !== "offers_opened" && page.phase !== "evaluated") return null;
  // The offers are shown to whoever analyses them only after their declaration of no conflict
  // of interest (law of 17 June 2016 art. 6), as on an order.
  if (!page.decided && !page.declared) return <PoolConflictGate page={page} />;
  return (
    <>
      <PoolOffers page={page} canSetAside={!page.decided && page.declared} onDone={onDone} />
      {page.decided ? (
        <p className="panel" data-testid="pool-decided">
          {t("pools.page.decided")}
        </p>
      ) : (
        offersInCompetition(page).length > 0 && <PoolEvaluationForm key={page.evaluated?.at ?? "first"} page={page} />
      )}
    </>
  );
}

function PoolView({ page }: { page: PoolPageView }) {
  const t = useT();
  const { state } = useSession();
  const role = state.session?.role;
  const centrale = role === "centrale_staff";
  const commune = isCommuneRole(role);
  const [receipt, setReceipt] = useState<ReceiptData | null>(null);

  return (
    <Page
      title={page.title}
      intro={
        <p className="order-intro" data-testid="pool-intro">
          <span>{t("pools.page.kicker")}</span>
          {" · "}
          <span data-testid="pool-service">{page.service_name || t("pools.serviceUnknown")}</span>
          {page.framework_reference && (
            <>
              {" · "}
              <span data-testid="pool-framework">{t("pools.page.framework", { reference: page.framework_reference })}</span>
            </>
          )}
        </p>
      }
    >
      {receipt && (
        <Receipt title={receipt.title} who={receipt.who} when={receipt.when} what={receipt.what} testId="pool-receipt">
          {receipt.note && <p className="muted">{receipt.note}</p>}
        </Receipt>
      )}
      <p>
        <Link to={paths.pools()} data-testid="pool-back">
          {t("pools.page.backToList")}
        </Link>
      </p>
      <section className="status-panel" aria-labelledby="pool-status-title" data-testid="pool-status-panel">
        <h2 className="visually-hidden" id="pool-status-title">
          {t("pools.page.statusTitle")}
        </h2>
        <p className="status-panel__status">
          <PoolPhaseTag phase={page.phase} testId="pool-phase" />
          {page.pending && <PoolPendingTag testId="pool-pending" />}
        </p>
        <p data-testid="pool-join-date">
          {t(page.phase === "joining" ? "pools.page.joinOpenUntil" : "pools.page.joinClosedOn", { date: formatDate(page.join_until) })}
          {" · "}
          {t("pools.list.members", { count: activeMembers(page.members).length })}
        </p>
      </section>

      <section className="section" aria-labelledby="pool-need-title" data-testid="pool-description">
        <h2 id="pool-need-title">{t("pools.page.needTitle")}</h2>
        <p className="pre-line">{page.description}</p>
        <p className="muted" data-testid="pool-created">
          {t("pools.page.created", { who: page.created_by, when: formatDateTime(page.created_at) })}
        </p>
      </section>

      {commune && <JoinSection page={page} />}
      <CompetitionInfo page={page}>{centrale && <ExtendPoolDeadline page={page} onDone={setReceipt} />}</CompetitionInfo>
      {centrale && <CentraleSteps page={page} onDone={setReceipt} />}
      <MembersSection page={page} centrale={centrale} />
      <PooledVolume page={page} centrale={centrale} />
    </Page>
  );
}

export function PoolPage({ params }: ScreenProps) {
  const t = useT();
  const poolId = params.poolId ?? "";
  const page = useCommand(async () => api.pool(poolId), [poolId]);
  if (page.error && !page.data) {
    return (
      <Page title={t("pools.page.notFoundTitle")}>
        <ErrorPanel error={page.error} onRetry={page.reload} />
      </Page>
    );
  }
  if (page.loading && !page.data) return <Loading />;
  if (!page.data) {
    return (
      <Page title={t("pools.page.notFoundTitle")}>
        <p data-testid="pool-not-found">{t("pools.page.notFound")}</p>
        <p>
          <Link to={paths.pools()}>{t("pools.page.backToList")}</Link>
        </p>
      </Page>
    );
  }
  return <PoolView page={page.data} />;
}
