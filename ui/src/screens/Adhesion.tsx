// Placeholder: #/adhesion, the commune's convention d'adhésion — to be written by its author (keep the export name and the ScreenProps props).
import { Page } from "../components/Page";
import { useT } from "../i18n";
import type { ScreenProps } from "./ScreenProps";

export function Adhesion(_props: ScreenProps) {
  const t = useT();
  return <Page title={t("adhesion.title")} />;
}
