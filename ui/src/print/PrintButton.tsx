import { Button } from "../components/Button";
import { Icon } from "../components/Icon";
import { useT } from "../i18n";
import { printScreen, type PrintScope } from "./print";

/** « Imprimer » (the whole screen) or « Imprimer la comparaison » (the offers only). */
export function PrintButton({ scope, testId }: { scope: PrintScope; testId?: string }) {
  const t = useT();
  return (
    <Button variant="secondary" onClick={() => printScreen(scope)} data-testid={testId ?? `print-${scope}`}>
      <Icon name="print" />
      {t(`print.${scope}`)}
    </Button>
  );
}
