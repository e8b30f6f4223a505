/**
 * A newer version of Centrale published by the intercommunale (issue 13 §2): what it is and
 * what changes, « Télécharger » with the download's progress, then « Installer et
 * redémarrer » once the signature is verified — not while changes of this PC wait to be sent
 * (the button says why), and never over a signature's dialog (dialogs make the window inert).
 *
 * Asked once when the window opens and again when the intercommunale says this version is too
 * old (`update_needed`). No answer (offline, the intercommunale down) shows nothing: Centrale
 * works on.
 */
import { useEffect, useState } from "react";
import { api } from "../api";
import { AppError } from "../errors";
import { startRead, useSubscription, useSyncStatus } from "../data";
import { useT } from "../i18n";
import type { UpdateOffer } from "../bindings/UpdateOffer";
import { Button } from "./Button";
import { ErrorPanel } from "./ErrorPanel";
import { Icon } from "./Icon";
import { ProgressBar } from "./ProgressBar";

type Step = { kind: "offer" } | { kind: "downloading"; done: number; total: number | null } | { kind: "installing" };

export function UpdateNotice() {
  const t = useT();
  const { status } = useSyncStatus();
  const needed = status?.phase === "update_needed";
  const [offer, setOffer] = useState<UpdateOffer | null>(null);
  const [step, setStep] = useState<Step>({ kind: "offer" });
  const [error, setError] = useState<AppError | null>(null);

  useEffect(() => {
    let live = true;
    // Through `startRead`: whatever the command answers, nothing throws outside a handler.
    startRead(() => api.checkUpdate()).then(
      (found) => {
        if (live) setOffer(found);
      },
      (e: unknown) => {
        // Offline or no answer: Centrale works on; said only when the update is needed.
        if (live && needed) setError(AppError.from(e));
      },
    );
    return () => {
      live = false;
    };
  }, [needed]);

  useSubscription(api.onUpdateProgress, (p) => setStep({ kind: "downloading", done: p.downloaded, total: p.total }));

  if (!offer) return error ? <ErrorPanel error={error} /> : null;

  const waiting = status?.pending ?? 0;
  const download = async () => {
    setError(null);
    setStep({ kind: "downloading", done: 0, total: null });
    try {
      setOffer(await api.downloadUpdate());
    } catch (e) {
      setError(AppError.from(e));
      // A refused signature forgets the file: nothing is left to offer until asked again.
      if (AppError.from(e).code === "update_signature_refused") setOffer(null);
    }
    setStep({ kind: "offer" });
  };
  const install = async () => {
    setError(null);
    setStep({ kind: "installing" });
    try {
      await api.installUpdate();
    } catch (e) {
      setError(AppError.from(e));
      setStep({ kind: "offer" });
    }
  };

  const percent = step.kind === "downloading" && step.total ? Math.round((step.done / step.total) * 100) : 0;
  return (
    <section className={`panel ${needed ? "panel--danger" : "panel--info"} update-notice`} aria-label={t("update.label")} data-testid="update-notice">
      <h2 className="panel__title">
        <Icon name={needed ? "warning" : "info"} />
        {needed ? t("update.availableNeeded", { version: offer.version, current: offer.current_version }) : t("update.available", { version: offer.version })}
      </h2>
      {!needed && <p>{t("update.current", { current: offer.current_version })}</p>}
      <p className="update-notice__notes" data-testid="update-notes">
        {offer.notes.trim() ? (
          <>
            <strong>{t("update.notes")}</strong> {offer.notes}
          </>
        ) : (
          t("update.noNotes")
        )}
      </p>
      {error && <ErrorPanel error={error} />}
      {step.kind === "downloading" ? (
        <ProgressBar value={percent} max={100} label={t("update.downloading", { percent })} testId="update-progress" />
      ) : offer.downloaded ? (
        <>
          <p data-testid="update-ready">
            <Icon name="check" /> {t("update.ready")}
          </p>
          {waiting > 0 && (
            <p className="muted" data-testid="update-waits">
              {t("update.waitsForChanges", { count: waiting })}
            </p>
          )}
          <p className="muted">{t("update.installHint")}</p>
          <Button onClick={() => void install()} disabled={waiting > 0 || step.kind === "installing"} busy={step.kind === "installing"} data-testid="update-install">
            {step.kind === "installing" ? t("update.installing") : t("update.install")}
          </Button>
        </>
      ) : (
        <Button onClick={() => void download()} data-testid="update-download">
          {t("update.download")}
        </Button>
      )}
    </section>
  );
}
