/**
 * « Modifier la commande » (#/commandes/:orderId/modifier): the draft form filled with the
 * saved draft; « Supprimer le brouillon » after confirmation.
 *
 * With `?correction=<mutationId>` (from « Modifications à régler »): the form is filled with
 * what was typed in the refused change (its outbox payload), the server's reason is shown at
 * the top (and next to its field when it names one), and saving sends the corrected change
 * again with `resendChange` instead of a new action.
 */
import { api } from "../api";
import { ErrorPanel } from "../components/ErrorPanel";
import type { FieldError } from "../components/ErrorSummary";
import { Icon } from "../components/Icon";
import { Loading } from "../components/Loading";
import { flash } from "../components/Notice";
import { Page } from "../components/Page";
import { ReadableValue } from "../components/ReadableValue";
import { useCommand } from "../data";
import { formatDateTime } from "../format";
import { useErrorText, useT } from "../i18n";
import { mutationLabel } from "../outbox";
import { paths } from "../paths";
import { Link, navigate } from "../router";
import { useSession } from "../session";
import type { OrderDetail } from "../bindings/OrderDetail";
import type { OutboxEntry } from "../bindings/OutboxEntry";
import { DeleteDraft } from "./orders/Actions";
import { fieldOf, isCommuneRole } from "./orders/common";
import { controlForField, DraftForm, draftFrom, sentCodesOf, type DraftInput } from "./orders/DraftForm";
import type { ScreenProps } from "./ScreenProps";
import { ORDER_ACTS_FROM } from "../bindings/rules";
import { personLabel } from "../people";

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The draft as saved on this PC. */
function EditDraft({ detail }: { detail: OrderDetail }) {
  const t = useT();
  const { order, needs } = detail;

  const save = async (input: DraftInput) => {
    await api.perform({ kind: "update_order_draft", input: { order_id: order.id, title: input.title, needs: input.needs } });
    flash(t("orders.form.saved", { title: input.title }), paths.order(order.id), { untilSent: true });
    navigate(paths.order(order.id));
  };

  if (!ORDER_ACTS_FROM.update_draft.includes(order.status)) {
    return (
      <Page title={t("orders.editTitle")}>
        <p className="panel panel--warning" data-testid="order-not-editable">
          {t("orders.form.notEditable")}
        </p>
        <p>
          <Link to={paths.order(order.id)}>{t("orders.form.backToOrder")}</Link>
        </p>
      </Page>
    );
  }

  return (
    <Page title={t("orders.editTitle")} intro={<p>{t("orders.form.editIntro", { title: order.title })}</p>}>
      <DraftForm
        initial={draftFrom(order.service_id, order.title, needs)}
        serviceName={order.service_name}
        submitLabel={t("orders.form.save")}
        saveHint={t("orders.form.saveHint")}
        onSave={save}
        secondary={
          <>
            <Link to={paths.order(order.id)}>{t("orders.form.cancelEdit")}</Link>
            <DeleteDraft orderId={order.id} title={order.title} />
          </>
        }
      />
    </Page>
  );
}

/** A refused draft change, corrected and sent again. */
function Correction({ entry, detail }: { entry: OutboxEntry; detail: OrderDetail | null }) {
  const t = useT();
  const errorText = useErrorText();
  const payload = record(entry.payload);
  const creating = entry.name === "order.create_draft";
  const orderId = typeof payload.order_id === "string" ? payload.order_id : (detail?.order.id ?? "");
  const serviceId = typeof payload.service_id === "string" ? payload.service_id : (detail?.order.service_id ?? "");
  const initial = draftFrom(serviceId, payload.title, record(payload.needs));
  const services = useCommand(async () => (creating ? api.services({ text: null, category: null }) : null), [creating]);
  const reason = errorText({ code: entry.error_code ?? "", message: entry.error_message ?? "", params: record(entry.error_details) });
  const field = fieldOf(entry.error_details);
  const control = field ? controlForField(field, sentCodesOf(initial)) : null;
  const initialErrors: FieldError[] = control ? [{ fieldId: control, message: reason }] : [];
  const what = mutationLabel(t, entry.name);

  const save = async (input: DraftInput) => {
    if (creating) {
      await api.resendChange(entry.mutation_id, {
        kind: "create_order_draft",
        input: { order_id: orderId, service_id: input.service_id, title: input.title, needs: input.needs },
      });
    } else {
      await api.resendChange(entry.mutation_id, {
        kind: "update_order_draft",
        input: { order_id: orderId, title: input.title, needs: input.needs },
      });
    }
    flash(t("orders.form.correction.sent", { what }), paths.attention(), { untilSent: true });
    navigate(paths.attention());
  };

  return (
    <Page title={t("orders.form.correction.title")} intro={<p>{t("orders.form.correction.intro")}</p>}>
      <section className="panel panel--danger" aria-labelledby="correction-reason-title" data-testid="correction-reason">
        <h2 className="panel__title" id="correction-reason-title">
          <Icon name="error" />
          {t("orders.form.correction.reason")}
        </h2>
        <p data-testid="correction-reason-text">{reason}</p>
        <p className="muted">
          {t("orders.form.correction.made", {
            what,
            when: formatDateTime(entry.created_at),
            who: personLabel(entry.created_by),
          })}
        </p>
      </section>
      {creating && services.loading && !services.data && <Loading />}
      {creating && services.error && <ErrorPanel error={services.error} onRetry={services.reload} />}
      {(!creating || services.data) && (
        <DraftForm
          initial={initial}
          services={creating ? (services.data ?? []) : undefined}
          serviceName={detail?.order.service_name}
          submitLabel={t("orders.form.correction.send")}
          onSave={save}
          initialErrors={initialErrors}
          secondary={<Link to={paths.attention()}>{t("attention.backToList")}</Link>}
        />
      )}
      <details className="typed">
        <summary>{t("attention.typed")}</summary>
        <ReadableValue value={entry.payload} />
      </details>
    </Page>
  );
}

export function EditOrder({ params, query }: ScreenProps) {
  const t = useT();
  const { state } = useSession();
  const orderId = params.orderId ?? "";
  const correction = query.get("correction");
  const detail = useCommand(async () => api.orderDetail(orderId), [orderId]);
  const outbox = useCommand(async () => (correction ? api.outbox() : null), [correction]);

  if (!isCommuneRole(state.session?.role)) {
    return (
      <Page title={t("orders.editTitle")}>
        <p className="panel">{t("orders.form.notCommune")}</p>
      </Page>
    );
  }

  if (correction) {
    if (outbox.error) {
      return (
        <Page title={t("orders.form.correction.title")}>
          <ErrorPanel error={outbox.error} onRetry={outbox.reload} />
        </Page>
      );
    }
    if (!outbox.data || detail.loading) return <Loading />;
    const entry = outbox.data.find((e) => e.mutation_id === correction);
    const correctable = entry && entry.state === "needs_attention" && (entry.name === "order.create_draft" || entry.name === "order.update_draft");
    if (!entry || !correctable) {
      return (
        <Page title={t("orders.form.correction.title")}>
          <p data-testid="correction-gone">{t("attention.notFound")}</p>
          <p>
            <Link to={paths.attention()}>{t("attention.backToList")}</Link>
          </p>
        </Page>
      );
    }
    return <Correction entry={entry} detail={detail.data ?? null} />;
  }

  if (detail.error) {
    return (
      <Page title={t("orders.editTitle")}>
        <ErrorPanel error={detail.error} onRetry={detail.reload} />
      </Page>
    );
  }
  if (detail.loading && !detail.data) return <Loading />;
  if (!detail.data) {
    return (
      <Page title={t("orders.editTitle")}>
        <p data-testid="order-not-found">{t("orders.notFound")}</p>
        <p>
          <Link to={paths.orders()}>{t("orders.form.backToList")}</Link>
        </p>
      </Page>
    );
  }
  return <EditDraft detail={detail.data} />;
}
