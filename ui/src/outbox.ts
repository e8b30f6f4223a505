/**
 * The outbox as the user sees it: a French name for each mutation, how a refused change is
 * sent again (`actionFromEntry`) or corrected (`correctionPath`), and the rows that compare
 * two versions of a record side by side.
 */
import { hasKey, type Translate } from "./i18n";
import { paths } from "./paths";
import type { Action } from "./bindings/Action";
import type { Change } from "./bindings/Change";
import type { OutboxEntry } from "./bindings/OutboxEntry";

/**
 * Mutation name (`order.update_draft`) → the `Action` kind that performs it again: every
 * mutation of protocol/src/mutations.rs (MUTATION_NAMES), as src-tauri/src/actions.rs maps them.
 */
export const ACTION_KINDS: Record<string, Action["kind"]> = {
  "adhesion.start": "start_adhesion",
  "adhesion.record_college_decision": "record_college_decision",
  "adhesion.sign": "sign_adhesion",
  "adhesion.countersign": "countersign_adhesion",
  "adhesion.activate": "activate_adhesion",
  "adhesion.terminate": "terminate_adhesion",
  "substitution.record": "record_substitution",
  "substitution.end": "end_substitution",
  "order.create_draft": "create_order_draft",
  "order.update_draft": "update_order_draft",
  "order.delete_draft": "delete_order_draft",
  "order.submit": "submit_order",
  "order.declare_no_conflict": "declare_no_conflict",
  "order.cancel": "cancel_order",
  "order.withdraw": "withdraw_order",
  "order.launch_competition": "launch_competition",
  "order.relaunch_competition": "relaunch_competition",
  "order.extend_deadline": "extend_deadline",
  "order.ask_question": "ask_question",
  "order.answer_question": "answer_question",
  "order.set_offer_aside": "set_offer_aside",
  "order.ask_price_justification": "ask_price_justification",
  "order.accept_price_justification": "accept_price_justification",
  "order.open_offers": "open_offers",
  "order.evaluate": "evaluate_offers",
  "order.award": "award_order",
  "order.direct_award": "direct_award_order",
  "order.issue_purchase_order": "issue_purchase_order",
  "order.accept_provisional": "accept_provisional",
  "order.accept_final": "accept_final",
  "offer.submit": "submit_offer",
  "milestone.update": "update_milestone",
  "milestone.acknowledge": "acknowledge_milestone",
  "milestone.request_replan": "request_replan",
  "milestone.decide_replan": "decide_replan",
  "provider.register": "register_provider",
  "framework.publish_version": "publish_framework_version",
  "service.add": "add_service",
  "account.set_mail_preferences": "set_mail_preferences",
};

/** Mutations this app never sends: the provider's answer to a price verification is given on
 * the portal. Every other mutation name has its action above (outbox.test.ts checks it against
 * the protocol's list). */
export const NOT_SENT_FROM_THE_APP: readonly string[] = ["order.answer_price_justification"];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The entry turned back into the action the user did (its payload is the action's input),
 * or null for a name this build does not know, or an unreadable payload.
 */
export function actionFromEntry(entry: Pick<OutboxEntry, "name" | "payload">): Action | null {
  const kind = ACTION_KINDS[entry.name];
  if (!kind || !isRecord(entry.payload)) return null;
  // The payload was written from this very input type by the Rust side.
  return { kind, input: entry.payload } as Action;
}

/** Changes the user corrects in a form rather than resending as they are. */
const CORRECTED_IN_FORM = new Set(["order.create_draft", "order.update_draft"]);

/** The form where a refused change is corrected (`…/modifier?correction=<id>`), if any. */
export function correctionPath(entry: Pick<OutboxEntry, "name" | "payload" | "mutation_id">): string | null {
  if (!CORRECTED_IN_FORM.has(entry.name) || !isRecord(entry.payload)) return null;
  const orderId = entry.payload.order_id;
  return typeof orderId === "string" ? paths.editOrder(orderId, entry.mutation_id) : null;
}

/** « Modification du brouillon de commande » for `order.update_draft`. */
export function mutationLabel(t: Translate, name: string): string {
  const key = `mutations.${name}`;
  return hasKey(key) ? t(key) : t("mutations.unknown");
}

/** The label of a payload field (`fields.<name>`), or the name made readable. */
export function fieldLabel(t: Translate, name: string): string {
  const key = `fields.${name}`;
  if (hasKey(key)) return t(key);
  const words = name.replace(/_/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** One line of a side-by-side comparison. */
export type CompareRow = {
  /** Path of the field in the user's payload (`needs.description`). */
  path: string[];
  mine: unknown;
  theirs: unknown;
  different: boolean;
};

/** JSON with sorted keys, so that equal values compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isRecord(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Leaves of an object (arrays are leaves: they are shown whole). */
function leaves(value: unknown, prefix: string[] = []): { path: string[]; value: unknown }[] {
  if (!isRecord(value)) return [{ path: prefix, value }];
  const out: { path: string[]; value: unknown }[] = [];
  for (const [k, v] of Object.entries(value)) out.push(...leaves(v, [...prefix, k]));
  return out;
}

function at(record: unknown, path: string[]): unknown {
  let node: unknown = record;
  for (const part of path) {
    if (!isRecord(node)) return undefined;
    node = node[part];
  }
  return node;
}

/**
 * The user's version against the server's record, on the fields the user typed, in the
 * same order on both sides. `<kind>_id` in the payload is the record's own `id`.
 */
export function compareRows(mine: OutboxEntry, theirs: Change): CompareRow[] {
  return leaves(mine.payload).map(({ path, value }) => {
    let theirPath = path;
    if (path.length === 1 && path[0] === `${theirs.kind}_id` && at(theirs.record, path) === undefined) {
      theirPath = ["id"];
    }
    const other = theirs.deleted ? undefined : at(theirs.record, theirPath);
    return { path, mine: value, theirs: other, different: canonical(value) !== canonical(other) };
  });
}
