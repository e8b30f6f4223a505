import { describe, expect, it } from "vitest";
import { MUTATION_NAMES } from "./bindings/rules";
import { actionFromEntry, compareRows, correctionPath, mutationLabel } from "./outbox";
import { t } from "./i18n";
import { outboxEntry } from "./test/fixtures";

describe("actionFromEntry", () => {
  it("turns each mutation the app can send back into its action", () => {
    const cases: [string, string][] = [
      ["adhesion.start", "start_adhesion"],
      ["adhesion.record_college_decision", "record_college_decision"],
      ["adhesion.sign", "sign_adhesion"],
      ["adhesion.countersign", "countersign_adhesion"],
      ["adhesion.activate", "activate_adhesion"],
      ["adhesion.terminate", "terminate_adhesion"],
      ["order.create_draft", "create_order_draft"],
      ["order.update_draft", "update_order_draft"],
      ["order.delete_draft", "delete_order_draft"],
      ["order.submit", "submit_order"],
      ["order.cancel", "cancel_order"],
      ["order.withdraw", "withdraw_order"],
      ["order.launch_competition", "launch_competition"],
      ["order.relaunch_competition", "relaunch_competition"],
      ["order.extend_deadline", "extend_deadline"],
      ["order.ask_question", "ask_question"],
      ["order.answer_question", "answer_question"],
      ["order.set_offer_aside", "set_offer_aside"],
      ["order.ask_price_justification", "ask_price_justification"],
      ["order.accept_price_justification", "accept_price_justification"],
      ["order.open_offers", "open_offers"],
      ["order.evaluate", "evaluate_offers"],
      ["order.award", "award_order"],
      ["order.direct_award", "direct_award_order"],
      ["order.issue_purchase_order", "issue_purchase_order"],
      ["order.accept_provisional", "accept_provisional"],
      ["order.accept_final", "accept_final"],
      ["offer.submit", "submit_offer"],
      ["milestone.update", "update_milestone"],
      ["milestone.acknowledge", "acknowledge_milestone"],
      ["milestone.request_replan", "request_replan"],
      ["milestone.decide_replan", "decide_replan"],
      ["provider.register", "register_provider"],
      ["framework.publish_version", "publish_framework_version"],
      ["service.add", "add_service"],
    ];
    expect(cases.length).toBeGreaterThan(30);
    for (const [name, kind] of cases) {
      const payload = { order_id: "o-1" };
      expect(actionFromEntry({ name, payload })).toEqual({ kind, input: payload });
    }
  });

  it("knows every mutation of the protocol, from its one list, so a refused one can be sent again (issue 18.1)", () => {
    for (const name of MUTATION_NAMES) {
      const action = actionFromEntry({ name, payload: { order_id: "o-1" } });
      expect(action, name).not.toBeNull();
    }
  });

  it("returns null for an unknown name or an unreadable payload", () => {
    expect(actionFromEntry({ name: "order.teleport", payload: { order_id: "o-1" } })).toBeNull();
    expect(actionFromEntry({ name: "order.submit", payload: null })).toBeNull();
  });
});

describe("correctionPath", () => {
  it("sends drafts to the order form with the change to correct", () => {
    const e = outboxEntry({ mutation_id: "m-1", name: "order.create_draft", payload: { order_id: "o-1" } });
    expect(correctionPath(e)).toBe("/commandes/o-1/modifier?correction=m-1");
    expect(correctionPath({ ...e, name: "order.submit" })).toBeNull();
  });
});

describe("mutationLabel", () => {
  it("names each mutation in French", () => {
    expect(mutationLabel(t, "order.update_draft")).toBe("Modification du brouillon de commande");
    expect(mutationLabel(t, "something.new")).toBe("Modification");
  });
});

describe("compareRows", () => {
  it("compares the fields typed with the server's record, deep and key-order independent", () => {
    const mine = outboxEntry({
      payload: { order_id: "o-1", title: "A", needs: { lines: [{ a: 1, b: 2 }], description: "d" } },
    });
    const rows = compareRows(mine, {
      seq: 1,
      kind: "order",
      id: "o-1",
      version: 2,
      deleted: false,
      record: { id: "o-1", title: "B", needs: { description: "d", lines: [{ b: 2, a: 1 }] } },
    });
    expect(rows.map((r) => [r.path.join("."), r.different])).toEqual([
      ["order_id", false],
      ["title", true],
      ["needs.lines", false],
      ["needs.description", false],
    ]);
  });

  it("marks every row different when the record was deleted", () => {
    const rows = compareRows(outboxEntry({ payload: { title: "A" } }), {
      seq: 1,
      kind: "order",
      id: "o-1",
      version: 3,
      deleted: true,
      record: null,
    });
    expect(rows).toEqual([{ path: ["title"], mine: "A", theirs: undefined, different: true }]);
  });
});
