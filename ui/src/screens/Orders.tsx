// Placeholder: #/commandes, the orders list — to be written by its author (keep the export name and the ScreenProps props).
import { Page } from "../components/Page";
import { useT } from "../i18n";
import type { ScreenProps } from "./ScreenProps";

export function Orders(_props: ScreenProps) {
  const t = useT();
  return <Page title={t("orders.title")} />;
}
