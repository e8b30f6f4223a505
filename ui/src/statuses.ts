/**
 * The look of each status code (its tone: colour family + icon). The words come from the
 * catalogue (`status.order.<code>`, …); use both through `<StatusTag>` on every screen so that a
 * status looks the same everywhere.
 */
import type { Tone } from "./components/StatusTag";
import type { AccompanimentStatus } from "./bindings/AccompanimentStatus";
import type { AdhesionStatus } from "./bindings/AdhesionStatus";
import type { MilestoneStatus } from "./bindings/MilestoneStatus";
import type { OrderStatus } from "./bindings/OrderStatus";
import type { OutboxState } from "./bindings/OutboxState";

export function orderTone(status: OrderStatus): Tone {
  switch (status) {
    case "draft":
      return "neutral";
    case "awarded":
    case "provisionally_accepted":
    case "finally_accepted":
      return "success";
    case "cancelled":
    case "withdrawn":
    case "no_offer":
      return "danger";
    default:
      return "info";
  }
}

export function adhesionTone(status: AdhesionStatus): Tone {
  switch (status) {
    case "active":
      return "success";
    case "terminated":
      return "danger";
    default:
      return "warning";
  }
}

export function milestoneTone(status: MilestoneStatus): Tone {
  switch (status) {
    case "done":
      return "success";
    case "late":
      return "danger";
    default:
      return "neutral";
  }
}

export function outboxTone(state: OutboxState): Tone {
  switch (state) {
    case "pending":
      return "pending";
    case "conflict":
      return "warning";
    default:
      return "danger";
  }
}

/** An accompaniment order of the intercommunale (issue 16 §2). */
export function accompanimentTone(status: AccompanimentStatus): Tone {
  switch (status) {
    case "requested":
      return "warning";
    case "planned":
      return "info";
    case "delivered":
    case "invoiced":
      return "success";
    case "cancelled":
      return "danger";
  }
}
