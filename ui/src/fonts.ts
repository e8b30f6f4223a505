/**
 * Which generic family the app's text uses on this PC (issue 19 §5). WebKitGTK, the WebView of
 * Linux, resolves `system-ui` through the desktop's settings at every size and weight of the
 * first layout: measured on a PC of 2 cores, the Accueil's first layout took 40 to 60 ms with
 * it and 20 to 25 with `sans-serif`, the desktop's default sans-serif font. Elsewhere
 * `system-ui` is the system's interface font (Segoe UI on Windows), found at once. Set before
 * the first render.
 */
export function fontsFor(userAgent: string): "system-ui" | "sans-serif" {
  return /\bLinux\b/.test(userAgent) ? "sans-serif" : "system-ui";
}

/** Marks the page with the families to use (`styles.css`, `:root[data-fonts]`). */
export function chooseFonts(root: HTMLElement, userAgent: string): void {
  root.dataset.fonts = fontsFor(userAgent);
}
