/** Placeholder until the screen is written (centrale side, issue 5). */
import { Page } from "../../components/Page";
import { useT } from "../../i18n";
import type { ScreenProps } from "../ScreenProps";

export function CommunePage(_props: ScreenProps) {
  const t = useT();
  return <Page title={t("communes.placeholder")}>{null}</Page>;
}
