/**
 * The centrale sets a pooled offer aside as irregular (`set_pooled_offer_aside`), once it has
 * declared no conflict of interest and until a commune's collège has awarded: for every
 * commune of the pool at once. Its provider reads the motivation, with the remedies; an
 * analysis already made is undone, to be made again without the offer. Only « irrégulière »:
 * setting aside an abnormally low offer needs a price verification first, which pools do not
 * have (on an order: orders/PriceJustification.tsx). As on an order (orders/SetAside.tsx), the
 * motivation is typed in the confirmation; a refusal on it comes back next to it.
 */
import { useState } from "react";
import { api } from "../../api";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Field } from "../../components/Field";
import { AppError } from "../../errors";
import { formatDateTime } from "../../format";
import { useErrorText, useT } from "../../i18n";
import type { PoolPage } from "../../bindings/PoolPage";
import type { PooledOfferView } from "../../bindings/PooledOfferView";
import { LIMITS } from "../../bindings/rules";
import { useWho, type ReceiptData } from "../orders/Actions";
import { fieldOf, providerLabel } from "../orders/common";

const MOTIVATION_ID = "pool-set-aside-motivation";

export function SetPooledOfferAsideDialog({
  page,
  offer,
  onClose,
  onDone,
}: {
  page: PoolPage;
  offer: PooledOfferView;
  onClose: () => void;
  onDone: (r: ReceiptData) => void;
}) {
  const t = useT();
  const errorText = useErrorText();
  const who = useWho();
  const provider = providerLabel(t, offer.provider_name || null);
  const [motivation, setMotivation] = useState("");
  const [error, setError] = useState<string | null>(null);
  const limits = { min: LIMITS.MOTIVATION_MIN_CHARS, max: LIMITS.MOTIVATION_MAX_CHARS };

  const send = async () => {
    const text = motivation.trim();
    if ([...text].length < limits.min) {
      setError(t("pools.setAside.motivationShort", limits));
      return;
    }
    if ([...text].length > limits.max) {
      setError(t("pools.setAside.motivationLong", { ...limits, length: [...text].length }));
      return;
    }
    setError(null);
    try {
      await api.perform({
        kind: "set_pooled_offer_aside",
        input: { pool_id: page.id, provider_id: offer.provider_id, motivation: text, ground: "irregular" },
      });
    } catch (e) {
      const err = AppError.from(e);
      if (fieldOf(err.params) !== "motivation") throw err;
      setError(errorText(err));
      return;
    }
    onClose();
    onDone({
      title: t("pools.setAside.receiptTitle"),
      what: t("pools.setAside.receiptWhat", { provider, title: page.title, motivation: text }),
      who,
      when: new Date().toISOString(),
      note: t("pools.setAside.receiptNote"),
    });
  };

  return (
    <ConfirmDialog title={t("pools.setAside.confirmTitle", { provider })} confirmLabel={t("pools.setAside.confirm")} tone="danger" onConfirm={send} onCancel={onClose}>
      <p data-testid="pool-set-aside-effect">{t("pools.setAside.confirmBody", { provider })}</p>
      {page.evaluated && (
        <p className="panel panel--warning" data-testid="pool-set-aside-analysis">
          {t("pools.setAside.confirmAnalysis", { when: formatDateTime(page.evaluated.at) })}
        </p>
      )}
      <p data-testid="pool-set-aside-ground">
        <strong>{t("pools.setAside.ground")}</strong>
      </p>
      <p className="muted" data-testid="pool-set-aside-low">
        {t("pools.setAside.lowHint")}
      </p>
      <Field
        type="textarea"
        id={MOTIVATION_ID}
        label={t("pools.setAside.motivation")}
        hint={t("pools.setAside.motivationHint", limits)}
        required
        rows={3}
        value={motivation}
        onChange={setMotivation}
        error={error}
        testId={MOTIVATION_ID}
      />
    </ConfirmDialog>
  );
}
