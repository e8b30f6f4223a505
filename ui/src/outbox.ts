/**
 * The outbox as the user sees it: a French name for each mutation, how a refused change is
 * sent again (`actionFromEntry`) or corrected (`correctionPath`), and the rows that compare
 * two versions of a record side by side.
 */
import { hasKey, type Translate } from "./i18n";
import { paths } from "./paths";
import type { Action } from "./bindings/Action";
import { ACTION_KINDS } from "./bindings/rules";
import type { Change } from "./bindings/Change";
import type { OutboxEntry } from "./bindings/OutboxEntry";

/** Mutation name (`order.update_draft`) → the `Action` kind that performs it again, generated
 * from the protocol's one list of mutations (`bindings/rules.ts`). */
const KIND_OF: Readonly<Record<string, Action["kind"] | undefined>> = ACTION_KINDS;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The entry turned back into the action the user did (its payload is the action's input),
 * or null for a name this build does not know, or an unreadable payload.
 */
export function actionFromEntry(entry: Pick<OutboxEntry, "name" | "payload">): Action | null {
  const kind = KIND_OF[entry.name];
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
