/**
 * « Nouvelle commande » (#/commandes/nouvelle, `?service=<id>` preselects the service): the
 * draft form. « Enregistrer le brouillon » works offline: the draft is kept on this PC and
 * sent at the next sync; then the order's page opens.
 *
 * `?groupe=<poolId>` joins a pooled call-off (issue 16 §4): the service is the pool's, fixed;
 * the draft is bound to the pool (`pool_id`) and the commune sends it like any order, with its
 * own decision and budget article — sending it is what joins the pool.
 */
import { useRef } from "react";
import { api } from "../api";
import { ErrorPanel } from "../components/ErrorPanel";
import { Loading } from "../components/Loading";
import { flash } from "../components/Notice";
import { Page } from "../components/Page";
import { useCommand } from "../data";
import { useT } from "../i18n";
import { paths } from "../paths";
import { Link, navigate } from "../router";
import { useSession } from "../session";
import { formatDate } from "../format";
import type { PoolPage } from "../bindings/PoolPage";
import { isCommuneRole } from "./orders/common";
import { DraftForm, emptyDraft, type DraftInput } from "./orders/DraftForm";
import type { ScreenProps } from "./ScreenProps";

/** Saves a new draft (one id, kept if the first try is refused: nothing was queued then). */
function useSaveDraft(poolId: string | null) {
  const t = useT();
  const orderId = useRef<string | null>(null);
  return async (input: DraftInput) => {
    orderId.current ??= await api.newId();
    const id = orderId.current;
    await api.perform({ kind: "create_order_draft", input: { order_id: id, ...input, ...(poolId ? { pool_id: poolId } : {}) } });
    flash(t("orders.form.saved", { title: input.title }), paths.order(id), { untilSent: true });
    navigate(paths.order(id));
  };
}

/** Why the commune cannot join this pool now: already in it, or joining is over. */
function PoolClosed({ pool }: { pool: PoolPage }) {
  const t = useT();
  if (pool.my_order_id) {
    return (
      <div className="panel" data-testid="order-pool-member">
        <p>{t("pools.join.already", { title: pool.title })}</p>
        <p>
          <Link to={paths.order(pool.my_order_id)}>{t("pools.page.myOrder")}</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="panel panel--warning" data-testid="order-pool-closed">
      <p>{t("pools.join.closed", { title: pool.title, date: formatDate(pool.join_until) })}</p>
      <p>
        <Link to={paths.pool(pool.id)}>{t("pools.join.backToPool")}</Link>
      </p>
    </div>
  );
}

/** The draft of an order joining a pooled call-off: the pool's service, fixed. */
function PoolDraft({ poolId }: { poolId: string }) {
  const t = useT();
  const pool = useCommand(async () => api.pool(poolId), [poolId]);
  const save = useSaveDraft(poolId);
  if (pool.error && !pool.data) return <ErrorPanel error={pool.error} onRetry={pool.reload} />;
  if (pool.loading && !pool.data) return <Loading />;
  const p = pool.data ?? null;
  if (!p) {
    return (
      <div className="panel panel--warning" data-testid="order-pool-not-found">
        <p>{t("pools.join.notFound")}</p>
        <p>
          <Link to={paths.pools()}>{t("pools.page.backToList")}</Link>
        </p>
      </div>
    );
  }
  return (
    <>
      <div className="panel" role="note" data-testid="order-pool">
        <p className="panel__title">
          {t("pools.join.forPool", { title: p.title })}{" "}
          <Link to={paths.pool(p.id)} data-testid="order-pool-link">
            {t("pools.join.seePool")}
          </Link>
        </p>
        <p>{t("pools.join.explain", { date: formatDate(p.join_until) })}</p>
      </div>
      {p.joinable ? (
        <DraftForm
          initial={{ ...emptyDraft(p.service_id), title: p.title }}
          serviceName={p.service_name || null}
          submitLabel={t("orders.form.save")}
          saveHint={t("pools.join.saveHint")}
          onSave={save}
          secondary={<Link to={paths.pool(p.id)}>{t("pools.join.backToPool")}</Link>}
        />
      ) : (
        <PoolClosed pool={p} />
      )}
    </>
  );
}

export function NewOrder({ query }: ScreenProps) {
  const t = useT();
  const { state } = useSession();
  const poolId = query.get("groupe") ?? "";

  if (!isCommuneRole(state.session?.role)) {
    return (
      <Page title={t("orders.newTitle")}>
        <p className="panel" data-testid="order-not-commune">
          {t("orders.form.notCommune")}
        </p>
      </Page>
    );
  }
  if (poolId) {
    return (
      <Page title={t("orders.newTitle")} intro={<p>{t("orders.form.intro")}</p>}>
        <PoolDraft poolId={poolId} />
      </Page>
    );
  }
  return <ServiceDraft preselected={query.get("service") ?? ""} />;
}

/** The draft of an order alone: the service chosen from the catalogue. */
function ServiceDraft({ preselected }: { preselected: string }) {
  const t = useT();
  const services = useCommand(() => api.services({ text: null, category: null }), []);
  const save = useSaveDraft(null);

  return (
    <Page title={t("orders.newTitle")} intro={<p>{t("orders.form.intro")}</p>}>
      {services.error && <ErrorPanel error={services.error} onRetry={services.reload} />}
      {services.loading && !services.data && <Loading />}
      {services.data && services.data.length === 0 && (
        <div className="panel panel--warning" data-testid="order-no-services">
          <p>{t("orders.form.noServices")}</p>
          <p>
            <Link to={paths.catalogue()}>{t("orders.list.browse")}</Link>
          </p>
        </div>
      )}
      {services.data && services.data.length > 0 && (
        <DraftForm
          initial={emptyDraft(services.data.some((s) => s.id === preselected) ? preselected : "")}
          services={services.data}
          submitLabel={t("orders.form.save")}
          saveHint={t("orders.form.saveHint")}
          onSave={save}
          secondary={<Link to={paths.orders()}>{t("orders.form.backToList")}</Link>}
        />
      )}
    </Page>
  );
}
