/** First run: the address of the intercommunale's server (validated on the Rust side). */
import { useState, type FormEvent } from "react";
import { api } from "../api";
import { Button } from "../components/Button";
import { ErrorSummary } from "../components/ErrorSummary";
import { Field } from "../components/Field";
import { Page } from "../components/Page";
import { AppError } from "../errors";
import { useErrorText, useT } from "../i18n";
import { paths } from "../paths";
import { navigate } from "../router";
import { useSession } from "../session";
import type { ScreenProps } from "./ScreenProps";

const FIELD_ID = "server-url";

export function Installation(_props: ScreenProps) {
  const t = useT();
  const errorText = useErrorText();
  const { state, setState } = useSession();
  const [url, setUrl] = useState(state.server_url ?? "");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (url.trim() === "") {
      setError(t("installation.missing"));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const next = await api.setServerUrl(url.trim());
      setState(next);
      navigate(paths.login());
    } catch (e) {
      setError(errorText(AppError.from(e)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t("installation.title")} intro={<p>{t("installation.intro")}</p>}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        {error && <ErrorSummary errors={[{ fieldId: FIELD_ID, message: error }]} />}
        <Field
          id={FIELD_ID}
          type="url"
          label={t("installation.serverUrl")}
          hint={t("installation.serverUrlHint")}
          required
          value={url}
          onChange={setUrl}
          error={error}
          autoComplete="url"
          testId="server-url-input"
        />
        <Button type="submit" variant="primary" busy={busy} data-testid="server-url-submit">
          {t("installation.submit")}
        </Button>
      </form>
    </Page>
  );
}
