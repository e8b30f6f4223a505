/**
 * « Commander un accompagnement » (a commune's account): what it is for, the call-off it goes
 * with (or none), a quantity per service of the price list in force — typed the Belgian way
 * (« 1,5 ») and checked as the domain does (a package whole, a day by halves) — with the total
 * shown while typing, then the commune's decision (the collège or the conseil; the directeur
 * financier's opinion above 22 000 € TVAC). Confirmed with what is sent, then receipted. The
 * domain prices the order itself: the total here only helps to decide.
 */
import { useEffect, useRef, useState, type FormEvent } from "react";
import { api } from "../../api";
import { Button } from "../../components/Button";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorSummary, type FieldError } from "../../components/ErrorSummary";
import { Field } from "../../components/Field";
import { Icon } from "../../components/Icon";
import { Money } from "../../components/Money";
import { useCommand } from "../../data";
import { AppError } from "../../errors";
import { formatMoney } from "../../format";
import { useErrorText, useT, type Translate } from "../../i18n";
import { paths } from "../../paths";
import { Link } from "../../router";
import { useSession } from "../../session";
import type { AccompanimentRequestLine } from "../../bindings/AccompanimentRequestLine";
import type { AccompanimentScreen } from "../../bindings/AccompanimentScreen";
import type { AccompanimentService } from "../../bindings/AccompanimentService";
import type { Amount } from "../../bindings/Amount";
import { ACCOMPANIMENT_UNITS, LIMITS } from "../../bindings/rules";
import {
  controlOfField,
  decisionErrors,
  DecisionFields,
  decisionSentence,
  emptyDecision,
  toDecision,
  type DecisionDraft,
} from "../DecisionFields";
import { useWho, type ReceiptData } from "../orders/Actions";
import { fieldOf, idPart, indexIn, InputField } from "../orders/common";
import { quantityLabel } from "./common";
import { amountAtRate, opinionRequired, parseAccompanimentQuantity, priceTimesHalves, sumAmounts, unitAmount } from "./rules";

/** The prefix of the decision's controls (`accompaniment-decision-reference`, …). */
const DECISION = "accompaniment-decision";

/** The ids of the controls (the error summary links to them; the test ids are the same). */
export const ORDER_FIELDS = {
  title: "accompaniment-title",
  callOff: "accompaniment-call-off",
  quantity: (code: string) => `accompaniment-quantity-${idPart(code)}`,
} as const;

/** A line the form would send, with what the confirmation and the receipt say of it. */
type FormLine = { service: AccompanimentService; request: AccompanimentRequestLine; amount: Amount };

/** What was typed, read: the lines to send and the errors of the quantities. */
function readLines(t: Translate, services: AccompanimentService[], typed: Record<string, string>): { lines: FormLine[]; errors: FieldError[] } {
  const lines: FormLine[] = [];
  const errors: FieldError[] = [];
  for (const service of services) {
    const text = typed[service.code] ?? "";
    const q = parseAccompanimentQuantity(text, service.unit);
    if (q.kind === "empty") continue;
    if (q.kind === "error") {
      errors.push({
        fieldId: ORDER_FIELDS.quantity(service.code),
        message: t(`accompaniment.form.quantityError.${q.reason}`, {
          service: service.label_fr,
          typed: text.trim(),
          max: LIMITS.ACCOMPANIMENT_QUANTITY_MAX,
        }),
      });
      continue;
    }
    lines.push({
      service,
      request: { code: service.code, quantity: q.value },
      amount: amountAtRate(priceTimesHalves(service.price_cents, q.halves), service.vat_rate),
    });
  }
  return { lines, errors };
}

/** « Formation des agents : 1,5 jour ; Paramétrage : 1 forfait ». */
function linesSummary(t: Translate, lines: FormLine[]): string {
  return lines.map((l) => t("accompaniment.form.lineSummary", { service: l.service.label_fr, quantity: quantityLabel(t, l.request.quantity, l.service.unit) })).join(" ; ");
}

/** Why the commune cannot order yet (null when it can): its adhesion is not active. */
function useAdhesionBlocker(): string | null {
  const t = useT();
  const adhesion = useCommand(async () => api.adhesion(), []);
  if (!adhesion.data) return null;
  const a = adhesion.data.adhesion;
  if (a && a.allows_orders) return null;
  // The same words as the order's « Envoyer la demande ».
  return t("accompaniment.form.blockedAdhesion", { status: a ? t(`status.adhesion.${a.status}`) : t("orders.submit.noAdhesion") });
}

export function OrderForm({
  screen,
  preselectedCallOff,
  onDone,
}: {
  screen: AccompanimentScreen;
  /** The call-off the form opens with (`?commande=<id>`), when the commune may attach to it. */
  preselectedCallOff: string;
  onDone: (receipt: ReceiptData) => void;
}) {
  const t = useT();
  const errorText = useErrorText();
  const who = useWho();
  const { state } = useSession();
  const blocker = useAdhesionBlocker();
  const services = screen.price_list?.services ?? [];
  const initialCallOff = screen.call_offs.some((c) => c.id === preselectedCallOff) ? preselectedCallOff : "";
  const [title, setTitle] = useState("");
  const [callOff, setCallOff] = useState(initialCallOff);
  const [quantities, setQuantities] = useState<Record<string, string>>({});
  const [decision, setDecision] = useState<DecisionDraft>(emptyDecision("college"));
  // The domain asked for the opinion (an amount it priced above the threshold): shown from now on.
  const [opinionAsked, setOpinionAsked] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [confirming, setConfirming] = useState<{ lines: FormLine[]; total: Amount } | null>(null);
  // One id for this new order, kept if the first try is refused (nothing was queued then).
  const orderId = useRef<string | null>(null);

  // Opened from a call-off's page: the form is what the user came for.
  useEffect(() => {
    if (initialCallOff === "") return;
    const field = document.getElementById(ORDER_FIELDS.title);
    field?.scrollIntoView?.({ block: "center" });
    field?.focus();
    // Once, when the screen opens with its call-off.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const live = readLines(t, services, quantities);
  const liveTotal = sumAmounts(live.lines.map((l) => l.amount));
  const withOpinion = opinionAsked || opinionRequired(liveTotal.incl_vat);
  const errorFor = (id: string) => errors.find((e) => e.fieldId === id)?.message ?? null;
  const callOffTitle = screen.call_offs.find((c) => c.id === callOff)?.title ?? null;

  if (services.length === 0) {
    return (
      <section className="section" aria-labelledby="accompaniment-order-title" data-testid="accompaniment-order-form">
        <h2 id="accompaniment-order-title">{t("accompaniment.form.title")}</h2>
        <p className="panel" data-testid="accompaniment-no-list">
          {t("accompaniment.form.noList")}
        </p>
      </section>
    );
  }

  const check = () => {
    const found: FieldError[] = [];
    const trimmed = title.trim();
    if (trimmed === "") found.push({ fieldId: ORDER_FIELDS.title, message: t("accompaniment.form.titleMissing") });
    else if ([...trimmed].length > LIMITS.ORDER_TITLE_MAX_CHARS) found.push({ fieldId: ORDER_FIELDS.title, message: t("accompaniment.form.titleTooLong", { max: LIMITS.ORDER_TITLE_MAX_CHARS }) });
    found.push(...live.errors);
    if (live.lines.length === 0 && live.errors.length === 0) {
      found.push({ fieldId: ORDER_FIELDS.quantity(services[0]?.code ?? ""), message: t("accompaniment.form.linesMissing") });
    }
    found.push(...decisionErrors(t, decision, state.today, DECISION, withOpinion));
    return found;
  };

  const ask = (event: FormEvent) => {
    event.preventDefault();
    const found = check();
    setErrors(found);
    if (found.length === 0) setConfirming({ lines: live.lines, total: liveTotal });
  };

  const send = async () => {
    if (!confirming) return;
    const sent = confirming.lines;
    try {
      orderId.current ??= await api.newId();
      await api.perform({
        kind: "order_accompaniment",
        input: {
          accompaniment_id: orderId.current,
          title: title.trim(),
          call_off_id: callOff === "" ? null : callOff,
          lines: sent.map((l) => l.request),
          decision: toDecision(decision, withOpinion),
        },
      });
    } catch (e) {
      const error = AppError.from(e);
      const field = fieldOf(error.params) ?? "";
      let control: string | null = null;
      if (field === "title") control = ORDER_FIELDS.title;
      else if (field === "call_off_id") control = ORDER_FIELDS.callOff;
      else if (field === "lines") control = ORDER_FIELDS.quantity(sent[0]?.service.code ?? services[0]?.code ?? "");
      else if (field.startsWith("lines[")) {
        const line = sent[indexIn(field, "lines") ?? -1];
        control = line ? ORDER_FIELDS.quantity(line.service.code) : null;
      } else if (field.startsWith("decision")) {
        if (field.startsWith("decision.financial_opinion")) setOpinionAsked(true);
        control = controlOfField(field, "decision", DECISION) ?? `${DECISION}-reference`;
      }
      if (!control) throw error;
      setConfirming(null);
      setErrors([{ fieldId: control, message: errorText(error) }]);
      return;
    }
    const total = confirming.total;
    setConfirming(null);
    onDone({
      title: t("accompaniment.form.receiptTitle"),
      what: t("accompaniment.form.receiptWhat", {
        title: title.trim(),
        lines: linesSummary(t, sent),
        total: formatMoney(total.incl_vat, "tvac"),
      }),
      who,
      when: new Date().toISOString(),
      note: t("accompaniment.form.receiptNote"),
    });
    orderId.current = null;
    setTitle("");
    setCallOff("");
    setQuantities({});
    setDecision(emptyDecision("college"));
    setOpinionAsked(false);
    setErrors([]);
  };

  return (
    <section className="section action-panel" aria-labelledby="accompaniment-order-title" data-testid="accompaniment-order-form">
      <h2 id="accompaniment-order-title">{t("accompaniment.form.title")}</h2>
      <p>{t("accompaniment.form.intro")}</p>
      {blocker && (
        <div className="panel panel--warning" data-testid="accompaniment-blocked">
          <p className="panel__title">
            <Icon name="lock" />
            {t("accompaniment.form.blockedTitle")}
          </p>
          <p id="accompaniment-blocked-reason">{blocker}</p>
          <p>
            <Link to={paths.adhesion()}>{t("orders.submit.toAdhesion")}</Link>
          </p>
        </div>
      )}
      <form noValidate onSubmit={ask}>
        <ErrorSummary errors={errors} />
        <Field
          id={ORDER_FIELDS.title}
          label={t("accompaniment.form.titleLabel")}
          hint={t("accompaniment.form.titleHint")}
          required
          value={title}
          onChange={setTitle}
          error={errorFor(ORDER_FIELDS.title)}
          testId={ORDER_FIELDS.title}
          autoComplete="off"
        />
        <Field
          type="select"
          id={ORDER_FIELDS.callOff}
          label={t("accompaniment.form.callOff")}
          hint={t(screen.call_offs.length === 0 ? "accompaniment.form.callOffNone" : "accompaniment.form.callOffHint")}
          value={callOff}
          onChange={setCallOff}
          placeholderOption={t("accompaniment.form.callOffAlone")}
          options={screen.call_offs.map((c) => ({ value: c.id, label: t("accompaniment.form.callOffOption", { title: c.title, status: t(`status.order.${c.status}`) }) }))}
          error={errorFor(ORDER_FIELDS.callOff)}
          testId={ORDER_FIELDS.callOff}
        />
        <fieldset className="fieldset" data-testid="accompaniment-services">
          <legend>{t("accompaniment.form.services")}</legend>
          <p className="muted">{t("accompaniment.form.servicesHint")}</p>
          {services.map((s) => {
            const id = ORDER_FIELDS.quantity(s.code);
            const line = live.lines.find((l) => l.service.code === s.code);
            return (
              <div className="accompaniment-quantity" key={s.code} data-code={s.code}>
                <InputField
                  id={id}
                  label={t("accompaniment.form.quantityLabel", { service: s.label_fr })}
                  hint={t(`accompaniment.form.quantityHint.${s.unit}`, {
                    price: formatMoney(s.price_cents, "htva"),
                    priceIncl: formatMoney(unitAmount(s).incl_vat, "tvac"),
                    unit: ACCOMPANIMENT_UNITS[s.unit],
                  })}
                  value={quantities[s.code] ?? ""}
                  onChange={(v) => setQuantities((q) => ({ ...q, [s.code]: v }))}
                  error={errorFor(id)}
                  testId={id}
                  width="short"
                  numeric
                />
                {line && (
                  <p className="accompaniment-quantity__amount" data-testid={`accompaniment-line-amount-${idPart(s.code)}`}>
                    {t("accompaniment.form.lineAmount", { amount: formatMoney(line.amount.excl_vat, "htva") })}
                  </p>
                )}
              </div>
            );
          })}
          <p className="accompaniment-total" data-testid="accompaniment-form-total" aria-live="polite">
            <strong>{t("accompaniment.form.total")}</strong> <Money cents={liveTotal.excl_vat} basis="htva" /> {"·"} <Money cents={liveTotal.incl_vat} basis="tvac" />
          </p>
          <p className="muted">{t("accompaniment.form.totalNote")}</p>
        </fieldset>
        <fieldset className="fieldset" data-testid="accompaniment-decision">
          <legend>{t("accompaniment.form.decision")}</legend>
          <p className="muted">{t("accompaniment.form.decisionIntro")}</p>
          <DecisionFields
            prefix={DECISION}
            organs={["college", "conseil"]}
            organHint={t("accompaniment.form.organHint")}
            value={decision}
            onChange={setDecision}
            errors={errors}
            withOpinion={withOpinion}
          />
        </fieldset>
        <div className="button-group">
          <Button
            type="submit"
            variant="primary"
            disabled={blocker !== null}
            aria-describedby={blocker ? "accompaniment-blocked-reason" : undefined}
            data-testid="accompaniment-submit"
          >
            {t("accompaniment.form.submit")}
          </Button>
        </div>
      </form>
      {confirming && (
        <ConfirmDialog
          title={t("accompaniment.form.confirmTitle", { title: title.trim() })}
          confirmLabel={t("accompaniment.form.submit")}
          onConfirm={send}
          onCancel={() => setConfirming(null)}
        >
          <p>{t("accompaniment.form.confirmIntro")}</p>
          <ul className="plain-list" data-testid="accompaniment-confirm-lines">
            {confirming.lines.map((l) => (
              <li key={l.service.code} data-code={l.service.code}>
                {t("accompaniment.form.confirmLine", {
                  service: l.service.label_fr,
                  quantity: quantityLabel(t, l.request.quantity, l.service.unit),
                  amount: formatMoney(l.amount.excl_vat, "htva"),
                })}
              </li>
            ))}
          </ul>
          <p data-testid="accompaniment-confirm-total">
            {t("accompaniment.form.confirmTotal", {
              excl: formatMoney(confirming.total.excl_vat, "htva"),
              incl: formatMoney(confirming.total.incl_vat, "tvac"),
            })}
          </p>
          <p>{callOffTitle ? t("accompaniment.form.confirmCallOff", { title: callOffTitle }) : t("accompaniment.form.confirmAlone")}</p>
          <p data-testid="accompaniment-confirm-decision">{decisionSentence(t, toDecision(decision, withOpinion))}</p>
          <p className="confirm-note">{t("accompaniment.form.confirmNote")}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
