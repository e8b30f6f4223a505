/**
 * Before the pooled offers are shown to the centrale's person who analyses them, they declare
 * that they have no conflict of interest (law of 17 June 2016 art. 6), as on an order
 * (orders/ConflictGate.tsx): the same statement, its text and fingerprint from the domain, on
 * the pool's page. The declaration is recorded on the pool with the name and the time; the
 * intercommunale refuses an analysis from someone who has not made it.
 */
import { api } from "../../api";
import { useT } from "../../i18n";
import type { PoolPage } from "../../bindings/PoolPage";
import { DeclarationGate } from "../orders/ConflictGate";

export function PoolConflictGate({ page }: { page: PoolPage }) {
  const t = useT();
  return (
    <DeclarationGate
      idPrefix="pool-coi"
      intro={t("pools.conflict.intro")}
      statement={page.conflict_statement}
      declare={() =>
        api.perform({
          kind: "declare_pool_no_conflict",
          input: { pool_id: page.id, statement_sha256: page.conflict_statement_sha256 },
        })
      }
    />
  );
}
