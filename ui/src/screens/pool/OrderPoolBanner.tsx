/**
 * On an order that is part of a pooled call-off (issue 16 §4): the banner that says so and
 * leads to the pool, where the remise en concurrence, the offers and their analysis are done
 * once for every commune; the commune's own acts (its award, the purchase order, cancelling
 * or withdrawing) stay on the order.
 */
import { Icon } from "../../components/Icon";
import { useT } from "../../i18n";
import { paths } from "../../paths";
import { Link } from "../../router";
import type { PoolLink } from "../../bindings/PoolLink";

export function OrderPoolBanner({ pool }: { pool: PoolLink }) {
  const t = useT();
  return (
    <div className="panel" role="note" data-testid="order-pool-banner">
      <p className="panel__title">
        <Icon name="info" />
        {t("pools.order.banner", { title: pool.title, count: pool.members })}
      </p>
      <p>{t("pools.order.bannerExplain")}</p>
      <p>
        <Link to={paths.pool(pool.id)} data-testid="order-pool-banner-link">
          {t("pools.order.bannerLink")}
        </Link>
      </p>
    </div>
  );
}
