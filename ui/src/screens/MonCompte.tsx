/**
 * « Mon compte » (issue 17 point 9): the signed-in account's settings — the second factor
 * (« Double authentification ») and the e-mail notifications.
 *
 * Turning the second factor on needs the network (the secret is made and kept by the server):
 * « Activer » asks for a new secret, shown as a QR code (the server's SVG as an `<img>`, never
 * injected as markup) and as a key in groups of four; the application's code confirms it; the
 * ten recovery codes are shown once, with « Imprimer » and « J'ai noté mes codes de secours en
 * lieu sûr » before « Terminer ». The session on this PC then says it is on, and every signing
 * act asks for the code. The centrale's staff must keep it: no « Désactiver » for them.
 */
import { useState, type FormEvent } from "react";
import { api } from "../api";
import { Button } from "../components/Button";
import { ErrorPanel } from "../components/ErrorPanel";
import { Icon } from "../components/Icon";
import { Page } from "../components/Page";
import { SecondFactorField } from "../components/SecondFactorField";
import { StatusTag } from "../components/StatusTag";
import { useSyncStatus } from "../data";
import { AppError } from "../errors";
import { useErrorText, useT } from "../i18n";
import { PrintButton } from "../print/PrintButton";
import { mayTurnOffSecondFactor, secretInGroups, svgImageSource } from "../secondFactor";
import { useSession } from "../session";
import type { SecondFactorSetup } from "../bindings/SecondFactorSetup";
import { MailPreferencesSection } from "./MailPreferencesSection";
import type { ScreenProps } from "./ScreenProps";

/** Where setting up stands: nothing shown, the secret to enter, the recovery codes to note. */
type Step = { at: "idle" } | { at: "setup"; setup: SecondFactorSetup } | { at: "codes"; codes: string[] };

/** Codes of a command that did not reach the server: said as « ce PC doit être relié ». */
const UNREACHABLE = new Set(["offline", "server_error", "credentials_needed", "protocol_error"]);

function useAccountError() {
  const errorText = useErrorText();
  const t = useT();
  return (error: AppError) => (UNREACHABLE.has(error.code) ? t("account.secondFactor.needsNetwork") : errorText(error));
}

export function SecondFactorSection() {
  const t = useT();
  const { state, reload } = useSession();
  const { status } = useSyncStatus();
  const explain = useAccountError();
  const me = state.session;
  const [step, setStep] = useState<Step>({ at: "idle" });
  const [code, setCode] = useState("");
  const [codeError, setCodeError] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const [noted, setNoted] = useState(false);
  const [notedMissing, setNotedMissing] = useState(false);
  const [turnedOff, setTurnedOff] = useState(false);
  const offline = status?.phase === "offline";
  if (!me) return null;
  const on = me.second_factor;

  /** Runs a call to the server; a refusal of the code goes under its field. */
  const run = async (call: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setCodeError(null);
    try {
      await call();
    } catch (e) {
      const failure = AppError.from(e);
      if (failure.code.startsWith("second_factor_") && failure.code !== "second_factor_already_on") {
        setCodeError(explain(failure));
      } else {
        setError(failure);
      }
    } finally {
      setBusy(false);
    }
  };

  const start = () =>
    run(async () => {
      const setup = await api.secondFactorStart();
      setCode("");
      setTurnedOff(false);
      setStep({ at: "setup", setup });
    });

  const confirm = (event: FormEvent) => {
    event.preventDefault();
    if (code.trim() === "") {
      setCodeError(t("account.secondFactor.codeMissing"));
      return;
    }
    void run(async () => {
      const enabled = await api.secondFactorConfirm(code.trim());
      setCode("");
      setNoted(false);
      setStep({ at: "codes", codes: enabled.recovery_codes });
      reload();
    });
  };

  const finish = () => {
    if (!noted) {
      setNotedMissing(true);
      return;
    }
    setStep({ at: "idle" });
  };

  const turnOff = (event: FormEvent) => {
    event.preventDefault();
    if (code.trim() === "") {
      setCodeError(t("account.secondFactor.codeMissing"));
      return;
    }
    void run(async () => {
      await api.secondFactorOff(code.trim());
      setCode("");
      setTurnedOff(true);
      reload();
    });
  };

  const changeCode = (value: string) => {
    setCode(value);
    setCodeError(null);
  };

  return (
    <section className="card second-factor-section" aria-labelledby="second-factor-title" data-testid="second-factor-section">
      <h2 className="card__title" id="second-factor-title">
        <Icon name="lock" />
        {t("account.secondFactor.title")}
      </h2>
      <p className="status-line">
        <span className="status-line__label">{t("account.secondFactor.statusLabel")}</span>{" "}
        {on || step.at === "codes" ? (
          <StatusTag tone="success" label={t("account.secondFactor.on")} testId="second-factor-status" />
        ) : (
          <StatusTag tone="neutral" label={t("account.secondFactor.off")} testId="second-factor-status" />
        )}
      </p>
      {error && <ErrorPanel error={error} message={explain(error)} />}

      {step.at === "codes" ? (
        <div data-testid="second-factor-recovery">
          <h3>{t("account.secondFactor.enabledTitle")}</h3>
          <p>{t("account.secondFactor.recoveryIntro", { count: step.codes.length })}</p>
          <h4>{t("account.secondFactor.recoveryTitle")}</h4>
          <ol className="recovery-codes" data-testid="recovery-codes">
            {step.codes.map((c) => (
              <li key={c}>
                <code className="identifier">{c}</code>
              </li>
            ))}
          </ol>
          <div className="button-group no-print">
            <PrintButton scope="page" testId="recovery-print" />
          </div>
          {notedMissing && !noted && (
            <p className="field__error" role="alert" id="recovery-noted-error">
              {t("account.secondFactor.notedMissing")}
            </p>
          )}
          <p className="no-print">
            <label className="checkbox">
              <input
                type="checkbox"
                checked={noted}
                onChange={(e) => setNoted(e.target.checked)}
                aria-describedby={notedMissing && !noted ? "recovery-noted-error" : undefined}
                data-testid="recovery-noted"
              />{" "}
              {t("account.secondFactor.noted")}
            </label>
          </p>
          <Button variant="primary" onClick={finish} data-testid="recovery-finish">
            {t("account.secondFactor.finish")}
          </Button>
        </div>
      ) : on ? (
        <>
          <p>{t("account.secondFactor.onText")}</p>
          {mayTurnOffSecondFactor(me) ? (
            <form onSubmit={turnOff} noValidate aria-labelledby="second-factor-off-title" data-testid="second-factor-off">
              <h3 id="second-factor-off-title">{t("account.secondFactor.turnOffTitle")}</h3>
              <p>{t("account.secondFactor.turnOffIntro")}</p>
              <SecondFactorField
                id="second-factor-off-code"
                value={code}
                onChange={changeCode}
                error={codeError}
                testId="second-factor-off-code"
              />
              <Button type="submit" variant="secondary" busy={busy} data-testid="second-factor-turn-off">
                {t("account.secondFactor.turnOff")}
              </Button>
            </form>
          ) : (
            <p data-testid="second-factor-required">
              <strong>{t("account.secondFactor.required")}</strong>
            </p>
          )}
        </>
      ) : step.at === "setup" ? (
        <form onSubmit={confirm} noValidate data-testid="second-factor-setup">
          <h3>{t("account.secondFactor.scanTitle")}</h3>
          <p>{t("account.secondFactor.scan")}</p>
          <img
            className="second-factor-qr"
            src={svgImageSource(step.setup.qr_svg)}
            alt={t("account.secondFactor.qrAlt")}
            width={220}
            height={220}
            data-testid="second-factor-qr"
          />
          <p>{t("account.secondFactor.secretIntro")}</p>
          <p className="second-factor-secret">
            <span className="visually-hidden">{t("account.secondFactor.secretLabel")} </span>
            <code className="identifier" data-testid="second-factor-secret">
              {secretInGroups(step.setup.secret).join(" ")}
            </code>
          </p>
          <h3>{t("account.secondFactor.confirmTitle")}</h3>
          <SecondFactorField
            id="second-factor-confirm-code"
            label={t("account.secondFactor.codeLabel")}
            hint={t("account.secondFactor.codeHint")}
            value={code}
            onChange={changeCode}
            error={codeError}
            testId="second-factor-confirm-code"
          />
          <div className="button-group">
            <Button type="submit" variant="primary" busy={busy} data-testid="second-factor-confirm">
              {t("account.secondFactor.confirm")}
            </Button>
            <Button variant="secondary" onClick={() => setStep({ at: "idle" })} disabled={busy} data-testid="second-factor-cancel">
              {t("account.secondFactor.cancel")}
            </Button>
          </div>
        </form>
      ) : (
        <>
          {turnedOff && (
            <p className="notice" role="status" data-testid="second-factor-turned-off">
              {t("account.secondFactor.turnedOff")}
            </p>
          )}
          <p>{t("account.secondFactor.what")}</p>
          <p>{t("account.secondFactor.apps")}</p>
          {!mayTurnOffSecondFactor(me) && (
            <p>
              <strong>{t("account.secondFactor.required")}</strong>
            </p>
          )}
          {offline && (
            <p className="muted" data-testid="second-factor-needs-network">
              <Icon name="offline" /> {t("account.secondFactor.needsNetwork")}
            </p>
          )}
          <Button variant="primary" busy={busy} onClick={() => void start()} data-testid="second-factor-start">
            {t("account.secondFactor.start")}
          </Button>
        </>
      )}
    </section>
  );
}

export function MonCompte(_props: ScreenProps) {
  const t = useT();
  const { state } = useSession();
  return (
    <Page title={t("account.title")} intro={state.session ? <p>{t("account.intro", { username: state.session.username })}</p> : undefined}>
      <SecondFactorSection />
      {/* Printing the recovery codes prints them, not the e-mail settings. */}
      <div className="no-print">
        <MailPreferencesSection />
      </div>
    </Page>
  );
}
