/**
 * Before the offers are shown to a person of the commune who evaluates them or decides the
 * award, they declare that they have no conflict of interest (law of 17 June 2016 art. 6;
 * Dir. 2014/24 art. 24). The statement's text and fingerprint come from the domain (the read
 * model); the declaration is recorded on the order with the name and the server's time, and
 * the server refuses an evaluation or an award from someone who has not made it.
 */
import { useState, type FormEvent } from "react";
import { api } from "../../api";
import { Button } from "../../components/Button";
import { ErrorPanel } from "../../components/ErrorPanel";
import { AppError } from "../../errors";
import { formatDateTime } from "../../format";
import { useT } from "../../i18n";
import { nameWithTitle, titleOf } from "../../people";
import type { OrderDetail } from "../../bindings/OrderDetail";

export function ConflictGate({ detail }: { detail: OrderDetail }) {
  const t = useT();
  const { decisions } = detail;
  return (
    <DeclarationGate
      idPrefix="coi"
      intro={t("noConflict.intro")}
      statement={decisions.conflict_statement}
      declare={() =>
        api.perform({
          kind: "declare_no_conflict",
          input: { order_id: detail.order.id, statement_sha256: decisions.conflict_statement_sha256 },
        })
      }
    />
  );
}

/**
 * The statement and the box to tick, then `declare` sends it: on an order (`ConflictGate`) or
 * on a pooled call-off (`pool/PoolConflictGate`). Test ids start with `idPrefix`.
 */
export function DeclarationGate({
  idPrefix,
  intro,
  statement,
  declare: send,
}: {
  idPrefix: string;
  intro: string;
  statement: string;
  declare: () => Promise<unknown>;
}) {
  const t = useT();
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
      await send();
    } catch (e) {
      setFailure(AppError.from(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="section action-panel" aria-labelledby={`${idPrefix}-title`} data-testid={`${idPrefix}-gate`}>
      <h2 id={`${idPrefix}-title`}>{t("noConflict.title")}</h2>
      <p>{intro}</p>
      <blockquote className="panel" data-testid={`${idPrefix}-statement`}>
        {statement}
      </blockquote>
      <form onSubmit={(e) => void declare(e)} noValidate>
        {failure && <ErrorPanel error={failure} />}
        {missing && !accepted && (
          <p className="field__error" role="alert" id={`${idPrefix}-accept-error`}>
            {t("noConflict.acceptMissing")}
          </p>
        )}
        <p>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={accepted}
              onChange={(e) => setAccepted(e.target.checked)}
              aria-describedby={missing && !accepted ? `${idPrefix}-accept-error` : undefined}
              data-testid={`${idPrefix}-accept`}
            />{" "}
            {t("noConflict.accept")}
          </label>
        </p>
        <Button type="submit" variant="primary" busy={busy} data-testid={`${idPrefix}-declare`}>
          {t("noConflict.declare")}
        </Button>
      </form>
    </section>
  );
}

/** Who has declared, and when (in the order's record). */
export function ConflictDeclarations({ detail }: { detail: OrderDetail }) {
  const t = useT();
  const list = detail.decisions.conflict_declarations;
  if (list.length === 0) return null;
  return (
    <div className="section" data-testid="coi-declarations">
      <h3>{t("noConflict.declared")}</h3>
      <ul>
        {list.map((d) => (
          <li key={d.user_id}>{t("noConflict.declaredBy", { who: nameWithTitle(d.name, titleOf(d.role)), when: formatDateTime(d.declared_at) })}</li>
        ))}
      </ul>
    </div>
  );
}
