/**
 * « Mes notifications » (issue 14 §1): how the signed-in account is told by e-mail, per kind of
 * message — « Tout de suite », « Un résumé quotidien » or « Rien ». The kinds, which ones are
 * legal notifications (always sent, no choice offered) and the current choices come from Rust
 * (`mail_preferences`); the change is a mutation (`set_mail_preferences`) applied on this PC at
 * once, offline too, and sent with the next sync.
 */
import { useState, type FormEvent } from "react";
import { api } from "../api";
import { Button } from "../components/Button";
import { ErrorPanel } from "../components/ErrorPanel";
import { Icon } from "../components/Icon";
import { Loading } from "../components/Loading";
import { useCommand } from "../data";
import { AppError } from "../errors";
import { useT } from "../i18n";
import type { MailChoice } from "../bindings/MailChoice";
import type { MailKind } from "../bindings/MailKind";

const CHOICES: MailChoice[] = ["immediate", "digest", "nothing"];

export function MailPreferencesSection() {
  const t = useT();
  const read = useCommand(() => api.mailPreferences(), []);
  const [edited, setEdited] = useState<Partial<Record<MailKind, MailChoice>>>({});
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const screen = read.data;

  const choiceOf = (kind: MailKind, stored: MailChoice) => edited[kind] ?? stored;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!screen) return;
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      await api.perform({
        kind: "set_mail_preferences",
        input: {
          account: screen.account,
          choices: screen.lines.filter((l) => !l.legal).map((l) => ({ kind: l.kind, choice: choiceOf(l.kind, l.choice) })),
        },
      });
      setEdited({});
      setSaved(true);
      read.reload();
    } catch (err) {
      setError(AppError.from(err));
    } finally {
      setBusy(false);
    }
  };

  if (read.data === null) return null;
  return (
    <section className="card" aria-labelledby="mail-preferences-title" data-testid="mail-preferences">
      <h2 className="card__title" id="mail-preferences-title">
        {t("mailPreferences.title")}
      </h2>
      <p className="muted">{t("mailPreferences.help")}</p>
      {read.error && <ErrorPanel error={read.error} onRetry={read.reload} />}
      {error && <ErrorPanel error={error} />}
      {!screen && !read.error && <Loading />}
      {screen && (
        <form onSubmit={(e) => void submit(e)} noValidate>
          {screen.lines.map((line) =>
            line.legal ? (
              <div key={line.kind} className="fieldset" data-testid="mail-preference-legal" data-kind={line.kind}>
                <p>
                  <strong>{line.label}</strong>
                </p>
                <p className="muted">
                  <Icon name="info" /> {t("mailPreferences.legal")}
                </p>
              </div>
            ) : (
              <fieldset key={line.kind} className="fieldset" data-testid="mail-preference" data-kind={line.kind}>
                <legend className="fieldset__legend">{line.label}</legend>
                <div style={{ display: "flex", flexWrap: "wrap", gap: "0.5rem 1.5rem" }}>
                  {CHOICES.map((choice) => {
                    const id = `mail-${line.kind}-${choice}`;
                    return (
                      <label key={choice} htmlFor={id} style={{ display: "inline-flex", alignItems: "center", gap: "0.5rem" }}>
                        <input
                          type="radio"
                          id={id}
                          name={`mail-${line.kind}`}
                          value={choice}
                          checked={choiceOf(line.kind, line.choice) === choice}
                          onChange={() => {
                            setSaved(false);
                            setEdited((m) => ({ ...m, [line.kind]: choice }));
                          }}
                          data-testid={id}
                        />
                        {t(`mailPreferences.choice.${choice}`)}
                      </label>
                    );
                  })}
                </div>
              </fieldset>
            ),
          )}
          {saved && (
            <p role="status" data-testid="mail-preferences-saved">
              <Icon name="check" /> {screen.pending ? t("mailPreferences.savedOffline") : t("mailPreferences.saved")}
            </p>
          )}
          <Button type="submit" variant="secondary" busy={busy} data-testid="mail-preferences-submit">
            {t("mailPreferences.submit")}
          </Button>
        </form>
      )}
    </section>
  );
}
