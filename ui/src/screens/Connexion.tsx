/**
 * Log-in: user name and password. Needs the network once; afterwards the session is kept in
 * the OS keyring (never in a file) and the app opens offline. Also used to sign in again when
 * the sync says « Reconnectez-vous ».
 */
import { useState, type FormEvent } from "react";
import { api } from "../api";
import { Button } from "../components/Button";
import { ErrorPanel } from "../components/ErrorPanel";
import { ErrorSummary, type FieldError } from "../components/ErrorSummary";
import { Field } from "../components/Field";
import { Icon } from "../components/Icon";
import { Page } from "../components/Page";
import { AppError } from "../errors";
import { useT } from "../i18n";
import { paths } from "../paths";
import { Link, navigate } from "../router";
import { useSession } from "../session";
import type { ScreenProps } from "./ScreenProps";

export function Connexion(_props: ScreenProps) {
  const t = useT();
  const { state, setState } = useSession();
  const reconnecting = state.session !== null;
  const [username, setUsername] = useState(state.session?.username ?? "");
  const [password, setPassword] = useState("");
  const [fieldErrors, setFieldErrors] = useState<FieldError[]>([]);
  const [failure, setFailure] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const errors: FieldError[] = [];
    if (username.trim() === "") errors.push({ fieldId: "username", message: t("login.missingUsername") });
    if (password === "") errors.push({ fieldId: "password", message: t("login.missingPassword") });
    setFieldErrors(errors);
    setFailure(null);
    if (errors.length > 0) return;
    setBusy(true);
    try {
      const next = await api.logIn(username.trim(), password);
      setPassword("");
      setState(next);
      navigate(paths.home());
    } catch (e) {
      setFailure(AppError.from(e));
    } finally {
      setBusy(false);
    }
  };

  const errorOf = (id: string) => fieldErrors.find((e) => e.fieldId === id)?.message ?? null;
  // An unreachable server gets the log-in's own words: signing in needs the network once.
  const offline = failure?.code === "offline" || failure?.code === "offline_first_login";

  return (
    <Page
      title={reconnecting ? t("login.reconnectTitle") : t("login.title")}
      intro={
        <>
          <p>{reconnecting ? t("login.reconnectIntro") : t("login.intro")}</p>
          <p className="hint-text">{t("login.networkOnce")}</p>
        </>
      }
    >
      {!state.keyring.available && (
        <div className="panel panel--warning" role="note" data-testid="keyring-warning">
          <h2 className="panel__title">
            <Icon name="lock" />
            {t("login.keyringTitle")}
          </h2>
          <p>{t("login.keyringBody")}</p>
          {state.keyring.message && <p className="hint-text">{t("login.keyringDetail", { message: state.keyring.message })}</p>}
        </div>
      )}
      {failure && <ErrorPanel error={failure} message={offline ? t("login.offline") : undefined} />}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <ErrorSummary errors={fieldErrors} />
        <Field
          id="username"
          label={t("login.username")}
          hint={t("login.usernameHint")}
          required
          value={username}
          onChange={setUsername}
          error={errorOf("username")}
          autoComplete="username"
          width="medium"
          testId="login-username"
        />
        <Field
          id="password"
          type="password"
          label={t("login.password")}
          required
          value={password}
          onChange={setPassword}
          error={errorOf("password")}
          autoComplete="current-password"
          width="medium"
          testId="login-password"
        />
        <Button type="submit" variant="primary" busy={busy} data-testid="login-submit">
          {t("login.submit")}
        </Button>
      </form>
      {!reconnecting && state.server_url && (
        <p className="server-line">
          {t("login.server")} <span className="identifier">{state.server_url}</span>
          {" — "}
          <Link to={paths.installation()} data-testid="change-server">
            {t("login.changeServer")}
          </Link>
        </p>
      )}
    </Page>
  );
}
