// Placeholder: #/catalogue, the services on offer — to be written by its author (keep the export name and the ScreenProps props).
import { Page } from "../components/Page";
import { useT } from "../i18n";
import type { ScreenProps } from "./ScreenProps";

export function Catalogue(_props: ScreenProps) {
  const t = useT();
  return <Page title={t("catalogue.title")} />;
}
