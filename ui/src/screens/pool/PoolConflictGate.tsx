/**
 * Before the pooled offers are shown to the centrale's person who analyses them, they declare
 * that they have no conflict of interest (law of 17 June 2016 art. 6), as on an order
 * (orders/ConflictGate.tsx): the same statement, its text and fingerprint from the domain, on
 * the pool's page. The declaration is recorded on the pool with the name and the time; the
 * intercommunale refuses an analysis from someone who has not made it.
 */
import { useState, type FormEvent } from "react";
import { api } from "../../api";
import { Button } from "../../components/Button";
import { ErrorPanel } from "../../components/ErrorPanel";
import { AppError } from "../../errors";
import { useT } from "../../i18n";
import type { PoolPage } from "../../bindings/PoolPage";

export function PoolConflictGate({ page }: { page: PoolPage }) {
  const t = useT();
  const statement = { text: page.conflict_statement, sha256: page.conflict_statement_sha256 };
  const [accepted, setAccepted] = useState(false);
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<AppError | null>(null);

  const declare = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    if (!accepted) {
      setMissing(true);
      return;
    }
    setBusy(true);
    try {
      await api.perform({
        kind: "declare_pool_no_conflict",
        input: { pool_id: page.id, statement_sha256: statement.sha256 },
      });
    } catch (e) {
      setFailure(AppError.from(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="section action-panel" aria-labelledby="pool-coi-title" data-testid="pool-coi-gate">
      <h2 id="pool-coi-title">{t("noConflict.title")}</h2>
      <p>{t("pools.conflict.intro")}</p>
      <>
          <blockquote className="panel" data-testid="pool-coi-statement">
            {statement.text}
          </blockquote>
          <form onSubmit={(e) => void declare(e)} noValidate>
            {failure && <ErrorPanel error={failure} />}
            {missing && !accepted && (
              <p className="field__error" role="alert" id="pool-coi-accept-error">
                {t("noConflict.acceptMissing")}
              </p>
            )}
            <p>
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={accepted}
                  onChange={(e) => setAccepted(e.target.checked)}
                  aria-describedby={missing && !accepted ? "pool-coi-accept-error" : undefined}
                  data-testid="pool-coi-accept"
                />{" "}
                {t("noConflict.accept")}
              </label>
            </p>
            <Button type="submit" variant="primary" busy={busy} data-testid="pool-coi-declare">
              {t("noConflict.declare")}
            </Button>
          </form>
      </>
    </section>
  );
}
