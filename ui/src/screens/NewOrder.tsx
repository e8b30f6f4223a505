// Placeholder: #/commandes/nouvelle, a new order draft — to be written by its author (keep the export name and the ScreenProps props).
import { Page } from "../components/Page";
import { useT } from "../i18n";
import type { ScreenProps } from "./ScreenProps";

export function NewOrder(_props: ScreenProps) {
  const t = useT();
  return <Page title={t("orders.newTitle")} />;
}
