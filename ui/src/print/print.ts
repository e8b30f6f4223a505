/**
 * Printing a screen (issue 12: « Imprimer » gives a clean printout, not a screenshot of the
 * app). The print stylesheet (`@media print` in styles.css) drops the menu, the sync bar,
 * the buttons and the forms, and prints black on white on A4 with a header saying who printed
 * what and when. A button may narrow the printout to one part of the screen (the comparison of
 * the offers): it names that scope on the document's root, which the stylesheet reads, until
 * the print is over.
 */

/** What a print button prints: the whole screen, or only the comparison of the offers. */
export type PrintScope = "page" | "comparison";

/** The attribute the print stylesheet reads. */
export const PRINT_SCOPE_ATTRIBUTE = "data-print";

/** Prints the screen, narrowed to `scope`; the scope is dropped once the print is over. */
export function printScreen(scope: PrintScope): void {
  const root = document.documentElement;
  root.setAttribute(PRINT_SCOPE_ATTRIBUTE, scope);
  const done = () => {
    root.removeAttribute(PRINT_SCOPE_ATTRIBUTE);
    window.removeEventListener("afterprint", done);
  };
  window.addEventListener("afterprint", done);
  window.print();
}
