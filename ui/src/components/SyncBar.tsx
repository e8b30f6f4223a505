/**
 * The sync state, on every screen, in words + icon: « Synchronisé il y a 2 minutes »,
 * « Hors ligne — 3 modifications seront envoyées dès le retour de la connexion », … with the
 * number of changes waiting, a link to the changes to settle, and « Synchroniser maintenant ».
 */
import { useEffect } from "react";
import { useNow, useSyncStatus } from "../data";
import { formatRelative } from "../format";
import { useErrorText, useT, type Translate } from "../i18n";
import { paths } from "../paths";
import { Link } from "../router";
import type { SyncStatus } from "../bindings/SyncStatus";
import { Button } from "./Button";
import { keepFocusBelow } from "./focusBelowBar";
import { Icon, type IconName } from "./Icon";
import type { Tone } from "./StatusTag";

/** What the bar says for a status. */
export type SyncView = { tone: Tone; icon: IconName; text: string; details: string[] };

/** The words for a status at `now` (pure: tested directly). */
export function describeSync(status: SyncStatus, now: Date, t: Translate, errorText: (e: { code: string; message: string }) => string): SyncView {
  const when = (iso: string) => formatRelative(iso, now);
  const lastSuccess = status.last_success ? [t("sync.lastSuccess", { when: when(status.last_success) })] : [];
  switch (status.phase) {
    case "syncing":
      return { tone: "info", icon: "sync", text: t("sync.syncing"), details: [] };
    case "credentials_needed":
      return { tone: "warning", icon: "lock", text: t("sync.credentialsNeeded"), details: [t("sync.credentialsNeededHint")] };
    case "update_needed":
      return { tone: "danger", icon: "warning", text: t("sync.updateNeeded"), details: [t("sync.updateNeededHint")] };
    case "offline": {
      const retry = status.next_retry_at ? [t("sync.nextRetry", { when: when(status.next_retry_at) })] : [];
      return { tone: "warning", icon: "offline", text: t("sync.offline", { count: status.pending }), details: [...lastSuccess, ...retry] };
    }
    case "idle":
    default: {
      const text = status.last_success ? t("sync.idle", { when: when(status.last_success) }) : t("sync.never");
      if (status.last_error_code || status.last_error) {
        const reason = errorText({ code: status.last_error_code ?? "", message: status.last_error ?? "" });
        return { tone: "warning", icon: "warning", text, details: [t("sync.failed", { reason })] };
      }
      // Green only when nothing waits: « Synchronisé à l'instant » beside « 2 modifications en
      // attente d'envoi » told a signature had reached the intercommunale when it had not.
      if (status.pending > 0) {
        const sendable = t(status.online ? "sync.waitingOnline" : "sync.waitingNotYet", { count: status.pending });
        return { tone: "info", icon: "pending", text: t("sync.waiting", { count: status.pending }), details: [sendable, ...lastSuccess] };
      }
      return { tone: status.last_success ? "success" : "neutral", icon: status.last_success ? "check" : "info", text, details: [] };
    }
  }
}

export function SyncBar() {
  const t = useT();
  const errorText = useErrorText();
  const now = useNow(30_000);
  const { status, error, requesting, syncNow } = useSyncStatus();
  // The bar is sticky on large windows: the focused field must never hide under it.
  useEffect(() => keepFocusBelow(() => document.querySelector<HTMLElement>('[data-testid="sync-bar"]')), []);

  if (!status) {
    return (
      <section className="sync-bar sync-bar--neutral" data-testid="sync-bar" aria-label={t("sync.label")}>
        <div className="sync-bar__inner">
          <p className="sync-bar__state" data-testid="sync-state" data-phase="unknown">
            <Icon name="sync" />
            {error ? errorText(error) : t("sync.checking")}
          </p>
        </div>
      </section>
    );
  }

  const view = describeSync(status, now, t, errorText);
  const syncing = status.phase === "syncing" || requesting;
  return (
    <section className={`sync-bar sync-bar--${view.tone}`} data-testid="sync-bar" aria-label={t("sync.label")}>
      <div className="sync-bar__inner">
        <div className="sync-bar__main">
          <p className="sync-bar__state" data-testid="sync-state" data-phase={status.phase}>
            <Icon name={view.icon} className={status.phase === "syncing" ? "icon--spin" : undefined} />
            <span>{view.text}</span>
          </p>
          {view.details.map((d) => (
            <p className="sync-bar__detail" key={d}>
              {d}
            </p>
          ))}
          {status.phase === "credentials_needed" && (
            <p className="sync-bar__detail">
              <Link to={paths.login()} data-testid="sync-reconnect">
                {t("sync.reconnect")}
              </Link>
            </p>
          )}
          {error && (
            <p className="sync-bar__detail sync-bar__error" role="alert">
              {errorText(error)}
            </p>
          )}
        </div>
        <div className="sync-bar__side">
          <p className="sync-bar__count" data-testid="sync-pending-count" data-count={status.pending}>
            <Icon name="pending" />
            {t("sync.pending", { count: status.pending })}
          </p>
          {status.needs_attention > 0 && (
            <Link to={paths.attention()} className="sync-bar__attention" data-testid="sync-attention-link">
              <Icon name="warning" />
              {t("sync.attention", { count: status.needs_attention })}
            </Link>
          )}
          <Button variant="secondary" className="button--small" onClick={() => void syncNow()} disabled={syncing} data-testid="sync-now">
            <Icon name="sync" />
            {t("sync.now")}
          </Button>
        </div>
      </div>
      <p className="visually-hidden" role="status">
        {status.phase === "idle" ? "" : view.text}
      </p>
    </section>
  );
}
