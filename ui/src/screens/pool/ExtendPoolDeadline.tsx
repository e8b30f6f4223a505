/**
 * The centrale moves the deadline of the pool's one competition later (`extend_pool_deadline`),
 * before it passes: every commune's competition gets the new deadline, every invited provider
 * is told it with the reason. The form is the order's (orders/CentraleActions.tsx,
 * `ExtendDeadlineForm`): a Brussels date and time converted by Rust, a reason within the
 * domain's limits; the domain's refusal comes back next to the field it names.
 */
import { api } from "../../api";
import { formatDeadline } from "../../format";
import { useT } from "../../i18n";
import type { PoolPage } from "../../bindings/PoolPage";
import { useWho, type ReceiptData } from "../orders/Actions";
import { ExtendDeadlineForm, useServerNow } from "../orders/CentraleActions";
import { activeMembers } from "./common";

const IDS = { date: "pool-extend-date", time: "pool-extend-time", reason: "pool-extend-reason" } as const;

export function ExtendPoolDeadline({ page, onDone }: { page: PoolPage; onDone: (r: ReceiptData) => void }) {
  const t = useT();
  const who = useWho();
  const { now } = useServerNow();
  const deadline = page.competition?.deadline ?? null;
  // Once the deadline has passed, the intercommunale opens the offers: nothing to extend.
  if (page.phase !== "competition_open" || !deadline || !(Date.parse(deadline) > now)) return null;
  const count = activeMembers(page.members).length;
  return (
    <div data-testid="pool-extend">
      <ExtendDeadlineForm
        deadline={deadline}
        ids={IDS}
        testId="pool-extend"
        testIdPrefix="pool-extend"
        submitTestId="pool-extend-submit"
        texts={{
          open: t("pools.extend.open"),
          title: t("pools.extend.title"),
          explain: t("pools.extend.explain"),
          button: t("pools.extend.button"),
          confirmTitle: t("pools.extend.confirmTitle", { title: page.title }),
          confirmBody: (previous, next) => t("pools.extend.confirmBody", { previous, deadline: next, count }),
        }}
        send={async (next, reason) => {
          await api.perform({ kind: "extend_pool_deadline", input: { pool_id: page.id, deadline: next, reason } });
        }}
        onSent={(next, reason) =>
          onDone({
            title: t("pools.extend.receiptTitle"),
            what: t("pools.extend.receiptWhat", { title: page.title, deadline: formatDeadline(next), reason }),
            who,
            when: new Date().toISOString(),
            note: t("pools.extend.receiptNote"),
          })
        }
      />
    </div>
  );
}
