/// <reference types="vite/client" />
// The app's fonts are the PC's, named by generic families only (issue 19 §5): on Linux, WebKitGTK
// looks up every named family the PC lacks once per size and weight at the first layout — with
// « system-ui, -apple-system, "Segoe UI", "Noto Sans", "Liberation Sans", Arial, sans-serif » the
// Accueil's first layout took about 90 ms instead of 30 on a PC with only DejaVu, before anything
// was painted.
import { describe, expect, it } from "vitest";
import { chooseFonts, fontsFor } from "./fonts";

const stylesheets = import.meta.glob(["./**/*.css"], { query: "?raw", import: "default", eager: true });

/** Generic CSS font families: each resolved by the platform to a font it has. */
const GENERIC = new Set(["system-ui", "sans-serif", "serif", "monospace", "inherit"]);

/** Every family named by a `font-family` or a `--font…` custom property of the stylesheets. */
function namedFamilies(): Array<{ file: string; family: string }> {
  const found: Array<{ file: string; family: string }> = [];
  for (const [file, css] of Object.entries(stylesheets) as Array<[string, string]>) {
    const withoutComments = css.replace(/\/\*[\s\S]*?\*\//g, "");
    for (const m of withoutComments.matchAll(/(?:font-family|--font[\w-]*)\s*:\s*([^;}]+)/g)) {
      for (const family of (m[1] ?? "").split(",")) {
        const name = family.trim();
        if (!name.startsWith("var(")) found.push({ file, family: name });
      }
    }
  }
  return found;
}

describe("fonts", () => {
  it("names generic families only, so that the first layout looks up no missing font", () => {
    const families = namedFamilies();
    expect(families.map((f) => f.family)).toContain("system-ui");
    expect(families.filter((f) => !GENERIC.has(f.family))).toEqual([]);
  });

  // The user agents of the three WebViews Tauri runs on.
  const WEBKITGTK = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko)";
  const WEBVIEW2 =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
  const WKWEBVIEW = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)";

  it("uses the system's interface font on Windows and macOS, the desktop's sans-serif on Linux", () => {
    expect(fontsFor(WEBVIEW2)).toBe("system-ui");
    expect(fontsFor(WKWEBVIEW)).toBe("system-ui");
    expect(fontsFor(WEBKITGTK)).toBe("sans-serif");
  });

  it("marks the page, and the stylesheet gives the marked page sans-serif", () => {
    const root = document.createElement("html");
    chooseFonts(root, WEBKITGTK);
    expect(root.dataset.fonts).toBe("sans-serif");
    chooseFonts(root, WEBVIEW2);
    expect(root.dataset.fonts).toBe("system-ui");
    const css = (stylesheets["./styles.css"] as string).replace(/\/\*[\s\S]*?\*\//g, "");
    expect(css).toMatch(/:root\[data-fonts="sans-serif"\]\s*\{\s*--font:\s*sans-serif;\s*\}/);
    expect(css).toMatch(/:root\s*\{[^}]*--font:\s*system-ui, sans-serif;/);
  });
});
