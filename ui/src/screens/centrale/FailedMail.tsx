/**
 * « E-mails non remis » (#/e-mails-non-remis; issue 14 §1), for the centrale's staff: the
 * messages the intercommunale gave up sending (attempts exhausted, or an address or a message
 * the mail system refused for good), newest first — when, to whom, which message, how many
 * attempts, and the technical reason one click away. « Renvoyer » puts one back in the queue,
 * to the same address or to a corrected one (checked by the intercommunale with the domain's
 * rule for an address). The list lives on the intercommunale, not on this PC: it needs the
 * network, and says so in words when the PC is not connected.
 */
import { useState, type FormEvent } from "react";
import { api } from "../../api";
import { Button } from "../../components/Button";
import { EmptyState } from "../../components/EmptyState";
import { ErrorPanel } from "../../components/ErrorPanel";
import { Loading } from "../../components/Loading";
import { Page } from "../../components/Page";
import { useCommand } from "../../data";
import { AppError } from "../../errors";
import { formatDateTime } from "../../format";
import { useErrorText, useT } from "../../i18n";
import type { FailedMail as FailedMailRow } from "../../bindings/FailedMail";
import type { ScreenProps } from "../ScreenProps";
import { CentraleOnly } from "./catalogueAdmin/common";
import "./centrale.css";

/** Codes of a read that did not reach the intercommunale: said as « ce PC doit être relié ». */
export const UNREACHABLE = new Set(["offline", "server_error", "credentials_needed", "protocol_error"]);

function MailRow({ mail, onSent }: { mail: FailedMailRow; onSent: (to: string) => void }) {
  const t = useT();
  const errorText = useErrorText();
  const [otherAddress, setOtherAddress] = useState(false);
  const [to, setTo] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const fieldId = `failed-mail-to-${mail.id}`;
  const errorId = `${fieldId}-error`;

  const send = async (event?: FormEvent) => {
    event?.preventDefault();
    setBusy(true);
    setError(null);
    const address = otherAddress ? to.trim() : "";
    try {
      await api.retryFailedMail(mail.id, address || null);
      onSent(address || mail.recipient_email);
    } catch (e) {
      setError(AppError.from(e));
    } finally {
      setBusy(false);
    }
  };
  const fieldError = error && error.code === "email_invalid" ? errorText(error) : null;

  return (
    <tr data-testid="failed-mail-row" data-mail-id={mail.id}>
      <td>{mail.failed_at ? formatDateTime(mail.failed_at) : formatDateTime(mail.created_at)}</td>
      <td>
        <strong>{mail.recipient_name}</strong>
        <br />
        <span data-testid="failed-mail-address">{mail.recipient_email}</span>
      </td>
      <td>
        <span className="muted">{mail.kind_label}</span>
        <br />
        {t("failedMail.subject", { subject: mail.subject })}
        <details className="technical-details">
          <summary>{t("failedMail.reason")}</summary>
          <p data-testid="failed-mail-error">{mail.last_error ?? t("failedMail.noReason")}</p>
        </details>
      </td>
      <td className="num">{mail.attempts}</td>
      <td>
        <form className="failed-mail__retry" onSubmit={(e) => void send(e)} noValidate>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={otherAddress}
              onChange={(e) => setOtherAddress(e.target.checked)}
              data-testid="failed-mail-other-address"
            />
            <span>{t("failedMail.otherAddress")}</span>
          </label>
          {otherAddress && (
            <div className="field">
              <label className="field__label" htmlFor={fieldId}>
                {t("failedMail.newAddress")}
              </label>
              <input
                id={fieldId}
                className="control"
                type="email"
                value={to}
                onChange={(e) => setTo(e.target.value)}
                aria-invalid={fieldError ? true : undefined}
                aria-describedby={fieldError ? errorId : undefined}
                autoComplete="off"
                data-testid="failed-mail-to"
              />
              {fieldError && (
                <p className="field__error" id={errorId} data-testid="failed-mail-to-error">
                  {fieldError}
                </p>
              )}
            </div>
          )}
          <Button type="submit" variant="primary" busy={busy} data-testid="failed-mail-retry">
            {t("failedMail.retry")}
          </Button>
          {error && !fieldError && (
            <p className="field__error" role="alert">
              {UNREACHABLE.has(error.code) ? t("failedMail.needsNetwork") : errorText(error)}
            </p>
          )}
        </form>
      </td>
    </tr>
  );
}

export function FailedMail(_props: ScreenProps) {
  return (
    <CentraleOnly>
      <FailedMailList />
    </CentraleOnly>
  );
}

function FailedMailList() {
  const t = useT();
  const list = useCommand(() => api.failedMail(), []);
  const [sent, setSent] = useState<string | null>(null);
  const unreachable = list.error && UNREACHABLE.has(list.error.code);
  const rows = list.data ?? [];

  return (
    <Page title={t("failedMail.title")} intro={<p className="lead">{t("failedMail.intro")}</p>}>
        <div data-testid="failed-mail">
          {sent && (
            <div className="panel" role="status" data-testid="failed-mail-sent">
              <p>{t("failedMail.sent", { to: sent })}</p>
            </div>
          )}
          {unreachable && (
            <div className="panel panel--warning" role="note" data-testid="failed-mail-offline">
              <p>{t("failedMail.needsNetwork")}</p>
              <Button variant="secondary" onClick={list.reload}>
                {t("common.retry")}
              </Button>
            </div>
          )}
          {list.error && !unreachable && <ErrorPanel error={list.error} onRetry={list.reload} />}
          {list.data === undefined && !list.error && <Loading />}
          {list.data !== undefined &&
            (rows.length === 0 ? (
              <EmptyState message={t("failedMail.none")} testId="failed-mail-empty" />
            ) : (
              // A region that scrolls sideways on a narrow window: reachable by keyboard.
              // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
              <div className="table-wrap" tabIndex={0} role="region" aria-label={t("failedMail.caption", { count: rows.length })}>
                <table className="table" data-testid="failed-mail-table">
                  <caption className="visually-hidden">{t("failedMail.caption", { count: rows.length })}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t("failedMail.when")}</th>
                      <th scope="col">{t("failedMail.recipient")}</th>
                      <th scope="col">{t("failedMail.message")}</th>
                      <th scope="col" className="num">
                        {t("failedMail.attempts")}
                      </th>
                      <th scope="col">{t("failedMail.action")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((m) => (
                      <MailRow
                        key={m.id}
                        mail={m}
                        onSent={(to) => {
                          setSent(to);
                          list.reload();
                        }}
                      />
                    ))}
                  </tbody>
                </table>
              </div>
            ))}
        </div>
    </Page>
  );
}
