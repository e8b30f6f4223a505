/**
 * The sync bar stays at the top of the window while the page scrolls (a sticky header): a field
 * reached with Tab could end up hidden under it (WCAG 2.4.11, focus not obscured). When the focus
 * lands under the bar, the page scrolls just enough to show the field below it (issue 15, point 8).
 */

/** How far to scroll (negative: up) so that an element whose top is at `targetTop` shows below a
 * bar whose bottom is at `barBottom`, with `margin` pixels of air; 0 when it already shows. */
export function scrollToUncover(barBottom: number, targetTop: number, margin = 16): number {
  return targetTop < barBottom ? targetTop - barBottom - margin : 0;
}

/** Watches the focus and scrolls any element it lands on out from under `bar()`. Returns the
 * function that stops watching. */
export function keepFocusBelow(bar: () => HTMLElement | null): () => void {
  const onFocusIn = (event: FocusEvent) => {
    const target = event.target;
    const element = bar();
    if (!(target instanceof HTMLElement) || !element || element.contains(target)) return;
    const delta = scrollToUncover(element.getBoundingClientRect().bottom, target.getBoundingClientRect().top);
    if (delta !== 0) window.scrollBy({ top: delta });
  };
  document.addEventListener("focusin", onFocusIn);
  return () => document.removeEventListener("focusin", onFocusIn);
}
