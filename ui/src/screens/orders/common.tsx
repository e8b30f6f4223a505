/**
 * Pieces the order screens share: who may do what, the status in words, the next action
 * line, a text field that carries extra data attributes for the end-to-end driver, and the
 * mapping of a refused field (`needs.lines[0].quantity`) to the control that shows it.
 */
import type { ReactNode } from "react";
import { describedByOf, FieldFrame } from "../../components/Field";
import { Icon, type IconName } from "../../components/Icon";
import { StatusTag } from "../../components/StatusTag";
import { formatDate, formatDeadline } from "../../format";
import { useT, type Translate } from "../../i18n";
import { orderTone } from "../../statuses";
import type { NextAction } from "../../bindings/NextAction";
import type { OrderStatus } from "../../bindings/OrderStatus";
import type { Role } from "../../bindings/Role";
import type { DelegatedDocument } from "../../bindings/DelegatedDocument";
import type { OrderDetail } from "../../bindings/OrderDetail";
import "./orders.css";

/** Commune accounts prepare, send, cancel and evaluate orders. */
export function isCommuneRole(role: Role | undefined): boolean {
  return role === "director_general" || role === "mayor" || role === "commune_staff";
}

/** Only the signatories (mayor, director general) withdraw and award. */
export function isSignatory(role: Role | undefined): boolean {
  return role === "director_general" || role === "mayor";
}

/** Does the signed-in account sign this document for this order's commune today: a titular,
 * or a substitute on a day their substitution covers and, for an échevin délégué, a document
 * the delegation lists (the store decides, as the server does)? `null`: an act only the
 * titulars do. */
export function signsFor(detail: OrderDetail, role: Role | undefined, document: DelegatedDocument | null): boolean {
  if (isSignatory(role)) return true;
  return document !== null && (detail.signer?.signs ?? []).includes(document);
}

/** The status in a full sentence: « Demande envoyée — en attente de la remise en concurrence ». */
export function statusSentence(t: Translate, status: OrderStatus, deadline: string | null | undefined): string {
  if (status === "competition_open" && deadline) return t("orders.statusLine.sealedUntil", { deadline: formatDeadline(deadline) });
  return t(`orders.statusLine.${status}`);
}

/** The status as a tag (words + colour + icon). */
export function OrderStatusTag({
  status,
  deadline,
  testId,
  long = false,
}: {
  status: OrderStatus;
  deadline?: string | null;
  testId?: string;
  long?: boolean;
}) {
  const t = useT();
  const label = long ? statusSentence(t, status, deadline) : t(`status.order.${status}`);
  return <StatusTag tone={orderTone(status)} label={label} testId={testId} />;
}

/** « Avant le 14/03/2027 à 12:00 (heure de Bruxelles) » or « Pour le 01/04/2027 ». */
export function dueText(t: Translate, action: NextAction): string | null {
  if (action.due_at) return t("orders.next.dueAt", { deadline: formatDeadline(action.due_at) });
  if (action.due_on) return t("orders.next.dueOn", { date: formatDate(action.due_on) });
  return null;
}

/** Who acts, worded for the centrale (« Vous (la centrale d'achat) », « La commune de Namur »). */
function centralePartyLabel(t: Translate, action: NextAction, communeName: string | null): string {
  if (action.by === "commune") return communeName ? t("centraleOrders.party.communeNamed", { name: communeName }) : t("centraleOrders.party.commune");
  return t(`centraleOrders.party.${action.by}`);
}

/**
 * What the order waits for, from whom and by when. A commune's account reads the party as
 * the commune sees it; given `centrale`, the line speaks to the centrale (« Vous », the
 * commune by its name) and says in `data-by` who acts.
 */
export function NextActionLine({
  action,
  testId,
  centrale,
}: {
  action: NextAction | null;
  testId?: string;
  /** The centrale reads the line: the commune of the order, by name when it is on this PC. */
  centrale?: { communeName: string | null };
}) {
  const t = useT();
  if (!action) {
    return (
      <p className="next-line" data-testid={testId}>
        <span className="muted">{t("orders.next.none")}</span>
      </p>
    );
  }
  const due = dueText(t, action);
  return (
    <div className="next-line" data-testid={testId} data-by={centrale ? action.by : undefined}>
      <p className="next-line__what">
        <Icon name="arrow-right" />
        <span>{t(`nextAction.${action.code}`)}</span>
      </p>
      <p className="next-line__meta">
        <span>
          <span className="next-line__label">{t("orders.next.who")}</span> {centrale ? centralePartyLabel(t, action, centrale.communeName) : t(`party.${action.by}`)}
        </span>
        {due && (
          <span data-testid={testId ? `${testId}-due` : undefined}>
            <Icon name="clock" /> {due}
          </span>
        )}
      </p>
    </div>
  );
}

/** A provider's name, or words saying it is not on this PC. */
export function providerLabel(t: Translate, name: string | null | undefined): string {
  return name ?? t("orders.providerUnknown");
}

/** « 1re » , « 2e »… */
export function rankLabel(t: Translate, rank: number): string {
  return rank === 1 ? t("orders.rank.first") : t("orders.rank.other", { rank: String(rank) });
}

/** A marker that says in words (and with an icon) why a value stands out. */
export function Marker({ tone, icon, children, testId }: { tone: "best" | "tie" | "warning"; icon: IconName; children: ReactNode; testId?: string }) {
  return (
    <span className={`marker marker--${tone}`} data-testid={testId}>
      <Icon name={icon} />
      <span>{children}</span>
    </span>
  );
}

type InputFieldProps = {
  id: string;
  label: string;
  hint?: string;
  required?: boolean;
  error?: string | null;
  value: string;
  onChange: (value: string) => void;
  testId?: string;
  width?: "short" | "medium" | "full";
  /** Extra attributes on the control (`data-line-code`, `data-offer-id`…). */
  attrs?: Record<string, string>;
  /** A number typed as text (decimal comma allowed). */
  numeric?: boolean;
  multiline?: boolean;
  rows?: number;
  disabled?: boolean;
  /** Visually hide the label (it is said by a heading next to it); still read aloud. */
  hideLabel?: boolean;
};

/**
 * A field like `<Field>` (label above, hint, « obligatoire », message next to the control,
 * all tied to it) whose control can carry extra attributes.
 */
export function InputField(props: InputFieldProps) {
  const { id, label, hint, required, error, value, onChange, testId, width = "full", attrs, numeric, multiline, rows, disabled, hideLabel } = props;
  const describedBy = describedByOf(id, hint, error);
  const common = {
    id,
    name: id,
    value,
    disabled,
    required,
    "aria-required": required || undefined,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": describedBy,
    "data-testid": testId,
    className: `control control--${width}`,
    ...attrs,
  };
  return (
    <FieldFrame id={id} label={label} hint={hint} required={required} error={error} hideLabel={hideLabel}>
      {multiline ? (
        <textarea {...common} rows={rows ?? 4} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input
          {...common}
          type="text"
          inputMode={numeric ? "decimal" : undefined}
          autoComplete="off"
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </FieldFrame>
  );
}

/** A safe id fragment from a code (`licence-an` stays, anything else becomes `-`). */
export function idPart(code: string): string {
  return code.replace(/[^A-Za-z0-9_-]/g, "-");
}

/** The `field` a refused change names, from an error's params or an outbox entry's details. */
export function fieldOf(params: unknown): string | null {
  if (typeof params !== "object" || params === null || Array.isArray(params)) return null;
  const field = (params as Record<string, unknown>).field;
  return typeof field === "string" ? field : null;
}

/** `needs.lines[2].quantity` → 2 (the index in the list that was sent). */
export function indexIn(field: string, list: string): number | null {
  const m = new RegExp(`^${list.replace(/[.[\]]/g, "\\$&")}\\[(\\d+)\\]`).exec(field);
  return m ? Number(m[1]) : null;
}
