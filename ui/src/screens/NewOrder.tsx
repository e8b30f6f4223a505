/**
 * « Nouvelle commande » (#/commandes/nouvelle, `?service=<id>` preselects the service): the
 * draft form. « Enregistrer le brouillon » works offline: the draft is kept on this PC and
 * sent at the next sync; then the order's page opens.
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
import { isCommuneRole } from "./orders/common";
import { DraftForm, emptyDraft, type DraftInput } from "./orders/DraftForm";
import type { ScreenProps } from "./ScreenProps";

export function NewOrder({ query }: ScreenProps) {
  const t = useT();
  const { state } = useSession();
  const services = useCommand(() => api.services({ text: null, category: null }), []);
  const preselected = query.get("service") ?? "";
  // One id for this new order, kept if the first try is refused (nothing was queued then).
  const orderId = useRef<string | null>(null);

  const save = async (input: DraftInput) => {
    orderId.current ??= await api.newId();
    const id = orderId.current;
    await api.perform({ kind: "create_order_draft", input: { order_id: id, ...input } });
    flash(t("orders.form.saved", { title: input.title }), paths.order(id), { untilSent: true });
    navigate(paths.order(id));
  };

  if (!isCommuneRole(state.session?.role)) {
    return (
      <Page title={t("orders.newTitle")}>
        <p className="panel" data-testid="order-not-commune">
          {t("orders.form.notCommune")}
        </p>
      </Page>
    );
  }

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
