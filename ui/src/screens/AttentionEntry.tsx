/**
 * One change to settle (#/a-regler/:mutationId). A conflict is shown side by side —
 * « Votre version » against « Version enregistrée sur le serveur », the same rows in the same
 * order, differences marked in words — to keep one or the other. A refused change is shown
 * as in the list, with its actions.
 */
import { useState } from "react";
import { api } from "../api";
import { Button } from "../components/Button";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { ErrorPanel } from "../components/ErrorPanel";
import { Icon } from "../components/Icon";
import { Loading } from "../components/Loading";
import { flash } from "../components/Notice";
import { Page } from "../components/Page";
import { ReadableValue } from "../components/ReadableValue";
import { useCommand } from "../data";
import { AppError } from "../errors";
import { formatDateTime } from "../format";
import { useT } from "../i18n";
import { compareRows, fieldLabel, mutationLabel, type CompareRow } from "../outbox";
import { paths } from "../paths";
import { Link, navigate } from "../router";
import type { Conflict } from "../bindings/Conflict";
import { AttentionItem } from "./NeedsAttention";
import type { ScreenProps } from "./ScreenProps";
import { personLabel } from "../people";

function rowLabel(t: ReturnType<typeof useT>, row: CompareRow): string {
  return row.path.map((p) => fieldLabel(t, p)).join(" — ");
}

/** One side of the comparison: the same rows as the other side, in the same order. */
function Side({
  title,
  meta,
  rows,
  pick,
  testId,
  note,
}: {
  title: string;
  meta: string;
  rows: CompareRow[];
  pick: (row: CompareRow) => unknown;
  testId: string;
  note?: string;
}) {
  const t = useT();
  return (
    <section className="compare__side" aria-label={title} data-testid={testId}>
      <h2 className="compare__title">{title}</h2>
      <p className="muted">{meta}</p>
      {note && <p className="panel panel--warning">{note}</p>}
      <dl className="compare__rows">
        {rows.map((row) => (
          <div
            className={`compare__row${row.different ? " compare__row--different" : ""}`}
            key={row.path.join(".")}
            data-testid="conflict-row"
            data-field={row.path.join(".")}
            data-different={row.different}
          >
            <dt>
              {rowLabel(t, row)}
              {row.different && (
                <span className="diff-marker">
                  <Icon name="different" />
                  {t("conflict.different")}
                </span>
              )}
            </dt>
            <dd>
              <ReadableValue value={pick(row)} field={row.path[row.path.length - 1] ?? ""} />
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function ConflictView({ conflict }: { conflict: Conflict }) {
  const t = useT();
  const { mine, theirs } = conflict;
  const what = mutationLabel(t, mine.name);
  const rows = compareRows(mine, theirs);
  const differences = rows.filter((r) => r.different).length;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [confirming, setConfirming] = useState(false);

  const keepMine = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.keepMine(mine.mutation_id);
      flash(t("conflict.keptMine"), paths.attention(), { untilSent: true });
      navigate(paths.attention());
    } catch (e) {
      setError(AppError.from(e));
      setBusy(false);
    }
  };

  const keepTheirs = async () => {
    await api.discardChange(mine.mutation_id);
    setConfirming(false);
    flash(t("conflict.keptTheirs"), paths.attention());
    navigate(paths.attention());
  };

  const who = personLabel(mine.created_by);
  return (
    <Page title={t("conflict.title")} intro={<p>{t("conflict.intro", { what })}</p>}>
      <p className="lead" data-testid="conflict-summary">
        {t("conflict.differences", { count: differences })}
      </p>
      <div className="compare">
        <Side
          title={t("conflict.mine")}
          meta={t("conflict.mineMeta", { when: t("time.onDate", { date: formatDateTime(mine.created_at) }), who })}
          rows={rows}
          pick={(r) => r.mine}
          testId="conflict-mine"
        />
        <Side
          title={t("conflict.theirs")}
          meta={t("conflict.theirsMeta", { version: theirs.version })}
          rows={rows}
          pick={(r) => r.theirs}
          testId="conflict-theirs"
          note={theirs.deleted ? t("conflict.deleted") : undefined}
        />
      </div>
      {error && <ErrorPanel error={error} />}
      <div className="button-group">
        <Button variant="primary" busy={busy} onClick={() => void keepMine()} data-testid="conflict-keep-mine">
          {t("conflict.keepMine")}
        </Button>
        <Button variant="secondary" disabled={busy} onClick={() => setConfirming(true)} data-testid="conflict-keep-theirs">
          {t("conflict.keepTheirs")}
        </Button>
      </div>
      <p>
        <Link to={paths.attention()}>{t("attention.backToList")}</Link>
      </p>
      {confirming && (
        <ConfirmDialog
          title={t("conflict.keepTheirsTitle")}
          confirmLabel={t("conflict.keepTheirs")}
          tone="danger"
          onConfirm={keepTheirs}
          onCancel={() => setConfirming(false)}
        >
          <p>{t("conflict.keepTheirsBody")}</p>
          <ReadableValue value={mine.payload} />
        </ConfirmDialog>
      )}
    </Page>
  );
}

export function AttentionEntry({ params }: ScreenProps) {
  const t = useT();
  const mutationId = params.mutationId ?? "";
  const outbox = useCommand(() => api.outbox(), []);
  const entry = outbox.data?.find((e) => e.mutation_id === mutationId);
  const isConflict = entry?.state === "conflict";
  const conflict = useCommand(
    () => (isConflict ? api.conflict(mutationId) : Promise.resolve(null)),
    [isConflict, mutationId],
  );

  if (outbox.error) {
    return (
      <Page title={t("attention.title")}>
        <ErrorPanel error={outbox.error} onRetry={outbox.reload} />
      </Page>
    );
  }
  if (!outbox.data) return <Loading />;
  if (!entry || entry.state === "pending") {
    return (
      <Page title={t("attention.title")}>
        <p data-testid="attention-gone">{t("attention.notFound")}</p>
        <p>
          <Link to={paths.attention()}>{t("attention.backToList")}</Link>
        </p>
      </Page>
    );
  }
  if (!isConflict) {
    return (
      <Page title={mutationLabel(t, entry.name)}>
        <AttentionItem entry={entry} afterSettled={() => navigate(paths.attention())} />
        <p>
          <Link to={paths.attention()}>{t("attention.backToList")}</Link>
        </p>
      </Page>
    );
  }
  if (conflict.error) {
    return (
      <Page title={t("conflict.title")}>
        <ErrorPanel error={conflict.error} onRetry={conflict.reload} />
      </Page>
    );
  }
  if (!conflict.data) return <Loading />;
  return <ConflictView conflict={conflict.data} />;
}
