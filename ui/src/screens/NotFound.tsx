import { Page } from "../components/Page";
import { useT } from "../i18n";
import { paths } from "../paths";
import { Link } from "../router";
import type { ScreenProps } from "./ScreenProps";

/** An address that matches no route. */
export function NotFound(_props: ScreenProps) {
  const t = useT();
  return (
    <Page title={t("notFound.title")}>
      <p>{t("notFound.body")}</p>
      <p>
        <Link to={paths.home()}>{t("common.backHome")}</Link>
      </p>
    </Page>
  );
}
