/**
 * Setting an opened offer aside as irregular (signatories, before the award): a motivation
 * the provider reads, with the remedies. The offer then leaves the comparison and the ranking;
 * a recorded evaluation is made again without it. The offers already set aside are listed.
 */
import { useState } from "react";
import { api } from "../../api";
import { Button } from "../../components/Button";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Field } from "../../components/Field";
import { AppError } from "../../errors";
import { formatDateTime } from "../../format";
import { useErrorText, useT } from "../../i18n";
import type { OrderDetail } from "../../bindings/OrderDetail";
import type { OfferColumn } from "../../bindings/OfferColumn";
import { fieldOf, providerLabel } from "./common";
import { useWho, type ReceiptData } from "./Actions";

export function SetAsideSection({ detail, canSetAside, onDone }: { detail: OrderDetail; canSetAside: boolean; onDone: (r: ReceiptData) => void }) {
  const t = useT();
  const errorText = useErrorText();
  const who = useWho(detail);
  const { order } = detail;
  const [chosen, setChosen] = useState<OfferColumn | null>(null);
  const [motivation, setMotivation] = useState("");
  const [error, setError] = useState<string | null>(null);
  const nameOf = (providerId: string) =>
    providerLabel(t, detail.invitations.find((i) => i.provider_id === providerId)?.provider_name ?? null);

  const send = async () => {
    if (!chosen) return;
    const column = chosen;
    try {
      await api.perform({ kind: "set_offer_aside", input: { order_id: order.id, offer_id: column.offer_id, motivation: motivation.trim(), ground: "irregular" } });
    } catch (e) {
      const err = AppError.from(e);
      if (fieldOf(err.params) !== "motivation") throw err;
      setError(errorText(err));
      throw err;
    }
    setChosen(null);
    setMotivation("");
    setError(null);
    onDone({
      title: t("orders.setAside.receiptTitle"),
      what: t("orders.setAside.receiptWhat", { provider: providerLabel(t, column.provider_name), motivation: motivation.trim() }),
      who,
      when: new Date().toISOString(),
    });
  };

  if (order.set_aside.length === 0 && !canSetAside) return null;
  return (
    <section className="section" aria-labelledby="order-set-aside-title" data-testid="order-set-aside">
      <h2 id="order-set-aside-title">{t("orders.setAside.title")}</h2>
      <p>{t("orders.setAside.explain")}</p>
      {order.set_aside.length > 0 && (
        <ul className="plain-list" data-testid="set-aside-list">
          {order.set_aside.map((s) => (
            <li key={s.offer_id}>
              {t("orders.setAside.doneGround", { provider: nameOf(s.provider_id), ground: t(`orders.setAside.ground.${s.ground}`), when: formatDateTime(s.at), motivation: s.motivation })}
            </li>
          ))}
        </ul>
      )}
      {canSetAside && (
        <div className="button-group">
          {detail.comparison.columns.map((c) => (
            <Button key={c.offer_id} variant="secondary" onClick={() => setChosen(c)} data-testid="set-aside-open" data-offer-id={c.offer_id}>
              {t("orders.setAside.button", { provider: providerLabel(t, c.provider_name) })}
            </Button>
          ))}
        </div>
      )}
      {chosen && (
        <ConfirmDialog
          title={t("orders.setAside.confirmTitle", { provider: providerLabel(t, chosen.provider_name) })}
          confirmLabel={t("orders.setAside.confirm")}
          tone="danger"
          onConfirm={send}
          onCancel={() => {
            setChosen(null);
            setError(null);
          }}
        >
          <Field
            type="textarea"
            id="set-aside-motivation"
            label={t("orders.setAside.motivation")}
            hint={t("orders.setAside.motivationHint")}
            required
            rows={3}
            value={motivation}
            onChange={setMotivation}
            error={error}
            testId="set-aside-motivation"
          />
        </ConfirmDialog>
      )}
    </section>
  );
}
