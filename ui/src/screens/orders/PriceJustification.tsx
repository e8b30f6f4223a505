/**
 * Abnormally low prices (issue 11 rule 7; law of 17 June 2016 art. 84, AR 18 April 2017
 * art. 36): after the opening and before the evaluation, the commune (or the centrale for it)
 * asks a provider to justify prices of its offer, in writing, by a deadline of at least
 * `LIMITS.PRICE_JUSTIFICATION_MIN_DAYS` days. Only that provider sees the request, on the
 * portal, and answers there; the answer arrives with the next sync. A signatory then accepts
 * the justification (the offer stays in the ranking) or sets the offer aside as abnormally low
 * with a motivation. The evaluation waits meanwhile (the domain refuses it).
 */
import { useState } from "react";
import { api } from "../../api";
import { Button } from "../../components/Button";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Field } from "../../components/Field";
import { AppError } from "../../errors";
import { formatDateTime } from "../../format";
import { useErrorText, useT } from "../../i18n";
import { LIMITS } from "../../bindings/rules";
import { addDays, brusselsDay, isIsoDate, TIME_RE } from "../../calendar";
import type { OrderDetail } from "../../bindings/OrderDetail";
import type { OfferColumn } from "../../bindings/OfferColumn";
import type { PriceJustificationRequest } from "../../bindings/PriceJustificationRequest";
import { DeadlineFields, useServerNow } from "./CentraleActions";
import { fieldOf, providerLabel } from "./common";
import { useWho, type ReceiptData } from "./Actions";

const ASK_IDS = { date: "price-justification-date", time: "price-justification-time" } as const;

/** Where a request stands, by the server's clock. */
export function requestState(r: PriceJustificationRequest, setAside: boolean, nowMs: number): "awaited" | "answered" | "expired" | "accepted" | "set_aside" {
  if (setAside) return "set_aside";
  if (r.accepted_at) return "accepted";
  if (r.answer !== null) return "answered";
  return nowMs < Date.parse(r.deadline) ? "awaited" : "expired";
}

/**
 * A request neither accepted nor followed by a set-aside: the domain refuses the evaluation
 * until every one is decided (`Order::check_evaluable`).
 */
export function pricesUnsettled(detail: OrderDetail): boolean {
  const { order } = detail;
  return order.price_requests.some((r) => r.accepted_at === null && !order.set_aside.some((s) => s.offer_id === r.offer_id));
}

type Props = {
  detail: OrderDetail;
  /** The commune or the centrale, after the opening and before the evaluation. */
  canAsk: boolean;
  /** A signatory of the commune. */
  canDecide: boolean;
  onDone: (r: ReceiptData) => void;
};

export function PriceJustificationSection({ detail, canAsk, canDecide, onDone }: Props) {
  const t = useT();
  const { now } = useServerNow();
  const { order } = detail;
  const requests = order.price_requests;
  const setAsideIds = new Set(order.set_aside.map((s) => s.offer_id));
  const [asking, setAsking] = useState<OfferColumn | null>(null);
  const [accepting, setAccepting] = useState<PriceJustificationRequest | null>(null);
  const [rejecting, setRejecting] = useState<PriceJustificationRequest | null>(null);
  const nameOf = (providerId: string) =>
    providerLabel(t, detail.invitations.find((i) => i.provider_id === providerId)?.provider_name ?? null);
  const awaitedFor = (offerId: string) => requests.some((r) => r.offer_id === offerId && requestState(r, setAsideIds.has(offerId), now) === "awaited");
  const askable = canAsk ? detail.comparison.columns.filter((c) => !setAsideIds.has(c.offer_id) && !awaitedFor(c.offer_id)) : [];

  if (requests.length === 0 && askable.length === 0) return null;
  return (
    <section className="section" aria-labelledby="order-price-justification-title" data-testid="order-price-justification">
      <h2 id="order-price-justification-title">{t("orders.priceJustification.title")}</h2>
      <p>{t("orders.priceJustification.explain", { days: LIMITS.PRICE_JUSTIFICATION_MIN_DAYS })}</p>
      {requests.length > 0 && (
        <ul className="plain-list" data-testid="price-requests">
          {requests.map((r) => {
            const state = requestState(r, setAsideIds.has(r.offer_id), now);
            return (
              <li key={r.id} className="panel" data-testid="price-request" data-state={state}>
                <p>{t("orders.priceJustification.asked", { provider: nameOf(r.provider_id), when: formatDateTime(r.asked_at), by: r.asked_by, deadline: formatDateTime(r.deadline) })}</p>
                <p className="prewrap" data-testid="price-request-prices">{r.prices}</p>
                {r.answer !== null && r.answered_at && (
                  <>
                    <p>{t("orders.priceJustification.answered", { when: formatDateTime(r.answered_at) })}</p>
                    <p className="prewrap" data-testid="price-request-answer">{r.answer}</p>
                  </>
                )}
                <p data-testid="price-request-state">
                  {t(`orders.priceJustification.state.${state}`, { deadline: formatDateTime(r.deadline), when: r.accepted_at ? formatDateTime(r.accepted_at) : "", by: r.accepted_by ?? "" })}
                </p>
                {canDecide && (state === "answered" || state === "expired") && (
                  <div className="button-group">
                    <Button variant="secondary" onClick={() => setAccepting(r)} data-testid="price-request-accept">
                      {t("orders.priceJustification.accept")}
                    </Button>
                    <Button variant="secondary" onClick={() => setRejecting(r)} data-testid="price-request-reject">
                      {t("orders.priceJustification.reject")}
                    </Button>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {askable.length > 0 && (
        <div className="button-group">
          {askable.map((c) => (
            <Button key={c.offer_id} variant="secondary" onClick={() => setAsking(c)} data-testid="price-justification-open">
              {t("orders.priceJustification.askButton", { provider: providerLabel(t, c.provider_name) })}
            </Button>
          ))}
        </div>
      )}
      {asking && <AskDialog detail={detail} column={asking} nowMs={now} onClose={() => setAsking(null)} onDone={onDone} />}
      {accepting && <AcceptDialog detail={detail} request={accepting} provider={nameOf(accepting.provider_id)} onClose={() => setAccepting(null)} onDone={onDone} />}
      {rejecting && <RejectDialog detail={detail} request={rejecting} provider={nameOf(rejecting.provider_id)} onClose={() => setRejecting(null)} onDone={onDone} />}
    </section>
  );
}

function AskDialog({ detail, column, nowMs, onClose, onDone }: { detail: OrderDetail; column: OfferColumn; nowMs: number; onClose: () => void; onDone: (r: ReceiptData) => void }) {
  const t = useT();
  const errorText = useErrorText();
  const who = useWho();
  const [prices, setPrices] = useState("");
  // At first the day after the last of the twelve days, at noon: the days run from the day
  // after the request to the end of the twelfth (the rule is the domain's; this is a default).
  const [date, setDate] = useState(() => addDays(brusselsDay(nowMs), LIMITS.PRICE_JUSTIFICATION_MIN_DAYS + 1));
  const [time, setTime] = useState("12:00");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const provider = providerLabel(t, column.provider_name);

  const send = async () => {
    const found: Record<string, string> = {};
    const length = prices.trim().length;
    if (length < LIMITS.PRICE_JUSTIFICATION_MIN_CHARS || length > LIMITS.PRICE_JUSTIFICATION_MAX_CHARS) {
      found.prices = t("orders.priceJustification.pricesLength", { min: LIMITS.PRICE_JUSTIFICATION_MIN_CHARS, max: LIMITS.PRICE_JUSTIFICATION_MAX_CHARS });
    }
    if (!isIsoDate(date)) found[ASK_IDS.date] = t(date === "" ? "centraleOrders.launch.dateMissing" : "common.dateInvalid");
    if (!TIME_RE.test(time)) found[ASK_IDS.time] = t("centraleOrders.launch.timeMissing");
    let deadline: string | null = null;
    if (Object.keys(found).length === 0) {
      try {
        deadline = await api.brusselsInstant(date, time);
      } catch (e) {
        found[ASK_IDS.time] = errorText(AppError.from(e));
      }
    }
    setErrors(found);
    if (!deadline) throw new AppError("invalid_input", Object.values(found)[0] ?? "");
    try {
      const requestId = await api.newId();
      await api.perform({
        kind: "ask_price_justification",
        input: { order_id: detail.order.id, request_id: requestId, offer_id: column.offer_id, prices: prices.trim(), deadline },
      });
    } catch (e) {
      const err = AppError.from(e);
      const field = fieldOf(err.params);
      if (field === "prices") setErrors({ prices: errorText(err) });
      else if (err.code === "deadline_too_soon" || field === "deadline") setErrors({ [ASK_IDS.date]: errorText(err) });
      throw err;
    }
    onClose();
    onDone({
      title: t("orders.priceJustification.askReceiptTitle"),
      what: t("orders.priceJustification.askReceiptWhat", { provider, deadline: formatDateTime(deadline) }),
      who,
      when: new Date().toISOString(),
    });
  };

  return (
    <ConfirmDialog title={t("orders.priceJustification.askTitle", { provider })} confirmLabel={t("orders.priceJustification.askConfirm")} onConfirm={send} onCancel={onClose}>
      <p>{t("orders.priceJustification.askExplain", { days: LIMITS.PRICE_JUSTIFICATION_MIN_DAYS })}</p>
      <Field
        type="textarea"
        id="price-justification-prices"
        label={t("orders.priceJustification.prices")}
        hint={t("orders.priceJustification.pricesHint")}
        required
        rows={3}
        value={prices}
        onChange={setPrices}
        error={errors.prices ?? null}
        testId="price-justification-prices"
      />
      <DeadlineFields
        ids={ASK_IDS}
        dateLabel={t("orders.priceJustification.deadline")}
        date={date}
        time={time}
        onDate={setDate}
        onTime={setTime}
        errorFor={(id) => errors[id] ?? null}
        testIdPrefix="price-justification-deadline"
      />
    </ConfirmDialog>
  );
}

function AcceptDialog({ detail, request, provider, onClose, onDone }: { detail: OrderDetail; request: PriceJustificationRequest; provider: string; onClose: () => void; onDone: (r: ReceiptData) => void }) {
  const t = useT();
  const who = useWho();
  const send = async () => {
    await api.perform({ kind: "accept_price_justification", input: { order_id: detail.order.id, request_id: request.id } });
    onClose();
    onDone({ title: t("orders.priceJustification.acceptReceiptTitle"), what: t("orders.priceJustification.acceptReceiptWhat", { provider }), who, when: new Date().toISOString() });
  };
  return (
    <ConfirmDialog title={t("orders.priceJustification.acceptTitle", { provider })} confirmLabel={t("orders.priceJustification.accept")} onConfirm={send} onCancel={onClose}>
      <p>{t("orders.priceJustification.acceptBody")}</p>
    </ConfirmDialog>
  );
}

function RejectDialog({ detail, request, provider, onClose, onDone }: { detail: OrderDetail; request: PriceJustificationRequest; provider: string; onClose: () => void; onDone: (r: ReceiptData) => void }) {
  const t = useT();
  const errorText = useErrorText();
  const who = useWho();
  const [motivation, setMotivation] = useState("");
  const [error, setError] = useState<string | null>(null);
  const send = async () => {
    const text = motivation.trim();
    if (text.length < LIMITS.MOTIVATION_MIN_CHARS) {
      const message = t("orders.priceJustification.motivationShort", { min: LIMITS.MOTIVATION_MIN_CHARS });
      setError(message);
      throw new AppError("motivation_too_short", message);
    }
    try {
      await api.perform({ kind: "set_offer_aside", input: { order_id: detail.order.id, offer_id: request.offer_id, motivation: text, ground: "abnormally_low" } });
    } catch (e) {
      const err = AppError.from(e);
      if (fieldOf(err.params) === "motivation") setError(errorText(err));
      throw err;
    }
    onClose();
    onDone({ title: t("orders.setAside.receiptTitle"), what: t("orders.priceJustification.rejectReceiptWhat", { provider, motivation: text }), who, when: new Date().toISOString() });
  };
  return (
    <ConfirmDialog title={t("orders.priceJustification.rejectTitle", { provider })} confirmLabel={t("orders.priceJustification.reject")} tone="danger" onConfirm={send} onCancel={onClose}>
      <Field
        type="textarea"
        id="price-justification-motivation"
        label={t("orders.setAside.motivation")}
        hint={t("orders.priceJustification.motivationHint", { min: LIMITS.MOTIVATION_MIN_CHARS })}
        required
        rows={3}
        value={motivation}
        onChange={setMotivation}
        error={error}
        testId="price-justification-motivation"
      />
    </ConfirmDialog>
  );
}
